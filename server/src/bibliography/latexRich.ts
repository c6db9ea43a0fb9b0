// LaTeX field text → CSL rich text (`<i>`, `<b>`, small caps, `<span class="nocase">`), with the sentence casing
// pandoc's BibLaTeX reader applies to English titles. One pass over the input, an explicit stack, no recursion.
import { ACCENT_COMMANDS } from '../util/latexCommands';
import { latexToUnicode } from './latexText';

/** A stretch of decoded text with one formatting. */
export interface TextRun {
  text: string;
  /** Inside `{…}`: the case of the text is the author's (pandoc's protected span). */
  braced: boolean;
  /** CSL markup around the run, outermost first: 'i', 'b', 'sc', 'sup', 'sub'. */
  marks: string[];
}

/** Commands that format their argument, and the CSL markup they become ('' keeps the text plain). */
const FORMATTING: ReadonlyMap<string, string> = new Map([
  ['emph', 'i'], ['textit', 'i'], ['textsl', 'i'], ['mkbibemph', 'i'], ['mkbibitalic', 'i'], ['em', 'i'], ['it', 'i'],
  ['textbf', 'b'], ['mkbibbold', 'b'], ['bf', 'b'],
  ['textsc', 'sc'], ['sc', 'sc'], ['textsuperscript', 'sup'], ['mkbibsuperscript', 'sup'], ['textsubscript', 'sub'],
  ['textnormal', ''], ['textrm', ''], ['textsf', ''], ['texttt', ''], ['textup', ''], ['textmd', ''], ['mbox', ''],
  ['text', ''], ['hbox', ''], ['enquote', 'q'], ['mkbibquote', 'q'], ['NoCaseChange', ''],
]);
/** Commands pandoc keeps as raw LaTeX, which the rendered reference drops with their arguments. */
const DROPPED = new Set(['label', 'index', 'cite', 'ref', 'footnote']);
/** Markup whose text a case change leaves alone (citeproc does not descend into them). */
const CASE_OPAQUE = new Set(['sc', 'sup', 'sub']);

interface Frame {
  braced: boolean;
  mark?: string;
}

