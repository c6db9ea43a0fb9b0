// Keys-only BibTeX scan straight over file bytes (UTF-8 or a one-byte encoding): where each entry key starts and ends.
// For `citekeys keys` on big files; it takes the decisions scanner.ts takes (tests compare the two) but keeps nothing else.

import * as chars from './chars';

const { AT, COMMA, CR, LF, EQUALS, HASH, LBRACE, LPAREN, PERCENT, QUOTE, RBRACE, RPAREN, SPACE, TAB } = chars;

/** Byte offsets of the entry keys, in file order: key i is `bytes[starts[i], ends[i])`. */
export interface BibtexKeySpans {
  starts: number[];
  ends: number[];
}

/**
 * Finds the keys `scanBibtexKeys` finds in the decoded text, without decoding it. Offsets are byte offsets.
 *
 * Why this is exact: every character the scanner tests for is ASCII, and in UTF-8 as in one-byte encodings an ASCII
 * byte is that character and nothing else, while every other character (every byte of it) is at or above 128, which
 * the scanner treats alike (a name character, not a space). `utf8Bom`: the bytes are UTF-8 and a `EF BB BF` at
 * offset 0 is the U+FEFF the text scanner skips there (pass false for one-byte encodings, where it is `ï»¿`).
 */
export function scanBibtexKeySpans(bytes: Uint8Array, utf8Bom: boolean): BibtexKeySpans {
  return new BibtexKeyByteScanner(bytes, utf8Bom && hasUtf8Bom(bytes)).scan();
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** 1 for bytes that may be part of a name (entry type, field name, macro, bare value): see chars.isNameChar. */
const NAME_BYTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) NAME_BYTE[c] = chars.isNameChar(c) ? 1 : 0;

/** 1 for the bytes the brace-matching loop must look at. */
const DELIMITED_STOP = new Uint8Array(256);
for (const c of [LBRACE, RBRACE, QUOTE, AT]) DELIMITED_STOP[c] = 1;

const MISSING_VALUE = -2;
const BROKEN_VALUE = -1;

const enum SpecialType { None, Comment, Preamble, String }

/**
 * Mirrors BibtexScanner method for method (same names), minus problems, fields and @strings. Reads past the end
 * give `undefined`, which compares like the text scanner's NaN.
 */
class BibtexKeyByteScanner {
  private readonly len: number;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private commentsStopAtEntries = false;
  private resumeAt = 0;

  constructor(private readonly bytes: Uint8Array, private readonly bomAtStart: boolean) {
    this.len = bytes.length;
  }

  scan(): BibtexKeySpans {
    const bytes = this.bytes;
    const len = this.len;
    let p = this.bomAtStart ? 3 : 0;
    let percent = -1;
    while (p < len) {
      const at = bytes.indexOf(AT, p);
      if (at < 0) break;
      if (percent < p) percent = bytes.indexOf(PERCENT, p) >>> 0;
      if (percent < at) p = this.endOfLine(percent);
      else p = this.scanAt(at);
    }
    return { starts: this.starts, ends: this.ends };
  }

  private scanAt(at: number): number {
    const bytes = this.bytes;
    const len = this.len;
    const typeStart = this.skipSpace(at + 1);
    let p = typeStart;
    while (p < len && NAME_BYTE[bytes[p]] === 1) p++;
    const typeEnd = p;
    if (typeEnd === typeStart) return at + 1;
    const type = this.specialType(typeStart, typeEnd);
    p = this.skipSpace(p);
    const open = bytes[p];
    if (open !== LBRACE && open !== LPAREN) {
      if (type === SpecialType.Comment) return this.endOfLine(p);
      return typeEnd;
    }
    const close = open === LBRACE ? RBRACE : RPAREN;
    p++;
    if (type === SpecialType.Comment) return this.scanComment(at, p, close);
    if (type === SpecialType.Preamble) return this.scanPreamble(p, close);
    if (type === SpecialType.String) return this.scanString(p, close);
    return this.scanEntry(p, close);
  }

  /** Only ASCII letters lower-case to the ASCII names (U+212A KELVIN SIGN becomes `k`, in none of them). */
  private specialType(start: number, end: number): SpecialType {
    const length = end - start;
    if (length === 7 && this.isWord(start, 'comment')) return SpecialType.Comment;
    if (length === 8 && this.isWord(start, 'preamble')) return SpecialType.Preamble;
    if (length === 6 && this.isWord(start, 'string')) return SpecialType.String;
    return SpecialType.None;
  }

