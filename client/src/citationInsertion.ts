// Decides what text `citekeys: Insert Citation` puts at the cursor: a whole citation (`[@key]`, `\cite{key}`)
// or, when the cursor already sits inside one, just the key with the right separator. Pure: no vscode import.

import { dialectNameOf, type DialectName } from '../../server/src/syntax/documentLanguages';
import { isBareTypstKey, typstString } from '../../server/src/syntax/citations/typstKeyAt';

export type CitationSyntax = DialectName | 'bare';

/** Text to insert at the cursor, after deleting `deleteBefore` characters (trailing blanks) left of it. */
export interface CitationInsertion {
  text: string;
  deleteBefore: number;
}

/** How each dialect writes a citation at the cursor: a new dialect must add its own. */
const INSERTIONS: Record<DialectName, (lineBefore: string, lineAfter: string, key: string) => CitationInsertion> = {
  markdown: markdownInsertion,
  latex: (lineBefore, _lineAfter, key) => latexInsertion(lineBefore, key),
  typst: typstInsertion,
  // MyST files are `markdown` to the editor; mystmd reads Pandoc's `[@key]` too.
  myst: markdownInsertion,
  // A notebook edited as its JSON text (its cells, edited in the notebook editor, are `markdown`): inside a string.
  notebook: (lineBefore, lineAfter, key) => {
    const insertion = markdownInsertion(lineBefore, lineAfter, key);
    return { ...insertion, text: JSON.stringify(insertion.text).slice(1, -1) };
  },
};

/** The citation syntax of an editor language (the same list the server reads documents by). */
export function citationSyntaxFor(languageId: string): CitationSyntax {
  return dialectNameOf('', languageId) ?? 'bare';
}

/** `lineBefore`/`lineAfter`: the current line's text left and right of the cursor. */
export function citationInsertion(syntax: CitationSyntax, lineBefore: string, lineAfter: string, key: string): CitationInsertion {
  return syntax === 'bare' ? { text: key, deleteBefore: 0 } : INSERTIONS[syntax](lineBefore, lineAfter, key);
}

// Pandoc bare keys: letters, digits, `_`, and single internal punctuation followed by a letter/digit; else `@{...}`.
const bareMarkdownKey = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u;

function markdownKey(key: string): string {
  return bareMarkdownKey.test(key) ? key : `{${key}}`;
}

function markdownInsertion(lineBefore: string, lineAfter: string, key: string): CitationInsertion {
  if (lineBefore.endsWith('@')) return { text: markdownKey(key), deleteBefore: 0 };
  const inside = openMarkdownBracket(lineBefore, lineAfter);
  if (inside === undefined) return { text: `[@${markdownKey(key)}]`, deleteBefore: 0 };
  const blanks = trailingBlanks(inside);
  const content = inside.slice(0, inside.length - blanks);
  const citation = `@${markdownKey(key)}`;
  if (content === '' || content.endsWith(';')) return { text: blanks || content === '' ? citation : ` ${citation}`, deleteBefore: 0 };
  // After another citation (`[@a|]`, `[@a, p. 3 |]`) a new one needs `; `; after prefix words (`[see |]`) a space.
  if (/@[^;]*$/.test(content)) return { text: `; ${citation}`, deleteBefore: blanks };
  return { text: blanks ? citation : ` ${citation}`, deleteBefore: 0 };
}

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

// A `\cite`-family command and its optional arguments, right before the brace the cursor is in.
const citeCommandBefore = /\\[A-Za-z]*cite[A-Za-z]*\*?(?:\s*(?:\[[^\]]*\]|\([^)]*\)|\{[^{}]*\}))*\s*$/;

function latexInsertion(lineBefore: string, key: string): CitationInsertion {
  const open = unclosedBrace(lineBefore);
  if (open < 0 || !citeCommandBefore.test(lineBefore.slice(0, open))) return { text: `\\cite{${key}}`, deleteBefore: 0 };
  const inside = lineBefore.slice(open + 1);
  const blanks = trailingBlanks(inside);
  const content = inside.slice(0, inside.length - blanks);
  if (content === '' || content.endsWith(',')) return { text: key, deleteBefore: 0 };
  return { text: `,${key}`, deleteBefore: blanks };
}

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

function trailingBlanks(text: string): number {
  return text.length - text.trimEnd().length;
}

/** Typst: `@key` (after a typed `@`, just the key); a key `@` cannot carry goes in as `#cite(label("…"))`. */
function typstInsertion(lineBefore: string, _lineAfter: string, key: string): CitationInsertion {
  const bare = isBareTypstKey(key);
  if (lineBefore.endsWith('@')) return bare ? { text: key, deleteBefore: 0 } : { text: `#cite(label(${typstString(key)}))`, deleteBefore: 1 };
  return { text: bare ? `@${key}` : `#cite(label(${typstString(key)}))`, deleteBefore: 0 };
}
