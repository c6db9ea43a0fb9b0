// The language server over stdio, driven by a real JSON-RPC client on the bundled examples (real fixture data).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CompletionRequest, HoverRequest, DefinitionRequest, ReferencesRequest, RenameRequest, PrepareRenameRequest,
  DocumentSymbolRequest, FoldingRangeRequest, DocumentDiagnosticRequest, DidChangeTextDocumentNotification, CompletionResolveRequest,
  WorkspaceSymbolRequest, DidChangeWatchedFilesNotification, FileChangeType, LSPErrorCodes, CancellationTokenSource, ResponseError,
  type CompletionList, type Hover, type Location, type WorkspaceEdit, type DocumentSymbol,
  type TextDocumentEdit, type FullDocumentDiagnosticReport, type CompletionItem, type SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { LspTestClient, undefinedKeys, uriOf } from './lspClient';

let folder: string;
let client: LspTestClient;
let paperUri: string;
let paperText: string;

/** Diagnostic messages may be Markdown in LSP 3.18; these tests read them as text. */
function textOf(message: string | { value: string }): string {
  return typeof message === 'string' ? message : message.value;
}

/** The replacement text of an edit (plain, annotated or snippet). */
function newTextOf(edit: { newText?: string; snippet?: { value: string } }): string {
  return edit.newText ?? edit.snippet?.value ?? '';
}

function positionOf(text: string, needle: string, delta = 0) {
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, `'${needle}' in text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

before(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'citekeys-protocol-'));
  cpSync('examples', folder, { recursive: true });
  client = new LspTestClient();
  await client.initialize(folder);
  paperText = readFileSync(path.join(folder, 'paper.md'), 'utf8');
  paperUri = await client.open(path.join(folder, 'paper.md'), 'markdown', paperText);
});

after(async () => {
  await client?.stop();
});

test('diagnostics flag the undefined key in the Markdown paper with a did-you-mean', async () => {
  const published = await client.waitForDiagnostics(paperUri, (p) => p.diagnostics.length > 0);
  const undefinedKey = published.diagnostics.find((d) => d.code === 'undefined-citation');
  assert.ok(undefinedKey, JSON.stringify(published.diagnostics));
  assert.deepEqual(undefinedKey.range.start, positionOf(paperText, 'gerefi2019'));
  assert.equal(undefinedKey.source, 'citekeys');
  assert.match(textOf(undefinedKey.message), /Undefined citation `gerefi2019`/);
});

test('the cross-file duplicates of the two bibliographies are published on the bib files', async () => {
  const ethics = uriOf(path.join(folder, 'ethics.bib'));
  const published = await client.waitForDiagnostics(ethics, (p) => p.diagnostics.some((d) => d.code === 'duplicate-entry'));
  const keys = published.diagnostics.filter((d) => d.code === 'duplicate-entry').map((d) => textOf(d.message).match(/`([^`]+)`/)?.[1]).sort();
  assert.deepEqual(keys, ['gereffi1994', 'gereffi2005', 'gereffi2005a', 'humphrey2002', 'kaplinsky2010', 'schmitz2000']);
  assert.ok(published.diagnostics[0].relatedInformation?.[0].location.uri.endsWith('geography.bib'));
});

test('completion after [@gere offers Gereffi entries with author–year details and a whole-key edit', async () => {
  const text = paperText.replace('upgrade [@gereffi2005a;', 'upgrade [@gere;');
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: paperUri, version: 2 },
    contentChanges: [{ text }],
  });
  const position = positionOf(text, '@gere;', 5);
  const result = (await client.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri: paperUri },
    position,
    context: { triggerKind: 1 },
  })) as CompletionList;
  const labels = result.items.map((i) => i.label);
  for (const key of ['gereffi1994', 'gereffi2005', 'gereffi2005a', 'gereffi2009']) assert.ok(labels.includes(key), labels.join(' '));
  const item = result.items.find((i) => i.label === 'gereffi2009') as CompletionItem;
  assert.match(item.detail ?? '', /Gereffi.*2009/);
  assert.deepEqual(item.textEdit && 'range' in item.textEdit ? item.textEdit.range : undefined, {
    start: positionOf(text, '@gere;', 1),
    end: positionOf(text, '@gere;', 5),
  });
  const resolved = (await client.connection.sendRequest(CompletionResolveRequest.type, item)) as CompletionItem;
  const docs = typeof resolved.documentation === 'string' ? resolved.documentation : resolved.documentation?.value ?? '';
  assert.match(docs, /Gereffi/);
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: paperUri, version: 3 },
    contentChanges: [{ text: paperText }],
  });
});

