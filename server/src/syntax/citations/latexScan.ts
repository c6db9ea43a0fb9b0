// First pass over a LaTeX text: finds the commands worth a closer look, skips comments and verbatim,
// and pairs every `{`, `[` and `(` with its closer so later argument reading can jump instead of rescanning.
import type { EmbeddedFile } from '../types';

/** A control word (`\cite`, `\citet*`, ...) found outside comments and verbatim. */
export interface CommandToken {
  /** Name without the backslash and without the star. */
  name: string;
  starred: boolean;
  /** Offset of the backslash. */
  start: number;
  /** Offset just after the name (and the star, if any). */
  end: number;
}

export interface LatexScan {
  /** Commands whose names the caller asked for, in document order. */
  commands: CommandToken[];
  /** For an offset holding `{`, `[` or `(`, the offset of its matching closer; -1 when unmatched or not an opener. */
  closerAt: Int32Array;
  /** The first `% !TEX root = ...` value, trimmed. */
  magicRoot?: string;
  /** `filecontents` environments, in document order. */
  embeddedFiles: EmbeddedFile[];
}

const VERBATIM_ENVIRONMENTS = new Set([
  'verbatim', 'Verbatim', 'BVerbatim', 'LVerbatim', 'lstlisting', 'minted', 'comment', 'filecontents',
]);

const BACKSLASH = 92, PERCENT = 37, NEWLINE = 10, CARRIAGE_RETURN = 13;
const OPEN_BRACE = 123, CLOSE_BRACE = 125, OPEN_BRACKET = 91, CLOSE_BRACKET = 93, OPEN_PAREN = 40, CLOSE_PAREN = 41;
const STAR = 42;

const MAGIC_ROOT = /^%\s*!\s*tex\s+root\s*=\s*(.*?)\s*$/i;

export function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === NEWLINE || code === CARRIAGE_RETURN;
}

/** Offset of the end of the line containing `from` (the line break itself, or the text length). */
export function endOfLine(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE || c === CARRIAGE_RETURN) return i;
  }
  return text.length;
}

/**
 * Scans `text` once. Only commands named in `interesting` are recorded; `\verb`, `\lstinline` and
 * `\begin{verbatim-like}` are handled here because they change how the following characters read.
 */
export function scanLatex(text: string, interesting: ReadonlySet<string>): LatexScan {
  const length = text.length;
  const closerAt = new Int32Array(length).fill(-1);
  const commands: CommandToken[] = [];
  let magicRoot: string | undefined;
  const embeddedFiles: EmbeddedFile[] = [];

  // Open braces as offsets; brackets and parentheses remember the brace depth they were opened at,
  // so a `]` or `)` only closes an opener in the same brace group.
  const braces: number[] = [];
  const brackets: number[] = [];
  const bracketDepths: number[] = [];
  const parens: number[] = [];
  const parenDepths: number[] = [];

  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      let nameEnd = i + 1;
      while (nameEnd < length && isLetter(text.charCodeAt(nameEnd))) nameEnd++;
      if (nameEnd === i + 1) {
        i += 2; // control symbol such as \% \{ \\ — the next character is taken literally
        continue;
      }
      const name = text.slice(i + 1, nameEnd);
      const starred = text.charCodeAt(nameEnd) === STAR;
      const end = starred ? nameEnd + 1 : nameEnd;
      if (name === 'verb' || (name === 'lstinline' && text.charCodeAt(end) !== OPEN_BRACKET)) {
        i = skipInlineVerbatim(text, end);
        continue;
      }
      if (name === 'begin') {
        const skipTo = skipVerbatimEnvironment(text, nameEnd);
        if (skipTo !== undefined) {
          const embedded = embeddedFileAt(text, nameEnd, skipTo);
          if (embedded) embeddedFiles.push(embedded);
          i = skipTo;
          continue;
        }
      }
      if (interesting.has(name)) commands.push({ name, starred, start: i, end });
      i = nameEnd;
      continue;
    }
    if (c === PERCENT) {
      const lineEnd = endOfLine(text, i);
      if (magicRoot === undefined) {
        const match = MAGIC_ROOT.exec(text.slice(i, Math.min(lineEnd, i + 1000)));
        if (match && match[1]) magicRoot = match[1];
      }
      i = lineEnd;
      continue;
    }
    if (c === OPEN_BRACE) {
      braces.push(i);
    } else if (c === CLOSE_BRACE) {
      const open = braces.pop();
      if (open !== undefined) closerAt[open] = i;
      const depth = braces.length;
      while (bracketDepths.length > 0 && bracketDepths[bracketDepths.length - 1] > depth) {
        brackets.pop();
        bracketDepths.pop();
      }
      while (parenDepths.length > 0 && parenDepths[parenDepths.length - 1] > depth) {
        parens.pop();
        parenDepths.pop();
      }
    } else if (c === OPEN_BRACKET) {
      brackets.push(i);
      bracketDepths.push(braces.length);
    } else if (c === CLOSE_BRACKET) {
      if (bracketDepths.length > 0 && bracketDepths[bracketDepths.length - 1] === braces.length) {
        closerAt[brackets.pop()!] = i;
        bracketDepths.pop();
      }
    } else if (c === OPEN_PAREN) {
      parens.push(i);
      parenDepths.push(braces.length);
    } else if (c === CLOSE_PAREN) {
      if (parenDepths.length > 0 && parenDepths[parenDepths.length - 1] === braces.length) {
        closerAt[parens.pop()!] = i;
        parenDepths.pop();
      }
    }
    i++;
  }
  return { commands, closerAt, magicRoot, embeddedFiles };
}

