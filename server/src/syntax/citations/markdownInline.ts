// Finds `@key` citations in one run of Markdown inline text (a paragraph, heading, table row), skipping what Pandoc
// does not read as text: code spans, math, raw HTML/LaTeX, link destinations, attributes, escapes.
import type { TextRange } from '../types';
import { codePointAt, codePointWidth, isAlphaNumCodePoint, isWhitespaceCode, readCiteKey } from './markdownCiteKey';
import { InlineIndex } from './markdownInlineIndex';
import { NextOccurrence } from './markdownLines';
import { readRole } from './mystRoles';
import { UrlContext } from './mystUrlContext';

export interface FoundCiteKey {
  key: string;
  range: TextRange;
  /** Written inside `[...]` (a citation group) rather than bare in the text. */
  bracketed: boolean;
  /** The `[...]` citation the key is in, shared by its keys; `end` stays -1 when the `]` never comes. */
  citation?: TextRange;
}

/** How the inline text is read: Pandoc's Markdown unless said otherwise. */
export interface InlineScanOptions {
  /**
   * MyST (mystmd's markdown-it): `{role}`body`` roles, the citation roles giving keys; code spans as CommonMark has
   * them; a backslash before a letter is a backslash, not raw LaTeX; no citation in a link's text or a bare URL.
   */
  myst?: boolean;
}

export interface InlineCitations {
  keys: FoundCiteKey[];
  emptyCitations: TextRange[];
}

interface BracketFrame {
  start: number;
  /** How many keys were found before the bracket opened. */
  keysBefore: number;
  isImage: boolean;
  hasKey: boolean;
  citation?: TextRange;
}

const BACKSLASH = 92;
const BACKTICK = 96;
const DOLLAR = 36;
const LESS = 60;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const OPEN_PAREN = 40;
const AT = 64;
const DOT = 46;
const BANG = 33;
const CARET = 94;
const SEMICOLON = 59;
const DASH = 45;

/**
 * Scans `text[start, end)`, which must not contain a blank line, and appends what it finds to `out`. Returns where
 * the scan stopped: past `end` when an HTML comment opened here runs on into later paragraphs (as Pandoc reads it).
 */
export function scanInlineCitations(
  text: string,
  start: number,
  end: number,
  out: InlineCitations,
  search: NextOccurrence = new NextOccurrence(text),
  options: InlineScanOptions = {},
): number {
  const myst = options.myst === true;
  const index = new InlineIndex(text, start, end);
  const urls = myst ? new UrlContext(text, start) : undefined;
  const frames: BracketFrame[] = [];
  /** Where the last run of ordinary word characters ended: Pandoc reads no citation right after a word. */
  let wordEnd = -1;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    switch (c) {
      case BACKSLASH:
        i = myst ? skipEscape(text, i, end) : skipBackslash(text, i, end, index);
        break;
      case BACKTICK: {
        const { spanEnd, runEnd } = index.codeSpanAt(i, myst);
        i = spanEnd < 0 ? runEnd : myst ? spanEnd : skipAttributes(text, spanEnd, end, index);
        break;
      }
      case OPEN_BRACE: {
        const role = myst ? readRole(text, i, end, index) : undefined;
        if (role?.cite) {
          const citation = role.cite.range;
          for (const { key, range } of role.cite.keys) out.keys.push({ key, range, bracketed: true, citation });
          for (const empty of role.cite.empty) out.emptyCitations.push(empty);
        }
        i = role ? role.end : i + 1;
        break;
      }
      case DOLLAR: {
        const after = mathEnd(text, i, end, index);
        i = after < 0 ? i + 1 : after;
        break;
      }
      case LESS: {
        if (text.startsWith('<!--', i)) {
          const empty = /^-?>/.exec(text.slice(i + 4, i + 6)); // `<!-->` and `<!--->` are complete comments
          const close = empty ? { index: i + 1 + empty[0].length } : search.find(/-->/g, i + 4);
          if (close && close.index >= end) return close.index + 3;
          i = close ? close.index + 3 : i + 1;
          break;
        }
        const after = htmlEnd(text, i, end, index);
        i = after < 0 ? i + 1 : after;
        break;
      }
      case BANG:
        if (text.charCodeAt(i + 1) === OPEN_BRACKET) {
          frames.push({ start: i + 1, keysBefore: out.keys.length, isImage: true, hasKey: false });
          i += 2;
        } else i++;
        break;
      case OPEN_BRACKET: {
        if (text.charCodeAt(i + 1) === CARET) {
          const close = index.bracketClose(i);
          if (close > 0 && close - i < 256 && !/\s/.test(text.slice(i + 2, close))) {
            i = close + 1; // a note reference `[^1]`
            break;
          }
        }
        frames.push({ start: i, keysBefore: out.keys.length, isImage: false, hasKey: false });
        i++;
        break;
      }
      case CLOSE_BRACKET:
        i = closeBracket(text, i, end, frames.pop(), index, out, myst);
        break;
      case AT:
        i = wordEnd === i || urls?.isInUrl(i) ? i + 1 : readCitation(text, i, end, frames, index, out);
        break;
      case DOT:
        if (text.startsWith('...', i)) i += 3;
        else if (text.startsWith('. . .', i)) i += 5;
        else {
          if (text.charCodeAt(i + 1) !== DOT) wordEnd = i + 1;
          i++;
        }
        break;
      default: {
        if (c < 128) {
          if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) wordEnd = i + 1;
          i++;
          break;
        }
        const code = codePointAt(text, i, end);
        const width = codePointWidth(code);
        if (isAlphaNumCodePoint(code)) wordEnd = i + width;
        i += width;
      }
    }
  }
  return i;
}

