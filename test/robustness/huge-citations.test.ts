// One citation of 300,000 keys and `\cites` with 100,000 groups through everything after the parser: diagnostics,
// the language server's diagnostics pass, completion, hover, and `citekeys check` as a process (once exit 2,
// "Maximum call stack size exceeded").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { checkFiles } from '../../server/src/features/workspaceCheck';
import { provideCompletion } from '../../server/src/features/completion';
import { provideHover } from '../../server/src/features/hover';
import { DiagnosticsPublisher } from '../../server/src/lsp/diagnosticsPublisher';
import { fixture } from '../unit/helpers/fixture';
import { DEFINED_KEYS, HUGE_BIB, hugeDocuments, type HugeDocument } from './hugeLists';

const CLI = path.resolve('dist/cli.js');
const never = () => false;

/** Where a key sits in the document text: after the `@` in Markdown, after the `{` or `,` in LaTeX. */
function keyOffset(doc: HugeDocument, key: string): number {
  const markers = doc.name.endsWith('.md') ? [`@${key};`] : [`{${key},`, `{${key}}`, `,${key},`];
  for (const marker of markers) {
    const at = doc.text.indexOf(marker);
    if (at >= 0) return at + 1;
  }
  throw new Error(`${key} not in ${doc.name}`);
}

/** A connection that only records what the diagnostics publisher pushes. */
function recordingConnection(pushed: Map<string, number>): Connection {
  return {
    sendDiagnostics: async (params: { uri: string; diagnostics: unknown[] }) => void pushed.set(params.uri, params.diagnostics.length),
    languages: { diagnostics: { refresh: async () => undefined } },
  } as unknown as Connection;
}

for (const doc of hugeDocuments()) {
  const undefinedCount = doc.citations - DEFINED_KEYS.length;

  test(`${doc.description}: diagnostics, the server's diagnostics pass, completion and hover all answer`, async () => {
    const f = fixture(`%! ${doc.name}\n${doc.text}%! refs.bib\n${HUGE_BIB}`);
    const file = f.path(doc.name);

    const result = await checkFiles(f.workspace, { documents: [file], bibliographies: [], extraBibliographies: [] });
    const undefinedCitations = result.findings.filter((finding) => finding.code === 'undefined-citation');
    assert.equal(undefinedCitations.length, undefinedCount);
    assert.equal(undefinedCitations[0].key, 'k0');
    assert.equal(undefinedCitations[0].message, 'Undefined citation `k0`: not in refs.bib. Did you mean `k1`, `k5`?');
    assert.equal(undefinedCitations[undefinedCitations.length - 1].key, `k${doc.citations - 1}`);

    f.workspace.openText(file, doc.text, 1);
    const pushed = new Map<string, number>();
    const publisher = new DiagnosticsPublisher(recordingConnection(pushed), f.workspace, () => false, () => false);
    const diagnostics = await publisher.diagnosticsFor(file);
    assert.equal(diagnostics.filter((d) => d.code === 'undefined-citation').length, undefinedCount);
    assert.equal(pushed.get(`file://${file}`), diagnostics.length);
    const lastLine = doc.text.slice(0, doc.text.lastIndexOf(`k${doc.citations - 1}`)).split('\n').length - 1;
    assert.equal(diagnostics[diagnostics.length - 1].range.start.line, lastLine);

    const document = await f.workspace.getDocument(file);
    assert.ok(document);
    const afterK5 = keyOffset(doc, 'k5') + 'k5'.length;
    const completion = await provideCompletion(f.workspace, document, afterK5, { limit: 100 }, never);
    assert.deepEqual(completion?.items.map((item) => item.key), ['k5']);
    const hover = await provideHover(f.workspace, file, afterK5 - 1, never);
    assert.match(hover?.markdown ?? '', /Roe/);
  });
}

// ---------------------------------------------------------------------------------------------
// `citekeys check` as a process

function check(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, [CLI, 'check', ...args, '.'], {
    cwd: dir, encoding: 'utf8', timeout: 240_000, maxBuffer: 1024 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function folderWith(doc: HugeDocument, withBibliography = true): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'citekeys-huge-'));
  writeFileSync(path.join(dir, doc.name), doc.text);
  if (withBibliography) writeFileSync(path.join(dir, 'refs.bib'), HUGE_BIB);
  return dir;
}

for (const doc of hugeDocuments()) {
  test(`citekeys check on ${doc.description} reports every undefined key and exits 0`, () => {
    const dir = folderWith(doc);
    try {
      const result = check(dir, []);
      assert.equal(result.status, 0, result.stderr);
      const undefinedCount = doc.citations - DEFINED_KEYS.length;
      assert.equal(result.stderr, `citekeys: 1 document(s), 1 bibliography file(s): 0 error(s), ${undefinedCount} warning(s), 0 note(s)\n`);
      const lines = result.stdout.split('\n').filter(Boolean);
      assert.equal(lines.length, undefinedCount);
      const k0 = keyOffset(doc, 'k0');
      const line = doc.text.slice(0, k0).split('\n').length;
      const column = k0 - doc.text.lastIndexOf('\n', k0 - 1);
      assert.equal(lines[0], `${doc.name}:${line}:${column}: warning: Undefined citation \`k0\`: not in refs.bib. Did you mean \`k1\`, \`k5\`? [undefined-citation]`);
      assert.match(lines[lines.length - 1], new RegExp(`Undefined citation \`k${doc.citations - 1}\``));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('citekeys check --format json on 300,000 undefined keys at error level exits 1 with every finding', () => {
  const doc = hugeDocuments().find((d) => d.name === 'unclosed.md') as HugeDocument;
  const dir = folderWith(doc);
  try {
    const result = check(dir, ['--format', 'json', '--level', 'undefined-citation=error']);
    assert.equal(result.status, 1, result.stderr);
    const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: { code: string; severity: string; key: string }[] };
    assert.equal(diagnostics.length, doc.citations - DEFINED_KEYS.length);
    assert.ok(diagnostics.every((d) => d.code === 'undefined-citation' && d.severity === 'error'));
    assert.equal(diagnostics[diagnostics.length - 1].key, `k${doc.citations - 1}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('citekeys check --format sarif on \\cites with 100,000 groups and no bibliography lists every key', () => {
  const doc = hugeDocuments().find((d) => d.name === 'cites.tex') as HugeDocument;
  const dir = folderWith({ ...doc, text: doc.text.replace('\\bibliography{refs}\n', '') }, false);
  try {
    const result = check(dir, ['--format', 'sarif']);
    assert.equal(result.status, 0, result.stderr);
    const sarif = JSON.parse(result.stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] };
    const results = sarif.runs[0].results;
    assert.equal(results.length, doc.citations);
    assert.ok(results.every((r) => r.ruleId === 'undefined-citation'));
    assert.match(results[0].message.text, /^Undefined citation `k0`: the document has no bibliography/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
