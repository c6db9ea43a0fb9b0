// Reads the arguments of one LaTeX command the way TeX groups them: spaces and comments between
// arguments, `[..]`/`(..)`/`{..}` groups (paired by the scan), and comma-separated key lists with exact ranges.
import type { TextRange } from '../types';
import { endOfLine, isSpace } from './latexScan';

const BACKSLASH = 92, PERCENT = 37, NEWLINE = 10, CARRIAGE_RETURN = 13, COMMA = 44, OPEN_BRACE = 123;

/** A delimited argument: offsets of its opening and closing delimiters. */
export interface ArgumentGroup {
  open: number;
  close: number;
}

/** One slot of a comma-separated list. Empty slots have `text === ''`. */
export interface ListItem {
  text: string;
  /** Trimmed text range; for an empty slot, the delimiters around it (`,,`, `{}`, `,}`). */
  range: TextRange;
  /** A space (or line break) separates the item from the next `,` or `}`; TeX keeps it as part of the key. */
  trailingSpace?: boolean;
  /** Written in braces, `{a}`: LaTeX and natbib strip them (the range is inside them), biblatex does not. */
  braced?: boolean;
}

export interface KeyList {
  items: ListItem[];
  /** Offset after the list (after its `}` when closed). */
  end: number;
  /** False when the `}` is missing (or only found after a paragraph break). */
  closed: boolean;
}

function isLineBreak(code: number): boolean {
  return code === NEWLINE || code === CARRIAGE_RETURN;
}

/** At a line break: is the next line blank, which TeX reads as the end of a paragraph? */
export function isParagraphBreakAt(text: string, at: number): boolean {
  let i = at + (text.charCodeAt(at) === CARRIAGE_RETURN && text.charCodeAt(at + 1) === NEWLINE ? 2 : 1);
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isLineBreak(c)) return true;
    if (c !== 32 && c !== 9) return false;
    i++;
  }
  return false;
}

/** Skips spaces, single line breaks and comments. Returns the next significant offset, or -1 at a paragraph break. */
export function skipFiller(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
    } else if (isLineBreak(c)) {
      if (isParagraphBreakAt(text, i)) return -1;
      i++;
    } else if (c === PERCENT) {
      i = endOfLine(text, i);
    } else {
      return i;
    }
  }
  return i;
}

/**
 * The group that starts at the next significant offset after `from` when it opens with `opener`.
 * `closerAt` comes from the scan; an opener without a closer gives `{ open, close: -1 }`.
 */
export function nextGroup(text: string, closerAt: Int32Array, from: number, opener: string): ArgumentGroup | undefined {
  const at = skipFiller(text, from);
  if (at < 0 || at >= text.length || text[at] !== opener) return undefined;
  return { open: at, close: closerAt[at] };
}

/**
 * Splits the list that opens with `{` at `open` into trimmed items. When the `}` is missing, or only comes
 * after a paragraph break, the list is read to the end of the opening line and marked as not closed.
 */
export function readKeyList(text: string, closerAt: Int32Array, open: number): KeyList {
  const close = closerAt[open];
  if (close >= 0) {
    const whole = splitList(text, closerAt, open, close, true);
    if (whole) return { items: whole, end: close + 1, closed: true };
  }
  const lineEnd = endOfLine(text, open);
  return { items: splitList(text, closerAt, open, lineEnd, false) ?? [], end: lineEnd, closed: false };
}

/**
 * Returns undefined when a paragraph break interrupts the list. A slot that is one brace group (`{a}`, `{a,b}`) is
 * read as LaTeX's `\@for` loop and `\@firstofone` read it: its braces go, and its own commas split it (only one
 * level deep: `unwrap` is false inside).
 */
function splitList(text: string, closerAt: Int32Array, open: number, end: number, closed: boolean, unwrap = true): ListItem[] | undefined {
  const items: ListItem[] = [];
  let delimiter = open; // offset of the `{` or `,` before the current slot
  let first = -1;
  let last = -1;
  let comments: TextRange[] | undefined;
  let spaceAfterLast = false;

  const finishSlot = (next: number) => {
    if (first < 0) {
      items.push({ text: '', range: { start: delimiter, end: closed || next < end ? next + 1 : end } });
    } else {
      const item: ListItem = { text: slotText(text, first, last, comments), range: { start: first, end: last } };
      if (spaceAfterLast && (closed || next < end)) item.trailingSpace = true;
      const inner = unwrap && text.charCodeAt(first) === OPEN_BRACE && closerAt[first] === last - 1
        ? splitList(text, closerAt, first, last - 1, true, false)
        : undefined;
      if (inner) {
        for (const each of inner) {
          each.braced = true;
          items.push(each);
        }
        if (item.trailingSpace) inner[inner.length - 1].trailingSpace = true;
      } else {
        items.push(item);
      }
    }
    delimiter = next;
    first = -1;
    last = -1;
    comments = undefined;
    spaceAfterLast = false;
  };

  let i = open + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      finishSlot(i);
      i++;
      continue;
    }
    if (c === PERCENT) {
      // The comment takes its line break with it, and TeX skips the next line's leading spaces.
      const commentEnd = endOfLine(text, i);
      if (commentEnd < end && isParagraphBreakAt(text, commentEnd)) return undefined;
      let next = commentEnd + (text.charCodeAt(commentEnd) === CARRIAGE_RETURN && text.charCodeAt(commentEnd + 1) === NEWLINE ? 2 : 1);
      while (next < end && (text.charCodeAt(next) === 32 || text.charCodeAt(next) === 9)) next++;
      (comments ??= []).push({ start: i, end: Math.min(next, end) });
      i = Math.min(next, end);
      continue;
    }
    if (isSpace(c)) {
      if (isLineBreak(c) && isParagraphBreakAt(text, i)) return undefined;
      if (first >= 0) spaceAfterLast = true;
      i++;
      continue;
    }
    if (first < 0) first = i;
    spaceAfterLast = false;
    if (c === BACKSLASH) {
      i = Math.min(i + 2, end);
    } else if (c === OPEN_BRACE && closerAt[i] >= 0 && closerAt[i] < end) {
      i = closerAt[i] + 1;
    } else {
      i++;
    }
    last = i;
  }
  finishSlot(end);
  return items;
}

/** The slot's text between its first and last significant characters, without comments inside it. */
function slotText(text: string, first: number, last: number, comments: TextRange[] | undefined): string {
  if (!comments) return text.slice(first, last);
  let result = '';
  let from = first;
  for (const comment of comments) {
    if (comment.start < first || comment.start >= last) continue;
    result += text.slice(from, comment.start);
    from = comment.end;
  }
  return result + text.slice(from, last);
}

/** The trimmed content of a closed group, with its range. */
export function groupContent(text: string, group: ArgumentGroup): ListItem {
  let start = group.open + 1;
  let end = group.close;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { text: text.slice(start, end), range: { start, end } };
}
