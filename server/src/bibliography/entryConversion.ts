// An entry written for another bibliography format: BibTeX as CSL (as pandoc reads it, pandocCsl.ts) for CSL-JSON and
// CSL-YAML files, CSL as BibTeX (citation-js's BibTeX output, bibtexFromCsl.ts) for `.bib` files. Used when copying.
import { stringify as yamlStringify } from 'yaml';
import type { BibliographyFormat, EntryDefinition } from './bibliographyFile';
import { bibtexFromCsl } from './bibtexFromCsl';
import { entrySourceOf, toCsl, type CslData } from './format';

/** The entry as CSL-JSON data with its key as `id`, or why it cannot be converted. */
export function entryAsCsl(entry: EntryDefinition): { csl: CslData } | { error: string } {
  const source = entrySourceOf(entry);
  if (!source) return { error: 'the entry has no readable source' };
  const converted = toCsl(source);
  return 'csl' in converted ? { csl: { ...converted.csl, id: entry.key } } : converted;
}

/**
 * The entry's text for a file of `format`, converted when the formats differ; `csl-json` as a JSON object, `csl-yaml`
 * as a `- id:` list item. Hayagriva is not written.
 */
export function entryTextFor(entry: EntryDefinition, format: BibliographyFormat): { text: string } | { error: string } {
  if (format === 'hayagriva' || format === 'inline') return { error: `citekeys does not write entries into ${format === 'hayagriva' ? 'Hayagriva' : 'front matter'} files` };
  if (format === 'bibtex') {
    if (entry.csl) return bibtexFromCsl(entry.csl);
    return entry.file.format === 'bibtex' ? { text: entry.file.source(entry) } : { error: 'the entry has no readable source' };
  }
  const converted = entryAsCsl(entry);
  if ('error' in converted) return converted;
  if (format === 'csl-json') return { text: JSON.stringify(converted.csl, null, 2) };
  return { text: yamlStringify([converted.csl]).trimEnd() };
}
