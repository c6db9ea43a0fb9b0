// What Insert Citation writes at the cursor for a list of keys, per document language: a whole citation (`[@a; @b]`,
// `\cite{a,b}`, `@a @b`, `{cite:p}`a, b``) or, inside one already, just the keys with the right separators. Pure.
import { isBareMarkdownKey } from './markdownCiteKey';
import { citeCommands } from './latexCiteCommands';
import { fitsMystRole } from './mystKeyAt';
import { MYST_CITE_ROLES } from './mystRoles';
import { isBareTypstKey, typstString } from './typstKeyAt';
import { jsonStringContent } from './notebookKeyAt';

/** Text to insert at the cursor, after deleting `deleteBefore` characters (blanks, a typed `@`) left of it. */
export interface CitationInsertion {
  text: string;
  deleteBefore: number;
}

/**
 * `lineBefore`/`lineAfter`: the cursor's line left and right of it; `keys`: one or more keys, in citation order.
 * The same signature for every language (the dialects' `citationInsertion`).
 */
export type CitationInserter = (lineBefore: string, lineAfter: string, keys: readonly string[]) => CitationInsertion;

const NOTHING: CitationInsertion = { text: '', deleteBefore: 0 };

function trailingBlanks(text: string): number {
  return text.length - text.trimEnd().length;
}

/** Pandoc reads a bare key only of its key characters; anything else needs `@{…}`. */
function markdownKey(key: string): string {
  return isBareMarkdownKey(key) ? key : `{${key}}`;
}

/**
 * Markdown (Pandoc, Quarto, R Markdown): `[@a; @b]`; inside an open `[…]` only `@a; @b` with the separator it needs;
 * after a typed `@`, the rest of the key (one key) or, for several outside a bracket, a bracketed citation in its place.
 */
export const markdownCitationInsertion: CitationInserter = (lineBefore, lineAfter, keys) => {
  if (keys.length === 0) return NOTHING;
  const cited = keys.map((key) => `@${markdownKey(key)}`).join('; ');
  const inside = openMarkdownBracket(lineBefore, lineAfter);
  if (lineBefore.endsWith('@')) {
    if (inside !== undefined || keys.length === 1) return { text: cited.slice(1), deleteBefore: 0 };
    return { text: `[${cited}]`, deleteBefore: 1 };
  }
  if (inside === undefined) return { text: `[${cited}]`, deleteBefore: 0 };
  const blanks = trailingBlanks(inside);
  const content = inside.slice(0, inside.length - blanks);
  if (content === '' || content.endsWith(';')) return { text: blanks || content === '' ? cited : ` ${cited}`, deleteBefore: 0 };
  // After another citation (`[@a|]`, `[@a, p. 3 |]`) a new one needs `; `; after prefix words (`[see |]`) a space.
  if (/@[^;]*$/.test(content)) return { text: `; ${cited}`, deleteBefore: blanks };
  return { text: blanks ? cited : ` ${cited}`, deleteBefore: 0 };
};

/** The text between an unclosed `[` and the cursor, when the bracket closes after the cursor and is not a link. */
function openMarkdownBracket(lineBefore: string, lineAfter: string): string | undefined {
  const open = lineBefore.lastIndexOf('[');
  if (open < 0 || lineBefore.indexOf(']', open) >= 0) return undefined;
  const close = lineAfter.indexOf(']');
  if (close < 0 || lineAfter.lastIndexOf('[', close) >= 0) return undefined;
  const next = lineAfter.charAt(close + 1);
  if (next === '(' || next === '[' || next === ':') return undefined;
  return lineBefore.slice(open + 1);
}

// A command and its optional and earlier arguments (`[…]`, `(…)`, apacite's `<…>`, `{volume}`) before the open brace.
const COMMAND_BEFORE_BRACE = /\\([A-Za-z]+)\*{0,2}(?:\s*(?:\[[^\]]*\]|\([^)]*\)|<[^>]*>|\{[^{}]*\}))*\s*$/;

