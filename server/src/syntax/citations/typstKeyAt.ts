// Where a Typst citation key is being typed, found lexically around the cursor: `@key`, `<key>` inside `cite(` or
// `ref(`, and the string of `label("key")`. Also which keys `@key` can carry and how others must be written.
import type { TextRange } from '../types';
import type { KeyInProgress } from './keyAtCursor';
import { codePointAt, isLabelChar, unitsOf } from './typstLexing';

/** How far back `<` or `label("` may stand from the cursor. */
const LOOKBACK = 300;

function isLabelCharBefore(text: string, at: number): boolean {
  if (at <= 0) return false;
  const low = text.charCodeAt(at - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && at >= 2 ? at - 2 : at - 1;
  return isLabelChar(codePointAt(text, start));
}

function labelStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && start > offset - LOOKBACK && isLabelCharBefore(text, start)) {
    const low = text.charCodeAt(start - 1);
    start -= low >= 0xdc00 && low <= 0xdfff && start >= 2 ? 2 : 1;
  }
  return start;
}

/** The end of the label characters from `offset`; for `@key`, without a trailing `.` or `:` (Typst leaves those). */
function labelEnd(text: string, offset: number, reference: boolean): number {
  let end = offset;
  while (end < text.length) {
    const c = codePointAt(text, end);
    if (!isLabelChar(c)) break;
    end += unitsOf(c);
  }
  while (reference && end > offset && (text[end - 1] === '.' || text[end - 1] === ':')) end--;
  return end;
}

/** Inside a `//` comment on this line (a cheap local check; raw blocks are not looked for). */
function inLineComment(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const line = text.slice(lineStart, at);
  const comment = line.indexOf('//');
  return comment >= 0 && !/https?:$/.test(line.slice(0, comment));
}

/** The key being typed at `offset` in a Typst document, or undefined when the cursor is not in a citation key. */
export function typstKeyAt(text: string, offset: number): KeyInProgress | undefined {
  if (inLineComment(text, offset)) return undefined;
  // `label("key`: any characters up to the closing quote.
  const quote = text.lastIndexOf('"', offset - 1);
  if (quote >= 0 && quote > offset - LOOKBACK && /label\(\s*$/.test(text.slice(Math.max(0, quote - 20), quote))) {
    const typed = text.slice(quote + 1, offset);
    if (!typed.includes('"') && !typed.includes('\n')) {
      let end = offset;
      while (end < text.length && text[end] !== '"' && text[end] !== '\n') end++;
      return { query: typed, range: { start: quote + 1, end }, braced: true };
    }
  }
  const start = labelStart(text, offset);
  const marker = text[start - 1];
  if (marker === '@') {
    // `\@` is an escaped at sign. (Typst reads `me@example.org` as a reference too, so completion offers keys there.)
    if (start >= 2 && text[start - 2] === '\\') return undefined;
    return { query: text.slice(start, offset), range: { start, end: labelEnd(text, offset, true) }, braced: false };
  }
  if (marker === '<' && /(?:cite|ref)\(\s*$/.test(text.slice(Math.max(0, start - 30), start - 1))) {
    return { query: text.slice(start, offset), range: { start, end: labelEnd(text, offset, false) }, braced: false };
  }
  return undefined;
}

/**
 * Whether `@key` reads as exactly this key: label characters only, and no trailing `.` or `:` (Typst's lexer leaves
 * those to the sentence).
 */
export function isBareTypstKey(key: string): boolean {
  if (key.length === 0 || /[.:]$/.test(key)) return false;
  for (let i = 0; i < key.length; ) {
    const c = codePointAt(key, i);
    if (!isLabelChar(c)) return false;
    i += unitsOf(c);
  }
  return true;
}

/** A Typst string literal holding `key`. */
export function typstString(key: string): string {
  return `"${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The range of the `@` and key of a reference whose key is at `keyRange`, when `@` stands right before it. */
export function referenceRange(text: string, keyRange: TextRange): TextRange | undefined {
  return text[keyRange.start - 1] === '@' ? { start: keyRange.start - 1, end: keyRange.end } : undefined;
}