/** Splits LaTeX text into runs; commands other than formatting ones are decoded by latexToUnicode. */
export function latexRuns(s: string): TextRun[] {
  const runs: TextRun[] = [];
  const stack: Frame[] = [];
  let raw = '';
  const flush = (): void => {
    if (raw === '') return;
    const text = latexToUnicode(raw.replace(/^\s+/, '\u0001').replace(/\s+$/, '\u0002')).replace('\u0001', ' ').replace('\u0002', ' ');
    raw = '';
    if (text === '') return;
    const braced = stack.some((frame) => frame.braced);
    const marks = stack.filter((frame) => frame.mark).map((frame) => frame.mark as string);
    const last = runs[runs.length - 1];
    if (last && last.braced === braced && last.marks.join() === marks.join()) last.text += text;
    else runs.push({ text, braced, marks });
  };
  const groupEnd = (open: number): number => {
    let level = 0;
    for (let j = open; j < s.length; j++) {
      if (s[j] === '\\') j++;
      else if (s[j] === '{') level++;
      else if (s[j] === '}' && --level === 0) return j + 1;
    }
    return s.length;
  };
  let openSingles = 0;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      const name = /^[A-Za-z]+/.exec(s.slice(i + 1, i + 40))?.[0] ?? '';
      // A control symbol (`\"`, `\'`) is one character long; its argument follows it directly.
      let after = i + 1 + (name === '' ? 1 : name.length);
      while (after < s.length && s[after] === ' ' && name !== '') after++;
      const mark = FORMATTING.get(name);
      if (name !== '' && mark !== undefined && s[after] === '{') {
        flush();
        stack.push({ braced: false, mark: mark === '' ? undefined : mark });
        if (mark === 'q') raw += '“';
        i = after + 1;
        continue;
      }
      if (name !== '' && mark !== undefined) {
        i = after; // a declaration (`\em`, `\bf`) without an argument: its group keeps the text as is
        continue;
      }
      if (DROPPED.has(name)) {
        i = s[after] === '{' ? groupEnd(after) : after;
        continue;
      }
      // Any other command goes to the decoder with its braced argument, or an accent with its letter.
      let end = name === '' ? i + 2 : i + 1 + name.length;
      const accent = ACCENT_COMMANDS.has(name === '' ? s[i + 1] ?? '' : name);
      if (s[after] === '{') end = groupEnd(after);
      else if (accent) end = Math.min(s.length, after + 1);
      raw += s.slice(i, end);
      i = end;
      continue;
    }
    if (c === '$') {
      // Inline math is pandoc's Math element: no case change reaches it, and plain output prints its TeX source.
      const close = mathEnd(s, i);
      if (close > 0) {
        flush();
        const source = s.slice(i + 1, close).trim();
        if (source !== '') runs.push({ text: source, braced: true, marks: stack.filter((f) => f.mark).map((f) => f.mark as string) });
        i = close + 1;
        continue;
      }
    }
    if (c === '{') {
      // `{\'e}` and `{\ss}` are one letter, not protected text.
      const end = s[i + 1] === '\\' ? groupEnd(i) : i;
      if (end - i <= 12 && /^\{\\(?:[^A-Za-z]|[A-Za-z]+\s*)\{?[A-Za-z]?\}?\}$/.test(s.slice(i, end))) {
        raw += s.slice(i, end);
        i = end;
        continue;
      }
      flush();
      stack.push({ braced: true });
      i++;
      continue;
    }
    if (c === '}') {
      flush();
      const frame = stack.pop();
      if (frame?.mark === 'q') raw += '”';
      i++;
      continue;
    }
    if (c === '`' || c === "'" || c === '‘' || c === '’' || c === '“' || c === '”') {
      // Quotation marks (TeX's or typographic) become `"`, which citeproc prints as the style's quotes (pandoc's
      // Quoted); `'` inside a word, or with no open quote, is an apostrophe.
      const doubled = (c === '`' || c === "'") && s[i + 1] === c;
      if (doubled || c === '“' || c === '”') raw += '"';
      else if (c === '`' || c === '‘') {
        openSingles++;
        raw += '"';
      } else if (openSingles > 0 && !/[\p{L}\p{N}]/u.test(s[i + 1] ?? '')) {
        openSingles--;
        raw += '"';
      } else raw += '’';
      i += doubled ? 2 : 1;
      continue;
    }
    raw += c;
    i++;
  }
  flush();
  // Quotes closing a `\enquote` were added to the raw text after the frame closed; fix their runs' marks.
  return runs.map((run) => ({ ...run, marks: run.marks.filter((mark) => mark !== 'q') }));
}

/** Where the inline math opened by the `$` at `open` closes (its closing `$`), or -1 when it does not. */
function mathEnd(s: string, open: number): number {
  for (let j = open + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '$') return j > open + 1 ? j : -1;
  }
  return -1;
}

type CaseState = 'start' | 'startSentence' | 'afterWordEnd' | 'afterWordChar' | 'afterSentenceEnd' | 'beforeLastWord';

const isAlnum = (c: string): boolean => /[\p{L}\p{N}]/u.test(c);
const isWordBreak = (c: string): boolean => c === '-' || c === '/' || c === '\u2013' || c === '\u2014' || /\s/.test(c);

/** Chunks as citeproc-hs splits a string: runs of ASCII letters/digits, of other letters/digits, of spaces, or one other character. */
function chunks(text: string): string[] {
  const kind = (c: string): number => (isAlnum(c) ? (c.charCodeAt(0) < 128 ? 1 : 2) : /\s/.test(c) ? 3 : 0);
  const out: string[] = [];
  for (const c of text) {
    const last = out[out.length - 1];
    if (last !== undefined && kind(c) !== 0 && kind(c) === kind(last[last.length - 1])) out[out.length - 1] = last + c;
    else out.push(c);
  }
  return out;
}

const isCapitalized = (w: string): boolean => /^\p{Lu}\p{Ll}*$/u.test(w) && w.length > 0;
/** Every character a lower-case letter (so "icalp95", with digits, is not: citeproc-hs leaves it as it is). */
const isAllLower = (w: string): boolean => /^\p{Ll}+$/u.test(w);

/**
 * Sentence case as pandoc applies it to English BibLaTeX titles (citeproc's `SentenceCase` with braces protected):
 * a capitalised word ("Title") is lowercased unless it starts the title or a sentence (after `.`, `?`, `!` or `:`
 * and a space), where it is capitalised; words with other capitals ("NASA", "iPhone") and braced text stay. Like
 * pandoc, the last word of a title is never capitalised ("Word: last").
 */
