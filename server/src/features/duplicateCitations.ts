// Keys cited twice in one citation (`[@a; @b; @a]`, `\cite{a,b,a}`, `\cites{a}{a}`), and the text that removes a
// repeat together with its separator, for the `duplicate-citation` rule and its quick fix.
import type { CitationOccurrence, TextRange } from '../syntax/types';
import type { CitationListSyntax, InCitation } from '../syntax/citations/citationLists';

export interface RepeatedCitation {
  /** The second or a later occurrence of the key in its citation. */
  repeat: CitationOccurrence;
  /** The first occurrence of the key in that citation. */
  first: CitationOccurrence;
}

/**
 * Every repeat of a key within one citation. The same key in two citations is fine, and so are `\nocite` lists
 * and `nocite:` (they print nothing). A repeat that points somewhere else is fine too: when both it and the first
 * occurrence have notes of their own (`[@a, p. 3; @a, p. 50]`, `\cites[p. 3]{a}[p. 50]{a}`).
 */
export function repeatedCitations(text: string, lists: CitationListSyntax, citations: readonly CitationOccurrence[]): RepeatedCitation[] {
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
    if (firstHasNotes === undefined) notesOfFirst.set(first, (firstHasNotes = lists.ownNotes(text, inCitation(citations, first))));
    if (!firstHasNotes || !lists.ownNotes(text, inCitation(citations, index))) repeats.push({ repeat: occurrence, first: citations[first] });
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
  lists: CitationListSyntax,
  citations: readonly CitationOccurrence[],
  at: { start: number; key: string },
): TextRange | undefined {
  const index = indexOfKeyAt(citations, at.start);
  const occurrence = citations[index];
  if (!occurrence?.citation || occurrence.key !== at.key) return undefined;
  return lists.removal(text, inCitation(citations, index));
}

