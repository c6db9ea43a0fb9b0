// The search words of one bibliography entry and the field each comes from, read straight from raw BibTeX values
// (LaTeX folded on the fly) or CSL data: cheap enough to run over every entry of a 100k-entry file.
import type { BibtexEntry, CslItemSyntax } from '../syntax/types';
import { type BibtexFieldTable, FIELD_STRIDE } from '../syntax/bibtex/fields';
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
/** A word that is `text[start, end)` lower-cased, that stretch being ASCII letters and digits only. */
export type AsciiWordVisitor = (text: string, start: number, end: number, kind: WordKind) => void;

/**
 * Every search word of an entry with the field it came from: key, family names, year, title, container, DOI. With
 * `visitAscii`, words that are a plain stretch of the text go there instead, so no string is made for them.
 */
export function entryWords(file: BibliographyFile, entry: EntryDefinition, visit: WordVisitor, visitAscii?: AsciiWordVisitor): void {
  forEachSearchWord(entry.key, false, 0, entry.key.length, visit, WordKind.Key, visitAscii);
  if (entry.bibtex) bibtexEntryWords(file, entry.bibtex, visit, visitAscii);
  else if (entry.csl) cslEntryWords(entry.csl, visit);
}

/** A stretch of text to read words from: usually a raw value inside the file, or an expanded macro value. */
interface Span {
  text: string;
  start: number;
  end: number;
}

/** The fields words are read from, by code; the container fields last, best first. */
const SEARCH_FIELD_CODES = new Map([
  ['author', 1], ['editor', 2], ['year', 3], ['date', 4], ['title', 5], ['doi', 6], ['journaltitle', 7], ['journal', 8], ['booktitle', 9],
]);

/** Each field table's names as search-field codes (0: not searched), made again when the table has learned names. */
const fieldCodes = new WeakMap<BibtexFieldTable, Uint8Array>();

function searchFieldCodes(table: BibtexFieldTable): Uint8Array {
  let codes = fieldCodes.get(table);
  if (!codes || codes.length !== table.names.length) {
    codes = new Uint8Array(table.names.length);
    for (let i = 0; i < codes.length; i++) codes[i] = SEARCH_FIELD_CODES.get(table.names[i]) ?? 0;
    fieldCodes.set(table, codes);
  }
  return codes;
}

/** Words straight from raw BibTeX values (LaTeX folded on the fly): much cheaper than decoding every entry. */
function bibtexEntryWords(file: BibliographyFile, entry: BibtexEntry, visit: WordVisitor, visitAscii: AsciiWordVisitor | undefined): void {
  // Where the chosen fields are in the entry's field table (see syntax/bibtex/fields.ts); -1: none.
  let author = -1;
  let editor = -1;
  let year = -1;
  let yearIsYear = false;
  let title = -1;
  let container = -1;
  let containerCode = 99;
  let doi = -1;
  const table = entry.fieldTable;
  const codes = searchFieldCodes(table);
  const data = table.data;
  const last = (entry.firstField + entry.fieldCount) * FIELD_STRIDE;
  for (let at = entry.firstField * FIELD_STRIDE; at < last; at += FIELD_STRIDE) {
    const code = codes[data[at]];
    if (code === 0) continue;
    switch (code) {
      case 1: if (author < 0) author = at; break;
      case 2: if (editor < 0) editor = at; break;
      case 3: if (!yearIsYear) { year = at; yearIsYear = true; } break;
      case 4: if (year < 0) year = at; break;
      case 5: if (title < 0) title = at; break;
      case 6: if (doi < 0) doi = at; break;
      default:
        if (code < containerCode) {
          container = at;
          containerCode = code;
        }
    }
  }
  const names = author >= 0 ? author : editor;
  if (names >= 0) bibtexFamilyWords(valueSpan(file, data, names), visit, visitAscii);
  if (year >= 0) yearWord(valueSpan(file, data, year), visit);
  if (title >= 0) spanWords(valueSpan(file, data, title), WordKind.Title, visit, visitAscii);
  if (container >= 0) spanWords(valueSpan(file, data, container), WordKind.Container, visit, visitAscii);
  if (doi >= 0) spanWords(valueSpan(file, data, doi), WordKind.Doi, visit, visitAscii);
}

/** The text of the field at `at` in a field table's data: its raw value inside the file when it is one group. */
function valueSpan(file: BibliographyFile, data: Int32Array, at: number): Span {
  const text = file.text;
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
}

/** The first run of ASCII digits in a year or date value. */
function yearWord({ text, start, end }: Span, visit: WordVisitor): void {
  let p = start;
  while (p < end && !isDigit(text.charCodeAt(p))) p++;
  let q = p;
  while (q < end && isDigit(text.charCodeAt(q))) q++;
  if (q > p) visit(text.slice(p, q), WordKind.Year);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function spanWords({ text, start, end }: Span, kind: WordKind, visit: WordVisitor, visitAscii: AsciiWordVisitor | undefined): void {
  forEachSearchWord(text, true, start, end, visit, kind, visitAscii);
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
function bibtexFamilyWords({ text, start, end }: Span, visit: WordVisitor, visitAscii: AsciiWordVisitor | undefined): void {
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
        if (!isOthers(text, nameStart, p)) {
          forEachSearchWord(text, true, familyStart, familyEnd, visit, first ? WordKind.FirstAuthor : WordKind.Author, visitAscii);
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

/** Whether text[start, end) is `others` (any case) between blanks, as `/^\s*others\s*$/i` reads it. */
function isOthers(text: string, start: number, end: number): boolean {
  while (start < end && isRegexSpace(text.charCodeAt(start))) start++;
  while (end > start && isRegexSpace(text.charCodeAt(end - 1))) end--;
  if (end - start !== 6) return false;
  for (let i = 0; i < 6; i++) {
    if ((text.charCodeAt(start + i) | 32) !== OTHERS.charCodeAt(i)) return false;
  }
  return true;
}

const OTHERS = 'others';

/** `\s` of a regular expression: ASCII blanks and Unicode spaces. */
function isRegexSpace(c: number): boolean {
  return isBlank(c) || c === 11 || c === 12 || (c >= 128 && /\s/.test(String.fromCharCode(c)));
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