export function sentenceCase(runs: TextRun[]): TextRun[] {
  let state: CaseState = 'start';
  const lastRun = runs[runs.length - 1];
  // The title's last word, when it is plain text on its own (pandoc's `BeforeLastWord` rule).
  let lastWordStart = -1;
  if (lastRun && !lastRun.braced && lastRun.marks.length === 0) {
    const match = /(^|\s)(\S+)$/.exec(lastRun.text);
    if (match && ![...match[2]].some((ch) => isWordBreak(ch) || ch === '"') && (runs.length > 1 || match.index + match[1].length > 0)) lastWordStart = match.index + match[1].length;
  }
  const advance = (chunk: string): void => {
    const c = chunk.replace(/"+$/, '')[chunk.replace(/"+$/, '').length - 1];
    if (c === undefined) return;
    if (c === '.' || c === '?' || c === '!' || c === ':') state = 'afterSentenceEnd';
    else if (isAlnum(c)) state = 'afterWordChar';
    else if (/\s/.test(c) && state === 'afterSentenceEnd') state = 'startSentence';
    else if (isWordBreak(c)) state = 'afterWordEnd';
    // Other punctuation (a quote, a parenthesis) leaves the state as it was: "'What i see'", "? (You".
  };
  return runs.map((run, index) => {
    if (run.braced || run.marks.some((mark) => CASE_OPAQUE.has(mark))) {
      advance(run.text);
      return run;
    }
    let text = '';
    let offset = 0;
    for (const chunk of chunks(run.text)) {
      if (index === runs.length - 1 && offset === lastWordStart && (state === 'afterWordEnd' || state === 'startSentence' || state === 'start')) {
        state = 'beforeLastWord';
      }
      offset += chunk.length;
      const atStart = state === 'start' || state === 'startSentence';
      let out = chunk;
      if (isAlnum(chunk[0])) {
        if (isCapitalized(chunk) && !atStart) out = chunk.toLowerCase();
        else if ((isCapitalized(chunk) || isAllLower(chunk)) && atStart) out = chunk.charAt(0).toUpperCase() + chunk.slice(1).toLowerCase();
      }
      advance(chunk);
      text += out;
    }
    return { ...run, text };
  });
}

const OPEN: Record<string, string> = { i: '<i>', b: '<b>', sc: '<span style="font-variant:small-caps;">', sup: '<sup>', sub: '<sub>', nocase: '<span class="nocase">' };
const CLOSE: Record<string, string> = { i: '</i>', b: '</b>', sc: '</span>', sup: '</sup>', sub: '</sub>', nocase: '</span>' };

/**
 * CSL rich text of runs. Braced text becomes a nocase span only where it holds a word starting in lowercase
 * ("{de Gaulle}", "{iPhone}"), as pandoc does: other braced words need no protection from title case.
 */
export function runsToCsl(runs: TextRun[]): string {
  let out = '';
  let open: string[] = [];
  const pieces = runs.map((run) => ({ text: run.text, marks: run.braced && /(^|[\s\p{P}])\p{Ll}/u.test(run.text) ? [...run.marks, 'nocase'] : run.marks }));
  // Letters right after a protected group belong to its word ("{m}anifold"): citeproc-hs leaves the word alone.
  for (let k = 0; k + 1 < pieces.length; k++) {
    const next = pieces[k + 1];
    if (pieces[k].marks[pieces[k].marks.length - 1] !== 'nocase' || next.marks.join() !== pieces[k].marks.slice(0, -1).join()) continue;
    const letters = /^[\p{L}\p{N}]+/u.exec(next.text)?.[0] ?? '';
    pieces[k].text += letters;
    next.text = next.text.slice(letters.length);
  }
  for (const run of pieces) {
    const wanted = run.marks;
    let common = 0;
    while (common < open.length && common < wanted.length && open[common] === wanted[common]) common++;
    for (let k = open.length - 1; k >= common; k--) out += CLOSE[open[k]];
    for (let k = common; k < wanted.length; k++) out += OPEN[wanted[k]];
    open = wanted;
    out += run.text;
  }
  for (let k = open.length - 1; k >= 0; k--) out += CLOSE[open[k]];
  return out.replace(/\s+/g, ' ').trim();
}

/** Plain text of runs. */
export function runsToText(runs: TextRun[]): string {
  return runs.map((run) => run.text).join('').replace(/\s+/g, ' ').trim();
}
