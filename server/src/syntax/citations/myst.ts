// MyST Markdown citation syntax (Jupyter Book, mystmd): the citation roles (`{cite:p}`a, b``, `{footcite}`a``) plus
// all the Pandoc-style citations mystmd also reads (`[@a; @b]`, `@a`), and `bibliography:` front matter.
import { emptyDocumentSyntax, readSafely } from './readSafely';
import type { CitationOccurrence, DocumentSyntax } from '../types';
import { type FrontMatter, YamlBlockReader } from './frontMatter';
import type { MarkdownParseOptions } from './markdown';
import { scanMarkdownBlocks } from './markdownBlocks';
import { type InlineCitations, scanInlineCitations } from './markdownInline';
import { NextOccurrence } from './markdownLines';
import { appendAll } from '../../util/appendAll';

export function parseMystDocument(text: string, options: MarkdownParseOptions): DocumentSyntax {
  return readSafely((syntax) => readDocument(text, options, syntax), emptyDocumentSyntax());
}

function readDocument(text: string, options: MarkdownParseOptions, syntax: DocumentSyntax): void {
  const yaml = new YamlBlockReader(text);
  const blocks = scanMarkdownBlocks(text, (content) => yaml.isMetadata(content), { myst: true });

  // Only the front matter: mystmd reads no metadata blocks further down.
  const metadata: FrontMatter = { bibliographies: [], nocites: [], problems: [] };
  for (const block of blocks.yamlBlocks) yaml.read(block.content, metadata);
  appendAll(syntax.bibliographies, metadata.bibliographies);
  appendAll(syntax.problems, metadata.problems);
  if (metadata.cslStyle !== undefined) syntax.cslStyle = metadata.cslStyle;
  if (metadata.inlineReferences) syntax.inlineReferences = metadata.inlineReferences;

  const found: InlineCitations = { keys: [], emptyCitations: [] };
  const search = new NextOccurrence(text);
  let resumeAt = 0;
  for (const run of blocks.inlineRuns) {
    if (run.end <= resumeAt) continue; // inside an HTML comment that began in an earlier paragraph
    resumeAt = scanInlineCitations(text, Math.max(run.start, resumeAt), run.end, found, search, { myst: true });
  }

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
