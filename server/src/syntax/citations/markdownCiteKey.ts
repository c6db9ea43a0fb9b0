// Pandoc's citation key grammar (`@key`, `@{braced key}`) and the character classes it rests on,
// kept separate from the Markdown scanner so completion and rename can reuse the same rules.

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

/** Haskell's `isAlphaNum` on a code point: Unicode letters and numbers (not marks). */
export function isAlphaNumCodePoint(code: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER_OR_NUMBER.test(String.fromCodePoint(code));
}

/** The code point at `offset` (or -1 past the end) and how many UTF-16 units it takes. */
export function codePointAt(text: string, offset: number, end = text.length): number {
  if (offset >= end) return -1;
  return text.codePointAt(offset) ?? -1;
}

export function codePointWidth(code: number): number {
  return code > 0xffff ? 2 : 1;
}

/** A key character in Pandoc's sense (`regchar`): a letter, a number or `_`. */
export function isKeyCodePoint(code: number): boolean {
  return code === 95 /* _ */ || isAlphaNumCodePoint(code);
}

/** Punctuation allowed inside a key when a key character follows it. */
const INTERNAL_PUNCTUATION = new Set([...':.#$%&-+?<>~/'].map((c) => c.charCodeAt(0)));

export interface CiteKeyMatch {
  key: string;
  /** Range of the key itself, without `@` or braces. */
  keyStart: number;
  keyEnd: number;
  /** Where the whole `@key` / `@{key}` ends. */
  end: number;
  braced: boolean;
}

/**
 * Reads the key after the `@` at `at` (which the caller has checked), or undefined when no key follows.
 * Simple keys: a letter, digit, `_` or `*`, then key characters with single internal punctuation
 * (`@doe2020.` → `doe2020`, `@a:/b` keeps `:/` before `/`). Braced keys: balanced braces, no whitespace.
 */
export function readCiteKey(
  text: string,
  at: number,
  end = text.length,
  closingBrace: (open: number) => number = (open) => scanClosingBrace(text, open, end),
): CiteKeyMatch | undefined {
  const start = at + 1;
  const first = codePointAt(text, start, end);
  if (first === 123 /* { */) {
    const close = closingBrace(start);
    if (close < 0) return undefined;
    return { key: text.slice(start + 1, close), keyStart: start + 1, keyEnd: close, end: close + 1, braced: true };
  }
  if (first < 0 || !(first === 42 /* * */ || isKeyCodePoint(first))) return undefined;
  let pos = start + codePointWidth(first);
  for (;;) {
    const code = codePointAt(text, pos, end);
    if (code < 0) break;
    if (isKeyCodePoint(code)) {
      pos += codePointWidth(code);
      continue;
    }
    if (!INTERNAL_PUNCTUATION.has(code)) break;
    const next = codePointAt(text, pos + 1, end);
    const keepsGoing = (next >= 0 && isKeyCodePoint(next)) || ((code === 58 || code === 47) && next === 47);
    if (!keepsGoing) break;
    pos += 1;
  }
  return { key: text.slice(start, pos), keyStart: start, keyEnd: pos, end: pos, braced: false };
}

/**
 * The `}` closing the `{` at `open` for a braced key (nested braces balanced, no whitespace anywhere), or -1.
 * Scanners that look at many keys pass a precomputed version instead, to stay linear.
 */
export function scanClosingBrace(text: string, open: number, end: number): number {
  let depth = 0;
  for (let pos = open; pos < end; pos++) {
    const c = text.charCodeAt(pos);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return pos;
    else if (isWhitespaceCode(c)) return -1;
  }
  return -1;
}

export function isWhitespaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** True when Pandoc reads `@key` as exactly this key, without braces. */
export function isBareMarkdownKey(key: string): boolean {
  const read = readCiteKey(`@${key}`, 0);
  return !!read && !read.braced && read.key === key && key !== '*';
}
