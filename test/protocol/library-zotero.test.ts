// Your library and Zotero over stdio, as an editor meets them: completion offers library and Zotero entries after the
// document's own; accepting one runs the server's command, which answers with workspace/applyEdit, and the entry is
// in the .bib on disk; a key only the library has gets a quick fix; Zotero up, slow and down never holds completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompletionList, CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspTestClient } from './lspClient';
import { applyTextEdits, projectWithLibrary, type ProjectWithLibrary } from './projectFiles';
import { FakeBetterBibtex } from '../unit/helpers/fakeBetterBibtex';

const PAPER = '---\nbibliography: refs.bib\n---\nSee [@] and [@porter1990].\n';
const REFS = '@book{own2001, author = {Owen, Olga}, title = {Own entry}, year = {2001}}\n';
const LIBRARY = '@book{porter1990, author = {Porter, Michael E.}, title = {The Competitive Advantage of Nations}, publisher = {Free Press}, year = {1990}}\n';

/** A project folder and, outside it, the user's library. */
function project(): ProjectWithLibrary {
  return projectWithLibrary({ 'paper.md': PAPER, 'refs.bib': REFS }, LIBRARY);
}

/** Applies what the server asks, on disk, as an editor would for files it has not open; answers `applied`. */
function actAsEditor(client: LspTestClient): WorkspaceEdit[] {
  const received: WorkspaceEdit[] = [];
  client.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
    received.push(params.edit);
    for (const change of params.edit.documentChanges ?? []) {
      if ('kind' in change) {
        const file = fileURLToPath((change as CreateFile).uri);
        writeFileSync(file, '', { flag: 'a' });
        continue;
      }
      const edit = change as TextDocumentEdit;
      const file = fileURLToPath(edit.textDocument.uri);
      writeFileSync(file, applyTextEdits(readFileSync(file, 'utf8'), edit.edits as TextEdit[]));
    }
    return { applied: true };
  });
  return received;
}

/** Where the key goes in `[@]` on line 4 of the paper. */
const KEY_AT = { line: 3, character: PAPER.split('\n')[3].indexOf('[@') + 2 };

/** Types `typed` into the empty `[@]` (the paper is fresh in each test), as an editor does, then asks. */
async function complete(client: LspTestClient, uri: string, typed: string): Promise<CompletionList> {
  await client.change(uri, { start: KEY_AT, end: KEY_AT }, typed);
  return completeAgain(client, uri, typed);
}

/** Asks again at the end of what was typed (an editor does so while the list is incomplete). */
function completeAgain(client: LspTestClient, uri: string, typed: string): Promise<CompletionList> {
  return client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: KEY_AT.line, character: KEY_AT.character + typed.length } });
}

async function start(folder: string, settings: Record<string, unknown>): Promise<{ client: LspTestClient; uri: string; edits: WorkspaceEdit[] }> {
  const client = new LspTestClient();
  client.settings = settings;
  const edits = actAsEditor(client);
  await client.initialize(folder, { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } });
  const uri = await client.open(path.join(folder, 'paper.md'), 'markdown', PAPER);
  return { client, uri, edits };
}

test('a library entry completes after the document’s own, and accepting it writes it into refs.bib through applyEdit', async () => {
  const { folder, library, cleanup } = project();
  const { client, uri, edits } = await start(folder, { libraries: [library], zotero: { enabled: false } });
  try {
    const list = await complete(client, uri, 'o');
    const keys = list.items.map((item) => item.label);
    assert.ok(keys.indexOf('own2001') >= 0 && keys.indexOf('own2001') < keys.indexOf('porter1990'), keys.join(' '));
    const porter = list.items.find((item) => item.label === 'porter1990')!;
    assert.equal(porter.labelDetails?.description?.endsWith('library.bib'), true);
    assert.equal(porter.command?.command, 'citekeys.copyEntry');
    await client.request('workspace/executeCommand', { command: porter.command!.command, arguments: porter.command!.arguments });
    assert.equal(edits.length, 1);
    const refs = readFileSync(path.join(folder, 'refs.bib'), 'utf8');
    assert.equal(refs, `${REFS}\n${LIBRARY}`);
    // Accepting it again adds nothing.
    await client.request('workspace/executeCommand', { command: porter.command!.command, arguments: porter.command!.arguments });
    assert.equal(readFileSync(path.join(folder, 'refs.bib'), 'utf8'), `${REFS}\n${LIBRARY}`);
  } finally {
    await client.stop();
    cleanup();
  }
});

