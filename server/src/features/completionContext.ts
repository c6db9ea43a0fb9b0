// Where a citation key is being typed, found lexically around the cursor (the parser cannot be trusted with
// unfinished input): Markdown `@key`/`@{key}`, and LaTeX key lists of \cite-like commands.
import { isKeyCodePoint } from '../syntax/citations/markdownCiteKey';
import type { TextRange } from '../syntax/types';

export interface KeyInProgress {
  /** What was typed of the key, from its start to the cursor. */
  query: string;
  /** The whole key under the cursor (also the part after it), to be replaced. */
  range: TextRange;
  /** Markdown `@{...}`: any key can be inserted as is. */
  braced: boolean;
}

/** Pandoc allows these inside a key when a key character follows. */
const INTERNAL_PUNCTUATION = new Set([...':.#$%&-+?<>~/']);
/** How far back to look for the start of a LaTeX key list. */
const LATEX_LOOKBACK = 2000;

function isKeyChar(text: string, at: number): boolean {
  const code = text.codePointAt(at);
  return code !== undefined && isKeyCodePoint(code);
}

/** Whether `text[at]` belongs to a bare Pandoc key: a key character, or internal punctuation followed by one. */
function inBareKey(text: string, at: number): boolean {
  if (at < 0 || at >= text.length) return false;
  if (isKeyChar(text, at)) return true;
  // A low surrogate: part of an astral key character.
  const code = text.charCodeAt(at);
  if (code >= 0xdc00 && code <= 0xdfff) return at > 0 && isKeyChar(text, at - 1);
  return INTERNAL_PUNCTUATION.has(text[at]) && isKeyChar(text, at + 1);
}

/** The Markdown key being typed at `offset`, or undefined when the cursor is not in a citation key. */
export function markdownKeyAt(text: string, offset: number, crossrefPrefixes: readonly string[] = []): KeyInProgress | undefined {
  let start = offset;
  let braced = false;
  // Braced `@{...}`: look back on this line for `@{` with no `}` or whitespace in between.
  for (let p = offset - 1; p >= 0 && p >= offset - 200; p--) {
    const c = text[p];
    if (c === '}' || /\s/.test(c)) break;
    if (c === '{' && text[p - 1] === '@') {
      braced = true;
      start = p + 1;
      break;
    }
  }
  if (!braced) {
    while (start > 0 && inBareKey(text, start - 1) && (start < offset || isKeyChar(text, start - 1))) start--;
  }
  const at = braced ? start - 2 : start - 1;
  if (text[at] !== '@') return undefined;
  // `me@example.org`: an `@` right after a word character (or an escaped `\@`) is not a citation.
  const before = at > 0 ? text[at - 1] : '';
  if (before && (isKeyChar(text, at - 1) || before === '\\' || before === '@' || before === '`')) return undefined;
  let end = offset;
  if (braced) {
    while (end < text.length && text[end] !== '}' && !/\s/.test(text[end])) end++;
  } else {
    while (end < text.length && inBareKey(text, end)) end++;
  }
  const query = text.slice(start, offset);
  if (!braced && crossrefPrefixes.some((prefix) => query.startsWith(prefix))) return undefined;
  if (insideMarkdownCode(text, at)) return undefined;
  return { query, range: { start, end }, braced };
}

/** Inside a fenced code block (``` or ~~~) or an inline code span on the same line. A cheap local check. */
function insideMarkdownCode(text: string, at: number): boolean {
  let fence: string | undefined;
  const fencePattern = /^ {0,3}(`{3,}|~{3,})/gm;
  for (let match = fencePattern.exec(text); match && match.index < at; match = fencePattern.exec(text)) {
    const marker = match[1];
    if (!fence) fence = marker;
    else if (marker[0] === fence[0] && marker.length >= fence.length && /^\s*$/.test(lineRest(text, match.index + match[0].length))) fence = undefined;
  }
  if (fence) return true;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const line = text.slice(lineStart, at);
  let open: number | undefined;
  for (const run of line.matchAll(/`+/g)) {
    if (open === undefined) open = run[0].length;
    else if (run[0].length === open) open = undefined;
  }
  return open !== undefined;
}