/** `\verb|...|` (any delimiter; also `\lstinline{...}`): returns the offset after the verbatim text. */
function skipInlineVerbatim(text: string, from: number): number {
  if (from >= text.length) return from;
  const open = text.charCodeAt(from);
  if (isLetter(open) || isSpace(open)) return from; // not a verbatim delimiter; LaTeX would complain
  const close = open === OPEN_BRACE ? CLOSE_BRACE : open;
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === close) return i + 1;
    if (c === NEWLINE || c === CARRIAGE_RETURN) return i; // LaTeX stops a \verb at the end of the line
  }
  return text.length;
}

/**
 * After `\begin`, for a `filecontents` environment that ends before `skipTo`: the file it writes.
 * `\begin{filecontents}[options]{name}` (also `filecontents*`, and options after the name as older LaTeX had them);
 * the content starts on the next line and ends at `\end{filecontents}`.
 */
function embeddedFileAt(text: string, from: number, skipTo: number): EmbeddedFile | undefined {
  const head = /^\s*\{(filecontents\*?)\}\s*(?:\[[^\]\n]*\]\s*)?\{([^{}\n]*)\}/.exec(text.slice(from, Math.min(skipTo, from + 400)));
  if (!head || !head[2].trim()) return undefined;
  const endMarker = `\\end{${head[1]}}`;
  const nameStart = from + head[0].length - 1 - head[2].length;
  const lineEnd = endOfLine(text, from + head[0].length);
  const contentStart = Math.min(skipTo, lineEnd + (text.startsWith('\r\n', lineEnd) ? 2 : 1));
  const close = text.lastIndexOf(endMarker, skipTo);
  const contentEnd = close >= contentStart ? close : skipTo;
  const leading = head[2].length - head[2].trimStart().length;
  const name = head[2].trim();
  return { name, nameRange: { start: nameStart + leading, end: nameStart + leading + name.length }, content: { start: contentStart, end: contentEnd } };
}

/**
 * After `\begin`: when the environment is verbatim-like, returns the offset after its `\end{name}`
 * (or the end of the text); otherwise undefined.
 */
function skipVerbatimEnvironment(text: string, from: number): number | undefined {
  let i = from;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  const nameLength = text.slice(i + 1, i + 42).indexOf('}'); // environment names are short
  if (nameLength < 0) return undefined;
  const close = i + 1 + nameLength;
  const name = text.slice(i + 1, close);
  const base = name.endsWith('*') ? name.slice(0, -1) : name;
  if (!VERBATIM_ENVIRONMENTS.has(base)) return undefined;
  const endMarker = `\\end{${name}}`;
  const end = text.indexOf(endMarker, close + 1);
  return end < 0 ? text.length : end + endMarker.length;
}