  private isWord(start: number, lower: string): boolean {
    const bytes = this.bytes;
    for (let i = 0; i < lower.length; i++) {
      const c = bytes[start + i];
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower.charCodeAt(i)) return false;
    }
    return true;
  }

  private scanComment(at: number, p: number, close: number): number {
    const bytes = this.bytes;
    const len = this.len;
    let depth = 0;
    for (; p < len; p++) {
      const c = bytes[p];
      if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        if (depth > 0) depth--;
        else if (close === RBRACE) return p + 1;
      } else if (c === RPAREN && depth === 0 && close === RPAREN) return p + 1;
      else if (c === AT && this.commentsStopAtEntries && this.looksLikeEntryStart(p)) break;
    }
    this.commentsStopAtEntries = true;
    return this.nextLineInitialAt(at + 1);
  }

  private scanPreamble(p: number, close: number): number {
    const bytes = this.bytes;
    p = this.skipSpace(p);
    if (bytes[p] === close) return p + 1;
    const end = this.scanValue(p, close);
    if (end < 0) return end === BROKEN_VALUE ? this.resumeAt : this.skipBroken(p);
    p = this.skipSpace(end);
    if (bytes[p] === close) return p + 1;
    return this.skipBroken(p);
  }

  private scanString(p: number, close: number): number {
    const bytes = this.bytes;
    const len = this.len;
    p = this.skipSpace(p);
    const nameStart = p;
    while (p < len && NAME_BYTE[bytes[p]] === 1) p++;
    const nameEnd = p;
    p = this.skipSpace(p);
    if (nameEnd === nameStart || bytes[p] !== EQUALS) return this.skipBroken(p);
    p = this.skipSpace(p + 1);
    const valueEnd = this.scanValue(p, close);
    if (valueEnd === BROKEN_VALUE) return this.resumeAt;
    if (valueEnd === MISSING_VALUE) return this.expectClose(bytes[p] === COMMA ? this.skipSpace(p + 1) : p, close);
    p = this.skipSpace(valueEnd);
    if (bytes[p] === COMMA) p = this.skipSpace(p + 1);
    return this.expectClose(p, close);
  }

  private expectClose(p: number, close: number): number {
    return this.bytes[p] === close ? p + 1 : this.skipBroken(p);
  }

  private scanEntry(p: number, close: number): number {
    const bytes = this.bytes;
    const len = this.len;
    p = this.skipSpace(p);
    const keyStart = p;
    for (; p < len; p++) {
      const c = bytes[p];
      if (c <= SPACE || c === COMMA || c === close || c === RBRACE || c === LBRACE || c === EQUALS) break;
    }
    const keyEnd = p;
    p = this.skipSpace(p);
    const next = bytes[p];
    if (keyEnd === keyStart) return next === close ? p + 1 : this.skipBroken(p);
    if (next === EQUALS) return this.skipBroken(p);
    this.starts.push(keyStart);
    this.ends.push(keyEnd);
    // A shortcut with the same outcome, and the reason `keys` is fast: entries start only at `@`, and a line-initial
    // `@type{` ends every path through the fields (values, recovery, comment lines stop there). So when the first `@`
    // after the key is such a start, reading goes on there whatever the fields hold; with no `@` left, no key is left.
    const nextAt = bytes.indexOf(AT, keyEnd);
    if (nextAt < 0) return len;
    if (this.looksLikeEntryStart(nextAt)) return nextAt;
    if (next === close) return p + 1;
    if (next === COMMA) return this.scanFields(p + 1, close);
    if (this.fieldNameEndIfFieldAt(p) > 0) return this.scanFields(p, close);
    return this.skipBroken(p);
  }

  private scanFields(p: number, close: number): number {
    const bytes = this.bytes;
    const len = this.len;
    for (;;) {
      p = this.skipSpaceAndComments(p);
      if (p >= len) return len;
      let c = bytes[p];
      if (c === close) {
        if (close === RBRACE && this.fieldNameEndIfFieldAt(this.commaAfterOnSameLine(p + 1)) > 0) {
          p++;
          continue;
        }
        return p + 1;
      }
      if (c === COMMA) {
        p++;
        continue;
      }
      if (c === AT && this.startsLine(p)) return p;
      const nameStart = p;
      while (p < len && NAME_BYTE[bytes[p]] === 1) p++;
      if (p === nameStart) return this.skipBroken(p);
      p = this.skipSpace(p);
      if (bytes[p] !== EQUALS) return this.skipBroken(p);
      p = this.skipSpace(p + 1);
      const valueEnd = this.scanValue(p, close);
      if (valueEnd === MISSING_VALUE) continue;
      if (valueEnd === BROKEN_VALUE) return this.resumeAt;
      p = this.skipSpaceAndComments(valueEnd);
      c = bytes[p];
      if (c === COMMA) {
        p++;
      } else if (c !== close && p < len && !(c === AT && this.startsLine(p))) {
        if (this.fieldNameEndIfFieldAt(p) < 0) return this.skipBroken(p);
      }
    }
  }

  private scanValue(p: number, close: number): number {
    const bytes = this.bytes;
    const len = this.len;
    const valueStart = p;
    for (;;) {
      const c = bytes[p];
      let end: number;
      if (c === LBRACE || c === QUOTE) {
        end = this.skipDelimited(p + 1, c === QUOTE);
        if (end < 0) {
          this.resumeAt = -end - 1;
          return BROKEN_VALUE;
        }
      } else if (NAME_BYTE[c] === 1) {
        end = p + 1;
        while (end < len && NAME_BYTE[bytes[end]] === 1) end++;
      } else {
        if (p > valueStart || !(c === COMMA || c === close)) {
          this.resumeAt = this.skipBroken(p);
          return BROKEN_VALUE;
        }
        return MISSING_VALUE;
      }
      const q = this.skipSpace(end);
      if (bytes[q] !== HASH) return end;
      p = this.skipSpace(q + 1);
    }
  }

  /** chars.skipDelimited over bytes: the loop that reads every byte of every braced or quoted value. */
  private skipDelimited(p: number, quoted: boolean): number {
    const bytes = this.bytes;
    const len = this.len;
    let depth = 0;
    for (; p < len; p++) {
      const c = bytes[p];
      if (DELIMITED_STOP[c] === 0) continue;
      if (c === RBRACE) {
        if (depth > 0) depth--;
        else if (!quoted) return p + 1;
      } else if (c === LBRACE) {
        depth++;
      } else if (c === QUOTE) {
        if (quoted && depth === 0) return p + 1;
      } else if (this.looksLikeEntryStart(p)) {
        return -p - 1;
      }
    }
    return -len - 1;
  }

  private skipSpaceAndComments(p: number): number {
    const bytes = this.bytes;
    p = this.skipSpace(p);
    while (bytes[p] === PERCENT) p = this.skipSpace(this.endOfLine(p));
    return p;
  }

  private fieldNameEndIfFieldAt(p: number): number {
    const bytes = this.bytes;
    const len = this.len;
    if (p < 0) return -1;
    let q = p;
    while (q < len && NAME_BYTE[bytes[q]] === 1) q++;
    if (q === p) return -1;
    return bytes[this.skipSpace(q)] === EQUALS ? q : -1;
  }

  private commaAfterOnSameLine(p: number): number {
    const q = this.skipBlanks(p);
    return this.bytes[q] === COMMA ? this.skipSpace(q + 1) : -1;
  }

  /** The next line-initial `@` at or after p, as the scanner's skipBroken. */
  private skipBroken(p: number): number {
    return this.nextLineInitialAt(p);
  }

  // The position helpers of chars.ts, over bytes.

  private skipSpace(p: number): number {
    const bytes = this.bytes;
    const len = this.len;
    while (p < len && bytes[p] <= SPACE) p++;
    return p;
  }

  private skipBlanks(p: number): number {
    const bytes = this.bytes;
    const len = this.len;
    while (p < len) {
      const c = bytes[p];
      if (c !== SPACE && c !== TAB) break;
      p++;
    }
    return p;
  }

  private endOfLine(p: number): number {
    const bytes = this.bytes;
    const len = this.len;
    while (p < len) {
      const c = bytes[p];
      if (c === LF || c === CR) break;
      p++;
    }
    return p;
  }

  /** Only blanks between the line start and p; a U+FEFF at the very start counts as a line start, as in chars.startsLine. */
  private startsLine(p: number): boolean {
    const bytes = this.bytes;
    let j = p - 1;
    while (j >= 0) {
      const c = bytes[j];
      if (c !== SPACE && c !== TAB) break;
      j--;
    }
    if (j < 0) return true;
    const c = bytes[j];
    return c === LF || c === CR || (j === 2 && this.bomAtStart);
  }

  private looksLikeEntryStart(p: number): boolean {
    if (!this.startsLine(p)) return false;
    const bytes = this.bytes;
    const len = this.len;
    let q = p + 1;
    const nameStart = q;
    while (q < len && NAME_BYTE[bytes[q]] === 1) q++;
    if (q === nameStart) return false;
    q = this.skipBlanks(q);
    const c = bytes[q];
    return c === LBRACE || c === LPAREN;
  }

  private nextLineInitialAt(p: number): number {
    const bytes = this.bytes;
    const len = this.len;
    while (p < len) {
      const i = bytes.indexOf(AT, p);
      if (i < 0) return len;
      if (this.startsLine(i)) return i;
      p = i + 1;
    }
    return len;
  }
}
