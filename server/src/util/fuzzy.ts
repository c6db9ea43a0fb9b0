// Accent- and case-insensitive text for searching: folding (`Rodríguez` → `rodriguez`, `J{\"u}rgen` → `jurgen`),
// splitting into search words, and the small pure helpers the bibliography search index is built from.
import { ACCENT_COMMANDS, controlSequenceEnd, LETTER_COMMANDS, SPACE_COMMANDS, SYMBOL_COMMANDS } from './latexCommands';

/** Letters that Unicode decomposition does not split into base letter + mark. */
const SPECIAL_FOLDS: Record<string, string> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', ð: 'd', Ð: 'd',
  þ: 'th', Þ: 'th', ı: 'i', ȷ: 'j', ŋ: 'ng', Ŋ: 'ng', ħ: 'h', Ħ: 'h', ĸ: 'k', ſ: 's', ĳ: 'ij', Ĳ: 'ij', ŧ: 't', Ŧ: 't',
  ƀ: 'b', ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl', ﬅ: 'st', ﬆ: 'st',
};

const COMBINING_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;

/** Folded form of one non-ASCII UTF-16 unit, or '' for marks; cached because texts repeat the same few letters. */
const foldedUnits = new Map<number, string>();

function foldUnit(code: number): string {
  let folded = foldedUnits.get(code);
  if (folded === undefined) {
    const char = String.fromCharCode(code);
    folded = SPECIAL_FOLDS[char] ?? char.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
    foldedUnits.set(code, folded);
  }
  return folded;
}

/** Lower case without accents, other characters kept: `Rodríguez-Garavito2005` → `rodriguez-garavito2005`. */
export function foldText(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 128) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text.toLowerCase();
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.charCodeAt(0);
    if (code < 128) out += char.toLowerCase();
    else if (char.length > 1) out += char; // astral: keep as is
    else out += foldUnit(code);
  }
  return out;
}

/** LaTeX control words that stand for letters (`\o`, `\ss`, `\i`), folded. */
const LATEX_LETTERS: ReadonlyMap<string, string> = new Map([...LETTER_COMMANDS].map(([name, letter]) => [name, foldText(letter)]));

