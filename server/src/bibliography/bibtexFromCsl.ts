// A CSL item (from CSL-JSON, CSL-YAML, Hayagriva or Pandoc `references:`) written as one BibTeX entry by
// citation-js's BibTeX plugin, under the item's own key. Used where a BibTeX file must hold an entry from CSL data.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded with require() so that it happens lazily */
import type { CslItemSyntax } from '../syntax/types';
import { citationJs, forgetCitationJsLog } from './citationJs';
import { toCsl } from './format';

let bibtexPluginLoaded = false;

/** A BibTeX key cannot hold white space, a comma or a brace (BibTeX ends the key there). */
const NOT_IN_BIBTEX_KEY = /[\s,{}]/;

/**
 * The entry as BibTeX text (`@type{key,\n\tfield = {value},\n}`, no trailing line break), or why it cannot be written.
 * Field values follow citation-js (classic BibTeX fields, non-ASCII as TeX accents); the key is always the item's.
 */
export function bibtexFromCsl(item: CslItemSyntax): { text: string } | { error: string } {
  if (NOT_IN_BIBTEX_KEY.test(item.key) || item.key === '') return { error: `\`${item.key}\` cannot be a BibTeX key` };
  const converted = toCsl({ csl: item });
  if ('error' in converted) return converted;
  const core = citationJs();
  if (!bibtexPluginLoaded) {
    require('@citation-js/plugin-bibtex');
    bibtexPluginLoaded = true;
  }
  // citation-js makes up a label when an id has characters it finds unsafe (`:`, `/`); a placeholder id is always
  // kept, and is then replaced by the real key.
  const placeholder = 'citekeysextractplaceholder';
  let written: unknown;
  try {
    written = core.plugins.output.format('bibtex', [{ ...withDateParts(converted.csl), id: placeholder, 'citation-key': placeholder }], {});
  } catch (error) {
    return { error: `citation-js could not convert it: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    forgetCitationJsLog();
  }
  if (typeof written !== 'string') return { error: 'citation-js returned no BibTeX' };
  const at = written.indexOf(`{${placeholder},`);
  if (!written.startsWith('@') || at < 0) return { error: 'citation-js returned no BibTeX entry' };
  return { text: `${written.slice(0, at + 1)}${item.key}${written.slice(at + 1 + placeholder.length)}`.trimEnd() };
}

const DATE_FIELDS = ['issued', 'accessed', 'event-date', 'original-date', 'submitted'];

/** `{ raw: '2020-03-04' }` (a YAML date) as date parts: citation-js's BibTeX output reads only `date-parts`. */
function withDateParts(csl: Record<string, unknown>): Record<string, unknown> {
  const data = { ...csl };
  for (const field of DATE_FIELDS) {
    const value = data[field] as { raw?: unknown; 'date-parts'?: unknown } | undefined;
    if (!value || typeof value !== 'object' || value['date-parts'] !== undefined || typeof value.raw !== 'string') continue;
    const match = /^\s*(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$/.exec(value.raw);
    if (match) data[field] = { 'date-parts': [match.slice(1).filter((part) => part !== undefined).map(Number)] };
  }
  return data;
}
