// The search words of one bibliography entry and the field each comes from, read straight from raw BibTeX values
// (LaTeX folded on the fly) or CSL data: cheap enough to run over every entry of a 100k-entry file.
import type { BibtexEntry, CslItemSyntax } from '../syntax/types';
import { FIELD_STRIDE } from '../syntax/bibtex/fields';
import { bibtexFieldValue } from '../syntax/bibtex/values';
import { forEachSearchWord } from '../util/fuzzy';
import { controlSequenceEnd } from '../util/latexCommands';
import type { BibliographyFile, EntryDefinition } from './bibliographyFile';

/** Which field a word came from; each kind has its own posting list. */
export enum WordKind {
  Key = 0,
  FirstAuthor = 1,
  Author = 2,
  Year = 3,
  Title = 4,
  Container = 5,
  Doi = 6,
}

export type WordVisitor = (word: string, kind: WordKind) => void;

/** Every search word of an entry with the field it came from: key, family names, year, title, container, DOI. */
export function entryWords(file: BibliographyFile, entry: EntryDefinition, visit: WordVisitor): void {
  forEachSearchWord(entry.key, false, 0, entry.key.length, visit, WordKind.Key);
  if (entry.bibtex) bibtexEntryWords(file, entry.bibtex, visit);
  else if (entry.csl) cslEntryWords(entry.csl, visit);
}

/** A stretch of text to read words from: usually a raw value inside the file, or an expanded macro value. */
interface Span {
  text: string;
  start: number;
  end: number;
}

const BIBTEX_SEARCH_FIELDS = new Set(['author', 'editor', 'title', 'year', 'date', 'journaltitle', 'journal', 'booktitle', 'doi']);

/** Words straight from raw BibTeX values (LaTeX folded on the fly): much cheaper than decoding every entry. */
function bibtexEntryWords(file: BibliographyFile, entry: BibtexEntry, visit: WordVisitor): void {
  const text = file.text;
  // Where the chosen fields are in the entry's field table (see syntax/bibtex/fields.ts); -1: none.
  let author = -1;
  let editor = -1;
  let year = -1;
  let title = -1;
  let container = -1;
  let containerRank = 9;
  let doi = -1;
  const { names: fieldNames, data } = entry.fieldTable;
  const last = (entry.firstField + entry.fieldCount) * FIELD_STRIDE;
  for (let at = entry.firstField * FIELD_STRIDE; at < last; at += FIELD_STRIDE) {
    const name = fieldNames[data[at]];
    if (!BIBTEX_SEARCH_FIELDS.has(name)) continue;
    switch (name) {
      case 'author': if (author < 0) author = at; break;
      case 'editor': if (editor < 0) editor = at; break;
      case 'year': if (year < 0 || fieldNames[data[year]] !== 'year') year = at; break;
      case 'date': if (year < 0) year = at; break;
      case 'title': if (title < 0) title = at; break;
      case 'doi': if (doi < 0) doi = at; break;
      default: {
        const rank = ['journaltitle', 'journal', 'booktitle'].indexOf(name);
        if (rank < containerRank) {
          container = at;
          containerRank = rank;
        }
      }
    }
  }
  const span = (at: number): Span => {
    const valueStart = data[at + 2];
    const valueEnd = data[at + 3];
    const first = text.charCodeAt(valueStart);
    // A single `{...}` or `"..."` (no `#` concatenation after it): its raw text is all we need.
    if ((first === 123 || first === 34) && afterFirstGroup(text, valueStart, valueEnd) >= valueEnd) {
      return { text, start: valueStart + 1, end: valueEnd - 1 };
    }
    if (first >= 48 && first <= 57) return { text, start: valueStart, end: valueEnd };
    const expanded = bibtexFieldValue(text, { valueStart, valueEnd }, file.strings);
    return { text: expanded, start: 0, end: expanded.length };
  };
  const names = author >= 0 ? author : editor;
  if (names >= 0) bibtexFamilyWords(span(names), visit);
  if (year >= 0) {
    const value = span(year);
    const digits = /\d+/.exec(value.text.slice(value.start, value.end));
    if (digits) visit(digits[0], WordKind.Year);
  }
  for (const [field, kind] of [[title, WordKind.Title], [container, WordKind.Container], [doi, WordKind.Doi]] as const) {
    if (field < 0) continue;
    const value = span(field);
    forEachSearchWord(value.text, true, value.start, value.end, visit, kind);
  }
}

