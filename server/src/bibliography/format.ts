// Formats one entry as a bibliography reference in a CSL style (built-in or a user .csl) through citation-js, lazily
// and one entry at a time, with a content-keyed cache and a plain fallback when citation-js cannot do it.
import type { BibtexEntry, BibtexField, CslItemSyntax } from '../syntax/types';
import type { EntryDefinition } from './bibliographyFile';
import { citationJs, contentHash, forgetCitationJsLog, templateName, templateXml } from './citationJs';
import { textOnlyNumberVariables, withLiteralHyphens } from './numberRanges';
import { decodeBibtexEntry, decodeCslItem, displayName, type DecodedEntry } from './entry';
import { escapeMarkdown, referenceHtmlToMarkdown, referenceHtmlToText } from './referenceHtml';
import { bibtexEntrySourceText } from './bibtexSource';
import { pandocCslItem } from './pandocCsl';
import { OTHERS_LITERAL } from './pandocNames';
import { scanBibtex } from '../syntax/bibtex/scanner';

/** A style: `{ name: 'apa' }` for a citation-js built-in, or `{ name, xml }` for a user .csl the caller has read. */
export interface StyleSpec {
  name: string;
  xml?: string;
}

/** CSL-JSON data of one item. */
export type CslData = Record<string, unknown>;

/** One BibTeX entry with what it needs to be read on its own. */
export interface BibtexEntrySource {
  text: string;
  entry: BibtexEntry;
  strings: ReadonlyMap<string, BibtexField>;
}

export type EntrySource = { bibtex: BibtexEntrySource } | { csl: CslItemSyntax };

/** What formatting or converting one definition needs: its BibTeX text with the file's @strings, or its CSL item. */
export function entrySourceOf(definition: EntryDefinition): EntrySource | undefined {
  if (definition.bibtex) return { bibtex: { text: definition.file.text, entry: definition.bibtex, strings: definition.file.strings } };
  if (definition.csl) return { csl: definition.csl };
  return undefined;
}

export interface FormattedReference {
  /** The reference as plain text. */
  text: string;
  /** The reference as Markdown (italics kept), for hovers. */
  markdown: string;
  /** True when citation-js failed and this is the simple `Author (Year). Title. Container.` form. */
  fallback: boolean;
  /** Why citation-js failed, when it did. */
  error?: string;
}

/**
 * What citation-js needs to format one entry, as plain data (it can be posted to a worker): a BibTeX entry's
 * self-contained text and key, or CSL data ready for citeproc.
 */
export type FormatInput = { bibtex: string; key: string } | { csl: CslData };

export function formatInputOf(source: EntrySource): FormatInput {
  if ('csl' in source) return { csl: cslForCiteproc(source.csl) };
  return { bibtex: bibtexEntrySourceText(source.bibtex), key: source.bibtex.entry.key };
}

/**
 * CSL data for one entry: BibTeX converted as pandoc's BibLaTeX reader does (pandocCsl.ts), from the entry's text
 * plus the @strings it uses; CSL as is.
 */
export function toCsl(source: EntrySource): { csl: CslData } | { error: string } {
  return cslOf(formatInputOf(source));
}

function cslOf(input: FormatInput): { csl: CslData } | { error: string } {
  if ('csl' in input) return { csl: input.csl };
  const file = scanBibtex(input.bibtex);
  const entry = file.entries.find((candidate) => candidate.key === input.key) ?? file.entries[0];
  if (!entry) return { error: 'no entry could be read from this BibTeX' };
  const damage = file.problems.find((problem) => problem.range.start >= entry.range.start && problem.range.start < entry.range.end);
  if (damage) return { error: `the entry is malformed: ${damage.message}` };
  return { csl: { ...pandocCslItem(input.bibtex, entry, file.strings), id: input.key } };
}

/**
 * Formats one entry with citation-js: the part of formatting that may run in a worker thread. `{ error }` when the
 * entry could not be converted to CSL (the caller then builds the plain form from the parsed entry).
 */
