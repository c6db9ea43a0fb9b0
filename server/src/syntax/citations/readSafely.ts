// The frame every document parser runs in: a fresh DocumentSyntax, and a bug in the reader becomes one problem on the
// document instead of an exception (parsers never throw).
import type { DocumentSyntax } from '../types';

export function emptyDocumentSyntax(): DocumentSyntax {
  return { citations: [], emptyCitations: [], bibliographies: [], bibitems: [], includes: [], problems: [] };
}

/** Runs `read` on `syntax` (fresh, from emptyDocumentSyntax); what it found before a failure is kept. */
export function readSafely<T extends DocumentSyntax>(read: (syntax: T) => void, syntax: T): T {
  try {
    read(syntax);
  } catch (error) {
    // A bug here costs this document's citations, not the server.
    syntax.problems.push({ range: { start: 0, end: 0 }, message: `Could not read this document: ${String(error)}` });
  }
  return syntax;
}