/**
 * LaTeX: `\cite{a,b}`; inside the key braces of a cite command (any of the cite table, or a name with `cite`), the
 * keys with the commas they need, so the command and its arguments are the surrounding ones.
 */
export const latexCitationInsertion: CitationInserter = (lineBefore, _lineAfter, keys) => {
  if (keys.length === 0) return NOTHING;
  const list = keys.join(',');
  const open = unclosedBrace(lineBefore);
  const command = open < 0 ? undefined : COMMAND_BEFORE_BRACE.exec(lineBefore.slice(0, open))?.[1];
  if (command === undefined || !(citeCommands().has(command) || /cite/i.test(command))) return { text: `\\cite{${list}}`, deleteBefore: 0 };
  const inside = lineBefore.slice(open + 1);
  const blanks = trailingBlanks(inside);
  const content = inside.slice(0, inside.length - blanks);
  if (content === '' || content.endsWith(',')) return { text: list, deleteBefore: 0 };
  return { text: `,${list}`, deleteBefore: blanks };
};

/** The index of the innermost `{` left open in `text`, or -1. */
function unclosedBrace(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const char = text[i];
    if (char === '}') depth++;
    else if (char === '{') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * Typst: `@a @b` (Typst groups adjacent citations); a key `@` cannot carry goes in as `#cite(label("…"))`. After a
 * typed `@` the first key completes it, or replaces it when it needs the long form.
 */
export const typstCitationInsertion: CitationInserter = (lineBefore, _lineAfter, keys) => {
  if (keys.length === 0) return NOTHING;
  const text = keys.map((key) => (isBareTypstKey(key) ? `@${key}` : `#cite(label(${typstString(key)}))`)).join(' ');
  if (!lineBefore.endsWith('@')) return { text, deleteBefore: 0 };
  return isBareTypstKey(keys[0]) ? { text: text.slice(1), deleteBefore: 0 } : { text, deleteBefore: 1 };
};

// A cite role's opening up to the cursor: `{cite:p}` and the backtick, then keys without a closing backtick.
const ROLE_BEFORE = /\{([A-Za-z:]+)\}`([^`]*)$/;

/**
 * MyST: inside a cite role's backticks the keys, comma-separated (`{cite:p}`x, a, b``); in a Pandoc-style citation
 * or after `@`, as Markdown; else a new `{cite:p}`a, b`` (a key a role cannot hold makes it Pandoc's `[@…]`).
 */
export const mystCitationInsertion: CitationInserter = (lineBefore, lineAfter, keys) => {
  if (keys.length === 0) return NOTHING;
  const fit = keys.every(fitsMystRole);
  const list = keys.join(', ');
  const role = ROLE_BEFORE.exec(lineBefore);
  if (role && MYST_CITE_ROLES.has(role[1]) && lineAfter.includes('`')) {
    const inside = role[2];
    const blanks = trailingBlanks(inside);
    const content = inside.slice(0, inside.length - blanks);
    if (content === '') return { text: list, deleteBefore: 0 };
    if (content.endsWith(',') || content.endsWith(';')) return { text: blanks ? list : ` ${list}`, deleteBefore: 0 };
    return { text: `, ${list}`, deleteBefore: blanks };
  }
  if (!fit || lineBefore.endsWith('@') || openMarkdownBracket(lineBefore, lineAfter) !== undefined) {
    return markdownCitationInsertion(lineBefore, lineAfter, keys);
  }
  return { text: `{cite:p}\`${list}\``, deleteBefore: 0 };
};

/** A notebook read as its JSON text: what its cells' language writes, as it stands inside a JSON string. */
export function inJsonString(cells: CitationInserter): CitationInserter {
  return (lineBefore, lineAfter, keys) => {
    const insertion = cells(lineBefore, lineAfter, keys);
    return { text: jsonStringContent(insertion.text), deleteBefore: insertion.deleteBefore };
  };
}

/** A file of no document language (a `.bib`'s `crossref = {|}`): the keys as they are, comma-separated. */
export const bareCitationInsertion: CitationInserter = (_lineBefore, _lineAfter, keys) => ({ text: keys.join(','), deleteBefore: 0 });
