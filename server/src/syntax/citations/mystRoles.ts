// MyST citation roles (`{cite}`a`, `{cite:p}`a, b`, `{footcite:t}`a`): which role names cite, and the keys of one
// role with their exact ranges. The role grammar follows mystmd's markdown-it-myst; the names add sphinxcontrib-bibtex's.
import type { TextRange } from '../types';
import type { InlineIndex } from './markdownInlineIndex';

/**
 * Suffixes of the sphinxcontrib-bibtex roles (`cite:p`, `footcite:t`, ...): t textual, p parenthetical, a leading c
 * capitalises, a trailing s names all authors, `par` puts the text in brackets. mystmd 1.8.3 knows the `cite:` ones
 * except `empty`, `cauthorpar(s)`, and no `footcite` role at all (it reports "unknown role"): Jupyter Book 1 does.
 */
const ROLE_SUFFIXES = [
  'p', 'ps', 't', 'ts', 'ct', 'cts', 'alp', 'alps', 'label', 'labelpar', 'year', 'yearpar',
  'author', 'authors', 'cauthor', 'cauthors', 'authorpar', 'authorpars', 'cauthorpar', 'cauthorpars', 'empty',
];

/** Every role name whose body is a list of citation keys. */
export const MYST_CITE_ROLES: ReadonlySet<string> = new Set([
  'cite',
  'footcite',
  ...ROLE_SUFFIXES.map((suffix) => `cite:${suffix}`),
  ...ROLE_SUFFIXES.map((suffix) => `footcite:${suffix}`),
]);

export interface RoleKey {
  key: string;
  range: TextRange;
}

export interface CiteRole {
  /** The whole role, from `{` to the closing backticks. */
  range: TextRange;
  keys: RoleKey[];
  /** Pieces of the key list with no key (`{cite}`a,,b``, `{cite}`a,``): the piece with its separator. */
  empty: TextRange[];
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const BACKTICK = 96;

/**
 * The role at the `{` at `at`, when there is one: `{name}` then a run of backticks, a body, and the next run of exactly
 * as many backticks (mystmd's `{\s*([^}]+?)\s*\}(`+)(?!`)(.+?)(?<!`)\2(?!`)`). Returns where it ends and, for a
 * citation role, its keys; undefined when no role starts here.
 */
export function readRole(text: string, at: number, end: number, index: InlineIndex): { end: number; cite?: CiteRole } | undefined {
  const close = index.nextIndexOf('}', at + 1);
  if (close < 0 || close === at + 1 || text.charCodeAt(close + 1) !== BACKTICK) return undefined;
  const header = text.slice(at + 1, close);
  const { spanEnd, runEnd } = index.codeSpanAt(close + 1, true);
  if (spanEnd < 0 || spanEnd > end) return undefined;
  const bodyEnd = spanEnd - (runEnd - close - 1);
  const name = header.trim().split(/\s/, 1)[0];
  if (!MYST_CITE_ROLES.has(name)) return { end: spanEnd };
  return { end: spanEnd, cite: readRoleKeys(text, { start: at, end: spanEnd }, runEnd, bodyEnd) };
}

/**
 * Keys separated by `,` or `;`, each trimmed; `{prefix}key{suffix}` keeps the key between the braces (mystmd reads
 * prefix and suffix so). A piece that is not of that shape is a key as a whole, as for mystmd.
 */
function readRoleKeys(text: string, range: TextRange, bodyStart: number, bodyEnd: number): CiteRole {
  const role: CiteRole = { range, keys: [], empty: [] };
  let pieceStart = bodyStart;
  for (let pos = bodyStart; pos <= bodyEnd; pos++) {
    const c = pos < bodyEnd ? text.charCodeAt(pos) : -1;
    if (c !== -1 && c !== 44 /* , */ && c !== 59 /* ; */) continue;
    let start = pieceStart;
    let stop = pos;
    while (start < stop && /\s/.test(text[start])) start++;
    while (stop > start && /\s/.test(text[stop - 1])) stop--;
    const key = keyInPiece(text, start, stop);
    if (key) role.keys.push(key);
    else role.empty.push({ start: pieceStart > bodyStart ? pieceStart - 1 : pieceStart, end: c === -1 ? bodyEnd : pos + 1 });
    pieceStart = pos + 1;
  }
  return role;
}

/** The key of one trimmed piece `[{prefix}]key[{suffix}]`, without the braced parts and the blanks next to them. */
function keyInPiece(text: string, start: number, stop: number): RoleKey | undefined {
  let keyStart = start;
  let keyEnd = stop;
  const piece = text.slice(start, stop);
  const braces = /^(?:\{[^{]*\})?[^{]*(?:\{[^{]*\})?$/.test(piece);
  if (braces && piece.charCodeAt(0) === OPEN_BRACE) {
    const close = piece.indexOf('}');
    keyStart = start + close + 1;
  }
  if (braces) {
    const open = text.indexOf('{', keyStart);
    if (open >= 0 && open < stop && text.charCodeAt(stop - 1) === CLOSE_BRACE) keyEnd = open;
  }
  while (keyStart < keyEnd && /\s/.test(text[keyStart])) keyStart++;
  while (keyEnd > keyStart && /\s/.test(text[keyEnd - 1])) keyEnd--;
  if (keyStart >= keyEnd) return undefined;
  return { key: text.slice(keyStart, keyEnd), range: { start: keyStart, end: keyEnd } };
}
