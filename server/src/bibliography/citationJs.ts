// The one place that loads citation-js (on first use, never at index time), silences its console output (stdout is
// the LSP channel) and registers user CSL styles under a name derived from the style's content.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded with require() so that it happens lazily */
import { createHash } from 'node:crypto';

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
  const citeproc = require('citeproc') as { debug?: (message: string) => void };
  citeproc.debug = () => undefined;
  useTitleCaseStopWords(core.plugins.config.get('@csl').locales);
  loaded = core;
  return core;
}

/**
 * The words title case leaves in lower case, as pandoc's citeproc (citeproc-hs) has them: its `isStopWord`, the CSL
 * specification's list plus "about" and name particles. citeproc-js's own list is much longer ("between",
 * "during", "under", "within", "et", …), so a Chicago title would read differently from the paper. citeproc-js takes
 * the list from the locale's `<style-options skip-words="…">`, its documented extension; a style's own locale
 * section can still set it.
 */
export const PANDOC_TITLE_CASE_STOP_WORDS = [
  'a', 'an', 'and', 'as', 'at', 'but', 'by', 'down', 'for', 'from', 'in', 'into', 'nor', 'of', 'on', 'onto', 'or',
  'over', 'so', 'the', 'till', 'to', 'up', 'via', 'with', 'yet', 'about', 'van', 'von', 'de', 'd', 'l',
];

function useTitleCaseStopWords(locales: LocaleRegister): void {
  const xml = locales.get('en-US');
  if (typeof xml !== 'string' || xml.includes('skip-words=')) return;
  const words = PANDOC_TITLE_CASE_STOP_WORDS.join(', ');
  const withWords = xml.replace(/<style-options\b/, `<style-options skip-words="${words}"`);
  if (withWords !== xml) locales.add('en-US', withWords);
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
