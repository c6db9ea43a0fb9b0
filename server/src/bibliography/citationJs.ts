// The one place that loads citation-js (on first use, never at index time), silences its console output (stdout is
// the LSP channel) and registers user CSL styles under a name derived from the style's content.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded with require() so that it happens lazily */
import { createHash } from 'node:crypto';
import { pandocCapitalizeFirst, pandocTitleCase } from './citeprocCase';

/** What we use of @citation-js/core. */
interface CitationJsCore {
  plugins: {
    input: { chain(data: unknown, options: Record<string, unknown>): unknown };
    output: { format(name: string, data: unknown, options: Record<string, unknown>): unknown };
    config: { get(name: string): { styles: StyleRegister; locales: LocaleRegister } };
  };
  logger: { _log?: unknown[] };
}
interface LocaleRegister {
  get(name: string): string;
  add(name: string, xml: string): void;
}
interface StyleRegister {
  has(name: string): boolean;
  get(name: string): string;
  add(name: string, xml: string): void;
}

let loaded: CitationJsCore | undefined;

/**
 * citation-js with its CSL plugin; the first call costs the load (see format.ts). BibTeX is converted to CSL by
 * pandocCsl.ts, not by citation-js's BibTeX plugin.
 */
export function citationJs(): CitationJsCore {
  if (loaded) return loaded;
  const core = require('@citation-js/core') as CitationJsCore;
  require('@citation-js/plugin-csl');
  // citeproc-js prints warnings with console.log, which would corrupt the language server's stdout.
  const citeproc = require('citeproc') as CiteprocFormatters & { debug?: (message: string) => void };
  citeproc.debug = () => undefined;
  usePandocTextCase(citeproc);
  loaded = core;
  return core;
}

/**
 * citeproc-js's text-case functions in CSL.Output.Formatters, looked up by name when a style asks for a text case.
 * Title case and capitalize-first are replaced by citeproc-hs's rules (citeprocCase.ts), so that a hover title-cases
 * a Chicago title as the paper does: its shorter stop-word list, no capital for a one-letter word or a stop word
 * before a hyphen ("n-type", "in-situ"), "icalp95" left as is by capitalize-first.
 */
interface CiteprocFormatters {
  Output?: { Formatters?: Record<string, (state: unknown, text: string) => string> };
}

const pandocTitle = (_state: unknown, text: string): string => pandocTitleCase(text);
const pandocFirst = (_state: unknown, text: string): string => pandocCapitalizeFirst(text);

function usePandocTextCase(citeproc: CiteprocFormatters): void {
  const formatters = citeproc.Output?.Formatters;
  if (!formatters) return;
  formatters.title = pandocTitle;
  formatters['capitalize-first'] = pandocFirst;
}

/**
 * Whether citeproc-js uses pandoc's text case: the hook reaches into citeproc-js (no documented option does this),
 * so a test asks, and an upgrade of citeproc-js that moves its formatters fails that test instead of changing hovers.
 */
export function pandocTextCaseInstalled(): boolean {
  citationJs();
  const formatters = (require('citeproc') as CiteprocFormatters).Output?.Formatters;
  return formatters?.title === pandocTitle && formatters['capitalize-first'] === pandocFirst;
}

/** citation-js keeps every log line forever; drop them after each call so a long session does not grow. */
export function forgetCitationJsLog(): void {
  const log = loaded?.logger._log;
  if (Array.isArray(log)) log.length = 0;
}

/** Built-in style names citation-js knows without a .csl file. */
export const BUILT_IN_STYLES = ['apa', 'vancouver', 'harvard1'] as const;

/**
 * The citation-js template name for a style (a built-in name, or a user style's `xml`): a name from the content
 * hash, registered on first use in its one-entry form. Returns undefined when a named style is unknown.
 */
export function templateName(style: { name: string; xml?: string }): string | undefined {
  const styles = citationJs().plugins.config.get('@csl').styles;
  const xml = style.xml ?? (styles.has(style.name) ? styles.get(style.name) : undefined);
  if (xml === undefined) return undefined;
  const name = `citekeys-${contentHash(xml)}`;
  if (!styles.has(name)) styles.add(name, oneEntryBibliographyStyle(xml));
  return name;
}

/** What replaces a style's citation layout: citeproc-js needs one, a hover never prints it. */
const UNUSED_CITATION = '<citation><layout><text variable="title"/></layout></citation>';

/**
 * The style as citeproc-js needs it to print a bibliography of one entry, which is all a hover asks: without its
 * citation layout and without the bibliography's sort keys. citeproc-js copies a macro's tokens into every place
 * that calls it, and the current APA style's sort keys and citation layout call deep macro trees: its engine holds
 * about 140,000 tokens (90 MB) and takes 0.8 s to build; without them, 10 MB and 60 ms. A one-entry bibliography
 * prints the same either way (there is nothing to sort, disambiguate or substitute); a test compares them.
 * Anything unexpected leaves the style as it is.
 */
export function oneEntryBibliographyStyle(xml: string): string {
  const withoutComments = xml.replace(/<!--[\s\S]*?-->/g, '');
  const citation = /<citation(?=[\s>/])[^>]*>[\s\S]*?<\/citation\s*>/.exec(withoutComments);
  if (!citation || !/<bibliography(?=[\s>])/.test(withoutComments)) return xml;
  const out = withoutComments.slice(0, citation.index) + UNUSED_CITATION + withoutComments.slice(citation.index + citation[0].length);
  return out.replace(/(<bibliography(?=[\s>])[^>]*>\s*)<sort(?=[\s>])[^>]*>[\s\S]*?<\/sort\s*>/, '$1');
}

/** The CSL XML of a registered template (see templateName): the one-entry bibliography form. */
export function templateXml(template: string): string {
  const xml = citationJs().plugins.config.get('@csl').styles.get(template);
  return typeof xml === 'string' ? xml : '';
}

/** A short, stable hash of some text, for cache keys and style names. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}
