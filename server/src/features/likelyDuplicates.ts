// `likely-duplicate`: entries under different keys that are probably the same work (same DOI, or same title and year).
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import type { Finding } from './rules';

function normalizeDoi(doi: string | undefined): string | undefined {
  if (!doi) return undefined;
  const clean = doi.trim().toLowerCase().replace(/^https?:\/\/(dx\.)?doi\.org\//, '').replace(/^doi:\s*/, '');
  return clean || undefined;
}

function normalizeTitle(title: string | undefined): string | undefined {
  if (!title) return undefined;
  const clean = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
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
      const decoded = file.decoded(entry);
      const doi = normalizeDoi(decoded.doi);
      if (doi) add(byDoi, doi, entry);
      const title = normalizeTitle(decoded.title);
      if (title && decoded.year) add(byTitle, `${title}|${decoded.year}`, entry);
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
  report(byDoi, (e) => `same DOI ${normalizeDoi(e.file.decoded(e).doi)}`);
  report(byTitle, (e) => `same title and year ${e.file.decoded(e).year}`);
  return findings;
}
