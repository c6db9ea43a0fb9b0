// Where a citation key is being typed, found lexically around the cursor (the parser cannot be trusted with
// unfinished input): Markdown `@key`/`@{key}`, and LaTeX key lists of the parser's cite commands.
import { citeCommands, type CiteCommand } from './latexCiteCommands';
import { isKeyCodePoint } from './markdownCiteKey';
import type { TextRange } from '../types';

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

/**
 * The LaTeX key being typed at `offset`: inside the key list of a cite command of the parser's table (or the
 * settings' extra ones), after `{` or `,` (`\citep[p.~3]{a, gere|}`, `\cites{a}{gere|}`, `\cite<e.g.,>{gere|}`,
 * `\cite{{gere|}}`). Spaces inside what was typed are kept, so `\cite{gereffi upgr|` searches for both words.
 */
export function latexKeyAt(text: string, offset: number, extraCiteCommands: readonly string[] = []): KeyInProgress | undefined {
  // Back to the `{` or `,` that starts this key, on this line.
  let start = offset;
  while (start > 0 && !LATEX_KEY_END.has(text[start - 1]) && text[start - 1] !== '\n') start--;
  const delimiter = text[start - 1];
  if (delimiter !== '{' && delimiter !== ',') return undefined;
  if (inLatexComment(text, offset)) return undefined;
  while (start < offset && /\s/.test(text[start])) start++;
  const open = keyListOpener(text, start - 1);
  const call = open === undefined ? undefined : commandBefore(text, open);
  if (!call || !takesKeysThere(call, citeCommands(extraCiteCommands).get(call.name))) return undefined;
  let end = offset;
  while (end < text.length && !LATEX_KEY_END.has(text[end]) && !/\s/.test(text[end])) end++;
  return { query: text.slice(start, offset), range: { start, end }, braced: false };
}

/** Whether the arguments stepped over before the key list fit the command's shape, as the parser reads it. */
function takesKeysThere(call: CommandCall, cite: CiteCommand | undefined): boolean {
  if (!cite || (call.prefixes > 0 && !cite.prefix) || call.prefixes > 1) return false;
  switch (cite.shape) {
    case 'single': return call.braceGroups === 0 && call.parenGroups === 0;
    case 'pair': return call.braceGroups <= 1 && call.parenGroups === 0;
    case 'volume': return call.braceGroups === 1 && call.parenGroups === 0;
    case 'multi':
    case 'multivolume': return call.parenGroups <= 2;
    case 'extra': return call.parenGroups === 0;
  }
}

/** Whether the `{` at `at` opens a braced key inside a list (`\cite{a,{b}}`): a `,` or `{` comes before it. */
function opensBracedKey(text: string, at: number): boolean {
  let p = at - 1;
  while (p >= 0 && /\s/.test(text[p])) p--;
  return text[p] === ',' || (text[p] === '{' && p > 0);
}

/**
 * The `{` that opens the key list holding the delimiter at `from` (a `{` or `,`), stepping back over keys, commas
 * and braced keys; undefined when something else comes first.
 */
function keyListOpener(text: string, from: number): number | undefined {
  let p = from;
  while (p >= 0 && p > from - LATEX_LOOKBACK) {
    const c = text[p];
    if (c === '{') {
      if (!opensBracedKey(text, p)) return p;
      p--;
    } else if (c === '}') {
      const opener = matchingOpener(text, p, '}', '{');
      if (opener < 0 || !opensBracedKey(text, opener)) return undefined;
      p = opener - 1;
    } else if (c === '\\' || c === '%') {
      return undefined;
    } else {
      p--;
    }
  }
  return undefined;
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

/** A command and the arguments written between its name and a key list. */
interface CommandCall {
  name: string;
  braceGroups: number;
  parenGroups: number;
  /** apacite's `<prefix>` groups. */
  prefixes: number;
}

/**
 * The command whose argument opens at `open` (a `{`), stepping back over optional `[...]`, multicite `(...)`
 * notes, apacite `<...>` prefixes and earlier `{...}` arguments (`\cites[a]{x}[b]{y}`, `\volcite{3}[12]{key}`).
 */
function commandBefore(text: string, open: number): CommandCall | undefined {
  const call: CommandCall = { name: '', braceGroups: 0, parenGroups: 0, prefixes: 0 };
  let p = open - 1;
  for (let groups = 0; groups < 32; groups++) {
    while (p >= 0 && /\s/.test(text[p])) p--;
    const c = text[p];
    const opener = c === ']' ? '[' : c === ')' ? '(' : c === '}' ? '{' : c === '>' ? '<' : undefined;
    if (opener) {
      p = opener === '<' ? text.lastIndexOf('<', p) : matchingOpener(text, p, c, opener);
      if (p < 0 || (opener === '<' && text.slice(p, open).includes('\n\n'))) return undefined;
      if (opener === '{') call.braceGroups++;
      else if (opener === '(') call.parenGroups++;
      else if (opener === '<') call.prefixes++;
      p--;
      continue;
    }
    while (text[p] === '*') p--;
    let nameStart = p;
    while (nameStart >= 0 && /[A-Za-z@]/.test(text[nameStart])) nameStart--;
    if (nameStart === p || text[nameStart] !== '\\') return undefined;
    call.name = text.slice(nameStart + 1, p + 1);
    return call;
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
