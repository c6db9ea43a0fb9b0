// Scanning a large .bib file in slices (so the server can yield between them) and re-scanning one edited window.
// A slice starts at a line-initial `@type{`, where the scanner itself would resynchronise, so slices scan like the whole.
import type { BibtexEntry, BibtexField, BibtexFile, SyntaxProblem } from '../types';
import { moveFields } from './fields';
import { scanBibtexWindow } from './scanner';
import { lowerBound } from '../../util/lowerBound';

/** True when `at` (an `@` at the start of a line) opens an entry or @string/@preamble, not an @comment. */
function startsEntry(text: string, at: number): boolean {
  let p = at + 1;
  while (p < text.length && /[A-Za-z]/.test(text[p])) p++;
  if (p === at + 1 || text.slice(at + 1, p).toLowerCase() === 'comment') return false;
  while (p < text.length && (text[p] === ' ' || text[p] === '\t')) p++;
  return text[p] === '{' || text[p] === '(';
}

/** The next offset at or after `from` where a slice may start (a line-initial entry), or `text.length`. */
export function nextSliceStart(text: string, from: number): number {
  let p = from;
  for (;;) {
    const at = text.indexOf('\n@', p);
    if (at < 0) return text.length;
    if (startsEntry(text, at + 1)) return at + 1;
    p = at + 2;
  }
}

/** Slice boundaries of about `size` characters: [0, b1, b2, ..., text.length]. */
export function sliceBoundaries(text: string, size: number): number[] {
  const bounds = [0];
  while (bounds[bounds.length - 1] < text.length) {
    bounds.push(nextSliceStart(text, bounds[bounds.length - 1] + size));
  }
  return bounds;
}

function moveField(field: BibtexField, delta: number): void {
  field.nameStart += delta;
  field.valueStart += delta;
  field.valueEnd += delta;
}

/** Moves an entry `delta` characters, in place. */
function moveEntry(entry: BibtexEntry, delta: number): void {
  entry.keyRange.start += delta;
  entry.keyRange.end += delta;
  entry.range.start += delta;
  entry.range.end += delta;
  moveFields(entry, delta);
}

function moveProblem(problem: SyntaxProblem, delta: number): void {
  problem.range.start += delta;
  problem.range.end += delta;
}

/** Scans `text[start, end)` (`end` a slice start or the text's end) with offsets into the whole text. */
export function scanBibtexSlice(text: string, start: number, end: number): BibtexFile {
  return scanBibtexWindow(text, start, end);
}

/** Slices scanned one after the other, as one file: later @string definitions win, as in one pass. */
export function mergeBibtexSlices(parts: BibtexFile[]): BibtexFile {
  if (parts.length === 1) return parts[0];
  const merged: BibtexFile = { entries: [], strings: new Map(), problems: [] };
  for (const part of parts) {
    for (const entry of part.entries) merged.entries.push(entry);
    for (const [name, field] of part.strings) merged.strings.set(name, field);
    for (const problem of part.problems) merged.problems.push(problem);
  }
  return merged;
}

const COMPARE_CHUNK = 4096;

/** Length of the common prefix of two strings, and of their common suffix not overlapping it (chunked: 60 MB in ms). */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix + COMPARE_CHUNK <= max && a.slice(prefix, prefix + COMPARE_CHUNK) === b.slice(prefix, prefix + COMPARE_CHUNK)) prefix += COMPARE_CHUNK;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const room = max - prefix;
  while (suffix + COMPARE_CHUNK <= room && a.slice(a.length - suffix - COMPARE_CHUNK, a.length - suffix) === b.slice(b.length - suffix - COMPARE_CHUNK, b.length - suffix)) {
    suffix += COMPARE_CHUNK;
  }
  while (suffix < room && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** The last slice start at or before `limit` whose whole `@type{` lies before `limit`, or 0. */
function sliceStartBefore(text: string, limit: number): number {
  let p = limit;
  while (p > 0) {
    const at = text.lastIndexOf('\n@', p - 1);
    if (at < 0) return 0;
    const open = text.slice(at + 1, Math.min(text.length, at + 64)).search(/[{(]/);
    if (startsEntry(text, at + 1) && open >= 0 && at + 1 + open < limit) return at + 1;
    p = at;
  }
  return 0;
}

const STRING_DEFINITION = /@\s*string\s*[{(]/i;

/**
 * Re-scans only the entries an edit touched: the window between the slice starts around the change. Entries before
 * it are kept as they are; entries, problems and @string values after it are the same objects, moved in place by
 * the edit's length change. `old` therefore describes the new text afterwards and must not be used for the old one.
 * Undefined (and `old` untouched) when the edit touches an `@string` definition (other values depend on it): the
 * caller should scan the whole text.
 */
export interface RescannedBibtex extends BibtexFile {
  /** Entries [from, from + newCount) replace the old [from, from + oldCount); the others are the same entries. */
  edited: { from: number; oldCount: number; newCount: number };
  /** The changed characters: old text [start, oldEnd) became new text [start, newEnd). */
  change: { start: number; oldEnd: number; newEnd: number };
}

export function rescanBibtexEdit(oldText: string, old: BibtexFile, newText: string): RescannedBibtex | undefined {
  const { prefix, suffix } = commonEnds(oldText, newText);
  const change = { start: prefix, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
  if (prefix === oldText.length && prefix === newText.length) return { ...old, edited: { from: 0, oldCount: 0, newCount: 0 }, change };
  const start = sliceStartBefore(oldText, prefix);
  const oldEnd = nextSliceStart(oldText, oldText.length - suffix);
  const delta = newText.length - oldText.length;
  const newEnd = oldEnd + delta;
  if (STRING_DEFINITION.test(oldText.slice(start, oldEnd)) || STRING_DEFINITION.test(newText.slice(start, newEnd))) return undefined;
  const window = scanBibtexSlice(newText, start, newEnd);
  const from = lowerBound(old.entries.length, (i) => old.entries[i].range.start < start);
  const after = lowerBound(old.entries.length, (i) => old.entries[i].range.start < oldEnd);
  const entries = old.entries.slice(0, from);
  for (const entry of window.entries) entries.push(entry);
  for (let i = after; i < old.entries.length; i++) {
    const entry = old.entries[i];
    if (delta) moveEntry(entry, delta);
    entries.push(entry);
  }
  const problems: SyntaxProblem[] = old.problems.filter((p) => p.range.start < start);
  for (const problem of window.problems) problems.push(problem);
  for (const problem of old.problems) {
    if (problem.range.start < oldEnd) continue;
    if (delta) moveProblem(problem, delta);
    problems.push(problem);
  }
  for (const field of old.strings.values()) if (delta && field.valueStart >= oldEnd) moveField(field, delta);
  return { entries, strings: old.strings, problems, edited: { from, oldCount: after - from, newCount: window.entries.length }, change };
}
