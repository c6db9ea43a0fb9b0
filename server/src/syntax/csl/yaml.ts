// Reads CSL-YAML bibliographies and Pandoc `references:` front matter into CSL items with the ranges of each item
// and its `id`: quickly when the text is the plain block YAML CSL files use (yamlSubsetReader), else with the `yaml`
// package's node ranges, which both give the same. Alias expansion is capped, so alias bombs cannot blow up.
import { type Document, isMap, isPair, isScalar, isSeq, type Node, parseDocument, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { CslFile, CslItemSyntax, SyntaxProblem, TextRange } from '../types';
import { excessiveYamlNesting, YAML_TOO_DEEP_MESSAGE } from '../yamlNesting';
import { readYamlSubset, type SubsetListElement, type SubsetReading } from './yamlSubsetReader';

/** How many alias expansions one item may cost; real CSL-YAML uses none or a handful. */
const MAX_ALIAS_COUNT = 100;

const NOT_AN_ITEM_MESSAGE = 'This reference is not a CSL item (a mapping with `id`, `type`, `title`, …).';
const NO_ID_MESSAGE = 'This CSL item has no usable `id`; add one so it can be cited.';

/** Reads a CSL-YAML file: a top-level `references:` list, a bare list, or either wrapped in `---` front matter. */
export function parseCslYaml(text: string): CslFile {
  return parseCslYamlQuickly(text) ?? parseCslYamlWithYamlPackage(text);
}

/** parseCslYaml's answer when the quick reader can give it (plain block YAML), else undefined. */
export function parseCslYamlQuickly(text: string): CslFile | undefined {
  const yamlText = text.slice(0, frontMatterEnd(text));
  if (excessiveYamlNesting(yamlText) !== undefined) return undefined;
  const reading = readYamlSubset(yamlText);
  return reading && cslFileFromSubset(reading, 0, true);
}

/** parseCslYaml always through the `yaml` package; exported so tests can compare the quick reading with it. */
export function parseCslYamlWithYamlPackage(text: string): CslFile {
  const yamlText = text.slice(0, frontMatterEnd(text));
  const { document, problems } = parseYaml(yamlText, 0);
  const contents = document.contents;
  if (contents == null) return { items: [], problems };
  if (isSeq(contents)) return parseReferencesNode(contents, document, 0, problems);
  if (isMap(contents) && contents.has('references')) {
    return parseReferencesNode(contents.get('references', true) as Node, document, 0, problems);
  }
  problems.push({
    range: nodeRange(contents, 0),
    message: 'A CSL-YAML bibliography should be a list of items or have a top-level `references:` list.',
  });
  return { items: [], problems };
}

/**
 * Reads the `references:` list of a Pandoc Markdown document's front matter. `yamlText` is the front matter's
 * YAML (without the `---` fences); `baseOffset` is where it starts in the document, and every range is shifted by it.
 * Front matter without `references:` gives no items and no problems.
 */
export function parseCslYamlReferences(yamlText: string, baseOffset: number): CslFile {
  return parseCslYamlReferencesQuickly(yamlText, baseOffset) ?? parseCslYamlReferencesWithYamlPackage(yamlText, baseOffset);
}

/** parseCslYamlReferences's answer when the quick reader can give it, else undefined. */
export function parseCslYamlReferencesQuickly(yamlText: string, baseOffset: number): CslFile | undefined {
  if (excessiveYamlNesting(yamlText) !== undefined) return undefined;
  const reading = readYamlSubset(yamlText);
  return reading && cslFileFromSubset(reading, baseOffset, false);
}

/** parseCslYamlReferences always through the `yaml` package, for tests. */
export function parseCslYamlReferencesWithYamlPackage(yamlText: string, baseOffset: number): CslFile {
  const { document, problems } = parseYaml(yamlText, baseOffset);
  const contents = document.contents;
  if (!isMap(contents) || !contents.has('references')) return { items: [], problems };
  return parseReferencesNode(contents.get('references', true) as Node, document, baseOffset, problems);
}

/**
 * Reads a YAML node holding a list of CSL items (the value of `references:`, or a bare list).
 * Ranges come from the node (offsets into the parsed YAML text) shifted by `baseOffset`.
 */
export function parseReferencesNode(
  node: Node | null | undefined,
  document: Document,
  baseOffset: number,
  problems: SyntaxProblem[] = [],
): CslFile {
  const items: CslItemSyntax[] = [];
  if (node == null || (isScalar(node) && node.value == null)) return { items, problems };
  if (!isSeq(node)) {
    problems.push({ range: nodeRange(node, baseOffset), message: '`references` should be a list of CSL items.' });
    return { items, problems };
  }
  for (const itemNode of node.items) {
    const item = readItem(itemNode as Node, document, baseOffset, problems);
    if (item) items.push(item);
  }
  return { items, problems };
}

/**
 * The items of a quick reading, or undefined when only the full parser can say what to report (a whole file that is
 * a mapping without `references:`). `wholeFile` is false for front matter, where only `references:` counts.
 */
function cslFileFromSubset(reading: SubsetReading, baseOffset: number, wholeFile: boolean): CslFile | undefined {
  if (reading.root === 'empty') return { items: [], problems: [] };
  if (reading.root === 'list') return wholeFile ? itemsFromSubset(reading.elements, baseOffset) : { items: [], problems: [] };
  if (reading.references) return itemsFromSubset(reading.references, baseOffset);
  return wholeFile ? undefined : { items: [], problems: [] };
}

function itemsFromSubset(elements: SubsetListElement[], baseOffset: number): CslFile {
  const items: CslItemSyntax[] = [];
  const problems: SyntaxProblem[] = [];
  for (const element of elements) {
    const range = { start: element.start + baseOffset, end: element.end + baseOffset };
    if (!element.isMapping) {
      problems.push({ range, message: NOT_AN_ITEM_MESSAGE });
      continue;
    }
    const id = element.id;
    if (!id || id.value == null || id.value === '' || typeof id.value === 'object') {
      const at = id ? { start: id.start + baseOffset, end: id.end + baseOffset } : { start: range.start, end: range.start + 1 };
      problems.push({ range: at, message: NO_ID_MESSAGE });
      continue;
    }
    const keyRange = id.quoted
      ? { start: id.start + 1 + baseOffset, end: id.end - 1 + baseOffset }
      : { start: id.start + baseOffset, end: id.end + baseOffset };
    items.push({ key: unescapeMarkdown(id.text), keyRange, range, data: element.value as Record<string, unknown> });
  }
  return { items, problems };
}

function readItem(node: Node, document: Document, baseOffset: number, problems: SyntaxProblem[]): CslItemSyntax | undefined {
  const range = { start: nodeRange(node, baseOffset).start, end: contentEnd(node) + baseOffset };
  if (!isMap(node)) {
    problems.push({ range, message: NOT_AN_ITEM_MESSAGE });
    return undefined;
  }
  let data: Record<string, unknown>;
  try {
    data = node.toJS(document, { maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    problems.push({ range, message: `This reference could not be read (${reason}); it is skipped.` });
    return undefined;
  }
  const idNode = findIdNode(node);
  if (!idNode || idNode.value == null || idNode.value === '' || typeof idNode.value === 'object') {
    const at = idNode?.range ? nodeRange(idNode, baseOffset) : { start: range.start, end: range.start + 1 };
    problems.push({ range: at, message: NO_ID_MESSAGE });
    return undefined;
  }
  return { key: unescapeMarkdown(scalarText(idNode)), keyRange: scalarContentRange(idNode, baseOffset), range, data };
}

/** Pandoc reads YAML strings as Markdown, so `id: a\_b` is the key `a_b`: backslash escapes of punctuation go. */
function unescapeMarkdown(text: string): string {
  return text.includes('\\') ? text.replace(/\\([!-/:-@[-`{-~])/g, '$1') : text;
}

function findIdNode(map: YAMLMap): Scalar | undefined {
  for (const pair of map.items) {
    const key = pair.key;
    if (isScalar(key) && key.value === 'id') return isScalar(pair.value) ? pair.value : undefined;
  }
  return undefined;
}

/** The id as written: for plain scalars the source text (so `id: 0123` stays `0123`), else the value. */
function scalarText(scalar: Scalar): string {
  const source = (scalar as Scalar & { source?: unknown }).source;
  if (scalar.type === Scalar.PLAIN && typeof source === 'string') return source;
  return String(scalar.value);
}

/** The scalar's text without quotes. */
export function scalarContentRange(scalar: Scalar, baseOffset: number): TextRange {
  const range = nodeRange(scalar, baseOffset);
  const quoted = scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE;
  return quoted && range.end - range.start >= 2 ? { start: range.start + 1, end: range.end - 1 } : range;
}

/** Where a node's text ends without the line break and blank lines a block collection's range includes. */
export function contentEnd(node: Node): number {
  let last: unknown = node;
  for (;;) {
    const collection = last as YAMLMap | YAMLSeq;
    if (!(isMap(collection) || isSeq(collection)) || collection.flow || collection.items.length === 0) break;
    const entry: unknown = collection.items[collection.items.length - 1];
    last = isPair(entry) ? (entry.value ?? entry.key) : entry;
  }
  const range = (last as Node | null)?.range ?? node.range;
  return range ? range[1] : 0;
}

export function nodeRange(node: Node, baseOffset: number): TextRange {
  const [start, end] = node.range ?? [0, 0];
  return { start: start + baseOffset, end: end + baseOffset };
}

function parseYaml(yamlText: string, baseOffset: number): { document: Document; problems: SyntaxProblem[] } {
  const tooDeep = excessiveYamlNesting(yamlText);
  if (tooDeep !== undefined) {
    return { document: parseDocument(''), problems: [{ range: { start: tooDeep + baseOffset, end: tooDeep + baseOffset + 1 }, message: YAML_TOO_DEEP_MESSAGE }] };
  }
  const document = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const problems: SyntaxProblem[] = document.errors.map((error) => ({
    // The yaml package may point one past the end of the text (an unclosed quote at the very end): clamp.
    range: { start: Math.min(error.pos[0], yamlText.length) + baseOffset, end: Math.min(Math.max(error.pos[1], error.pos[0]), yamlText.length) + baseOffset },
    message: `Malformed YAML: ${error.message}`,
  }));
  return { document, problems };
}

/** Where the YAML of a `---`-fenced file ends: at its closing `---`/`...` line, or at the end of the text. */
function frontMatterEnd(text: string): number {
  const opening = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!opening) return text.length;
  const closing = /^(---|\.\.\.)[ \t]*$/m;
  const rest = text.slice(opening[0].length);
  const match = closing.exec(rest);
  return match ? opening[0].length + match.index : text.length;
}
