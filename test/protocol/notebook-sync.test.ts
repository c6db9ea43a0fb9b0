// Notebook document sync (LSP 3.17): the markdown cells of an open Jupyter notebook get completion, hover and
// diagnostics, published to the cells' own URIs; the notebook's first raw cell (Quarto front matter) names the bibliography.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CompletionRequest, DidChangeNotebookDocumentNotification, DidOpenNotebookDocumentNotification, HoverRequest,
  NotebookCellKind, type CompletionList, type Hover, type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import { LspTestClient, uriOf, undefinedKeys } from './lspClient';

const client = new LspTestClient();
after(() => client.stop());

const BIB = '@book{doe2020, author={Doe, Jane}, title={Cells and Citations}, year=2020}\n@article{roe2019, author={Roe, Rich}, title={Raw Cells}, year=2019}\n';
const RAW = '---\nbibliography: sources/refs.bib\n---\n';

test('an open notebook\'s markdown cells complete, hover and report undefined keys at their own URIs', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-notebook-'));
  const notebookPath = path.join(folder, 'analysis.ipynb');
  // A decoy beside the notebook: without the raw cell's declaration, discovery would fall back to it.
  writeFileSync(path.join(folder, 'decoy.bib'), '@misc{decoy, title={Decoy}}\n');
  mkdirSync(path.join(folder, 'sources'));
  writeFileSync(path.join(folder, 'sources', 'refs.bib'), BIB);
  writeFileSync(notebookPath, JSON.stringify({
    cells: [
      { cell_type: 'raw', metadata: {}, source: RAW.split(/(?<=\n)/) },
      { cell_type: 'markdown', metadata: {}, source: ['See [@doe2020; @missing].\n'] },
    ],
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  }));

  await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: uriOf(folder), workspaceFolders: [{ uri: uriOf(folder), name: 'nb' }], capabilities: { workspace: { configuration: true } } })
    .then((result) => {
      const sync = (result as InitializeResult).capabilities.notebookDocumentSync as { notebookSelector: { notebook: string; cells: { language: string }[] }[] };
      assert.deepEqual(sync.notebookSelector, [{ notebook: 'jupyter-notebook', cells: [{ language: 'markdown' }] }]);
    });
  await client.connection.sendNotification('initialized', {});

  const notebookUri = uriOf(notebookPath);
  const cellUri = `vscode-notebook-cell:${notebookUri.slice('file:'.length)}#W1sZmlsZQ%3D%3D`;
  const cellText = 'See [@doe2020; @missing].\nAnd [@ro';
  const diagnostics = client.waitForDiagnostics(cellUri, (p) => undefinedKeys(p).length > 0);
  await client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
    notebookDocument: { uri: notebookUri, notebookType: 'jupyter-notebook', version: 1, cells: [{ kind: NotebookCellKind.Markup, document: cellUri }] },
    cellTextDocuments: [{ uri: cellUri, languageId: 'markdown', version: 1, text: cellText }],
  });

  const published = await diagnostics;
  // `[@ro` has no `]` yet: Pandoc reads a bare `@ro`.
  assert.deepEqual(undefinedKeys(published), ['missing', 'ro']);
  const missing = published.diagnostics.find((d) => d.code === 'undefined-citation')!;
  assert.deepEqual(missing.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 23 } });

  const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: cellUri }, position: { line: 1, character: 8 } })) as CompletionList;
  assert.deepEqual(list.items.map((item) => item.label), ['roe2019']);

  const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: cellUri }, position: { line: 0, character: 8 } })) as Hover;
  assert.match(JSON.stringify(hover.contents), /Cells and citations/);

  // An edit in the cell, through the notebook's change notification: `missing` becomes `roe2019`.
  const cleared = client.waitForDiagnostics(cellUri, (p) => !undefinedKeys(p).includes('missing'));
  await client.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
    notebookDocument: { uri: notebookUri, version: 2 },
    change: { cells: { textContent: [{ document: { uri: cellUri, version: 2 }, changes: [{ range: { start: { line: 0, character: 16 }, end: { line: 0, character: 23 } }, text: 'roe2019' }] }] } },
  });
  assert.deepEqual(undefinedKeys(await cleared), ['ro']);
});

test('in a remote window (a cell URI with an authority) the cells still read the raw cell\'s front matter', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-notebook-remote-'));
  const notebookPath = path.join(folder, 'notebook', 'analysis.ipynb');
  mkdirSync(path.dirname(notebookPath));
  writeFileSync(path.join(folder, 'decoy.bib'), '@misc{decoy, title={Decoy}}\n');
  writeFileSync(path.join(folder, 'refs.bib'), BIB);
  writeFileSync(notebookPath, JSON.stringify({
    cells: [{ cell_type: 'raw', metadata: {}, source: ['---\n', 'bibliography: ../refs.bib\n', '---\n'] }, { cell_type: 'markdown', metadata: {}, source: ['See [@doe2020; @decoy].'] }],
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  }));
  const remote = new LspTestClient();
  try {
    await remote.initialize(folder);
    // As code-server sends it: the cell's URI has the window's host, the notebook's `file:` URI has none.
    const cellUri = `vscode-notebook-cell://127.0.0.1:37183${uriOf(notebookPath).slice('file://'.length)}#W1sdnNjb2RlLXJlbW90ZQ%3D%3D`;
    const diagnostics = remote.waitForDiagnostics(cellUri, (p) => undefinedKeys(p).length > 0);
    await remote.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: { uri: uriOf(notebookPath), notebookType: 'jupyter-notebook', version: 0, cells: [{ kind: NotebookCellKind.Markup, document: cellUri }] },
      cellTextDocuments: [{ uri: cellUri, languageId: 'markdown', version: 1, text: 'See [@doe2020; @decoy].' }],
    });
    const published = await diagnostics;
    assert.deepEqual(undefinedKeys(published), ['decoy']);
    assert.match(String(published.diagnostics[0].message), /not in refs\.bib/);
  } finally {
    await remote.stop();
  }
});
