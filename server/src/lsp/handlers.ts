// Feature requests: each handler converts positions to offsets, calls one feature module, and converts back.
import {
  CodeActionKind, CompletionItemKind, FoldingRangeKind, MarkupKind, SymbolKind, ResponseError, ErrorCodes, LSPErrorCodes,
  DocumentDiagnosticReportKind, type DiagnosticServerCancellationData, type CancellationToken, type DocumentDiagnosticReport, type CompletionItem, type Position,
} from 'vscode-languageserver/node';
import * as path from 'node:path';
import type { ServerState } from './server';
import { runSafe } from './runSafe';
import { pathToUri, toLocation, toRange, toWorkspaceEdit, uriToPath } from './convert';
import { bibliographyFormatOf } from '../bibliography/bibliographyFile';
import type { SourceText } from '../bibliography/bibliographyFile';
import { libraryPaths, resolveBibliographies } from '../workspace/discovery';
import { COPY_ENTRY_COMMAND, provideCompletion, resolveCompletion, type CopyEntryArguments } from '../features/completion';
import { acceptEntry } from '../features/entryAccept';
import { provideHover } from '../features/hover';
import { provideDefinition } from '../features/definition';
import { provideReferences } from '../features/references';
import { provideDocumentHighlights } from '../features/highlights';
import { prepareRename, provideRename } from '../features/rename';
import { OPEN_LOCATION_COMMAND, provideCodeActions } from '../features/codeActions';
import { bibliographySymbols, workspaceSymbols } from '../features/symbols';
import { bibliographyFoldingRanges } from '../features/folding';
import { checkFiles, checkedFilesOfFolder } from '../features/workspaceCheck';
import { searchEntries } from '../features/entrySearch';
import { provideCitationInsertion, type PickedKey } from '../features/citationInsert';
import { extractCitedEntries, projectDocuments } from '../features/extract';
import { appendAll } from '../util/appendAll';

