// A client that names every file with one languageId (eglot with several modes on one server entry): the server
// reads paper.md as Markdown and paper.tex as LaTeX by their extensions, in one session.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CompletionRequest, type CompletionList } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lspClient';

const client = new LspTestClient();
after(() => client.stop());

async function labelsAt(uri: string, text: string, needle: string): Promise<string[]> {
  const offset = text.indexOf(needle) + needle.length;
  assert.ok(offset >= needle.length, `'${needle}' in the text`);
  const lines = text.slice(0, offset).split('\n');
  const list = (await client.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri },
    position: { line: lines.length - 1, character: lines[lines.length - 1].length },
  })) as CompletionList;
  return list.items.map((item) => item.label);
}

test('with "markdown" sent for every file, \\cite{gere completes in the .tex after the .md is open', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-language-id-'));
  cpSync('examples', folder, { recursive: true });
  await client.initialize(folder);

  const markdown = `${readFileSync(path.join(folder, 'paper.md'), 'utf8')}\nSee [@gere\n`;
  const markdownUri = await client.open(path.join(folder, 'paper.md'), 'markdown', markdown);
  assert.ok((await labelsAt(markdownUri, markdown, '[@gere')).includes('gereffi2005a'));

  const latex = readFileSync(path.join(folder, 'paper.tex'), 'utf8').replace('\\bibliographystyle', 'Also \\cite{gere}\n\\bibliographystyle');
  const latexUri = await client.open(path.join(folder, 'paper.tex'), 'markdown', latex);
  const labels = await labelsAt(latexUri, latex, '\\cite{gere');
  assert.ok(labels.includes('gereffi2005'), `gereffi2005 (ethics.bib) missing from ${JSON.stringify(labels)}`);
});
