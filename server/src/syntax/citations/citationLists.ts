// How each document language writes the keys of one citation, for the `duplicate-citation` rule and its quick fix:
// which keys have notes of their own, and the text that removes a repeated key together with its separator.
import type { CitationOccurrence, TextRange } from '../types';
import { skipFiller } from './latexArguments';

/** An occurrence with its neighbours in the same citation. */
export interface InCitation {
  previous?: CitationOccurrence;
  occurrence: CitationOccurrence;
  next?: CitationOccurrence;
}

/** How one language writes the keys of one citation. */
export interface CitationListSyntax {
  /** Whether the key has notes of its own (a prefix, locator or suffix; a `\cites` group's `[pre][post]`). */
  ownNotes(text: string, at: InCitation): boolean;
  /** The range that deletes the key with its separator, or undefined when there is no clean cut. */
  removal(text: string, at: InCitation): TextRange | undefined;
}

export const markdownCitationLists: CitationListSyntax = { ownNotes: markdownOwnNotes, removal: markdownRemoval };
export const latexCitationLists: CitationListSyntax = { ownNotes: latexOwnNotes, removal: latexRemoval };

/** The last `char` in `[from, to)`, or -1. */
function lastBetween(text: string, char: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (text[i] === char) return i;
  return -1;
}

/** The first `char` in `[from, to)`, or -1. */
function firstBetween(text: string, char: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text[i] === char) return i;
  return -1;
}

/**
 * Pandoc: the key's part of the citation runs from the `;` (or `[`) before it to the `;` (or `]`) after it; what is
 * there besides `@key` are its prefix, locator and suffix. Text shared with a neighbour (no `;` between) is not its own.
 */
function markdownOwnNotes(text: string, { previous, occurrence, next }: InCitation): boolean {
  const citation = occurrence.citation as TextRange;
  const from = previous ? previous.range.end : citation.start + 1;
  const to = next ? next.range.start : citation.end - 1;
  const before = lastBetween(text, ';', from, occurrence.range.start);
  const after = firstBetween(text, ';', occurrence.range.end, to);
  const prefix = before >= 0 || !previous ? text.slice(before >= 0 ? before + 1 : from, occurrence.range.start) : '';
  const suffix = after >= 0 || !next ? text.slice(occurrence.range.end, after >= 0 ? after : to) : '';
  return prefix.replace(/-?@\{?$/, '').trim() !== '' || suffix.replace(/^\}/, '').trim() !== '';
}

/**
 * Pandoc: from the `;` before the repeat to the `;` after it, or to the `]` when it is last, so its prefix, locator
 * and suffix go with it (`[@a, p. 3; see @a, p. 5]` → `[@a, p. 3]`).
 */
function markdownRemoval(text: string, { previous, occurrence, next }: InCitation): TextRange | undefined {
  if (!previous) return undefined;
  const separator = lastBetween(text, ';', previous.range.end, occurrence.range.start);
  if (separator < 0) return undefined;
  const start = spacesBefore(text, separator, previous.range.end);
  const close = (occurrence.citation as TextRange).end - 1;
  const after = firstBetween(text, ';', occurrence.range.end, next ? next.range.start : close);
  if (after >= 0) return { start, end: spacesBefore(text, after, start) };
  return next ? undefined : { start, end: close };
}

/** Moves `at` back over the spaces and tabs before it, not past `limit`. */
function spacesBefore(text: string, at: number, limit: number): number {
  while (at > limit && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
  return at;
}

/** Offset of the first `,` in `[from, to)` outside `%` comments, or -1. */
function commaBetween(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === ',') return i;
    if (c === '%') {
      while (i < to && text[i] !== '\n') i++;
    }
  }
  return -1;
}

/** The key list an occurrence is in: one group of a `\cites`, or the citation's only list. */
const keyListOf = (o: CitationOccurrence | undefined) => (o?.keyList ?? o?.citation)?.start;

/** LaTeX: notes are per key list, so a key has its own only alone in a `[pre][post]{key}` group of a `\cites`. */
function latexOwnNotes(text: string, { previous, occurrence, next }: InCitation): boolean {
  const list = occurrence.keyList;
  if (!list || keyListOf(previous) === list.start || keyListOf(next) === list.start) return false;
  const at = skipFiller(text, list.start);
  return at >= 0 && text[at] === '[';
}

/**
 * LaTeX: the `,` before the repeat and the key (`{a,b,a}` → `{a,b}`); for the first key of a list, the key and the
 * `,` after it; for a key alone in one group of a `\cites`, the whole group with its notes. A key in braces
 * (`{a}` inside the list) goes with its braces.
 */
function latexRemoval(text: string, { previous, occurrence, next }: InCitation): TextRange | undefined {
  const list = keyListOf(occurrence);
  if (previous && keyListOf(previous) === list) {
    const comma = commaBetween(text, previous.range.end, occurrence.range.start);
    if (comma < 0) return undefined;
    const braced = occurrence.range.start - 1 > comma && text[occurrence.range.start - 1] === '{' && text[occurrence.range.end] === '}';
    return { start: spacesBefore(text, comma, previous.range.end), end: occurrence.range.end + (braced ? 1 : 0) };
  }
  if (next && keyListOf(next) === list) {
    const comma = commaBetween(text, occurrence.range.end, next.range.start);
    if (comma < 0) return undefined;
    const braced = text[occurrence.range.start - 1] === '{' && text[occurrence.range.end] === '}';
    let end = comma + 1;
    while (text[end] === ' ' || text[end] === '\t') end++;
    return { start: occurrence.range.start - (braced ? 1 : 0), end };
  }
  const group = occurrence.keyList;
  return group && text[group.end - 1] === '}' ? { start: group.start, end: group.end } : undefined;
}
