// An entry written for another bibliography format: BibTeX as CSL (as pandoc reads it, pandocCsl.ts) for CSL-JSON and
// CSL-YAML files, CSL as BibTeX (citation-js's BibTeX output) for `.bib` files. Used when an entry is copied.
/* eslint-disable @typescript-eslint/no-require-imports -- citation-js's BibTeX plugin is loaded only when needed */
import { stringify as yamlStringify } from 'yaml';
import type { BibliographyFormat, EntryDefinition } from './bibliographyFile';
import { citationJs } from './citationJs';
import { toCsl, type CslData, type EntrySource } from './format';

function entrySource(entry: EntryDefinition): EntrySource | undefined {
  if (entry.bibtex) return { bibtex: { text: entry.file.text, entry: entry.bibtex, strings: entry.file.strings } };
  if (entry.csl) return { csl: entry.csl };
  return undefined;
}

/** The entry as CSL-JSON data with its key as `id`, or why it cannot be converted. */
export function entryAsCsl(entry: EntryDefinition): { csl: CslData } | { error: string } {
  const source = entrySource(entry);
  if (!source) return { error: 'the entry has no readable source' };
  const converted = toCsl(source);
  return 'csl' in converted ? { csl: { ...converted.csl, id: entry.key } } : converted;
}

let bibtexPluginLoaded = false;

/** CSL data as one BibTeX entry whose key is the item's id. */
export function cslAsBibtex(csl: CslData): string {
  const core = citationJs();
  if (!bibtexPluginLoaded) {
    require('@citation-js/plugin-bibtex');
    bibtexPluginLoaded = true;
  }
  const item = { ...csl, 'citation-key': String(csl.id) };
  return String(core.plugins.output.format('bibtex', [item], {})).trim().replace(/\t/g, '  ');
}

/**
 * The entry's text for a file of `format`, converted when the formats differ; `csl-json` as a JSON object, `csl-yaml`
 * as a `- id:` list item. Hayagriva is not written.
 */
export function entryTextFor(entry: EntryDefinition, format: BibliographyFormat): { text: string } | { error: string } {
  if (format === 'hayagriva' || format === 'inline') return { error: `citekeys does not write entries into ${format === 'hayagriva' ? 'Hayagriva' : 'front matter'} files` };
  if (format === 'bibtex' && entry.file.format === 'bibtex') return { text: entry.file.source(entry) };
  const converted = entryAsCsl(entry);
  if ('error' in converted) return converted;
  if (format === 'bibtex') return { text: cslAsBibtex(converted.csl) };
  if (format === 'csl-json') return { text: JSON.stringify(converted.csl, null, 2) };
  return { text: yamlStringify([converted.csl]).trimEnd() };
}
