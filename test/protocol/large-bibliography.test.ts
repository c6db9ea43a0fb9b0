// A large bibliography (30,000 generated entries, ~18 MB): indexing reports progress and does not hold up requests;
// its slow rule (likely duplicates) runs in the background.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CompletionRequest, HoverRequest, type CompletionList, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { LspTestClient, uriOf } from './lspClient';
import { CLEAN, makeBib } from '../../bench/makeBib';

test('while a large bibliography is indexed, other documents are answered, progress is reported, and completion then finds its entries', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-large-'));
  const bib = makeBib(30000, CLEAN).text;
  const firstKey = /@\w+\{([^,\s]+),/.exec(bib)![1];
  writeFileSync(path.join(folder, 'library.bib'), bib);
  writeFileSync(path.join(folder, 'big.md'), `---\nbibliography: library.bib\n---\nSee [@${firstKey}].\n`);
  writeFileSync(path.join(folder, 'small.md'), '---\nbibliography: small.bib\n---\nSee [@knuth1984].\n');
  writeFileSync(path.join(folder, 'small.bib'), '@book{knuth1984, author = {Knuth, Donald E.}, title = {The {\\TeX}book}, year = {1984}}\n');

  const client = new LspTestClient();
  try {
    await client.initialize(folder, { window: { workDoneProgress: true } });
    const smallUri = await client.open(path.join(folder, 'small.md'), 'markdown');
    const events: string[] = [];
    const progressEnded = new Promise<void>((resolve) => {
      client.connection.onNotification('$/progress', (params: { value: { kind: string; message?: string } }) => {
        events.push(`progress ${params.value.kind}`);
        if (params.value.kind === 'end') resolve();
      });
    });
    const bigUri = await client.open(path.join(folder, 'big.md'), 'markdown');
    const completion = client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: smallUri }, position: { line: 3, character: 10 } }).then((list) => {
      events.push('completion answered');
      return list as CompletionList;
    });
    await Promise.all([progressEnded, completion]);
    assert.ok(events.includes('progress begin'), events.join(', '));
    assert.ok(events.indexOf('completion answered') < events.indexOf('progress end'), `completion on the small document waited for the big index: ${events.join(', ')}`);
    assert.deepEqual((await completion).items.map((item) => item.label), ['knuth1984']);
    // Hover formats in the server's worker thread: answered, with the formatted reference.
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: smallUri }, position: { line: 3, character: 8 } });
    const shown = (hover as { contents: { value: string } }).contents.value;
    assert.match(shown, /^Knuth, D\. E\. \(1984\)\. \*The .*TeXbook\*\./);

    await client.waitForDiagnostics(bigUri, () => true, 60_000);
    const list = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: bigUri },
      position: { line: 3, character: 6 + firstKey.length },
    })) as CompletionList;
    assert.ok(list.items.some((item) => item.label === firstKey), `${firstKey} in ${list.items.slice(0, 5).map((i) => i.label)}`);
  } finally {
    await client.stop();
  }
});

test('a large bibliography gets its likely duplicates after a quiet spell, searched between requests', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-large-'));
  const bib = `${makeBib(21_000, CLEAN).text}
@article{plantedA, title = {Planted title one}, year = {2001}, doi = {10.5555/planted.1}}
@article{plantedB, title = {Planted title two}, year = {1999}, doi = {https://doi.org/10.5555/PLANTED.1}}
@misc{twice, title = {Defined twice}}
@misc{twice, title = {Defined twice, again}}
`;
  writeFileSync(path.join(folder, 'library.bib'), bib);
  writeFileSync(path.join(folder, 'paper.md'), '---\nbibliography: library.bib\n---\nSee [@plantedA].\n');
  const client = new LspTestClient();
  try {
    await client.initialize(folder);
    await client.open(path.join(folder, 'paper.md'), 'markdown');
    const bibUri = uriOf(path.join(folder, 'library.bib'));
    const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => d.code);
    // The pass over the paper publishes the file's other findings first: the search is not part of it.
    const first = await client.waitForDiagnostics(bibUri, () => true, 60_000);
    assert.deepEqual(codes(first), ['duplicate-entry', 'duplicate-entry']);
    const found = await client.waitForDiagnostics(bibUri, (p) => codes(p).includes('likely-duplicate'), 60_000);
    const likely = found.diagnostics.filter((d) => d.code === 'likely-duplicate');
    assert.deepEqual(likely.map((d) => bib.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character)), ['plantedB']);
    assert.match(String(likely[0].message), /`plantedB` and `plantedA` look like the same work \(same DOI 10\.5555\/planted\.1\)/);
  } finally {
    await client.stop();
  }
});
