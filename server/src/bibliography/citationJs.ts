// The one place that loads citation-js (on first use, never at index time), silences its console output (stdout is
// the LSP channel) and registers user CSL styles under a name derived from the style's content.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded with require() so that it happens lazily */
import { createHash } from 'node:crypto';

/** What we use of @citation-js/core. */
interface CitationJsCore {
  plugins: {
    input: { chain(data: unknown, options: Record<string, unknown>): unknown };
    output: { format(name: string, data: unknown, options: Record<string, unknown>): unknown };
    config: { get(name: string): { styles: StyleRegister } };
  };
  logger: { _log?: unknown[] };
}
interface StyleRegister {
  has(name: string): boolean;
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
  loaded = core;
  return core;
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

/** A short, stable hash of some text, for cache keys and style names. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}