export function formatInput(input: FormatInput, style: StyleSpec): FormattedReference | { error: string } {
  const converted = cslOf(input);
  if (!('csl' in converted)) return converted;
  return formatReference('bibtex' in input ? withNamesAsGiven(converted.csl) : converted.csl, style);
}

/**
 * Pandoc's reader hands citeproc a BibTeX name's parts as it read them, and citeproc-hs prints them so: a braced
 * family name "{van Leeuwen}" stays "van Leeuwen, Jan" in Chicago. citeproc-js would take its lowercase words for a
 * particle and demote it ("Leeuwen, Jan van") unless the name says `parse-names: false`.
 */
function withNamesAsGiven(csl: CslData): CslData {
  const out: CslData = { ...csl };
  for (const variable of NAME_VARIABLES) {
    const names = csl[variable];
    if (Array.isArray(names)) out[variable] = names.map((name: Record<string, unknown>) => (name.literal === undefined ? { ...name, 'parse-names': false } : name));
  }
  return out;
}

/** The bibliography entry for `csl` in `style`. Never throws: failures give a fallback from the decoded item. */
export function formatReference(csl: CslData, style: StyleSpec): FormattedReference {
  try {
    const template = templateName(style);
    if (!template) throw new Error(`unknown citation style "${style.name}"`);
    const data = withLiteralHyphens(csl, textOnlyNumberVariables(template, templateXml(template)));
    const formatted = citationJs().plugins.output.format('bibliography', [data], { format: 'html', template, lang: 'en-US' });
    if (typeof formatted !== 'string') throw new Error('citation-js returned no text');
    const html = withoutSpaceBeforePunctuation(hasOthers(csl) ? withEtAl(formatted) : formatted);
    const text = referenceHtmlToText(html);
    if (text === '') throw new Error('the style printed nothing for this entry');
    return { text, markdown: referenceHtmlToMarkdown(html), fallback: false };
  } catch (error) {
    const key = typeof csl.id === 'string' || typeof csl.id === 'number' ? String(csl.id) : '';
    return fallbackFor(decodeCslItem({ key, keyRange: { start: 0, end: 0 }, range: { start: 0, end: 0 }, data: csl }), error);
  } finally {
    forgetCitationJsLog();
  }
}

/** The plain form used when citation-js fails: `Author (Year). Title. Container.` */
export function fallbackReference(d: DecodedEntry): string {
  const names = d.authors.length > 0 ? d.authors : d.editors;
  const real = names.filter((n) => !n.others).map(displayName).filter((name) => name !== '');
  let who = real.length <= 1 ? (real[0] ?? '') : `${real.slice(0, -1).join(', ')} & ${real[real.length - 1]}`;
  if (names.some((n) => n.others)) who = real.length > 0 ? `${real.join(', ')} et al.` : '';
  const parts = [`${who ? `${who} ` : ''}(${d.year ?? 'n.d.'})`, d.title, d.container];
  return parts.filter((part) => part && part.trim() !== '').map((part) => (/[.?!]$/.test(part as string) ? part : `${part}.`)).join(' ');
}

/** Where citation-js runs: in this thread, or in a worker so that building a style's engine never blocks requests. */
export interface FormatEngine {
  format(input: FormatInput, style: StyleSpec): Promise<FormattedReference | { error: string }>;
  /** Builds the engine for `style` ahead of need. */
  warmUp(style: StyleSpec): Promise<void>;
}

/** citation-js in the calling thread. */
export const inThreadEngine: FormatEngine = {
  format: async (input, style) => formatInput(input, style),
  warmUp: async (style) => {
    // Through the BibTeX reader too: citation-js sets up its parser on first use.
    formatInput({ bibtex: '@book{citekeys-warm-up, author = {Doe, Jane}, title = {Warm-up}, year = {2000}}', key: 'citekeys-warm-up' }, style);
  },
};

/**
 * Formats entries on demand and remembers the results by entry content and style, so an unchanged entry is
 * formatted once. The cache is bounded (least recently used entries go first).
 */
