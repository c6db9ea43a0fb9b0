// Insert Citation over stdio: `citekeys/searchEntries` finds the document's own entries, then the library's and
// Zotero's, each saying where it is from; `citekeys/insertCitation` answers one WorkspaceEdit that inserts the whole
// citation and copies the entries the document's bibliography lacks; with no bibliography it only cites, and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Position, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspTestClient } from './lspClient';
import { applyTextEdits, projectWithLibrary, type ProjectWithLibrary } from './projectFiles';
import { FakeBetterBibtex } from '../unit/helpers/fakeBetterBibtex';

const REFS = '@book{own2001, author = {Owen, Olga}, title = {Own entry}, year = {2001}}\n';
const LIBRARY = '@book{porter1990, author = {Porter, Michael E.}, title = {The Competitive Advantage of Nations}, publisher = {Free Press}, year = {1990}}\n';

interface SearchItem { key: string; detail: string; description: string; from?: string; source?: string }
interface InsertAnswer { edit: WorkspaceEdit; message?: string }

/** A paper (with `paper` as its text) in a project folder, and the user's library outside it. */
function project(paper: string, files: Record<string, string>): ProjectWithLibrary {
  return projectWithLibrary({ 'paper.md': paper, ...files }, LIBRARY);
}

/** The text of `file` after the edits a WorkspaceEdit makes to it (none: as it is). */
function applied(edit: WorkspaceEdit, file: string, text: string): string {
  for (const change of edit.documentChanges ?? []) {
    const edits = change as TextDocumentEdit;
    if (!edits.textDocument || fileURLToPath(edits.textDocument.uri) !== file) continue;
    text = applyTextEdits(text, edits.edits as TextEdit[]);
  }
  return text;
}

/** The `|` of `marked` as a position, and the text without it. */
function cursor(marked: string): { text: string; position: Position } {
  const at = marked.indexOf('|');
  const before = marked.slice(0, at).split('\n');
  return { text: marked.slice(0, at) + marked.slice(at + 1), position: { line: before.length - 1, character: before[before.length - 1].length } };
}

async function start(folder: string, text: string, settings: Record<string, unknown>): Promise<{ client: LspTestClient; uri: string }> {
  const client = new LspTestClient();
  client.settings = settings;
  await client.initialize(folder, { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } } });
  const uri = await client.open(path.join(folder, 'paper.md'), 'markdown', text);
  return { client, uri };
}

const search = (client: LspTestClient, uri: string, query: string) =>
  client.request<{ items: SearchItem[]; isIncomplete?: boolean }>('citekeys/searchEntries', { uri, query, limit: 50 });

test('the picker finds the document’s own entries first, then the library’s, which say where they are from', async () => {
  const { text } = cursor('---\nbibliography: refs.bib\n---\nSee |.\n');
  const { folder, library, cleanup } = project(text, { 'refs.bib': REFS + '@book{porterown, author = {Porter, Paul}, title = {Own Porter}, year = {2010}}\n' });
  const { client, uri } = await start(folder, text, { libraries: [library], zotero: { enabled: false } });
  try {
    const byAuthor = await search(client, uri, 'porter');
    assert.deepEqual(byAuthor.items.map((item) => [item.key, item.source]), [['porterown', undefined], ['porter1990', 'library.bib']]);
    assert.equal(byAuthor.items[1].from, library);
    assert.equal(byAuthor.items[1].detail, 'Porter (1990)');
    // By title words and by year too.
    assert.deepEqual((await search(client, uri, 'competitive advantage')).items.map((item) => item.key), ['porter1990']);
    assert.ok((await search(client, uri, '1990')).items.some((item) => item.key === 'porter1990'));
  } finally {
    await client.stop();
    cleanup();
  }
});