/** CommonMark: `\` + ASCII punctuation is an escape, any other backslash is a character. */
function skipEscape(text: string, i: number, end: number): number {
  return i + 1 < end && isAsciiPunctuation(text.charCodeAt(i + 1)) ? i + 2 : i + 1;
}

/** `\` + ASCII punctuation is an escape; `\` + letters is raw LaTeX (a command with its arguments). */
function skipBackslash(text: string, i: number, end: number, index: InlineIndex): number {
  const next = text.charCodeAt(i + 1);
  if (i + 1 >= end) return i + 1;
  if (isAsciiPunctuation(next)) return i + 2;
  if (!isAsciiLetter(next)) return i + 1;
  let pos = i + 1;
  // Pandoc's LaTeX tokenizer lets `@` into control words (`\x@y`), as in LaTeX packages.
  while (pos < end && (isAsciiLetter(text.charCodeAt(pos)) || text.charCodeAt(pos) === AT)) pos++;
  const name = text.slice(i + 1, pos);
  if (name === 'begin') {
    const environmentEnd = index.latexEnvironmentEnd(pos);
    if (environmentEnd > 0) return environmentEnd;
  }
  let nameEnd = pos;
  while (nameEnd < end && isAsciiDigit(text.charCodeAt(nameEnd))) nameEnd++; // `\x5`: Pandoc takes the digits too
  pos = nameEnd;
  if (text.charCodeAt(pos) === 42 /* * */) pos++;
  pos = skipLatexSpace(text, pos, end);
  let consumed = false;
  while (text.charCodeAt(pos) === OPEN_BRACKET && index.bracketClose(pos) > 0) {
    pos = index.bracketClose(pos) + 1;
    consumed = true;
  }
  while (text.charCodeAt(pos) === OPEN_BRACE && index.braceClose(pos) > 0) {
    pos = index.braceClose(pos) + 1;
    consumed = true;
  }
  return consumed ? pos : nameEnd;
}

/** Spaces after a control word, with at most one line break. */
function skipLatexSpace(text: string, pos: number, end: number): number {
  let newlines = 0;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === 10) {
      if (++newlines > 1) break;
    } else if (c !== 32 && c !== 9 && c !== 13) break;
    pos++;
  }
  return pos;
}

/** `{#id .class key=value}` right after a code span or bracket: not text. */
function skipAttributes(text: string, pos: number, end: number, index: InlineIndex): number {
  if (pos < end && text.charCodeAt(pos) === OPEN_BRACE) {
    const close = index.braceClose(pos);
    if (close > 0) return close + 1;
  }
  return pos;
}

/** Pandoc's `$...$` and `$$...$$` (tex_math_dollars): the end of the math at `i`, or -1 when it is a plain `$`. */
function mathEnd(text: string, i: number, end: number, index: InlineIndex): number {
  if (text.charCodeAt(i + 1) === DOLLAR) {
    // Display math: anything (at least one character) up to the next `$$`.
    const close = index.nextIndexOf('$$', i + 3);
    if (close > 0) return close + 2;
  }
  const next = text.charCodeAt(i + 1);
  if (i + 1 >= end || next === 32 || next === 9 || next === 10 || next === 13 || next === DOLLAR) return -1;
  return mathBodyEnd(text, i + 1, end, '$', index);
}

/** At least one piece of math, then `closer` not followed by a digit; whitespace may not precede `$`. */
function mathBodyEnd(text: string, pos: number, end: number, closer: string, index: InlineIndex): number {
  let first = true;
  while (pos < end) {
    if (!first && text.startsWith(closer, pos) && pos + closer.length <= end) {
      const after = pos + closer.length;
      const next = text.charCodeAt(after);
      return after < end && next >= 48 && next <= 57 ? -1 : after;
    }
    first = false;
    const c = text.charCodeAt(pos);
    if (c === BACKSLASH) {
      if (text.startsWith('text{', pos + 1)) {
        const close = index.braceClose(pos + 5);
        if (close > 0) {
          pos = close + 1;
          continue;
        }
      }
      if (pos + 1 >= end) return -1;
      pos += 2;
    } else if (c === 32 || c === 9 || c === 10 || c === 13) {
      while (pos < end && isWhitespaceCode(text.charCodeAt(pos))) pos++;
      if (text.charCodeAt(pos) === DOLLAR) return -1;
    } else pos++;
  }
  return -1;
}

