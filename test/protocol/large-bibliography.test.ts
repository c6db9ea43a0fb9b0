// A large bibliography (30,000 generated entries, ~18 MB): indexing reports progress and does not hold up requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CompletionRequest, HoverRequest, type CompletionList } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lspClient';
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
