// Reads CSL-JSON bibliographies into items with the range of each item and of its `id`. Well-formed files take a
// fast path (native JSON.parse plus one scan for positions); malformed ones go through the tolerant reader.
import type { CslFile, CslItemSyntax, SyntaxProblem, TextRange } from '../types';
import { readJsonTolerantly, type ItemCandidate } from './jsonReader';

/** Reads a CSL-JSON file: an array of items, a single item object, or `{"items": [...]}`. Never throws. */
export function parseCslJson(text: string): CslFile {
  const problems: SyntaxProblem[] = [];
  let candidates: ItemCandidate[];
  let topLevel: unknown;
  try {
    topLevel = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    candidates = locateItems(text, topLevel);
  } catch {
    const tolerant = readJsonTolerantly(text);
    topLevel = tolerant.value;
    candidates = tolerant.candidates;
    if (tolerant.error) problems.push({ range: tolerant.error.range, message: `Malformed CSL-JSON: ${tolerant.error.message}` });
  }
  if (topLevel !== undefined && (typeof topLevel !== 'object' || topLevel === null)) {
    problems.push({
      range: { start: 0, end: Math.min(text.length, 1) },
      message: 'A CSL-JSON bibliography should be an array of items (or one item object).',
    });
  }
  const items: CslItemSyntax[] = [];
  for (const candidate of candidates) {
    const id = candidate.data.id;
    if (candidate.idRange && (typeof id === 'string' || typeof id === 'number') && String(id) !== '') {
      items.push({ key: String(id), keyRange: candidate.idRange, range: candidate.range, data: candidate.data });
    } else if (!isItemsWrapper(candidate.data)) {
      const range = candidate.idRange ?? { start: candidate.range.start, end: candidate.range.start + 1 };
      problems.push({ range, message: 'This CSL item has no usable "id"; add a string "id" so it can be cited.' });
    }
  }
  return { items, problems };
}

function isItemsWrapper(data: Record<string, unknown>): boolean {
  return !('id' in data) && Array.isArray(data.items);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Pairs the parsed item objects with their positions by one scan over well-formed JSON `text`.
 * Item objects: the top-level object, objects in the top-level array, objects in a top-level `"items": [...]`.
 */
function locateItems(text: string, topLevel: unknown): ItemCandidate[] {
  let itemValues: Record<string, unknown>[];
  if (Array.isArray(topLevel)) itemValues = topLevel.filter(isPlainObject);
  else if (isPlainObject(topLevel)) {
    const nested = isItemsWrapper(topLevel) ? (topLevel.items as unknown[]).filter(isPlainObject) : [];
    itemValues = [topLevel, ...nested];
  } else return [];

  const found = scanItemPositions(text);
  const candidates: ItemCandidate[] = [];
  for (let i = 0; i < itemValues.length && i < found.length; i++) {
    candidates.push({ data: itemValues[i], range: found[i].range, idRange: found[i].idRange });
  }
  return candidates;
}

/** Ranges of item objects (in document order of their opening brace) and of their `id` values. */
function scanItemPositions(text: string): { range: TextRange; idRange?: TextRange }[] {
  const length = text.length;
  const results: { range: TextRange; idRange?: TextRange }[] = [];
  /** Per open container: 1 = object, 2 = array, 3 = array holding items; item objects get 4. */
  const kinds: number[] = [];
  /** For each open item object: its index in results. */
  const openItems: number[] = [];
  let lastKey = '';
  let pos = 0;
  while (pos < length) {
    const c = text.charCodeAt(pos);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, pos);
      // A key is a string followed by `:`; only `id` (in an item) and `items` (at top level) matter.
      let next = end;
      while (next < length && isWhitespace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) === 0x3a /* : */) {
        lastKey = end - pos === 4 || end - pos === 7 ? text.slice(pos + 1, end - 1) : '';
        if (lastKey === 'id' && kinds[kinds.length - 1] === 4) {
          let valueStart = next + 1;
          while (valueStart < length && isWhitespace(text.charCodeAt(valueStart))) valueStart++;
          results[openItems[openItems.length - 1]].idRange = valueRange(text, valueStart);
        }
        pos = next + 1;
      } else {
        pos = end;
      }
      continue;
    }
    if (c === 0x7b /* { */) {
      const depth = kinds.length;
      if (depth === 0 || kinds[depth - 1] === 3) {
        openItems.push(results.length);
        results.push({ range: { start: pos, end: pos } });
        kinds.push(4);
      } else kinds.push(1);
    } else if (c === 0x5b /* [ */) {
      const holdsItems = kinds.length === 0 || (kinds.length === 1 && kinds[0] === 4 && lastKey === 'items');
      kinds.push(holdsItems ? 3 : 2);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (kinds.pop() === 4) results[openItems.pop() as number].range.end = pos + 1;
    }
    lastKey = c === 0x2c ? '' : lastKey;
    pos++;
  }
  return results;
}

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Offset just after the closing quote of the string opening at `open` (in well-formed JSON). */
function stringEnd(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  for (;;) {
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

/** The id's text: a string's content without quotes, or a number's digits. */
function valueRange(text: string, start: number): TextRange {
  if (text.charCodeAt(start) === 0x22) return { start: start + 1, end: stringEnd(text, start) - 1 };
  let end = start;
  while (end < text.length && !/[\s,}\]]/.test(text[end])) end++;
  return { start, end };
}