export function registerFeatureHandlers(state: ServerState): void {
  const { connection, workspace } = state;

  /** The open or on-disk text behind a URI, for offset conversion. */
  const sourceOf = async (uri: string): Promise<SourceText | undefined> => {
    const file = uriToPath(uri);
    if (bibliographyFormatOf(file)) return workspace.getBibliography(file);
    return workspace.getDocument(file);
  };
  const offsetOf = async (uri: string, position: Position) => {
    const source = await sourceOf(uri);
    return source ? { source, offset: source.lineIndex().offsetAt(position) } : undefined;
  };
  const cancelled = (token: CancellationToken) => () => token.isCancellationRequested;

  connection.onCompletion((params, token) =>
    runSafe(connection, 'completion', token, null, async () => {
      const doc = await workspace.getDocument(uriToPath(params.textDocument.uri));
      if (!doc) return null;
      const offset = doc.lineIndex().offsetAt(params.position);
      const result = await provideCompletion(
        workspace, doc, offset,
        { limit: workspace.settings.completionLimit, triggerCharacter: params.context?.triggerCharacter },
        cancelled(token),
      );
      if (!result) return null;
      const items: CompletionItem[] = result.items.map((item) => ({
        label: item.key,
        kind: CompletionItemKind.Reference,
        // A key several of the document's bibliographies define is offered once, naming them all.
        detail: item.sources.length > 1 ? `${item.detail} — in ${item.sources.map((s) => path.basename(s)).join(', ')}` : item.detail,
        labelDetails: { description: item.detail },
        filterText: item.filterText,
        sortText: item.sortText,
        textEdit: state.supportsInsertReplace
          ? {
              insert: toRange(doc, { start: item.replaceRange.start, end: Math.max(item.replaceRange.start, Math.min(offset, item.replaceRange.end)) }),
              replace: toRange(doc, item.replaceRange),
              newText: item.insertText ?? item.key,
            }
          : { range: toRange(doc, item.replaceRange), newText: item.insertText ?? item.key },
        data: item.data,
        ...(item.library ? { labelDetails: { description: `${item.detail} · ${item.library.name}` }, command: item.library.command } : {}),
      }));
      return { isIncomplete: result.isIncomplete, items };
    }),
  );

  // An accepted library entry: copy it into the document's bibliography through the editor (workspace/applyEdit).
  connection.onExecuteCommand((params, token) =>
    runSafe(connection, 'workspace/executeCommand', token, null, async () => {
      if (params.command !== COPY_ENTRY_COMMAND) return null;
      const args = params.arguments?.[0] as CopyEntryArguments | undefined;
      if (!args || typeof args.key !== 'string' || typeof args.from !== 'string' || typeof args.documentPath !== 'string') return null;
      const result = await acceptEntry(workspace, args);
      if ('message' in result) {
        connection.console.info(`citekeys: ${result.message}`);
        if (!result.message.includes('already has')) void connection.window.showInformationMessage(result.message);
        return null;
      }
      const applied = await connection.workspace.applyEdit({ label: `Copy ${args.key} into the bibliography`, edit: toWorkspaceEdit(result.changes) });
      if (!applied.applied) connection.console.warn(`citekeys: the editor did not apply the copy of ${args.key}${applied.failureReason ? `: ${applied.failureReason}` : ''}`);
      return null;
    }),
  );

  connection.onCompletionResolve((item, token) =>
    runSafe(connection, 'completionItem/resolve', token, item, async () => {
      const data = item.data as { key: string; path: string } | undefined;
      if (!data) return item;
      const markdown = await resolveCompletion(workspace, data);
      if (markdown) item.documentation = { kind: MarkupKind.Markdown, value: markdown };
      return item;
    }),
  );

  connection.onHover((params, token) =>
    runSafe(connection, 'hover', token, null, async () => {
      const at = await offsetOf(params.textDocument.uri, params.position);
      if (!at) return null;
      const hover = await provideHover(workspace, at.source.path, at.offset, cancelled(token));
      if (!hover) return null;
      return { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: toRange(at.source, hover.range) };
    }),
  );

  connection.onDefinition((params, token) =>
    runSafe(connection, 'definition', token, [], async () => {
      const at = await offsetOf(params.textDocument.uri, params.position);
      return at ? (await provideDefinition(workspace, at.source.path, at.offset)).map(toLocation) : [];
    }),
  );

  connection.onReferences((params, token) =>
    runSafe(connection, 'references', token, [], async () => {
      const at = await offsetOf(params.textDocument.uri, params.position);
      if (!at) return [];
      const found = await provideReferences(workspace, at.source.path, at.offset, params.context.includeDeclaration, cancelled(token));
      return found.map(toLocation);
    }),
  );

  connection.onDocumentHighlight((params, token) =>
    runSafe(connection, 'documentHighlight', token, [], async () => {
      const at = await offsetOf(params.textDocument.uri, params.position);
      if (!at) return [];
      return (await provideDocumentHighlights(workspace, at.source.path, at.offset)).map((range) => ({ range: toRange(at.source, range) }));
    }),
  );

  connection.onPrepareRename((params, token) =>
    runSafe(connection, 'prepareRename', token, null, async () => {
      const at = await offsetOf(params.textDocument.uri, params.position);
      if (!at) return null;
      const result = await prepareRename(workspace, at.source.path, at.offset);
      if (!result) return null;
      if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
      return { range: toRange(at.source, result.range), placeholder: result.placeholder };
    }),
  );

  connection.onRenameRequest((params, token) =>
    runSafe(connection, 'rename', token, null, async () => {
      const at = await offsetOf(params.textDocument.uri, params.position);
      if (!at) return null;
      const result = await provideRename(workspace, at.source.path, at.offset, params.newName, cancelled(token));
      if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
      return toWorkspaceEdit(result.changes);
    }),
  );

  connection.onCodeAction((params, token) =>
    runSafe(connection, 'codeAction', token, [], async () => {
      const source = await sourceOf(params.textDocument.uri);
      if (!source) return [];
      const lines = source.lineIndex();
      const toOffsets = (r: { start: Position; end: Position }) => ({ start: lines.offsetAt(r.start), end: lines.offsetAt(r.end) });
      const findings = params.context.diagnostics
        .filter((d) => d.source === 'citekeys')
        .map((d) => {
          const data = (d.data ?? {}) as { key?: string; suggestions?: string[] };
          return { code: String(d.code), range: toOffsets(d.range), key: data.key, suggestions: data.suggestions, diagnostic: d };
        });
      const actions = await provideCodeActions(workspace, source.path, toOffsets(params.range), findings);
      for (const action of actions) {
        if (action.command?.command !== OPEN_LOCATION_COMMAND) continue;
        // Offsets mean nothing to an editor: send the location as a URI and an LSP range.
        action.command.arguments = await Promise.all(
          action.command.arguments.map(async (arg) => {
            const { path: target, range } = arg as { path: string; range: { start: number; end: number } };
            const file = await sourceOf(pathToUri(target));
            return file ? { uri: pathToUri(target), range: toRange(file, range) } : arg;
          }),
        );
      }
      return actions.map((action) => ({
        title: action.title,
        kind: action.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.Refactor,
        isPreferred: action.isPreferred,
        diagnostics: findings.filter((f) => f.code === action.diagnosticCode).map((f) => f.diagnostic),
        edit: action.changes ? toWorkspaceEdit(action.changes) : undefined,
        command: action.command,
      }));
    }),
  );

  connection.onDocumentSymbol((params, token) =>
    runSafe(connection, 'documentSymbol', token, [], async () => {
      const file = uriToPath(params.textDocument.uri);
      if (!bibliographyFormatOf(file)) return [];
      const bib = await workspace.getBibliography(file);
      return bibliographySymbols(bib).map((symbol) => ({
        name: symbol.name,
        detail: symbol.detail,
        kind: SymbolKind.Field,
        range: toRange(bib, symbol.range),
        selectionRange: toRange(bib, symbol.selectionRange),
      }));
    }),
  );

  connection.onWorkspaceSymbol((params, token) =>
    runSafe(connection, 'workspaceSymbol', token, [], async () => {
      const symbols = await workspaceSymbols(workspace, params.query, 200, cancelled(token));
      return symbols.map((symbol) => ({
        name: symbol.name,
        kind: SymbolKind.Field,
        containerName: path.basename(symbol.file.path),
        location: { uri: pathToUri(symbol.file.path), range: toRange(symbol.file, symbol.selectionRange) },
      }));
    }),
  );

  connection.onFoldingRanges((params, token) =>
    runSafe(connection, 'foldingRange', token, [], async () => {
      const file = uriToPath(params.textDocument.uri);
      if (!bibliographyFormatOf(file)) return [];
      const bib = await workspace.getBibliography(file);
      const lines = bib.lineIndex();
      return bibliographyFoldingRanges(bib)
        .map((range) => ({ startLine: lines.positionAt(range.start).line, endLine: lines.positionAt(range.end).line, kind: FoldingRangeKind.Region }))
        .filter((r) => r.endLine > r.startLine);
    }),
  );

  connection.languages.diagnostics.on(async (params, token) => {
    const empty: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const report = await runSafe<DocumentDiagnosticReport>(connection, 'textDocument/diagnostic', token, empty, async () => ({
      kind: DocumentDiagnosticReportKind.Full,
      items: await state.diagnostics.diagnosticsFor(uriToPath(params.textDocument.uri)),
    }));
    // Cancelled: "ask again", as LSP has it. An empty report would clear the document's squiggles until the next pull.
    if (report instanceof ResponseError) {
      return new ResponseError<DiagnosticServerCancellationData>(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
    }
    return report;
  });

  // --- citekeys' own requests, used by the VS Code client's commands ---------------------------------

  connection.onRequest('citekeys/searchEntries', (params: { query: string; uri?: string; limit?: number }, token) =>
    runSafe(connection, 'citekeys/searchEntries', token, { items: [], isIncomplete: false }, () =>
      searchEntries(workspace, params.query ?? '', params.uri ? uriToPath(params.uri) : undefined, params.limit ?? 50, cancelled(token)),
    ),
  );

  // Insert Citation: the citation at the cursor and the copies of the entries the bibliography lacks, as one edit the
  // client applies; `message` says what was not copied.
  connection.onRequest('citekeys/insertCitation', (params: { uri: string; position: Position; keys: PickedKey[] }, token) =>
    runSafe(connection, 'citekeys/insertCitation', token, null, async () => {
      const at = await offsetOf(params.uri, params.position);
      if (!at || !Array.isArray(params.keys)) return null;
      const keys = params.keys.filter((picked) => typeof picked?.key === 'string' && picked.key !== '' && (picked.from === undefined || typeof picked.from === 'string'));
      const result = await provideCitationInsertion(workspace, at.source.path, at.offset, keys);
      return result ? { edit: toWorkspaceEdit(result.changes), ...(result.message ? { message: result.message } : {}) } : null;
    }),
  );

  connection.onRequest('citekeys/documentBibliographies', (params: { uri: string }, token) =>
    runSafe(connection, 'citekeys/documentBibliographies', token, { files: [] as string[] }, async () => {
      const doc = await workspace.getDocument(uriToPath(params.uri));
      if (!doc) return { files: [] };
      const resolved = await resolveBibliographies(workspace, doc);
      return { files: resolved.files.filter((f) => f.format !== 'inline').map((f) => pathToUri(f.path)) };
    }),
  );

  connection.onRequest('citekeys/checkWorkspace', (_params: unknown, token) =>
    runSafe(connection, 'citekeys/checkWorkspace', token, { documents: 0, diagnostics: 0 }, async () => {
      const documents: string[] = [];
      const bibliographies: string[] = [];
      for (const folder of workspace.folders) {
        const files = await checkedFilesOfFolder(workspace, folder);
        appendAll(documents, files.documents);
        appendAll(bibliographies, files.bibliographies);
      }
      const result = await checkFiles(workspace, { documents, bibliographies, extraBibliographies: [] }, { isCancelled: cancelled(token) });
      // A cancelled check is incomplete: showing it would clear the files it did not reach.
      if (!token.isCancellationRequested) state.diagnostics.showWorkspaceCheck(result.findings);
      return { documents: result.documents, diagnostics: result.findings.length };
    }),
  );

  // The same extraction as `citekeys extract`; the text goes back to the client, which opens it unsaved.
  connection.onRequest('citekeys/extractBibliography', (params: { uri?: string } | null, token) =>
    runSafe(connection, 'citekeys/extractBibliography', token, { text: '', entries: 0, documents: 0, missing: [] as unknown[] }, async () => {
      const documents = await projectDocuments(workspace, params?.uri ? uriToPath(params.uri) : undefined);
      // The user's libraries (`citekeys.libraries`) fill in what the documents' bibliographies lack, as `--library` does.
      const libraries = await Promise.all(libraryPaths(workspace).map((file) => workspace.getBibliography(file)));
      const result = await extractCitedEntries(workspace, { documents, libraries }, { isCancelled: cancelled(token) });
      return {
        text: result.text,
        entries: result.entries.length,
        documents: result.documents,
        missing: result.problems.map((problem) => ({
          key: problem.key, message: problem.message, uri: pathToUri(problem.file.path), range: toRange(problem.file, problem.range),
        })),
      };
    }),
  );
}
