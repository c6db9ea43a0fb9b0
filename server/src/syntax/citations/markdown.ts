// Pandoc / Quarto / R Markdown citation syntax: the citations Pandoc itself would see (`[@a; @b]`, `@a [p. 1]`,
// `@{key}`, `nocite:`), plus `bibliography:`, `csl:` and `references:` from the YAML metadata.
import type { CitationOccurrence, DocumentSyntax } from '../types';
import { emptyDocumentSyntax, readSafely } from './readSafely';
import { type FrontMatter, YamlBlockReader } from './frontMatter';
import { type MarkdownBlocks, scanMarkdownBlocks } from './markdownBlocks';
import { type InlineCitations, scanInlineCitations } from './markdownInline';
import { NextOccurrence } from './markdownLines';
import { appendAll } from '../../util/appendAll';

export interface MarkdownParseOptions {
  /** `@` references starting with one of these are cross-references (`@fig-plot`, `@sec:intro`), not citations. */
  crossrefPrefixes: string[];
}

export function parseMarkdownDocument(text: string, options: MarkdownParseOptions): DocumentSyntax {
  return readSafely((syntax) => readDocument(text, options, syntax), emptyDocumentSyntax());
}

function readDocument(text: string, options: MarkdownParseOptions, syntax: DocumentSyntax): void {
  const { blocks, metadata, found } = readMarkdownParts(text, syntax, {});

  const isCrossref = (key: string): boolean => options.crossrefPrefixes.some((prefix) => key.startsWith(prefix));
  const citations: CitationOccurrence[] = metadata.nocites.slice();
  for (const { key, range, bracketed, citation } of found.keys) {
    if (isCrossref(key)) continue;
    if (!bracketed && blocks.exampleLabels.has(key)) continue; // `@good` refers to example `(@good)`
    // Without its `]`, `[@a; @b` is no citation group to Pandoc: each key is a citation of its own.
    citations.push(citation && citation.end > 0 ? { key, range, kind: 'citation', citation } : { key, range, kind: 'citation' });
  }
  citations.sort((a, b) => a.range.start - b.range.start);
  syntax.citations = citations;
  syntax.emptyCitations = found.emptyCitations.sort((a, b) => a.start - b.start);
}

/**
 * What the Pandoc and MyST readings share: the blocks, the metadata (its bibliographies, `csl:`, `references:` and
 * problems copied into `syntax`) and the citation candidates of every inline run. `myst` switches the scanners to
 * MyST's blocks and roles.
 */
export function readMarkdownParts(
  text: string, syntax: DocumentSyntax, flavor: { myst?: boolean },
): { blocks: MarkdownBlocks; metadata: FrontMatter; found: InlineCitations } {
  const yaml = new YamlBlockReader(text);
  const blocks = scanMarkdownBlocks(text, (content) => yaml.isMetadata(content), flavor.myst ? { myst: true } : {});
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
    resumeAt = scanInlineCitations(text, Math.max(run.start, resumeAt), run.end, found, search, flavor.myst ? { myst: true } : undefined);
  }
  return { blocks, metadata, found };
}
