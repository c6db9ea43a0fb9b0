// Probe: the references part of the server bench alone (first request over the notes workspace, then 20 more).
import { readFileSync } from 'node:fs';
import { LspSession } from '../lspSession';
import { notesWorkspace } from '../workspaces';

const positionAt = (text: string, offset: number) => {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
};

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const ws = notesWorkspace(quick ? 500 : 5000, quick ? 50 : 500);
  const session = new LspSession();
  try {
    const t0 = performance.now();
    await session.initialize(ws.folder);
    const note = ws.notes[0];
    const text = readFileSync(note, 'utf8');
    const uri = await session.open(note, 'markdown', text);
    const citations = [...text.matchAll(/@([^\s;\]]+)/g)];
    const times: string[] = [];
    for (let i = 0; i <= 20; i++) {
      const match = citations[i % citations.length];
      const t = performance.now();
      const found = await session.request<unknown[]>('textDocument/references', { textDocument: { uri }, position: positionAt(text, (match.index ?? 0) + 2), context: { includeDeclaration: false } });
      times.push(`${match[1]}:${(performance.now() - t).toFixed(0)}ms/${found?.length ?? 0}`);
    }
    console.log(`init→done ${(performance.now() - t0).toFixed(0)} ms`);
    console.log(times.join(' '));
  } finally {
    await session.stop();
  }
}
void main();
