// "Did you mean": the keys closest to an undefined one, searched only among keys of similar length and cached per
// parsed bibliography, so a document with many undefined keys stays cheap against 100,000 entries.
import type { BibliographyFile } from '../bibliography/bibliographyFile';
import { EditDistanceFrom } from '../util/editDistance';
import { appendAll } from '../util/appendAll';

interface Candidate {
  key: string;
  distance: number;
}

/** Keys of a length: as written and lower-cased, side by side (two arrays, not an object per key). */
interface KeyGroup {
  keys: string[];
  lower: string[];
}

/** Keys of a file grouped by length. */
const keysByLength = new WeakMap<BibliographyFile, Map<number, KeyGroup>>();
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

function addKey(groups: Map<number, KeyGroup>, key: string): void {
  // A key already in lower case is kept once, not twice.
  const folded = key.toLowerCase();
  const lower = folded === key ? key : folded;
  const group = groups.get(lower.length);
  if (group) {
    group.keys.push(key);
    group.lower.push(lower);
  } else groups.set(lower.length, { keys: [key], lower: [lower] });
}

function groupedKeys(file: BibliographyFile): Map<number, KeyGroup> {
  let groups = keysByLength.get(file) ?? patchedGroups(file);
  if (!groups) {
    groups = new Map();
    for (const entry of file.entries) addKey(groups, entry.key);
  }
  keysByLength.set(file, groups);
  return groups;
}

/** An edited file's groups: the previous version's less the keys the edit removed, plus those it added. */
function patchedGroups(file: BibliographyFile): Map<number, KeyGroup> | undefined {
  const before = file.previous && keysByLength.get(file.previous);
  const edit = before && editedKeys(file);
  if (!before || !edit) return undefined;
  const groups = new Map<number, KeyGroup>();
  const removed = new Map<string, number>();
  for (const key of edit.removed) removed.set(key, (removed.get(key) ?? 0) + 1);
  for (const [length, group] of before) {
    if (!edit.removed.some((k) => k.toLowerCase().length === length)) {
      groups.set(length, { keys: group.keys.slice(), lower: group.lower.slice() });
      continue;
    }
    const kept: KeyGroup = { keys: [], lower: [] };
    group.keys.forEach((key, i) => {
      const left = removed.get(key) ?? 0;
      if (left > 0) removed.set(key, left - 1);
      else {
        kept.keys.push(key);
        kept.lower.push(group.lower[i]);
      }
    });
    groups.set(length, kept);
  }
  for (const key of edit.added) addKey(groups, key);
  return groups;
}

/** Keys grouped per step of `prepareKeySuggestions`. */
const KEYS_PER_STEP = 10_000;

/**
 * Groups a file's keys for did-you-mean ahead of need (25–50 ms at 100,000 keys in one piece), so that the first
 * undefined key the user types does not wait for it: for work done between requests, awaiting `pause` between steps
 * of 10,000 keys. A request that needs the groups meanwhile makes them itself; these are then dropped.
 */
export async function prepareKeySuggestions(file: BibliographyFile, pause: () => Promise<void>): Promise<void> {
  if (keysByLength.has(file)) return;
  const patched = patchedGroups(file); // no pass over every key
  if (patched) {
    keysByLength.set(file, patched);
    return;
  }
  const groups = new Map<number, KeyGroup>();
  const { entries } = file;
  for (let from = 0; from < entries.length; from += KEYS_PER_STEP) {
    if (from > 0) await pause();
    if (keysByLength.has(file)) return;
    const to = Math.min(entries.length, from + KEYS_PER_STEP);
    for (let i = from; i < to; i++) addKey(groups, entries[i].key);
  }
  if (!keysByLength.has(file)) keysByLength.set(file, groups);
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
  closestInList(new EditDistanceFrom(wanted), { keys: edit.added, lower: edit.added.map((key) => key.toLowerCase()) }, limitFor(wanted), found);
  return sortCandidates(found).slice(0, max);
}

function closestInList(wanted: EditDistanceFrom, group: KeyGroup, limit: number, out: Candidate[]): void {
  const { keys, lower } = group;
  for (let i = 0; i < keys.length; i++) {
    const distance = wanted.bounded(lower[i], limit);
    if (distance <= limit) out.push({ key: keys[i], distance });
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
  const from = new EditDistanceFrom(wanted);
  for (let length = wanted.length - limit; length <= wanted.length + limit; length++) {
    const group = groups.get(length);
    if (group) closestInList(from, group, limit, found);
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
  const extra = [...extraKeys];
  closestInList(new EditDistanceFrom(wanted), { keys: extra, lower: extra.map((k) => k.toLowerCase()) }, limitFor(wanted), found);
  return [...new Set(sortCandidates(found).map((c) => c.key))].slice(0, max);
}
