// Writes the extracted entries as one BibTeX file: the @string macros they use first, then the entries, with every
// crossref/xdata parent after the entries that name it (BibTeX only inherits from a parent that comes later).
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import { stringsNeeded, type StringDefinition } from './entryCopy';

/** One entry of the output. */
export interface ExtractedEntry {
  /** The key as its source writes it. */
  key: string;
  definition: EntryDefinition;
  /** The entry's text: as written in its `.bib`, or BibTeX citation-js wrote from CSL data. */
  text: string;
  /** Written by citation-js from a CSL-JSON, CSL-YAML, Hayagriva or front-matter item. */
  converted: boolean;
  /** Taken from a library, not from a citing document's own bibliographies. */
  fromLibrary: boolean;
  /** Cited (or `\nocite{key}`d), in through `\nocite{*}` / `nocite: '@*'`, or a crossref/xdata parent of another. */
  reason: 'cited' | 'all' | 'parent';
  /** Where its macros and parents are looked up after its own file: the bibliographies of the citing document, then the libraries. */
  context: readonly BibliographyFile[];
  /** The entries it names in crossref or xdata. */
  parents: ExtractedEntry[];
}

/**
 * The entries in output order: those no other entry names as a parent keep their order (of first citation); then the
 * parents, each after every parent that names it (one pass per generation; a cycle is broken in discovery order).
 */
export function outputOrder(entries: readonly ExtractedEntry[]): ExtractedEntry[] {
  const referrers = new Map<ExtractedEntry, number>();
  for (const entry of entries) for (const parent of entry.parents) if (parent !== entry) referrers.set(parent, 0);
  const ordered = entries.filter((entry) => !referrers.has(entry));
  // How many parents not yet placed name each parent.
  for (const entry of entries) {
    if (!referrers.has(entry)) continue;
    for (const parent of entry.parents) if (parent !== entry) referrers.set(parent, (referrers.get(parent) ?? 0) + 1);
  }
  let waiting = entries.filter((entry) => referrers.has(entry));
  while (waiting.length) {
    let ready = waiting.filter((entry) => referrers.get(entry) === 0);
    if (!ready.length) ready = [waiting[0]];
    for (const entry of ready) {
      ordered.push(entry);
      for (const parent of entry.parents) if (parent !== entry && referrers.has(parent)) referrers.set(parent, (referrers.get(parent) ?? 1) - 1);
      referrers.set(entry, -1);
    }
    const placed = new Set(ready);
    waiting = waiting.filter((entry) => !placed.has(entry));
  }
  return ordered;
}

/**
 * The entries (in output order) as text: `@string`s first (each once, in order of first need, dependencies first), then the entries separated by blank lines.
 * Should a later entry need a macro that another file defines differently, that definition is written again right
 * before it: BibTeX expands a macro when it reads an entry, so each entry gets its own file's value.
 */
export function writeExtractedText(ordered: readonly ExtractedEntry[]): string {
  const needs = ordered.map((entry) =>
    entry.definition.bibtex
      ? stringsNeeded(entry.definition, [entry.definition.file, ...entry.context], () => false)
      : ([] as StringDefinition[]),
  );
  const current = new Map<string, string>();
  const head: string[] = [];
  for (const list of needs) {
    for (const definition of list) {
      if (current.has(definition.name)) continue;
      current.set(definition.name, definition.text);
      head.push(definition.text);
    }
  }
  const blocks: string[] = head.length ? [head.join('\n')] : [];
  ordered.forEach((entry, i) => {
    const redefined = needs[i].filter((definition) => current.get(definition.name) !== definition.text);
    for (const definition of redefined) current.set(definition.name, definition.text);
    blocks.push(redefined.map((definition) => `${definition.text}\n`).join('') + entry.text);
  });
  return blocks.length ? `${blocks.join('\n\n')}\n` : '';
}