export class ReferenceFormatter {
  private readonly cache = new Map<string, FormattedReference>();

  constructor(private readonly maxEntries = 2000, public engine: FormatEngine = inThreadEngine) {}

  async format(source: EntrySource, style: StyleSpec): Promise<FormattedReference> {
    const key = `${sourceHash(source)}|${style.xml === undefined ? style.name : contentHash(style.xml)}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const formatted = await this.engine.format(formatInputOf(source), style);
    const result = 'text' in formatted ? formatted : fallbackFor(decode(source), formatted.error);
    this.cache.set(key, result);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    return result;
  }

  /**
   * Builds citation-js's engine for `style` with a throwaway item, so the first real hover is fast (loading
   * citation-js and building an APA engine takes about a second).
   */
  warmUp(style: StyleSpec): Promise<void> {
    return this.engine.warmUp(style);
  }

  get size(): number {
    return this.cache.size;
  }
}

function fallbackFor(decoded: DecodedEntry, error: unknown): FormattedReference {
  const text = fallbackReference(decoded);
  return { text, markdown: escapeMarkdown(text), fallback: true, error: describe(error) };
}

function decode(source: EntrySource): DecodedEntry {
  if ('csl' in source) return decodeCslItem(source.csl);
  return decodeBibtexEntry(source.bibtex.text, source.bibtex.entry, source.bibtex.strings);
}

function sourceHash(source: EntrySource): string {
  if ('csl' in source) return `csl:${contentHash(JSON.stringify(source.csl.data))}`;
  return `bib:${contentHash(bibtexEntrySourceText(source.bibtex))}`;
}

const NAME_VARIABLES = ['author', 'editor', 'translator', 'director', 'container-author'];

/** Whether a name list ends in BibTeX's `and others` (pandocCsl.ts keeps it as the literal name "others"). */
function hasOthers(csl: CslData): boolean {
  return NAME_VARIABLES.some((variable) => {
    const names = csl[variable];
    return Array.isArray(names) && names.some((name) => (name as { literal?: unknown } | null)?.literal === OTHERS_LITERAL);
  });
}

/**
 * citeproc-js prints the "others" name as a name ("Pickles, J., & others"); pandoc's citeproc prints "et al." in
 * its place, which is what `and others` means.
 */
function withEtAl(html: string): string {
  return html.replace(/,?(?: |&#160;)(?:&#38;|&amp;|&|and)(?: |&#160;)others\b/g, ', et al.').replace(/, et al\.\./g, ', et al.');
}

/**
 * Where two rendered pieces meet, citeproc-hs drops a space before a comma or full stop (its `fixPunct`): an empty
 * container after a prefix "In " prints "In, 38–45", where citeproc-js prints "In , 38–45". An ellipsis keeps its space.
 */
function withoutSpaceBeforePunctuation(html: string): string {
  return html.replace(/(\S) ((?:<[^>]*>)*)([,.])(?=\s|<|$)/g, '$1$2$3');
}

/**
 * CSL items from YAML as citeproc wants them: bare dates become date objects, numbers (`volume: 12`) strings,
 * Pandoc `[text]{.nocase}` spans citeproc's `<span class="nocase">`.
 */
function cslForCiteproc(item: CslItemSyntax): CslData {
  const data: CslData = { ...item.data, id: item.key };
  for (const field of ['issued', 'accessed', 'event-date', 'original-date', 'submitted']) {
    const value = data[field];
    if (typeof value === 'number' || typeof value === 'string') data[field] = { raw: String(value) };
  }
  for (const [field, value] of Object.entries(data)) {
    if (typeof value === 'number') data[field] = String(value);
    else if (typeof value === 'string' && value.includes(']{.')) {
      data[field] = value.replace(/\[([^\]]*)\]\{\.nocase\}/g, '<span class="nocase">$1</span>').replace(/\[([^\]]*)\]\{\.[\w-]+\}/g, '$1');
    }
  }
  return data;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}
