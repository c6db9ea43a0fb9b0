// Title case and capitalize-first as pandoc's citeproc (citeproc-hs) applies them, for citeproc-js to use in place
// of its own (citationJs.ts installs them): same input and output, text with citeproc-js's inline markup.

/**
 * The words title case leaves in lower case, as citeproc-hs has them (`isStopWord`): the CSL specification's list
 * plus "about" and name particles. citeproc-js's own list is much longer ("between", "during", "under", "et").
 */
export const PANDOC_TITLE_CASE_STOP_WORDS = [
  'a', 'an', 'and', 'as', 'at', 'but', 'by', 'down', 'for', 'from', 'in', 'into', 'nor', 'of', 'on', 'onto', 'or',
  'over', 'so', 'the', 'till', 'to', 'up', 'via', 'with', 'yet', 'about', 'van', 'von', 'de', 'd', 'l',
];
const STOP_WORDS = new Set(PANDOC_TITLE_CASE_STOP_WORDS);

type State = 'start' | 'startSentence' | 'afterWordEnd' | 'afterWordChar' | 'afterSentenceEnd' | 'beforeLastWord';
type Transform = (state: State, chunk: string) => string;

/** citeproc-js's inline markup; the tags a case change does not enter (nocase, small caps, sub- and superscript). */
const TAG = /<\/?(?:i|b|sc|sub|sup)>|<span\b[^>]*>|<\/span>/g;
const OPAQUE_OPEN = /^<(?:sc|sub|sup)>$|^<span\b/;

const isAlnum = (c: string): boolean => /^[\p{L}\p{N}]$/u.test(c);
const isSpace = (c: string): boolean => /^\s$/u.test(c);
const isWordBreak = (c: string): boolean => c === '-' || c === '/' || c === '\u2013' || c === '\u2014' || isSpace(c);
const hasUpper = (t: string): boolean => /\p{Lu}/u.test(t);
const hasLower = (t: string): boolean => /\p{Ll}/u.test(t);
const allUpper = (t: string): boolean => /^\p{Lu}+$/u.test(t);
const allLower = (t: string): boolean => /^\p{Ll}+$/u.test(t);
const capitalize = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);

/** citeproc-hs's title case of one word chunk (letters and digits) in the state before it. */
const titleWord: Transform = (state, chunk) => {
  if ((hasUpper(chunk) && hasLower(chunk)) || allUpper(chunk)) return chunk;
  if (state === 'start' || state === 'startSentence') return capitalize(chunk.toLowerCase());
  if (state === 'afterWordEnd' && !STOP_WORDS.has(chunk) && chunk.length > 1) return capitalize(chunk.toLowerCase());
  if (state === 'beforeLastWord' && chunk.length > 1) return capitalize(chunk.toLowerCase());
  return chunk;
};

/** citeproc-hs's capitalize-first: the first word, when it is all lower-case letters ("icalp95" stays). */
const firstWord: Transform = (state, chunk) => (state === 'start' && allLower(chunk) ? capitalize(chunk) : chunk);

/** The state after `text` (citeproc-hs looks only at its last character). */
function next(state: State, text: string): State {
  const c = [...text].pop();
  if (c === undefined) return state;
  if (c === '.' || c === '?' || c === '!' || c === ':') return 'afterSentenceEnd';
  if (isAlnum(c)) return 'afterWordChar';
  if (isSpace(c) && state === 'afterSentenceEnd') return 'startSentence';
  if (isWordBreak(c)) return 'afterWordEnd';
  return state;
}

/** Chunks as citeproc-hs splits text: runs of letters and digits, runs of spaces, single other characters. */
function chunks(text: string): string[] {
  const kind = (c: string): number => (isAlnum(c) ? 1 : isSpace(c) ? 2 : 0);
  const out: string[] = [];
  for (const c of text) {
    const last = out[out.length - 1];
    if (last !== undefined && kind(c) !== 0 && kind(c) === kind([...last].pop() as string)) out[out.length - 1] = last + c;
    else out.push(c);
  }
  return out;
}

function transform(text: string, word: Transform): string {
  const pieces = text.split(new RegExp(`(${TAG.source})`, 'g'));
  // The last word, when it stands alone at the end (no hyphen or slash in it) after other text: citeproc-hs
  // capitalises it even if it is a stop word.
  let lastPiece = pieces.length - 1;
  while (lastPiece > 0 && pieces[lastPiece] === '') lastPiece--;
  const lastWord = lastPiece % 2 === 0 ? /(^|\s)(\S+)$/u.exec(pieces[lastPiece]) : null;
  const alone = lastWord !== null && ![...lastWord[2]].some(isWordBreak) && !/["“”‘]|^['’]|['’]$/.test(lastWord[2]);
  const lastWordStart = lastWord && alone && (lastWord.index + lastWord[1].length > 0 || lastPiece > 0)
    ? lastWord.index + lastWord[1].length : -1;
  let state: State = 'start';
  let opaque = 0;
  const closers: boolean[] = [];
  let out = '';
  pieces.forEach((piece, index) => {
    if (index % 2 === 1) {
      if (piece.startsWith('</')) {
        if (closers.pop()) opaque--;
      } else {
        const isOpaque = OPAQUE_OPEN.test(piece) && !/font-style|font-weight/.test(piece);
        closers.push(isOpaque);
        if (isOpaque) opaque++;
      }
      out += piece;
      return;
    }
    if (opaque > 0) {
      state = next(state, piece);
      out += piece;
      return;
    }
    let offset = 0;
    for (const chunk of chunks(piece)) {
      if (index === lastPiece && offset === lastWordStart && (state === 'afterWordEnd' || state === 'startSentence' || state === 'start')) {
        state = 'beforeLastWord';
      }
      offset += chunk.length;
      const before = state;
      state = next(state, chunk);
      out += isAlnum(chunk[0]) ? word(before, chunk) : chunk;
    }
  });
  return out;
}

/** Title case of a rendered variable, as citeproc-hs does it. */
export function pandocTitleCase(text: string): string {
  return transform(text, titleWord);
}

/** Capitalize-first of a rendered variable, as citeproc-hs does it. */
export function pandocCapitalizeFirst(text: string): string {
  return transform(text, firstWord);
}