test('a key only the library has is flagged with the library’s name and a quick fix that copies the entry', async () => {
  const { folder, library, cleanup } = project();
  const { client, uri } = await start(folder, { libraries: [library], zotero: { enabled: false } });
  try {
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'undefined-citation'));
    const diagnostic = published.diagnostics.find((d) => d.code === 'undefined-citation')!;
    assert.match(String(diagnostic.message), /library\.bib has it/);
    const actions = await client.codeActionsFor(uri, diagnostic);
    const copy = actions.find((action) => action.title.startsWith('Copy `porter1990` from library.bib into refs.bib'));
    assert.ok(copy?.edit, actions.map((a) => a.title).join('; '));
  } finally {
    await client.stop();
    cleanup();
  }
});

test('Zotero up: its items complete after the library’s, and accepting one copies Better BibTeX’s export', async () => {
  const { folder, cleanup } = project();
  const zotero = new FakeBetterBibtex();
  const url = await zotero.listen();
  const { client, uri, edits } = await start(folder, { zotero: { url } });
  try {
    await client.nextNotification<{ zotero?: string }>('citekeys/status', (status) => status.zotero === 'connected', 20_000);
    const list = await complete(client, uri, 'zotero');
    const item = list.items.find((i) => i.label === 'smith2020zotero');
    assert.ok(item, `no Zotero item in ${list.items.map((i) => i.label).join(' ')}`);
    assert.match(item.labelDetails?.description ?? '', /Zotero$/);
    await client.request('workspace/executeCommand', { command: item.command!.command, arguments: item.command!.arguments });
    assert.equal(edits.length, 1);
    assert.match(readFileSync(path.join(folder, 'refs.bib'), 'utf8'), /@article\{smith2020zotero,/);
    assert.ok(zotero.calls('item.export') >= 1);
  } finally {
    await client.stop();
    await zotero.close();
    cleanup();
  }
});

test('Zotero slow: completion answers at once without it (isIncomplete), and the next request has its items', async () => {
  const { folder, cleanup } = project();
  const zotero = new FakeBetterBibtex();
  const url = await zotero.listen();
  const { client, uri } = await start(folder, { zotero: { url } });
  try {
    await client.nextNotification<{ zotero?: string }>('citekeys/status', (status) => status.zotero === 'connected', 20_000);
    const release = zotero.hold('item.search');
    const started = performance.now();
    const first = await complete(client, uri, 'reference');
    const elapsed = performance.now() - started;
    assert.equal(first.isIncomplete, true);
    assert.equal(first.items.some((i) => i.label === 'miller2019reference'), false);
    assert.ok(elapsed < 5_000, `completion waited ${elapsed.toFixed(0)} ms for a held Zotero`);
    release();
    // The held answer arrives in the background; the editor asks again as the user types (isIncomplete).
    let next: CompletionList | undefined;
    for (let attempt = 0; attempt < 50 && !next?.items.some((i) => i.label === 'miller2019reference'); attempt++) {
      next = await completeAgain(client, uri, 'reference');
    }
    assert.ok(next?.items.some((i) => i.label === 'miller2019reference'));
  } finally {
    await client.stop();
    await zotero.close();
    cleanup();
  }
});

test('Zotero down: completion still answers from the project, nothing crashes, and the log says why', async () => {
  const { folder, cleanup } = project();
  const zotero = new FakeBetterBibtex();
  const url = await zotero.listen();
  await zotero.close(); // a port nobody listens on
  const { client, uri } = await start(folder, { zotero: { url } });
  try {
    await client.nextNotification<{ message: string }>('window/logMessage', (log) => /Zotero/.test(log.message), 20_000);
    const list = await complete(client, uri, 'own');
    assert.deepEqual(list.items.map((i) => i.label), ['own2001']);
  } finally {
    await client.stop();
    cleanup();
  }
});

