// "Did you mean": the keys closest to an undefined one, searched only among keys of similar length and cached per
// parsed bibliography, so a document with many undefined keys stays cheap against 100,000 entries.
import type { BibliographyFile } from '../bibliography/bibliographyFile';
import { boundedEditDistance } from '../util/editDistance';

interface Candidate {
  key: string;
  distance: number;
}

/** Keys of a file, lower-cased, grouped by length. */
const keysByLength = new WeakMap<BibliographyFile, Map<number, { lower: string; key: string }[]>>();
/** Closest keys of a file per (lower-cased) wanted key. */
const answers = new WeakMap<BibliographyFile, Map<string, Candidate[]>>();

/** How far a suggestion may be: a third of the key's length, between 1 and 4 edits. */
function limitFor(wanted: string): number {
  return Math.max(1, Math.min(4, Math.floor(wanted.length / 3)));
}

function groupedKeys(file: BibliographyFile): Map<number, { lower: string; key: string }[]> {
  let groups = keysByLength.get(file);
  if (!groups) {
    groups = new Map();
    for (const entry of file.entries) {
      const lower = entry.key.toLowerCase();
      const list = groups.get(lower.length);
      if (list) list.push({ lower, key: entry.key });
      else groups.set(lower.length, [{ lower, key: entry.key }]);
    }
    keysByLength.set(file, groups);
  }
  return groups;
}

function closestInList(wanted: string, list: Iterable<{ lower: string; key: string }>, limit: number, out: Candidate[]): void {
  for (const { lower, key } of list) {
    const distance = lower === wanted ? 0 : boundedEditDistance(wanted, lower, limit);
    if (distance <= limit) out.push({ key, distance });
  }
}

function closestInFile(file: BibliographyFile, wanted: string, max: number): Candidate[] {
  let cache = answers.get(file);
  if (!cache) answers.set(file, (cache = new Map()));
  const cached = cache.get(wanted);
  if (cached) return cached;
  const limit = limitFor(wanted);
  const found: Candidate[] = [];
  const groups = groupedKeys(file);
  for (let length = wanted.length - limit; length <= wanted.length + limit; length++) {
    const list = groups.get(length);
    if (list) closestInList(wanted, list, limit, found);
  }
  const best = sortCandidates(found).slice(0, max);
  cache.set(wanted, best);
  return best;
}

function sortCandidates(candidates: Candidate[]): Candidate[] {
  return candidates.sort((x, y) => x.distance - y.distance || x.key.localeCompare(y.key));
}

/** Up to `max` keys closest to `key` (case-insensitive) in the files and the extra keys (`\bibitem`s), nearest first. */
export function suggestKeys(key: string, files: BibliographyFile[], extraKeys: Iterable<string>, max = 3): string[] {
  const wanted = key.toLowerCase();
  const found: Candidate[] = [];
  for (const file of files) found.push(...closestInFile(file, wanted, max));
  const extra = [...extraKeys].map((k) => ({ lower: k.toLowerCase(), key: k }));
  closestInList(wanted, extra, limitFor(wanted), found);
  return [...new Set(sortCandidates(found).map((c) => c.key))].slice(0, max);
}
