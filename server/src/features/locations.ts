// What features hand back to the LSP layer: places in files (offsets + the file, so the edge can make positions).
import type { SourceText } from '../bibliography/bibliographyFile';
import type { CitationOccurrence, TextRange } from '../syntax/types';
import type { DocumentFile } from '../workspace/documents';
import type { Workspace } from '../workspace/workspace';

export interface FileLocation {
  file: SourceText;
  range: TextRange;
}

export interface TextEditAt {
  range: TextRange;
  newText: string;
}

/** Edits grouped by file; `version` is the document version the edits were computed against (undefined: on disk). */
export interface FileEdits {
  file: SourceText;
  version?: number;
  edits: TextEditAt[];
  /** The file does not exist yet: the edit creates it (never over an existing one), then inserts the text. */
  create?: boolean;
}

/** The version an edit of `file` is computed against: the open document's, or none for a file on disk. */
export function versionOf(workspace: Workspace, file: { path: string; version: number }): number | undefined {
  return workspace.isOpen(file.path) ? file.version : undefined;
}

/** The citation whose key contains (or ends at) `offset`, found by binary search over the sorted occurrences. */
export function citationAt(doc: DocumentFile, offset: number): CitationOccurrence | undefined {
  const citations = doc.syntax().citations;
  let low = 0;
  let high = citations.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const c = citations[mid];
    if (offset < c.range.start) high = mid - 1;
    else if (offset > c.range.end) low = mid + 1;
    else return c;
  }
  return undefined;
}
