// Character codes and small position helpers shared by the BibTeX scanner and the value reader.
// Everything works on UTF-16 code units via charCodeAt, so the hot loops never allocate.

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34; // "
export const HASH = 35; // #
export const PERCENT = 37; // %
export const LPAREN = 40; // (
export const RPAREN = 41; // )
export const COMMA = 44; // ,
export const EQUALS = 61; // =
export const AT = 64; // @
export const LBRACE = 123; // {
export const RBRACE = 125; // }
export const BOM = 0xfeff;

/** ASCII characters that end a name (entry type, field name, macro name, bare value); all controls and space too. */
const NAME_STOP = new Uint8Array(128);
for (let c = 0; c <= SPACE; c++) NAME_STOP[c] = 1;
for (const ch of '{}()",=#%@') NAME_STOP[ch.charCodeAt(0)] = 1;

/** Whitespace as BibTeX sees it: every ASCII control character and space. NaN (past the end) is not. */
export function isSpace(c: number): boolean {
  return c <= SPACE;
}

/** A character that may appear in an entry type, field name, macro name, or bare value. */
export function isNameChar(c: number): boolean {
  return c >= 128 || (c >= 0 && NAME_STOP[c] === 0);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function skipSpace(text: string, p: number, len: number): number {
  while (p < len && text.charCodeAt(p) <= SPACE) p++;
  return p;
}

/** Skips spaces and tabs only, staying on the current line. */
export function skipBlanks(text: string, p: number, len: number): number {
  while (p < len) {
    const c = text.charCodeAt(p);
    if (c !== SPACE && c !== TAB) break;
    p++;
  }
  return p;
}

/** Offset of the line break ending the line that contains p (or the text length). */
export function endOfLine(text: string, p: number, len: number): number {
  while (p < len) {
    const c = text.charCodeAt(p);
    if (c === LF || c === CR) break;
    p++;
  }
  return p;
}

/** Moves back over whitespace so a range does not end with blank lines; never before `floor`. */
export function trimBack(text: string, p: number, floor: number): number {
  while (p > floor && text.charCodeAt(p - 1) <= SPACE) p--;
  return p;
}

/** True when only spaces or tabs stand between the start of the line (or the text, or a BOM) and p. */
export function startsLine(text: string, p: number): boolean {
  let j = p - 1;
  while (j >= 0) {
    const c = text.charCodeAt(j);
    if (c !== SPACE && c !== TAB) break;
    j--;
  }
  if (j < 0) return true;
  const c = text.charCodeAt(j);
  return c === LF || c === CR || (j === 0 && c === BOM);
}

/** An `@` at p that starts a line and reads like `@type{` or `@type(`: the start of the next entry. */
export function looksLikeEntryStart(text: string, p: number, len: number): boolean {
  if (!startsLine(text, p)) return false;
  let q = p + 1;
  const nameStart = q;
  while (q < len && isNameChar(text.charCodeAt(q))) q++;
  if (q === nameStart) return false;
  q = skipBlanks(text, q, len);
  const c = text.charCodeAt(q);
  return c === LBRACE || c === LPAREN;
}

/** The offset of the next `@` at or after p that starts a line, or the text length: where reading resumes after a problem. */
export function nextLineInitialAt(text: string, p: number, len: number): number {
  while (p < len) {
    const i = text.indexOf('@', p);
    if (i < 0 || i >= len) return len;
    if (startsLine(text, i)) return i;
    p = i + 1;
  }
  return len;
}

/**
 * The hot loop: from just inside an opening `{` (or `"` when `quoted`), the offset after the matching close.
 * BibTeX rules: braces nest, a `"` ends a quoted value only outside inner braces, backslashes escape nothing.
 * On failure returns -(stop + 1), stop being the end of the text or a line-initial `@type{` (the next entry).
 */
export function skipDelimited(text: string, p: number, len: number, quoted: boolean): number {
  let depth = 0;
  for (; p < len; p++) {
    const c = text.charCodeAt(p);
    if (c === RBRACE) {
      if (depth > 0) depth--;
      else if (!quoted) return p + 1;
    } else if (c === LBRACE) {
      depth++;
    } else if (c === QUOTE) {
      if (quoted && depth === 0) return p + 1;
    } else if (c === AT && looksLikeEntryStart(text, p, len)) {
      return -p - 1;
    }
  }
  return -len - 1;
}
