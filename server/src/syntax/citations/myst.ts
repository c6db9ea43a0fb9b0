// MyST Markdown citation syntax (Jupyter Book, mystmd): the citation roles (`{cite:p}`a, b``, `{footcite}`a``) plus
// all the Pandoc-style citations mystmd also reads (`[@a; @b]`, `@a`), and `bibliography:` front matter.
import type { CitationOccurrence, DocumentSyntax } from '../types';
import { readMarkdownParts, type MarkdownParseOptions } from './markdown';
import { emptyDocumentSyntax, readSafely } from './readSafely';

export function parseMystDocument(text: string, options: MarkdownParseOptions): DocumentSyntax {
  return readSafely((syntax) => readDocument(text, options, syntax), emptyDocumentSyntax());
}

function readDocument(text: string, options: MarkdownParseOptions, syntax: DocumentSyntax): void {
  // Only the front matter: mystmd reads no metadata blocks further down (the block scanner's MyST mode).
  const { blocks, metadata, found } = readMarkdownParts(text, syntax, { myst: true });

  // `@label` and `[@label]` for a target of the document (`(label)=`, `:label:`) are cross-references to mystmd.
  const isCrossref = (key: string): boolean =>
    options.crossrefPrefixes.some((prefix) => key.startsWith(prefix)) || blocks.targets.has(key.toLowerCase());
  const citations: CitationOccurrence[] = metadata.nocites.slice();
  for (const { key, range, citation } of found.keys) {
    if (isCrossref(key)) continue;
    citations.push(citation && citation.end > 0 ? { key, range, kind: 'citation', citation } : { key, range, kind: 'citation' });
  }
  citations.sort((a, b) => a.range.start - b.range.start);
  syntax.citations = citations;
  syntax.emptyCitations = found.emptyCitations.sort((a, b) => a.start - b.start);
}