test('inserting an own key and a library key is one edit: [@own2001; @porter1990] at the cursor and the entry appended to refs.bib', async () => {
  const { text, position } = cursor('---\nbibliography: refs.bib\n---\nSee |.\n');
  const { folder, library, cleanup } = project(text, { 'refs.bib': REFS });
  const { client, uri } = await start(folder, text, { libraries: [library], zotero: { enabled: false } });
  try {
    const answer = await client.request<InsertAnswer | null>('citekeys/insertCitation', {
      uri, position, keys: [{ key: 'own2001' }, { key: 'porter1990', from: library }],
    });
    assert.ok(answer);
    assert.equal(answer.message, undefined);
    // Versioned for the open document (an editor refuses a stale edit), unversioned for the file on disk.
    assert.deepEqual((answer.edit.documentChanges as TextDocumentEdit[]).map((change) => change.textDocument.version), [1, null]);
    assert.equal(applied(answer.edit, path.join(folder, 'paper.md'), text), '---\nbibliography: refs.bib\n---\nSee [@own2001; @porter1990].\n');
    assert.equal(applied(answer.edit, path.join(folder, 'refs.bib'), REFS), `${REFS}\n${LIBRARY}`);
  } finally {
    await client.stop();
    cleanup();
  }
});

test('inside an open citation only the keys go in, and an entry the bibliography has is not copied again', async () => {
  const { text, position } = cursor('---\nbibliography: refs.bib\n---\nSee [@own2001, p. 3|].\n');
  const { folder, library, cleanup } = project(text, { 'refs.bib': REFS + LIBRARY });
  const { client, uri } = await start(folder, text, { libraries: [library], zotero: { enabled: false } });
  try {
    const answer = await client.request<InsertAnswer>('citekeys/insertCitation', { uri, position, keys: [{ key: 'porter1990', from: library }] });
    assert.equal(answer.edit.documentChanges?.length, 1);
    assert.equal(applied(answer.edit, path.join(folder, 'paper.md'), text), '---\nbibliography: refs.bib\n---\nSee [@own2001, p. 3; @porter1990].\n');
  } finally {
    await client.stop();
    cleanup();
  }
});

test('a document that declares no bibliography gets only the citation, and the answer says why nothing was copied', async () => {
  const { text, position } = cursor('# Notes\n\nSee |.\n');
  const { folder, library, cleanup } = project(text, {});
  const { client, uri } = await start(folder, text, { libraries: [library], zotero: { enabled: false } });
  try {
    const answer = await client.request<InsertAnswer>('citekeys/insertCitation', { uri, position, keys: [{ key: 'porter1990', from: library }] });
    assert.equal(answer.edit.documentChanges?.length, 1);
    assert.equal(applied(answer.edit, path.join(folder, 'paper.md'), text), '# Notes\n\nSee [@porter1990].\n');
    assert.match(answer.message ?? '', /`porter1990` was not copied: paper\.md declares no bibliography/);
  } finally {
    await client.stop();
    cleanup();
  }
});

test('a Zotero entry is found by the picker and copied from Better BibTeX’s export, beside a library entry, in one edit', async () => {
  const { text, position } = cursor('---\nbibliography: refs.bib\n---\nSee |.\n');
  const { folder, library, cleanup } = project(text, { 'refs.bib': REFS });
  const zotero = new FakeBetterBibtex();
  const url = await zotero.listen();
  const { client, uri } = await start(folder, text, { libraries: [library], zotero: { url } });
  try {
    await client.nextNotification<{ zotero?: string }>('citekeys/status', (status) => status.zotero === 'connected', 20_000);
    // Zotero may answer after its budget: the picker asks again while the answer says it is incomplete.
    let found: SearchItem | undefined;
    for (let attempt = 0; attempt < 50 && !found; attempt++) found = (await search(client, uri, 'zotero')).items.find((item) => item.key === 'smith2020zotero');
    assert.ok(found);
    assert.deepEqual([found.from, found.source], ['zotero:', 'Zotero']);
    const answer = await client.request<InsertAnswer>('citekeys/insertCitation', {
      uri, position, keys: [{ key: 'smith2020zotero', from: found.from }, { key: 'porter1990', from: library }],
    });
    assert.equal(answer.message, undefined);
    assert.equal(applied(answer.edit, path.join(folder, 'paper.md'), text), '---\nbibliography: refs.bib\n---\nSee [@smith2020zotero; @porter1990].\n');
    const refs = applied(answer.edit, path.join(folder, 'refs.bib'), REFS);
    assert.match(refs, /^@book\{own2001,[^\n]*\n\n@article\{smith2020zotero,[\s\S]*\}\n\n@book\{porter1990,[^\n]*\n$/);
    assert.ok(zotero.calls('item.export') >= 1);
  } finally {
    await client.stop();
    await zotero.close();
    cleanup();
  }
});
