// Conversions at the edge: URIs ↔ paths, offsets ↔ positions, findings → LSP diagnostics, edits → WorkspaceEdit.
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Location, type Range, type CreateFile, type TextDocumentEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { SourceText } from '../bibliography/bibliographyFile';
import type { TextRange } from '../syntax/types';
import type { LeveledFinding } from '../features/rules';
import type { FileEdits, FileLocation } from '../features/locations';
import { notebookCellPath, parseNotebookCellPath } from '../workspace/dialects/notebookCell';

/** The scheme of a notebook cell's text document (VS Code's): the notebook's path, and the cell in the fragment. */
const CELL_SCHEME = 'vscode-notebook-cell:';

/**
 * Files are identified by absolute path inside; other schemes (untitled:) keep their URI as the "path". A notebook
 * cell's URI becomes a pseudo path beside the notebook (workspace/dialects/notebookCell.ts).
 */
export function uriToPath(uri: string): string {
  if (uri.startsWith(CELL_SCHEME)) return cellUriToPath(uri);
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

/**
 * A cell URI names the notebook's file by its path, and the cell by its fragment. In a remote window (code-server,
 * VS Code Remote) it also has an authority (`vscode-notebook-cell://127.0.0.1:8080/home/me/nb.ipynb#W1s…`) that the
 * notebook's own `file:` URI does not: it is kept in the cell's id (`//authority#fragment`, a fragment has no `#`) so
 * that answers go back to the same URI, while the notebook is found at its path.
 */
function cellUriToPath(uri: string): string {
  const hash = uri.indexOf('#');
  const fragment = hash < 0 ? '' : uri.slice(hash + 1);
  let location = uri.slice(CELL_SCHEME.length, hash < 0 ? undefined : hash);
  let authority: string | undefined;
  if (location.startsWith('//')) {
    const slash = location.indexOf('/', 2);
    authority = location.slice(2, slash < 0 ? undefined : slash);
    location = slash < 0 ? '/' : location.slice(slash);
  }
  try {
    const notebook = fileURLToPath('file:' + location);
    return notebookCellPath(notebook, authority ? `//${authority}#${fragment}` : fragment);
  } catch {
    return uri;
  }
}

/** The cell URI of a cell's pseudo path (the inverse of cellUriToPath). */
function cellUri(notebookPath: string, cellId: string): string {
  const location = pathToFileURL(notebookPath).href.slice('file://'.length);
  const hash = cellId.indexOf('#');
  if (cellId.startsWith('//') && hash > 0) return CELL_SCHEME + cellId.slice(0, hash) + location + cellId.slice(hash);
  return CELL_SCHEME + '//' + location + '#' + cellId;
}

/** URIs of paths seen lately: a references answer over a vault names the same few thousand files many times. */
const uriCache = new Map<string, string>();
const URI_CACHE_SIZE = 20_000;

export function pathToUri(file: string): string {
  let uri = uriCache.get(file);
  if (uri === undefined) {
    const cell = parseNotebookCellPath(file);
    uri = cell ? cellUri(cell.notebookPath, cell.cellId) : /^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? file : pathToFileURL(file).href;
    if (uriCache.size >= URI_CACHE_SIZE) uriCache.clear();
    uriCache.set(file, uri);
  }
  return uri;
}

export function toRange(file: SourceText, range: TextRange): Range {
  const lines = file.lineIndex();
  return { start: lines.positionAt(range.start), end: lines.positionAt(range.end) };
}

export function toLocation(location: FileLocation): Location {
  return { uri: pathToUri(location.file.path), range: toRange(location.file, location.range) };
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

export function toDiagnostic(finding: LeveledFinding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(finding.file, finding.range),
    severity: SEVERITY[finding.level],
    code: finding.code,
    source: 'citekeys',
    message: finding.message,
    data: { key: finding.key, suggestions: finding.suggestions },
  };
  if (finding.code === 'unused-entry') diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: pathToUri(r.file.path), range: toRange(r.file, r.range) },
      message: r.message,
    }));
  }
  return diagnostic;
}

/** Versioned edits for open documents (an edit against a stale version is refused by the client), plain ones otherwise. */
export function toWorkspaceEdit(changes: FileEdits[]): WorkspaceEdit {
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const change of changes) {
    // A new file is created first; `ignoreIfExists` keeps whatever a file of that name already holds.
    if (change.create) documentChanges.push({ kind: 'create', uri: pathToUri(change.file.path), options: { ignoreIfExists: true } });
    documentChanges.push({
      textDocument: { uri: pathToUri(change.file.path), version: change.version ?? null },
      edits: change.edits.map((edit) => ({ range: toRange(change.file, edit.range), newText: edit.newText })),
    });
  }
  return { documentChanges };
}
