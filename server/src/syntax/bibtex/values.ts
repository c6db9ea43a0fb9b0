// Reads a BibTeX field value from the scanner's offsets: outer delimiters removed, `#` parts joined, macros expanded.
// Inner braces and LaTeX commands stay as written; turning them into Unicode is bibliography/'s job.

import type { BibtexEntry, BibtexField } from '../types';
import { HASH, LBRACE, QUOTE, RBRACE, isDigit, isNameChar } from './chars';
import { FIELD_STRIDE } from './fields';

/** The standard BibTeX month macros; a file's own `@string{jan = ...}` wins over these. */
const MONTHS = new Map([
  ['jan', 'January'], ['feb', 'February'], ['mar', 'March'], ['apr', 'April'], ['may', 'May'], ['jun', 'June'],
  ['jul', 'July'], ['aug', 'August'], ['sep', 'September'], ['oct', 'October'], ['nov', 'November'], ['dec', 'December'],
]);

/** `@string` macros may use other macros; deeper than this is a cycle (`@string{a = b}`, `@string{b = a}`). */
const MAX_MACRO_DEPTH = 32;
/** Caps the work for macros that double at every level (`@string{b = a # a}`, `@string{c = b # b}`, ...). */
const MAX_MACRO_EXPANSIONS = 10_000;

type ValueSpan = Pick<BibtexField, 'valueStart' | 'valueEnd'>;

/**
 * The text of a value expression such as `{The {DNA} story}`, `"x" # jan`, `2020`, or `jacm`.
 * Runs of whitespace (line breaks included) become one space and the result is trimmed, as BibTeX does.
 * An unknown macro is kept as its name. Never throws, also on the cut-off values of broken entries.
 */
export function bibtexFieldValue(text: string, field: ValueSpan, strings: ReadonlyMap<string, BibtexField>): string {
  const budget = { expansions: 0 };
  return collapseWhitespace(expand(text, field.valueStart, field.valueEnd, strings, 0, budget));
}

/**
 * All fields of an entry, name → value, or only those `wanted` names. When a field is repeated the first one
 * counts, as in BibTeX.
 */
export function bibtexFieldMap(
  text: string, entry: BibtexEntry, strings: ReadonlyMap<string, BibtexField>, wanted?: ReadonlySet<string>,
): Map<string, string> {
  const values = new Map<string, string>();
  const { names, data } = entry.fieldTable;
  const end = (entry.firstField + entry.fieldCount) * FIELD_STRIDE;
  for (let at = entry.firstField * FIELD_STRIDE; at < end; at += FIELD_STRIDE) {
    const name = names[data[at]];
    if (wanted && !wanted.has(name)) continue;
    if (!values.has(name)) values.set(name, bibtexFieldValue(text, { valueStart: data[at + 2], valueEnd: data[at + 3] }, strings));
  }
  return values;
}

function expand(
  text: string, start: number, end: number, strings: ReadonlyMap<string, BibtexField>, depth: number, budget: { expansions: number },
): string {
  end = Math.min(end, text.length);
  let out = '';
  let p = Math.max(start, 0);
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === LBRACE || c === QUOTE) {
      const close = closingDelimiter(text, p + 1, end, c === QUOTE);
      out += text.slice(p + 1, close);
      p = close + 1;
    } else if (isNameChar(c)) {
      const nameStart = p;
      while (p < end && isNameChar(text.charCodeAt(p))) p++;
      out += expandName(text.slice(nameStart, p), text, strings, depth, budget);
    } else {
      p++; // whitespace, `#`, or a stray character of a broken value
      if (c !== HASH && c > 32) out += String.fromCharCode(c);
    }
  }
  return out;
}

function expandName(name: string, text: string, strings: ReadonlyMap<string, BibtexField>, depth: number, budget: { expansions: number }): string {
  if (isDigit(name.charCodeAt(0))) return name;
  const lower = name.toLowerCase();
  const macro = strings.get(lower);
  if (macro) {
    if (depth >= MAX_MACRO_DEPTH || budget.expansions >= MAX_MACRO_EXPANSIONS) return name;
    budget.expansions++;
    return expand(text, macro.valueStart, macro.valueEnd, strings, depth + 1, budget);
  }
  return MONTHS.get(lower) ?? name;
}

/** From just inside `{` or `"`, the offset of the matching close, or `end` when the value was cut off. */
function closingDelimiter(text: string, p: number, end: number, quoted: boolean): number {
  let depth = 0;
  for (; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      if (depth > 0) depth--;
      else if (!quoted) return p;
    } else if (c === QUOTE && quoted && depth === 0) return p;
  }
  return end;
}

function collapseWhitespace(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