/** Where the `{...}` or `"..."` group starting at `start` ends (after its closer), or `end` when cut off. */
function afterFirstGroup(text: string, start: number, end: number): number {
  const open = text.charCodeAt(start);
  let depth = 0;
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (open === 34 && p > start && c === 34 && depth === 0) return p + 1;
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0 && open === 123) return p + 1;
  }
  return end;
}

/**
 * Family-name words of a raw BibTeX name list: names split at top-level `and`; `von Last, First` keeps the part
 * before the comma, `First Last` the last word, a braced `{World Bank}` all its words. `others` is skipped. Words
 * split at blanks and ties (`~`) as BibTeX splits them; control sequences are read as TeX reads them.
 */
function bibtexFamilyWords({ text, start, end }: Span, visit: WordVisitor): void {
  let depth = 0;
  let nameStart = start;
  let comma = -1;
  let lastSpace = -1;
  let first = true;
  for (let p = start; p <= end; p++) {
    const c = p < end ? text.charCodeAt(p) : 32;
    if (c === 92) {
      // A control sequence: `\~` is an accent, not a tie, and `Gar\c con` is one word.
      p = controlSequenceEnd(text, p, end) - 1;
      continue;
    }
    if (c === 123) depth++;
    else if (c === 125) depth--;
    else if (depth === 0 && c === 44 && comma < 0) comma = p;
    else if (depth === 0 && (c === 32 || c === 9 || c === 10 || c === 13 || c === 126)) {
      const isAnd = p === end || (
        (text.charCodeAt(p + 1) | 32) === 97 && (text.charCodeAt(p + 2) | 32) === 110 && (text.charCodeAt(p + 3) | 32) === 100 &&
        isBlank(text.charCodeAt(p + 4)));
      if (isAnd) {
        const familyStart = comma >= 0 ? nameStart : lastSpace >= 0 ? lastSpace + 1 : nameStart;
        const familyEnd = comma >= 0 ? comma : p;
        if (!/^\s*others\s*$/i.test(text.slice(nameStart, p))) {
          forEachSearchWord(text, true, familyStart, familyEnd, visit, first ? WordKind.FirstAuthor : WordKind.Author);
          first = false;
        }
        p += 4;
        nameStart = p;
        comma = -1;
        lastSpace = -1;
      } else if (p > nameStart) {
        // The last word starts after the last blank of a run (`D  and`, a blank before the closing brace).
        const following = p + 1 < end ? text.charCodeAt(p + 1) : 32;
        if (!isBlank(following) && following !== 126) lastSpace = p;
      }
    }
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Words of a CSL item; Pandoc markup such as `[x]{.nocase}` is dropped first. */
function cslEntryWords(item: CslItemSyntax, visit: WordVisitor): void {
  const data = item.data;
  const words = (value: unknown, kind: WordKind): void => {
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string' || !value) return;
    const plain = (value.includes('{.') ? value.replace(/\{\.[\w-]+\}/g, '') : value).normalize('NFC');
    forEachSearchWord(plain, false, 0, plain.length, visit, kind);
  };
  const names = Array.isArray(data.author) && data.author.length ? data.author : Array.isArray(data.editor) ? data.editor : [];
  let first = true;
  for (const name of names as unknown[]) {
    if (typeof name !== 'object' || name === null) continue;
    const person = name as Record<string, unknown>;
    const family = [person['non-dropping-particle'], person.family].filter((part) => typeof part === 'string').join(' ') || person.literal;
    if (typeof family !== 'string' || family === 'others') continue;
    words(family, first ? WordKind.FirstAuthor : WordKind.Author);
    first = false;
  }
  const issued = data.issued as Record<string, unknown> | undefined;
  const parts = issued && Array.isArray(issued['date-parts']) ? (issued['date-parts'][0] as unknown) : undefined;
  const yearValue = Array.isArray(parts) && parts.length ? parts[0] : issued?.literal ?? issued?.raw;
  const year = /\d+/.exec(String(yearValue ?? ''));
  if (year) visit(year[0], WordKind.Year);
  words(data.title, WordKind.Title);
  words(data['container-title'], WordKind.Container);
  words(data.DOI ?? data.doi, WordKind.Doi);
}
