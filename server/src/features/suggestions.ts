// "Did you mean": the keys closest to an undefined one, searched only among keys of similar length and cached per
// parsed bibliography, so a document with many undefined keys stays cheap against 100,000 entries.
import type { BibliographyFile } from '../bibliography/bibliographyFile';
import { boundedEditDistance } from '../util/editDistance';
import { appendAll } from '../util/appendAll';

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

/** The keys an edit took out of and put into a file that was re-parsed from an earlier version. */
function editedKeys(file: BibliographyFile): { removed: string[]; added: string[] } | undefined {
  const { previous, edited } = file;
  if (!previous || !edited) return undefined;
  return {
    removed: previous.entries.slice(edited.from, edited.from + edited.oldCount).map((e) => e.key),
    added: file.entries.slice(edited.from, edited.from + edited.newCount).map((e) => e.key),
  };
}

function addKey(groups: Map<number, { lower: string; key: string }[]>, key: string): void {
  const lower = key.toLowerCase();
  const list = groups.get(lower.length);
  if (list) list.push({ lower, key });
  else groups.set(lower.length, [{ lower, key }]);
}

function groupedKeys(file: BibliographyFile): Map<number, { lower: string; key: string }[]> {
  let groups = keysByLength.get(file);
  if (groups) return groups;
  const before = file.previous && keysByLength.get(file.previous);
  const edit = editedKeys(file);
  groups = new Map();
  if (before && edit) {
    // An edited file: the previous groups less the keys the edit removed, plus those it added.
    const removed = new Map<string, number>();
    for (const key of edit.removed) removed.set(key, (removed.get(key) ?? 0) + 1);
    for (const [length, list] of before) {
      const kept = edit.removed.some((k) => k.length === length) ? list.filter((item) => {
        const left = removed.get(item.key) ?? 0;
        if (left > 0) removed.set(item.key, left - 1);
        return left === 0;
      }) : list.slice();
      groups.set(length, kept);
    }
    for (const key of edit.added) addKey(groups, key);
  } else {
    for (const entry of file.entries) addKey(groups, entry.key);
  }
  keysByLength.set(file, groups);
  return groups;
}

/** An answer for the previous version, updated for the edit; undefined when a removed key was among it. */
function patchedAnswer(file: BibliographyFile, wanted: string, max: number): Candidate[] | undefined {
  const earlier = file.previous && answers.get(file.previous)?.get(wanted);
  const edit = earlier && editedKeys(file);
  if (!earlier || !edit) return undefined;
  const removed = new Set(edit.removed);
  // Keeping fewer than `max` means a dropped candidate may hide a farther one: recompute then.
  if (earlier.some((c) => removed.has(c.key))) return undefined;
  const found = [...earlier];
  closestInList(wanted, edit.added.map((key) => ({ lower: key.toLowerCase(), key })), limitFor(wanted), found);
  return sortCandidates(found).slice(0, max);
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
  const cached = cache.get(wanted) ?? patchedAnswer(file, wanted, max);
  if (cached) {
    cache.set(wanted, cached);
    return cached;
  }
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
  for (const file of files) appendAll(found, closestInFile(file, wanted, max));
  const extra = [...extraKeys].map((k) => ({ lower: k.toLowerCase(), key: k }));
  closestInList(wanted, extra, limitFor(wanted), found);
  return [...new Set(sortCandidates(found).map((c) => c.key))].slice(0, max);
}
