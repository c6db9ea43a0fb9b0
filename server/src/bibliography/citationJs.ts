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
 * The citation-js template name for a style: a built-in name as is, or for a user style (`xml` given) a name from
 * the content hash, registered on first use. Returns undefined when a named style is unknown.
 */
export function templateName(style: { name: string; xml?: string }): string | undefined {
  const styles = citationJs().plugins.config.get('@csl').styles;
  if (style.xml === undefined) return styles.has(style.name) ? style.name : undefined;
  const name = `citekeys-${contentHash(style.xml)}`;
  if (!styles.has(name)) styles.add(name, style.xml);
  return name;
}

/** The CSL XML of a registered template (see templateName). */
export function templateXml(template: string): string {
  const xml = citationJs().plugins.config.get('@csl').styles.get(template);
  return typeof xml === 'string' ? xml : '';
}

/** A short, stable hash of some text, for cache keys and style names. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}
