// Keys cited twice in one citation (`[@a; @b; @a]`, `\cite{a,b,a}`, `\cites{a}{a}`), and the text that removes a
// repeat together with its separator, for the `duplicate-citation` rule and its quick fix.
import type { CitationOccurrence, TextRange } from '../syntax/types';
import type { DocumentLanguage } from '../workspace/documents';
import { skipFiller } from '../syntax/citations/latexArguments';

export interface RepeatedCitation {
  /** The second or a later occurrence of the key in its citation. */
  repeat: CitationOccurrence;
  /** The first occurrence of the key in that citation. */
  first: CitationOccurrence;
}

/** An occurrence with its neighbours in the same citation. */
interface InCitation {
  previous?: CitationOccurrence;
  occurrence: CitationOccurrence;
  next?: CitationOccurrence;
}

/** How each language writes the keys of one citation. */
interface CitationListSyntax {
  /** Whether the key has notes of its own (a prefix, locator or suffix; a `\cites` group's `[pre][post]`). */
  ownNotes(text: string, at: InCitation): boolean;
  /** The range that deletes the key with its separator, or undefined when there is no clean cut. */
  removal(text: string, at: InCitation): TextRange | undefined;
}

const LIST_SYNTAX: Record<DocumentLanguage, CitationListSyntax> = {
  markdown: { ownNotes: markdownOwnNotes, removal: markdownRemoval },
  latex: { ownNotes: latexOwnNotes, removal: latexRemoval },
};

/**
 * Every repeat of a key within one citation. The same key in two citations is fine, and so are `\nocite` lists
 * and `nocite:` (they print nothing). A repeat that points somewhere else is fine too: when both it and the first
 * occurrence have notes of their own (`[@a, p. 3; @a, p. 50]`, `\cites[p. 3]{a}[p. 50]{a}`).
 */
export function repeatedCitations(text: string, language: DocumentLanguage, citations: readonly CitationOccurrence[]): RepeatedCitation[] {
  const syntax = LIST_SYNTAX[language];
  const repeats: RepeatedCitation[] = [];
  /** Index of each key's first occurrence, by citation and key. */
  const firsts = new Map<string, number>();
  const notesOfFirst = new Map<number, boolean>();
  citations.forEach((occurrence, index) => {
    if (!occurrence.citation || occurrence.kind !== 'citation' || occurrence.key === '*') return;
    const id = `${occurrence.citation.start}\u0000${occurrence.key}`;
    const first = firsts.get(id);
    if (first === undefined) {
      firsts.set(id, index);
      return;
    }
    let firstHasNotes = notesOfFirst.get(first);
    if (firstHasNotes === undefined) notesOfFirst.set(first, (firstHasNotes = syntax.ownNotes(text, inCitation(citations, first))));
    if (!firstHasNotes || !syntax.ownNotes(text, inCitation(citations, index))) repeats.push({ repeat: occurrence, first: citations[first] });
  });
  return repeats;
}

/** The occurrence at `index` with the nearest occurrences of the same citation on either side. */
function inCitation(citations: readonly CitationOccurrence[], index: number): InCitation {
  const occurrence = citations[index];
  const citation = occurrence.citation as TextRange;
  const sameCitation = (other: CitationOccurrence) => other.citation?.start === citation.start;
  // Occurrences of one citation are adjacent unless another citation sits in a note (`\cites{a}[see \cite{x}]{a}`).
  let previous: CitationOccurrence | undefined;
  for (let i = index - 1; i >= 0 && citations[i].range.start >= citation.start; i--) {
    if (sameCitation(citations[i])) {
      previous = citations[i];
      break;
    }
  }
  let next: CitationOccurrence | undefined;
  for (let i = index + 1; i < citations.length && citations[i].range.start < citation.end; i++) {
    if (sameCitation(citations[i])) {
      next = citations[i];
      break;
    }
  }
  return { previous, occurrence, next };
}

/** The index of the occurrence whose key starts at `start`, by binary search over occurrences sorted by offset. */
function indexOfKeyAt(citations: readonly CitationOccurrence[], start: number): number {
  let low = 0;
  let high = citations.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = citations[mid].range.start;
    if (at === start) return mid;
    if (at < start) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/**
 * The range that drops the repeated key `at` from its citation with its separator (`; @a`, `,a`, or a whole
 * `[p. 2]{a}` group of a `\cites`), or undefined when the key shares its part of the citation with another
 * (`[@a and @a]`) or is no longer there. `citations` are the document's occurrences, sorted by offset.
 */
export function repeatRemoval(
  text: string,
  language: DocumentLanguage,
  citations: readonly CitationOccurrence[],
  at: { start: number; key: string },
): TextRange | undefined {
  const index = indexOfKeyAt(citations, at.start);
  const occurrence = citations[index];
  if (!occurrence?.citation || occurrence.key !== at.key) return undefined;
  return LIST_SYNTAX[language].removal(text, inCitation(citations, index));
}

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
