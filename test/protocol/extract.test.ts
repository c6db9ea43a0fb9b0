// `citekeys/extractBibliography` over stdio: the text "Create Bibliography of Cited Entries" opens, for the workspace
// or for the active document's project, with the keys it lacks; the server writes no file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LspTestClient, uriOf } from './lspClient';
import type { ExtractBibliographyResult } from '../../client/src/protocol';

function project(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-extract-'));
  writeFileSync(path.join(folder, 'a.md'), '---\nbibliography: refs.bib\n---\nSee [@porter1990; @ghost] and @gereffi2005.\n');
  writeFileSync(path.join(folder, 'b.tex'), '\\cite{storper1997,porter1990}\n\\bibliography{refs}\n');
  writeFileSync(
    path.join(folder, 'refs.bib'),
    '@string{ripe = {Review of International Political Economy}}\n' +
      '@article{gereffi2005, title = {Governance}, journal = ripe}\n' +
      '@book{porter1990,   title = {Advantage}}\n' +
      '@book{storper1997, title = {Regional}}\n',
  );
  return folder;
}

test('extractBibliography answers the workspace\'s cited entries as BibTeX text, with the missing keys and where they are', async () => {
  const folder = project();
  const client = new LspTestClient();
  try {
    await client.initialize(folder);
    const before = readdirSync(folder).sort();
    const result = await client.request<ExtractBibliographyResult>('citekeys/extractBibliography', {});
    assert.equal(
      result.text,
      '@string{ripe = {Review of International Political Economy}}\n\n' +
        '@book{porter1990,   title = {Advantage}}\n\n@article{gereffi2005, title = {Governance}, journal = ripe}\n\n@book{storper1997, title = {Regional}}\n',
    );
    assert.equal(result.entries, 3);
    assert.equal(result.documents, 2);
    assert.deepEqual(result.missing.map((m) => [m.key, m.uri, m.range.start]), [['ghost', uriOf(path.join(folder, 'a.md')), { line: 3, character: 19 }]]);
    assert.match(result.missing[0].message, /no entry for `ghost`/);
    assert.deepEqual(readdirSync(folder).sort(), before, 'the server wrote nothing');
  } finally {
    await client.stop();
  }
});

test('with the active document\'s URI, an open document outside the workspace folder is extracted alone, with its unsaved text', async () => {
  const folder = project();
  const elsewhere = mkdtempSync(path.join(tmpdir(), 'citekeys-extract-other-'));
  const note = path.join(elsewhere, 'note.md');
  writeFileSync(path.join(elsewhere, 'refs.bib'), '@book{mine, title = {Mine}}\n@book{theirs, title = {Theirs}}\n');
  writeFileSync(note, '[@theirs]\n');
  const client = new LspTestClient();
  try {
    await client.initialize(folder);
    const uri = await client.open(note, 'markdown', '---\nbibliography: refs.bib\n---\n[@mine]\n');
    const result = await client.request<ExtractBibliographyResult>('citekeys/extractBibliography', { uri });
    assert.equal(result.text, '@book{mine, title = {Mine}}\n');
    assert.equal(result.documents, 1);
    assert.deepEqual(result.missing, []);
    const inFolder = await client.request<ExtractBibliographyResult>('citekeys/extractBibliography', { uri: uriOf(path.join(folder, 'b.tex')) });
    assert.equal(inFolder.entries, 3, 'a document in the folder stands for the whole folder');
  } finally {
    await client.stop();
  }
});