/** Comments, autolinks and tags (with `<script>`-like contents) are raw HTML: the end of one at `i`, or -1. */
function htmlEnd(text: string, i: number, end: number, index: InlineIndex): number {
  const autolink = /<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9][\w.-]*)>/y;
  autolink.lastIndex = i;
  const link = autolink.exec(text);
  if (link && i + link[0].length <= end) return i + link[0].length;
  const tag =
    /<(\/?)([A-Za-z][A-Za-z0-9-]*)(?:\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:[^\s"'=<>`]+|"[^"]{0,2000}"|'[^']{0,2000}'))?){0,200}\s*\/?>/y;
  tag.lastIndex = i;
  const match = tag.exec(text);
  if (!match || i + match[0].length > end) return -1;
  const after = i + match[0].length;
  const name = match[2].toLowerCase();
  if (match[1] === '' && (name === 'script' || name === 'style' || name === 'textarea' || name === 'pre')) {
    const close = index.closingTag(name, after);
    if (close > 0) return close;
  }
  return after;
}

/** The `@` at `i` is not right after a word: a key, an empty citation, or just an `@`. */
function readCitation(
  text: string,
  i: number,
  end: number,
  frames: BracketFrame[],
  index: InlineIndex,
  out: InlineCitations,
): number {
  const frame = frames.at(-1);
  const match = readCiteKey(text, i, end, (open) => index.bracedKeyClose(open));
  if (!match) {
    if (frame && !frame.isImage && isLoneAtInList(text, i, frame.start)) out.emptyCitations.push({ start: i, end: i + 1 });
    return i + 1;
  }
  if (match.braced && match.key === '') {
    out.emptyCitations.push({ start: i, end: match.end });
    return match.end;
  }
  if (frame) frame.hasKey = true;
  const bracketed = frame !== undefined && !frame.isImage;
  out.keys.push({
    key: match.key,
    range: { start: match.keyStart, end: match.keyEnd },
    bracketed,
    citation: bracketed ? (frame.citation ??= { start: frame.start, end: -1 }) : undefined,
  });
  return match.end;
}

/** `[@a; @]`, `[@; @b]`: an `@` between separators; `[@]` alone is reported for the whole group when it closes. */
function isLoneAtInList(text: string, at: number, groupStart: number): boolean {
  let before = at - 1;
  if (text.charCodeAt(before) === DASH) before--;
  while (before > groupStart && /\s/.test(text[before])) before--;
  let after = at + 1;
  while (after < text.length && /\s/.test(text[after])) after++;
  const prev = text.charCodeAt(before);
  const next = text.charCodeAt(after);
  if (prev === SEMICOLON) return next === SEMICOLON || next === CLOSE_BRACKET;
  return prev === OPEN_BRACKET && next === SEMICOLON;
}

/** A `]`: reports `[@]`, then skips a link destination `(...)` or span attributes `{...}` that follow. */
function closeBracket(
  text: string,
  i: number,
  end: number,
  frame: BracketFrame | undefined,
  index: InlineIndex,
  out: InlineCitations,
  myst: boolean,
): number {
  if (!frame) return i + 1;
  if (frame.citation) frame.citation.end = i + 1;
  if (!frame.isImage && i - frame.start < 64 && /^\s*-?@\s*$/.test(text.slice(frame.start + 1, i))) {
    out.emptyCitations.push({ start: frame.start, end: i + 1 });
  }
  const next = text.charCodeAt(i + 1);
  if (next === OPEN_PAREN) {
    const destinationEnd = linkDestinationEnd(text, i + 1, end, index);
    // mystmd reads no citation in a link's text (Pandoc does).
    if (destinationEnd > 0 && myst) out.keys.length = frame.keysBefore;
    if (destinationEnd > 0) return skipAttributes(text, destinationEnd, end, index);
  }
  if (next === OPEN_BRACE && !frame.hasKey) return skipAttributes(text, i + 1, end, index);
  return i + 1;
}

/** `(url "title")` after a link's text: where it ends, or -1 when it is not a destination. */
function linkDestinationEnd(text: string, open: number, end: number, index: InlineIndex): number {
  const close = index.parenClose(open);
  if (close < 0 || close >= end || close - open > 4096) return -1;
  const inside = text.slice(open + 1, close);
  return /^\s*(?:<[^<>\n]*>|[^\s<]\S*|)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*$/.test(inside) ? close + 1 : -1;
}

function isAsciiPunctuation(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
