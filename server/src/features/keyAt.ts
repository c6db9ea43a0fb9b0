// What key is under an offset: a citation or `\bibitem` in a document, an inline `references:` id in Markdown front
// matter, or an entry key in a bibliography file. Navigation and rename all start here.
import { BibliographyFile, bibliographyFormatOf, type EntryDefinition } from '../bibliography/bibliographyFile';
import type { BibitemDefinition, CitationOccurrence, TextRange } from '../syntax/types';
import type { DocumentFile } from '../workspace/documents';
import type { Workspace } from '../workspace/workspace';
import { citationAt } from './locations';

export type KeyAtOffset =
  | { kind: 'citation'; key: string; range: TextRange; doc: DocumentFile; citation: CitationOccurrence }
  | { kind: 'bibitem'; key: string; range: TextRange; doc: DocumentFile; bibitem: BibitemDefinition }
  /** An entry key in a bibliography file, or an `id:` in a document's own `references:` (then `doc` is set). */
  | { kind: 'entry'; key: string; range: TextRange; entry: EntryDefinition; doc?: DocumentFile };

export interface KeyAtOptions {
  /** In a bibliography, also answer for offsets anywhere inside an entry, not only on its key. */
  anywhereInEntry?: boolean;
}

const touches = (range: TextRange, offset: number): boolean => range.start <= offset && offset <= range.end;

/** The entry whose key (or, with `anywhereInEntry`, whose whole text) contains `offset`. */
export function entryAt(file: BibliographyFile, offset: number, options: KeyAtOptions = {}): EntryDefinition | undefined {
  for (const entry of file.entries) {
    if (touches(entry.keyRange, offset)) return entry;
  }
  if (options.anywhereInEntry) {
    for (const entry of file.entries) {
      if (entry.range.start <= offset && offset < entry.range.end) return entry;
    }
  }
  return undefined;
}

/** A Markdown document's `references:` front matter as a bibliography, or undefined when it has none. */
export function inlineBibliography(doc: DocumentFile): BibliographyFile | undefined {
  const inline = doc.syntax().inlineReferences;
  if (!inline || inline.items.length === 0) return undefined;
  return BibliographyFile.fromInlineReferences(doc.path, doc.text, inline, doc.version);
}

/** The key under `offset` in the file at `path` (a document or a bibliography), or undefined. */
export async function keyAt(workspace: Workspace, path: string, offset: number, options: KeyAtOptions = {}): Promise<KeyAtOffset | undefined> {
  const doc = await workspace.getDocument(path);
  if (doc) return keyInDocument(doc, offset);
  if (!bibliographyFormatOf(path) && !workspace.isOpen(path)) return undefined;
  const file = await workspace.getBibliography(path);
  const entry = entryAt(file, offset, options);
  return entry && { kind: 'entry', key: entry.key, range: entry.keyRange, entry };
}

function keyInDocument(doc: DocumentFile, offset: number): KeyAtOffset | undefined {
  const citation = citationAt(doc, offset);
  if (citation) return { kind: 'citation', key: citation.key, range: citation.range, doc, citation };
  const bibitem = doc.syntax().bibitems.find((item) => touches(item.range, offset));
  if (bibitem) return { kind: 'bibitem', key: bibitem.key, range: bibitem.range, doc, bibitem };
  const inline = inlineBibliography(doc);
  const entry = inline && entryAt(inline, offset);
  if (entry) return { kind: 'entry', key: entry.key, range: entry.keyRange, entry, doc };
  return undefined;
}