test('hover on a key shows the formatted APA reference and where it is defined', async () => {
  const hover = (await client.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri: paperUri },
    position: positionOf(paperText, 'porter1990', 3),
  })) as Hover;
  const markdown = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
  const value = markdown.replace(/\\([\\`*_{}[\]()#+\-.!<>|])/g, '$1'); // as rendered: Markdown escapes removed
  assert.match(value, /Porter, M\. E\. \(1990\)/);
  assert.match(value, /geography\.bib:\d+/);
});

test('go to definition jumps to the entry; find references lists every citation', async () => {
  const definitions = (await client.connection.sendRequest(DefinitionRequest.type, {
    textDocument: { uri: paperUri },
    position: positionOf(paperText, 'storper1997', 2),
  })) as Location[];
  assert.equal(definitions.length, 1);
  assert.ok(definitions[0].uri.endsWith('geography.bib'));
  const bibText = readFileSync(path.join(folder, 'geography.bib'), 'utf8');
  assert.deepEqual(definitions[0].range.start, positionOf(bibText, 'storper1997'));
  const references = (await client.connection.sendRequest(ReferencesRequest.type, {
    textDocument: { uri: paperUri },
    position: positionOf(paperText, 'gereffi2005a', 2),
    context: { includeDeclaration: false },
  })) as Location[];
  assert.equal(references.filter((r) => r.uri === paperUri).length, 2);
});

test('rename from a citation changes the entry and every citation, with versioned edits for open documents', async () => {
  const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, {
    textDocument: { uri: paperUri },
    position: positionOf(paperText, 'storper1997', 2),
  });
  assert.ok(prepared);
  const edit = (await client.connection.sendRequest(RenameRequest.type, {
    textDocument: { uri: paperUri },
    position: positionOf(paperText, 'storper1997', 2),
    newName: 'storper1997regional',
  })) as WorkspaceEdit;
  const changes = (edit.documentChanges ?? []) as TextDocumentEdit[];
  const byFile = new Map(changes.map((c) => [path.basename(c.textDocument.uri), c]));
  assert.equal(byFile.get('paper.md')?.textDocument.version, 3, 'the version after the completion test restored the text');
  assert.deepEqual(byFile.get('paper.md')?.edits.map(newTextOf), ['storper1997regional']);
  assert.deepEqual(byFile.get('geography.bib')?.edits.map(newTextOf), ['storper1997regional']);
  await assert.rejects(
    client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: paperUri },
      position: positionOf(paperText, 'storper1997', 2),
      newName: 'porter1990',
    }),
    /already/,
  );
});

test('a quick fix replaces the misspelt key with the closest one', async () => {
  // Wait for the diagnostics of the restored text (the completion test typed an undefined `gere` meanwhile).
  const published = await client.waitForDiagnostics(paperUri, (p) => undefinedKeys(p).join() === 'gerefi2019');
  const diagnostic = published.diagnostics.find((d) => d.code === 'undefined-citation')!;
  const actions = await client.codeActionsFor(paperUri, diagnostic);
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix, JSON.stringify(actions));
  const [change] = (fix.edit?.documentChanges ?? []) as TextDocumentEdit[];
  assert.deepEqual(change.edits[0].range, diagnostic.range);
  assert.match(newTextOf(change.edits[0]), /^gereffi20\d\d/);
});

test('a .bib file has entry symbols, folding ranges, and workspace symbols search its entries', async () => {
  const geographyUri = uriOf(path.join(folder, 'geography.bib'));
  const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: geographyUri } })) as DocumentSymbol[];
  assert.equal(symbols.length, 58);
  assert.match(symbols[0].name, /^porter1990 — /);
  const folds = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: geographyUri } });
  assert.equal(folds?.length, 58);
  const found = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'rodriguez' })) as SymbolInformation[];
  assert.ok(found.some((s) => s.name.startsWith('rodriguezgaravito2005')), JSON.stringify(found.map((s) => s.name)));
});

test('a client that pulls diagnostics gets them from textDocument/diagnostic', async () => {
  const puller = new LspTestClient();
  try {
    await puller.initialize(folder, { textDocument: { diagnostic: { dynamicRegistration: false } } });
    const texUri = await puller.open(path.join(folder, 'paper.tex'), 'latex');
    const report = (await puller.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: texUri } })) as FullDocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    assert.ok(report.items.some((d) => d.code === 'undefined-citation' && textOf(d.message).includes('barrientos2021')), JSON.stringify(report.items));
  } finally {
    await puller.stop();
  }
});

test('a cancelled pull for diagnostics answers ServerCancelled with retriggerRequest, never an empty report', async () => {
  const puller = new LspTestClient();
  try {
    await puller.initialize(folder, { textDocument: { diagnostic: { dynamicRegistration: false } } });
    const texPath = path.join(folder, 'paper.tex');
    const texText = readFileSync(texPath, 'utf8');
    const texUri = await puller.open(texPath, 'latex', texText);
    // The cancel must reach the server while the pull waits for a pass: two quick edits make that pass wait for the
    // burst to end. Should the pull still finish first, it answers a full report, and the test tries again.
    for (let version = 2; version < 40; version += 2) {
      for (const v of [version, version + 1]) {
        await puller.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: texUri, version: v }, contentChanges: [{ text: texText + ' '.repeat(v % 3) }] });
      }
      const cancellation = new CancellationTokenSource();
      const pull = puller.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: texUri } }, cancellation.token);
      cancellation.cancel();
      const answer = await pull.then((report) => ({ report: report as FullDocumentDiagnosticReport }), (error: unknown) => ({ error }));
      if ('report' in answer) {
        assert.ok(answer.report.items.length > 0, 'a cancelled pull answered an empty report, which clears the squiggles');
        continue;
      }
      assert.ok(answer.error instanceof ResponseError, String(answer.error));
      assert.equal(answer.error.code, LSPErrorCodes.ServerCancelled);
      assert.deepEqual(answer.error.data, { retriggerRequest: true });
      return;
    }
    assert.fail('no pull was ever cancelled');
  } finally {
    await puller.stop();
  }
});

test('Check Workspace clears the squiggles of a closed file that was fixed since it last ran', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'citekeys-check-'));
  const notesPath = path.join(dir, 'notes.md');
  writeFileSync(path.join(dir, 'refs.bib'), '@book{doe2020, title={A}}\n');
  writeFileSync(notesPath, '---\nbibliography: refs.bib\n---\nSee [@doe2021].\n');
  writeFileSync(path.join(dir, 'draft.md'), '---\nbibliography: refs.bib\n---\nSee [@roe2019].\n');
  const checker = new LspTestClient();
  try {
    await checker.initialize(dir);
    const notesUri = uriOf(notesPath);
    const first = await checker.request<{ documents: number; diagnostics: number }>('citekeys/checkWorkspace', {});
    assert.deepEqual(first, { documents: 2, diagnostics: 2 });
    // Diagnostics go out before the answer, on the same stream.
    assert.deepEqual(undefinedKeys(checker.diagnostics.get(notesUri)!), ['doe2021']);
    writeFileSync(notesPath, '---\nbibliography: refs.bib\n---\nSee [@doe2020].\n');
    await checker.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: notesUri, type: FileChangeType.Changed }] });
    const second = await checker.request<{ documents: number; diagnostics: number }>('citekeys/checkWorkspace', {});
    assert.deepEqual(second, { documents: 2, diagnostics: 1 });
    assert.deepEqual(checker.diagnostics.get(notesUri)?.diagnostics, []);
    assert.deepEqual(undefinedKeys(checker.diagnostics.get(uriOf(path.join(dir, 'draft.md')))!), ['roe2019']);
  } finally {
    await checker.stop();
  }
});

test('an unsaved edit to an open .bib takes effect at once: the new key completes and stops being undefined', async () => {
  const thesisPath = path.join(folder, 'thesis.bib');
  const thesisText = readFileSync(thesisPath, 'utf8');
  const thesisUri = await client.open(thesisPath, 'bibtex', thesisText);
  const texText = readFileSync(path.join(folder, 'paper.tex'), 'utf8');
  const texUri = await client.open(path.join(folder, 'paper.tex'), 'latex', texText);
  await client.waitForDiagnostics(texUri, (p) => undefinedKeys(p).includes('barrientos2021'));
  const added = thesisText + '\n@article{barrientos2021,\n  author = {Barrientos, Stephanie},\n  title = {Regulating labour},\n  year = {2021}\n}\n';
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: thesisUri, version: 2 },
    contentChanges: [{ text: added }],
  });
  await client.waitForDiagnostics(texUri, (p) => !undefinedKeys(p).includes('barrientos2021'));
  const list = (await client.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri: texUri },
    position: positionOf(texText, 'barrientos2021', 'barrientos2021'.length),
  })) as CompletionList;
  assert.ok(list.items.some((i) => i.label === 'barrientos2021'), list.items.map((i) => i.label).join(' '));
  assert.equal(readFileSync(thesisPath, 'utf8'), thesisText, 'nothing was written to disk');
});

test('a key both bibliographies define is offered once, naming both files', async () => {
  const text = paperText.replace('upgrade [@gereffi2005a;', 'upgrade [@humphrey2002;');
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: paperUri, version: 10 },
    contentChanges: [{ text }],
  });
  const list = (await client.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri: paperUri },
    position: positionOf(text, '@humphrey2002;', '@humphrey2002'.length),
  })) as CompletionList;
  const offered = list.items.filter((i) => i.label === 'humphrey2002');
  assert.equal(offered.length, 1);
  assert.match(offered[0].detail ?? '', /in geography\.bib, ethics\.bib$/);
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: paperUri, version: 11 },
    contentChanges: [{ text: paperText }],
  });
});
