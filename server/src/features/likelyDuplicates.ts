// `likely-duplicate`: entries under different keys that are probably the same work (same DOI, or same title and year).
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import { fieldNameOf, fieldOf } from '../syntax/bibtex/fields';
import { bibtexFieldValue } from '../syntax/bibtex/values';
import type { Finding } from './rules';

interface Signature {
  doi?: string;
  title?: string;
  year?: string;
}

/**
 * DOI, title and year of an entry, cheaply: for BibTeX straight from the three field values (no name parsing),
 * which keeps this rule at a fraction of a second on 100,000 entries; CSL items through their decoded view.
 */
function signatureOf(file: BibliographyFile, entry: EntryDefinition): Signature {
  if (!entry.bibtex) {
    const decoded = file.decoded(entry);
    return { doi: decoded.doi, title: decoded.title, year: decoded.year };
  }
  const signature: Signature = {};
  const text = file.text;
  const bibtex = entry.bibtex;
  for (let i = 0; i < bibtex.fieldCount; i++) {
    const name = fieldNameOf(bibtex, i);
    if (name === 'doi' && signature.doi === undefined) signature.doi = bibtexFieldValue(text, fieldOf(bibtex, i), file.strings);
    else if (name === 'title' && signature.title === undefined) {
      // The raw value is enough to compare titles: delimiters, braces and commands fold away below.
      const field = fieldOf(bibtex, i);
      signature.title = text.slice(field.valueStart, field.valueEnd).replace(/\\[a-zA-Z]+\s*|[{}"\\]/g, '');
    } else if ((name === 'year' || name === 'date') && signature.year === undefined) {
      const field = fieldOf(bibtex, i);
      signature.year = /\d{4}/.exec(text.slice(field.valueStart, field.valueEnd))?.[0];
    }
  }
  return signature;
}

function normalizeDoi(doi: string | undefined): string | undefined {
  if (!doi) return undefined;
  const clean = doi.trim().toLowerCase().replace(/^https?:\/\/(dx\.)?doi\.org\//, '').replace(/^doi:\s*/, '');
  return clean || undefined;
}

const NON_ASCII = /[^\x00-\x7f]/;

function normalizeTitle(title: string | undefined): string | undefined {
  if (!title) return undefined;
  const clean = NON_ASCII.test(title)
    ? title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()
    : title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return clean.length >= 8 ? clean : undefined;
}

/** Groups entries (first definition of each key) by DOI and by title+year; a group with two keys is a finding. */
export function likelyDuplicateFindings(files: BibliographyFile[]): Finding[] {
  const byDoi = new Map<string, EntryDefinition[]>();
  const byTitle = new Map<string, EntryDefinition[]>();
  const add = (map: Map<string, EntryDefinition[]>, signature: string, entry: EntryDefinition) => {
    const list = map.get(signature);
    if (!list) map.set(signature, [entry]);
    else if (!list.some((e) => e.key === entry.key)) list.push(entry);
  };
  for (const file of files) {
    for (const entry of file.entries) {
      const signature = signatureOf(file, entry);
      const doi = normalizeDoi(signature.doi);
      if (doi) add(byDoi, doi, entry);
      const title = normalizeTitle(signature.title);
      if (title && signature.year) add(byTitle, `${title}|${signature.year}`, entry);
    }
  }
  const findings: Finding[] = [];
  const reported = new Set<EntryDefinition>();
  const report = (groups: Map<string, EntryDefinition[]>, reason: (e: EntryDefinition) => string) => {
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const [first, ...rest] = group;
      for (const entry of rest) {
        if (reported.has(entry)) continue;
        reported.add(entry);
        findings.push({
          file: entry.file,
          range: entry.keyRange,
          code: 'likely-duplicate',
          key: entry.key,
          message: `\`${entry.key}\` and \`${first.key}\` look like the same work (${reason(entry)}). Merge them, or ignore this if they differ.`,
          related: [{ file: first.file, range: first.keyRange, message: `\`${first.key}\`` }],
        });
      }
    }
  };
  report(byDoi, (e) => `same DOI ${normalizeDoi(signatureOf(e.file, e).doi)}`);
  report(byTitle, (e) => `same title and year ${signatureOf(e.file, e).year}`);
  return findings;
}
