// Reads Hayagriva YAML, Typst's own bibliography format: a top-level mapping whose keys are the entries, each a
// mapping of fields. Entries become CSL items with the exact range of their key (for rename) and of the whole entry.
import { type Document, isMap, isScalar, type Node, parseDocument, Scalar } from 'yaml';
import type { CslFile, CslItemSyntax, SyntaxProblem } from '../types';
import { excessiveYamlNesting, YAML_TOO_DEEP_MESSAGE } from '../yamlNesting';
import { hayagrivaToCsl } from './hayagrivaCsl';
import { contentEnd, nodeRange, scalarContentRange } from './yaml';

/** How many alias expansions one entry may cost; real files use none. */
const MAX_ALIAS_COUNT = 100;

const NOT_AN_ENTRY_MESSAGE = 'This Hayagriva entry is not a mapping of fields (`type`, `title`, `author`, …); it is skipped.';

export function parseHayagrivaYaml(text: string): CslFile {
  const items: CslItemSyntax[] = [];
  const problems: SyntaxProblem[] = [];
  try {
    readEntries(text, items, problems);
  } catch (error) {
    // Parsers never throw: a bug here costs this file's entries, not the server.
    problems.push({ range: { start: 0, end: 0 }, message: `Could not read this bibliography: ${String(error)}` });
  }
  return { items, problems };
}

function readEntries(text: string, items: CslItemSyntax[], problems: SyntaxProblem[]): void {
  const tooDeep = excessiveYamlNesting(text);
  if (tooDeep !== undefined) {
    problems.push({ range: { start: tooDeep, end: tooDeep + 1 }, message: YAML_TOO_DEEP_MESSAGE });
    return;
  }
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  for (const error of document.errors) {
    // The yaml package may point one past the end of the text (an unclosed quote at the very end): clamp.
    const start = Math.min(error.pos[0], text.length);
    problems.push({ range: { start, end: Math.min(Math.max(error.pos[1], start), text.length) }, message: `Malformed YAML: ${error.message}` });
  }
  const contents = document.contents;
  if (contents == null || (isScalar(contents) && contents.value == null)) return;
  if (!isMap(contents)) {
    problems.push({ range: nodeRange(contents, 0), message: 'A Hayagriva bibliography should be a mapping from keys to entries.' });
    return;
  }
  for (const pair of contents.items) {
    const keyNode = pair.key as Node | null;
    if (!isScalar(keyNode) || keyNode.range == null || keyNode.value == null || typeof keyNode.value === 'object') continue;
    const item = readEntry(keyNode, pair.value as Node | null, document, problems);
    if (item) items.push(item);
  }
}

function readEntry(keyNode: Scalar, valueNode: Node | null, document: Document, problems: SyntaxProblem[]): CslItemSyntax | undefined {
  const key = keyText(keyNode);
  const keyRange = scalarContentRange(keyNode, 0);
  const start = nodeRange(keyNode, 0).start;
  const range = { start, end: valueNode?.range ? Math.max(contentEnd(valueNode), keyRange.end) : nodeRange(keyNode, 0).end };
  if (!isMap(valueNode)) {
    problems.push({ range, message: NOT_AN_ENTRY_MESSAGE });
    return undefined;
  }
  let data: Record<string, unknown>;
  try {
    data = valueNode.toJS(document, { maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    problems.push({ range, message: `This entry could not be read (${reason}); it is skipped.` });
    return undefined;
  }
  return { key, keyRange, range, data: hayagrivaToCsl(key, data) };
}

/** The key as written: a plain key keeps its source text (`2020: …` is the key `2020`), a quoted one its value. */
function keyText(scalar: Scalar): string {
  const source = (scalar as Scalar & { source?: unknown }).source;
  if (scalar.type === Scalar.PLAIN && typeof source === 'string') return source;
  return String(scalar.value);
}

/**
 * Whether a YAML bibliography is Hayagriva rather than CSL-YAML, by content: CSL-YAML is a list or has a top-level
 * `references:`; Hayagriva's first top-level key holds a mapping (`key:` followed by indented fields, or `key: {…}`).
 */
export function looksLikeHayagriva(text: string): boolean {
  if (/^references[ \t]*:/m.test(text)) return false;
  const lines = text.split(/\r\n|\r|\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (/^(\uFEFF)?[ \t]*(#.*)?$/.test(line) || /^(\uFEFF)?(---|%)/.test(line)) continue;
    if (/^[ \t]/.test(line) || line.startsWith('-')) return false;
    const rest = afterTopLevelKey(line.replace(/^\uFEFF/, ''));
    if (rest === undefined) return false;
    if (rest.startsWith('{')) return true;
    if (rest !== '' && !rest.startsWith('#')) return false;
    for (let next = n + 1; next < lines.length; next++) {
      if (/^[ \t]*(#.*)?$/.test(lines[next])) continue;
      return /^[ \t]+[\w-]+[ \t]*:/.test(lines[next]);
    }
    return false;
  }
  return false;
}

/** What follows the `:` of a line `key: …` (trimmed), or undefined when the line is no `key:` line. */
function afterTopLevelKey(line: string): string | undefined {
  const quote = line[0] === '"' || line[0] === "'" ? line[0] : undefined;
  const keyEnd = quote ? line.indexOf(quote, 1) + 1 : 0;
  if (quote && keyEnd === 0) return undefined;
  const colon = line.indexOf(':', keyEnd);
  if (colon <= 0 || !(colon + 1 === line.length || /[ \t]/.test(line[colon + 1]))) return undefined;
  return line.slice(colon + 1).trim();
}