/** LETTER for an ASCII letter, DIGIT for an ASCII digit, else 0. */
function asciiWordKind(c: number): number {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return LETTER;
  return c >= 48 && c <= 57 ? DIGIT : 0;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** 1 letter, 2 digit: words also split where letters and digits meet. */
const LETTER = 1;
const DIGIT = 2;

/**
 * Calls `visit` with each search word of `text[start, end)`: folded, split at anything that is not a letter or
 * digit and between letters and digits (`Gereffi2005a` → `gereffi`, `2005`, `a`; `COVID-19` → `covid`, `19`).
 * With `latex`, the text is raw BibTeX: braces vanish inside words (`J{\"u}rgen` → `jurgen`), control words
 * stand for a letter (`\o`, `\ss`), separate words (symbols) or are dropped (`\emph`, accents). Written as one loop
 * without allocations beyond the words themselves: it runs over every field of every entry when an index is built.
 */
export function forEachSearchWord<T>(
  text: string, latex: boolean, start: number, end: number, visit: (word: string, tag: T) => void, tag: T,
  /** Given, it receives the words that are a stretch of ASCII letters or digits as that stretch (not lower-cased). */
  visitAscii?: (text: string, start: number, end: number, tag: T) => void,
): void {
  searchWordLoop(text, latex, start, end, visit, tag, visitAscii, true);
}

/** `forEachSearchWord` without its fast path for plain ASCII words, for tests to compare the two. */
export function forEachSearchWordSlowly(text: string, latex: boolean, visit: (word: string) => void): void {
  searchWordLoop(text, latex, 0, text.length, visit, undefined, undefined, false);
}

function searchWordLoop<T>(
  text: string, latex: boolean, start: number, end: number, visit: (word: string, tag: T) => void, tag: T,
  visitAscii: ((text: string, start: number, end: number, tag: T) => void) | undefined, fast: boolean,
): void {
  /** The word so far when it had to be assembled; otherwise the word is text[wordStart, i) lower-cased. */
  let built = '';
  let assembled = false;
  let wordStart = -1;
  let kind = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 32;
    if (fast && wordStart < 0 && i < end && asciiWordKind(c) !== 0) {
      // The common case, a word of ASCII letters (or digits) alone: run to its end in a tight loop. When what follows
      // cannot continue it, it is a word; otherwise the general loop below carries on from there with it open.
      const runKind = asciiWordKind(c);
      let j = i + 1;
      while (j < end && asciiWordKind(text.charCodeAt(j)) === runKind) j++;
      const next = j < end ? text.charCodeAt(j) : 32;
      if (next < 128 && !(latex && (next === 123 || next === 125 || next === 92))) {
        if (visitAscii) visitAscii(text, i, j, tag);
        else visit(text.slice(i, j).toLowerCase(), tag);
        kind = 0;
        // A separator after the word needs nothing more; a letter after digits (or digits after letters) starts the next word.
        i = asciiWordKind(next) === 0 ? j : j - 1;
      } else {
        wordStart = i;
        kind = runKind;
        assembled = false;
        built = '';
        i = j - 1;
      }
      continue;
    }
    let piece = '';
    let pieceKind = 0;
    let contiguous = false;
    if (c < 128) {
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
        pieceKind = LETTER;
        contiguous = true;
      } else if (c >= 48 && c <= 57) {
        pieceKind = DIGIT;
        contiguous = true;
      } else if (latex && (c === 123 || c === 125)) {
        if (wordStart >= 0 && !assembled) {
          built = text.slice(wordStart, i).toLowerCase();
          assembled = true;
        }
        continue; // braces group without separating
      } else if (latex && c === 92 /* \ */ && i + 1 < end) {
        // A control sequence: a letter (`\o`, `\ss`) continues the word, and so do an accent (`\'`, `\c`) and any
        // other command (`x\emph{y}` prints one word); a symbol (`\&`, `\\`, `\dag`) separates words.
        if (wordStart >= 0 && !assembled) {
          built = text.slice(wordStart, i).toLowerCase();
          assembled = true;
        }
        const next = text.charCodeAt(i + 1);
        const after = controlSequenceEnd(text, i, end);
        const name = isAsciiLetter(next) ? text.slice(i + 1, after).trimEnd() : text[i + 1];
        i = after - 1;
        piece = LATEX_LETTERS.get(name) ?? '';
        if (piece) pieceKind = LETTER;
        else if (ACCENT_COMMANDS.has(name) || (isAsciiLetter(next) && !SYMBOL_COMMANDS.has(name) && !SPACE_COMMANDS.has(name))) continue;
      }
    } else if (c < 0xd800 || c > 0xdfff) {
      piece = foldUnit(c);
      if (piece === '') {
        // A combining mark (decomposed accent): dropped, so the word can no longer be a plain slice.
        if (wordStart >= 0 && !assembled) {
          built = text.slice(wordStart, i).toLowerCase();
          assembled = true;
        }
        continue;
      }
      pieceKind = LETTER_OR_NUMBER.test(String.fromCharCode(c)) ? LETTER : 0;
    } else {
      piece = text[i]; // half of an astral character (CJK extensions): keep
      pieceKind = LETTER;
    }
    if (pieceKind !== kind && wordStart >= 0) {
      if (!assembled && visitAscii) visitAscii(text, wordStart, i, tag);
      else visit(assembled ? built : text.slice(wordStart, i).toLowerCase(), tag);
      wordStart = -1;
      assembled = false;
      built = '';
    }
    kind = pieceKind;
    if (pieceKind === 0) continue;
    if (wordStart < 0) {
      wordStart = i;
      assembled = !contiguous;
      built = contiguous ? '' : piece;
    } else if (assembled || !contiguous) {
      if (!assembled) {
        built = text.slice(wordStart, i).toLowerCase();
        assembled = true;
      }
      built += contiguous ? text[i].toLowerCase() : piece;
    }
  }
}

/** The search words of a text joined by single spaces (see `forEachSearchWord`). */
export function searchWordsText(text: string, latex = false, start = 0, end = text.length): string {
  const words: string[] = [];
  forEachSearchWord(text, latex, start, end, (word) => {
    words.push(word);
  }, undefined);
  return words.join(' ');
}

/** The search words of a query as a list (see `searchWordsText`). */
export function searchWords(text: string): string[] {
  const joined = searchWordsText(text.normalize('NFC'));
  return joined ? joined.split(' ') : [];
}

/** Index of the first item in a sorted array that is `>= value` (binary search). */
export function lowerBound<T extends string | number>(sorted: ArrayLike<T>, value: T): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The half-open range of items in a sorted array that start with `prefix`. */
export function prefixRange(sorted: readonly string[], prefix: string): [number, number] {
  const start = lowerBound(sorted, prefix);
  // Every string with this prefix sorts before prefix + U+FFFF.
  const end = lowerBound(sorted, prefix + '\uffff');
  return [start, end];
}