function lineRest(text: string, from: number): string {
  const end = text.indexOf('\n', from);
  return text.slice(from, end < 0 ? text.length : end);
}

/** Characters that end a LaTeX key (besides whitespace). */
const LATEX_KEY_END = new Set([',', '{', '}', '%', '\\']);

/** Whether a command name takes a key list: its name contains `cite` (any case), or the settings list it. */
function isCiteCommand(name: string, extra: readonly string[]): boolean {
  return name.toLowerCase().includes('cite') || extra.some((command) => command.replace(/^\\/, '').replace(/\*$/, '') === name);
}

/**
 * The LaTeX key being typed at `offset`: inside the key list of a `\cite`-like command, after `{` or `,`
 * (`\citep[p.~3]{a, gere|}`, `\cites{a}{gere|}`). Spaces inside what was typed are kept, so `\cite{gereffi upgr|`
 * searches for both words.
 */
export function latexKeyAt(text: string, offset: number, extraCiteCommands: readonly string[] = []): KeyInProgress | undefined {
  // Back to the `{` or `,` that starts this key, on this line.
  let start = offset;
  while (start > 0 && !LATEX_KEY_END.has(text[start - 1]) && text[start - 1] !== '\n') start--;
  const delimiter = text[start - 1];
  if (delimiter !== '{' && delimiter !== ',') return undefined;
  if (inLatexComment(text, offset)) return undefined;
  // Back from the delimiter to the `{` that opens the key list: only keys, commas and whitespace in between.
  let open = start - 1;
  while (start < offset && /\s/.test(text[start])) start++;
  if (delimiter === ',') {
    while (open > 0 && open > offset - LATEX_LOOKBACK && text[open] !== '{') {
      if (text[open] === '}' || text[open] === '\\' || text[open] === '%') return undefined;
      open--;
    }
    if (text[open] !== '{') return undefined;
  }
  const command = commandBefore(text, open);
  if (!command || !isCiteCommand(command, extraCiteCommands)) return undefined;
  let end = offset;
  while (end < text.length && !LATEX_KEY_END.has(text[end]) && !/\s/.test(text[end])) end++;
  return { query: text.slice(start, offset), range: { start, end }, braced: false };
}

/** A `%` earlier on the line that is not escaped as `\%`. */
function inLatexComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  for (let p = lineStart; p < offset; p++) {
    if (text[p] === '\\') p++;
    else if (text[p] === '%') return true;
  }
  return false;
}

/**
 * The name of the command whose argument opens at `open` (a `{`), stepping back over optional `[...]`, multicite
 * `(...)` notes and earlier `{...}` arguments (`\cites[a]{x}[b]{y}`, `\volcite{3}[12]{key}`).
 */
function commandBefore(text: string, open: number): string | undefined {
  let p = open - 1;
  for (let groups = 0; groups < 32; groups++) {
    while (p >= 0 && /\s/.test(text[p])) p--;
    const c = text[p];
    const opener = c === ']' ? '[' : c === ')' ? '(' : c === '}' ? '{' : undefined;
    if (opener) {
      p = matchingOpener(text, p, c, opener);
      if (p < 0) return undefined;
      p--;
      continue;
    }
    if (c === '*') p--;
    let nameStart = p;
    while (nameStart >= 0 && /[A-Za-z@]/.test(text[nameStart])) nameStart--;
    if (nameStart === p || text[nameStart] !== '\\') return undefined;
    return text.slice(nameStart + 1, p + 1);
  }
  return undefined;
}

/** Backwards from a closer at `close` to its opener, balancing nested pairs; -1 when there is none nearby. */
function matchingOpener(text: string, close: number, closer: string, opener: string): number {
  let depth = 0;
  for (let p = close; p >= 0 && p > close - LATEX_LOOKBACK; p--) {
    if (text[p] === closer && text[p - 1] !== '\\') depth++;
    else if (text[p] === opener && text[p - 1] !== '\\' && --depth === 0) return p;
  }
  return -1;
}
