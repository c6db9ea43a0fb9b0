// The background scan of a workspace's documents: reported in the status, redone after files change, and what
// makes references over a vault of notes a lookup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, ReferencesRequest, type Location } from 'vscode-languageserver-protocol/node';
import { LspTestClient, uriOf } from './lspClient';

interface Status {
  documents?: number;
  scanning?: boolean;
}

/** A vault of `count` notes under notes/ (every third cites `shared`), a chapter under tex/, and one refs.bib. */
function vault(count: number): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-scan-'));
  mkdirSync(path.join(folder, 'notes'));
  mkdirSync(path.join(folder, 'tex'));
  writeFileSync(path.join(folder, 'refs.bib'), '@book{shared, title={Shared}}\n@book{rare, title={Rare}}\n');
  for (let i = 0; i < count; i++) {
    const cites = i % 3 === 0 ? '[@shared; @rare]' : '[@rare]';
    writeFileSync(path.join(folder, 'notes', `n${i}.md`), `---\ntitle: Note ${i}\nbibliography: ../refs.bib\n---\n\nText ${cites}.\n`);
  }
  writeFileSync(path.join(folder, 'tex', 'chapter.tex'), '\\addbibresource{../refs.bib}\nSee \\cite{shared}.\n');
  return folder;
}

const scanned = (count: number) => (status: Status) => status.scanning === false && status.documents === count;

test('the server scans every document of the workspace after starting and says so in its status', async () => {
  const folder = vault(300);
  const client = new LspTestClient();
  try {
    const done = client.nextNotification<Status>('citekeys/status', scanned(301));
    await client.initialize(folder);
    await done;
    const note = path.join(folder, 'notes', 'n0.md');
    const text = await client.open(note, 'markdown');
    assert.ok(text);
    const found = await client.request<Location[]>(ReferencesRequest.method, {
      textDocument: { uri: uriOf(note) }, position: { line: 5, character: 8 }, context: { includeDeclaration: false },
    });
    // n0, n3, ..., n297 and the LaTeX chapter.
    assert.equal(found.length, 101);
    assert.ok(found.some((l) => l.uri.endsWith('/tex/chapter.tex')));
  } finally {
    await client.stop();
  }
});

test('a note created on disk is scanned again once the watcher reports it, and found by references', async () => {
  const folder = vault(30);
  const client = new LspTestClient();
  try {
    const first = client.nextNotification<Status>('citekeys/status', scanned(31));
    await client.initialize(folder);
    await first;
    const created = path.join(folder, 'notes', 'new.md');
    writeFileSync(created, '---\nbibliography: ../refs.bib\n---\n\nLate [@shared].\n');
    const again = client.nextNotification<Status>('citekeys/status', scanned(32));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(created), type: FileChangeType.Created }] });
    await again;
    const found = await client.request<Location[]>(ReferencesRequest.method, {
      textDocument: { uri: uriOf(path.join(folder, 'refs.bib')) }, position: { line: 0, character: 8 }, context: { includeDeclaration: false },
    });
    assert.ok(found.some((l) => l.uri === uriOf(created)), 'the new note cites @shared');
    assert.equal(found.length, 10 + 1 + 1);
  } finally {
    await client.stop();
  }
});
