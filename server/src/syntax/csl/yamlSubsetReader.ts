// A quick reader for the plain block YAML that CSL-YAML files use (what pandoc and Better BibTeX write). It gives the
// same values and ranges as the `yaml` package, or undefined as soon as it meets anything else, so the caller can fall
// back to the full parser: anchors, tags, flow collections, block scalars, tabs, odd indentation, anything malformed.
import { doubleQuotedValue, resolvePlainScalar, singleQuotedValue } from './yamlScalars';

/** The first `id` of a mapping when its value is a scalar, as the full parser's node would describe it. */
export interface SubsetIdScalar {
  value: unknown;
  /** Plain scalars: the (folded) source text; quoted: the value. */
  text: string;
  quoted: boolean;
  start: number;
  end: number;
}

/** One element of the references list: its plain value and where it is. */
export interface SubsetListElement {
  value: unknown;
  isMapping: boolean;
  start: number;
  /** Where its last scalar ends (not counting the line break and blank lines after it). */
  end: number;
  /** Mappings: the value of the first `id` entry when it is a scalar. */
  id: SubsetIdScalar | undefined;
}

export type SubsetReading =
  | { root: 'empty' }
  | { root: 'list'; elements: SubsetListElement[] }
  /** `references` is the first `references:` entry's list, [] when its value is empty, undefined when there is none. */
  | { root: 'mapping'; references: SubsetListElement[] | undefined };

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
class OutsideSubset {}
const OUTSIDE = new OutsideSubset();

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DOT = 46;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
/** The full parser rejects implicit keys longer than 1024 characters; stay well clear of that. */
const MAX_KEY_LENGTH = 1000;
/** Characters that make a line leave the subset: tabs, other control characters, BOM, CR, YAML's extra line breaks. */
const OUTSIDE_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/;
/** Plain scalars starting with these are something else (flow, anchor, alias, tag, block scalar) or errors. */
const NOT_PLAIN_START = new Set([...'[]{},#&*!|>%@`?:'].map((c) => c.charCodeAt(0)));

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function isKeyCharacter(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57) || code === DASH || code === 95;
}

/** Keys the core schema reads as something other than their own text. */
const NON_STRING_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/** Reads `yamlText` if it is entirely within the subset, else undefined. Offsets are into `yamlText`. */
export function readYamlSubset(yamlText: string): SubsetReading | undefined {
  if (OUTSIDE_CHARACTERS.test(yamlText)) return undefined;
  try {
    return new SubsetReader(yamlText).readDocument();
  } catch (error) {
    if (error === OUTSIDE) return undefined;
    throw error;
  }
}

class SubsetReader {
  private readonly text: string;
  private readonly length: number;
  /** The current content line: where it starts, its indentation (-1 at the end) and its first non-space character. */
  private lineStart = 0;
  private indent = -1;
  private contentStart = 0;
  /** Where the last scalar read ends. */
  private lastEnd = 0;
  /** The scalar value of the first `id` entry of the last mapping read. */
  private lastMappingId: SubsetIdScalar | undefined;
  /** The last scalar read (kept apart rather than as an object: most are never asked for). */
  private scalarText = '';
  private scalarQuoted = false;
  private scalarStart = 0;
  /** Recent keys by a hash of their length and ends. */
  private readonly keys: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);
  /** Whether the last line of plain scalar text ended at a comment. */
  private plainLineEndedAtComment = false;
  /** The next `#` and `:` found by nextAfter. */
  private hashAt = -1;
  private colonAt = -1;

  constructor(text: string) {
    this.text = text;
    this.length = text.length;
  }

  readDocument(): SubsetReading {
    this.seekContent(0);
    const startMarker = this.indent < 0 && this.lineStart < this.length && this.isDocumentMarker(this.lineStart, DASH);
    if (startMarker) {
      this.expectLineEnd(this.lineStart + 3);
      this.seekContent(this.nextLine(this.lineStart));
    }
    if (this.indent < 0) {
      // Only comments: no document. A marker without content makes an empty scalar document: the full parser's case.
      if (startMarker || this.lineStart < this.length) throw OUTSIDE;
      return { root: 'empty' };
    }
    const start = this.contentStart;
    let reading: SubsetReading;
    if (this.isSequenceEntry(start)) {
      reading = { root: 'list', elements: [] };
      this.readSequence(this.indent, reading.elements);
    } else {
      const references: { list: SubsetListElement[] | undefined } = { list: undefined };
      this.readMapping(this.indent, start, references);
      reading = { root: 'mapping', references: references.list };
    }
    this.expectDocumentEnd();
    return reading;
  }

  // ---- lines

  /** Moves to the next line that has content (not blank, not a comment), from the line starting at `from`. */
  private seekContent(from: number): void {
    const text = this.text;
    let position = from;
    while (position < this.length) {
      let column = position;
      while (text.charCodeAt(column) === SPACE) column++;
      const code = text.charCodeAt(column);
      if (column < this.length && code !== NEWLINE && code !== HASH) {
        if (column === position && (this.isDocumentMarker(column, DASH) || this.isDocumentMarker(column, DOT))) break;
        this.lineStart = position;
        this.indent = column - position;
        this.contentStart = column;
        return;
      }
      position = this.nextLine(column);
    }
    // The end of the text, or a `---`/`...` line: the document's content ends here.
    this.lineStart = position;
    this.indent = -1;
    this.contentStart = position;
  }

  private nextLine(from: number): number {
    const newline = this.text.indexOf('\n', from);
    return newline < 0 ? this.length : newline + 1;
  }

  private isDocumentMarker(at: number, code: number): boolean {
    const text = this.text;
    if (text.charCodeAt(at) !== code || text.charCodeAt(at + 1) !== code || text.charCodeAt(at + 2) !== code) return false;
    const after = text.charCodeAt(at + 3);
    return at + 3 >= this.length || after === SPACE || after === NEWLINE;
  }

  /** After the content: nothing, or a `...` line followed only by blank and comment lines. */
  private expectDocumentEnd(): void {
    const at = this.lineStart;
    if (at >= this.length) return;
    if (!this.isDocumentMarker(at, DOT)) throw OUTSIDE;
    this.expectLineEnd(at + 3);
    this.seekContent(this.nextLine(at));
    if (this.lineStart < this.length) throw OUTSIDE;
  }

  /** Only spaces and maybe a comment until the end of the line. */
  private expectLineEnd(from: number): void {
    let position = from;
    while (this.text.charCodeAt(position) === SPACE) position++;
    if (position >= this.length) return;
    const code = this.text.charCodeAt(position);
    if (code === NEWLINE) return;
    if (code === HASH && position > from) return;
    throw OUTSIDE;
  }

  private isSequenceEntry(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const after = this.text.charCodeAt(at + 1);
    return at + 1 >= this.length || after === SPACE || after === NEWLINE;
  }

  /** The end of a plain key (letters, digits, `-`, `_`) followed by `:` and a space or line end at `at`, else -1. */
  private keyEnd(at: number): number {
    const text = this.text;
    if (!isLetter(text.charCodeAt(at))) return -1;
    let position = at + 1;
    while (isKeyCharacter(text.charCodeAt(position))) position++;
    if (text.charCodeAt(position) !== COLON) return -1;
    const after = text.charCodeAt(position + 1);
    if (position + 1 < this.length && after !== SPACE && after !== NEWLINE) return -1;
    return position;
  }

  // ---- collections

  /** The key's text, the same string object each time a key repeats (cheaper to store on objects). */
  private keyText(start: number, end: number): string {
    const slot = ((end - start) * 31 + this.text.charCodeAt(start) * 7 + this.text.charCodeAt(end - 1)) & 255;
    const known = this.keys[slot];
    if (known !== undefined && known.length === end - start && this.text.startsWith(known, start)) return known;
    const key = this.text.slice(start, end);
    this.keys[slot] = key;
    return key;
  }

  /** A block sequence whose `-` indicators stand at column `indent`; the current line is its first entry. */
  private readSequence(indent: number, elements: SubsetListElement[] | undefined): unknown[] {
    const list: unknown[] = [];
    const text = this.text;
    for (;;) {
      let position = this.contentStart + 1;
      while (text.charCodeAt(position) === SPACE) position++;
      const code = text.charCodeAt(position);
      // An empty entry, or one whose content starts on the next line: outside the subset.
      if (position >= this.length || code === NEWLINE || code === HASH) throw OUTSIDE;
      const column = position - this.lineStart;
      let value: unknown;
      let isMapping = false;
      this.lastMappingId = undefined;
      if (this.isSequenceEntry(position)) {
        this.contentStart = position;
        this.indent = column;
        value = this.readSequence(column, undefined);
      } else if (this.keyEnd(position) >= 0) {
        value = this.readMapping(column, position, undefined);
        isMapping = true;
      } else {
        value = this.readInlineScalar(position, indent);
        this.seekContent(this.nextLine(this.lastEnd));
      }
      list.push(value);
      if (elements) elements.push({ value, isMapping, start: position, end: this.lastEnd, id: isMapping ? this.lastMappingId : undefined });
      if (this.indent < indent) return list;
      if (this.indent > indent) throw OUTSIDE;
      if (!this.isSequenceEntry(this.contentStart)) return list;
    }
  }

  /**
   * A block mapping whose keys stand at column `indent`; its first key is at `firstKey` on the current line. With
   * `references`, the first `references:` entry's list is read as the list of items into it.
   */
  private readMapping(indent: number, firstKey: number, references: { list: SubsetListElement[] | undefined } | undefined): Record<string, unknown> {
    const mapping: Record<string, unknown> = {};
    let id: SubsetIdScalar | undefined;
    let idSeen = false;
    const text = this.text;
    let keyStart = firstKey;
    for (;;) {
      const colon = this.keyEnd(keyStart);
      if (colon < 0 || colon - keyStart > MAX_KEY_LENGTH) throw OUTSIDE;
      const key = this.keyText(keyStart, colon);
      if (NON_STRING_KEYS.has(key)) throw OUTSIDE;
      const isReferences = references !== undefined && references.list === undefined && key === 'references';
      let position = colon + 1;
      while (text.charCodeAt(position) === SPACE) position++;
      const code = text.charCodeAt(position);
      let value: unknown;
      if (position >= this.length || code === NEWLINE || code === HASH) {
        value = this.readBlockValue(indent, position, isReferences ? (references.list = []) : undefined);
      } else {
        if (isReferences) throw OUTSIDE;
        value = this.readInlineScalar(position, indent);
        this.seekContent(this.nextLine(this.lastEnd));
      }
      if (key === 'id' && !idSeen) {
        idSeen = true;
        if (value === null || typeof value !== 'object') {
          id = { value, text: this.scalarText, quoted: this.scalarQuoted, start: this.scalarStart, end: this.lastEnd };
        }
      }
      mapping[key] = value;
      if (this.indent < indent) break;
      if (this.indent > indent) throw OUTSIDE;
      if (this.isSequenceEntry(this.contentStart)) break;
      keyStart = this.contentStart;
    }
    this.lastMappingId = id;
    return mapping;
  }

  /**
   * The value of a key with nothing after its `:` on the line (`emptyAt` is where that nothing is): a nested block,
   * an indentless sequence at the key's own column, or null.
   */
  private readBlockValue(indent: number, emptyAt: number, elements: SubsetListElement[] | undefined): unknown {
    this.seekContent(this.nextLine(emptyAt));
    const start = this.contentStart;
    if (this.indent > indent) {
      if (this.isSequenceEntry(start)) return this.readSequence(this.indent, elements);
      if (elements) throw OUTSIDE;
      if (this.keyEnd(start) >= 0) return this.readMapping(this.indent, start, undefined);
      throw OUTSIDE;
    }
    if (this.indent === indent && this.isSequenceEntry(start)) return this.readSequence(indent, elements);
    this.setScalar('', false, emptyAt, emptyAt);
    return null;
  }

  // ---- scalars

  /**
   * A scalar starting at `start` on the current line, inside a collection at column `indent` (continuation lines must
   * be indented further). Sets lastEnd and the scalar fields; the caller then moves to the next content line.
   */
  private readInlineScalar(start: number, indent: number): unknown {
    const code = this.text.charCodeAt(start);
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) return this.readQuotedScalar(start, indent, code);
    if (NOT_PLAIN_START.has(code) || (code === DASH && this.isSequenceEntry(start))) throw OUTSIDE;
    return this.readPlainScalar(start, indent);
  }

  /** The end of a plain scalar's text on one line (before a ` #` comment, without trailing spaces). */
  private plainLineEnd(from: number): number {
    const text = this.text;
    const newline = text.indexOf('\n', from);
    let end = newline < 0 ? this.length : newline;
    this.plainLineEndedAtComment = false;
    // A `#` after a space starts a comment.
    let hash = this.nextAfter(HASH, from);
    while (hash < end) {
      if (text.charCodeAt(hash - 1) === SPACE) {
        end = hash - 1;
        this.plainLineEndedAtComment = true;
        break;
      }
      hash = this.nextAfter(HASH, hash + 1);
    }
    // A `:` before a space or the line end would make a key (or an error): outside the subset.
    let colon = this.nextAfter(COLON, from);
    while (colon < end) {
      const after = text.charCodeAt(colon + 1);
      if (colon + 1 >= this.length || after === SPACE || after === NEWLINE) throw OUTSIDE;
      colon = this.nextAfter(COLON, colon + 1);
    }
    while (end > from && text.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  /** The first `#` or `:` at or after `from` (the text's length when none), remembered so the text is searched once. */
  private nextAfter(code: number, from: number): number {
    if (code === HASH) {
      if (this.hashAt < from) this.hashAt = this.indexOrEnd('#', from);
      return this.hashAt;
    }
    if (this.colonAt < from) this.colonAt = this.indexOrEnd(':', from);
    return this.colonAt;
  }

  private indexOrEnd(character: string, from: number): number {
    const at = this.text.indexOf(character, from);
    return at < 0 ? this.length : at;
  }

  private readPlainScalar(start: number, indent: number): unknown {
    const text = this.text;
    let end = this.plainLineEnd(start);
    let folded = text.slice(start, end);
    let emptyLines = 0;
    // Continuation lines: indented past the collection, not comments; blank lines between them become newlines.
    let lineEnd = text.indexOf('\n', end);
    while (lineEnd >= 0 && !this.plainLineEndedAtComment) {
      const lineStart = lineEnd + 1;
      let column = lineStart;
      while (text.charCodeAt(column) === SPACE) column++;
      const code = text.charCodeAt(column);
      if (column >= this.length) break;
      if (code === NEWLINE) {
        emptyLines++;
        lineEnd = column;
        continue;
      }
      if (column - lineStart <= indent || code === HASH) break;
      const lineContentEnd = this.plainLineEnd(column);
      folded += (emptyLines === 0 ? ' ' : '\n'.repeat(emptyLines)) + text.slice(column, lineContentEnd);
      emptyLines = 0;
      end = lineContentEnd;
      lineEnd = text.indexOf('\n', end);
    }
    this.setScalar(folded, false, start, end);
    return resolvePlainScalar(folded);
  }

  private readQuotedScalar(start: number, indent: number, quote: number): string {
    const text = this.text;
    const quoteCharacter = quote === DOUBLE_QUOTE ? '"' : "'";
    let close = text.indexOf(quoteCharacter, start + 1);
    for (;;) {
      if (close < 0) throw OUTSIDE;
      if (quote === SINGLE_QUOTE) {
        if (text.charCodeAt(close + 1) !== SINGLE_QUOTE) break;
        close = text.indexOf(quoteCharacter, close + 2);
      } else {
        let backslashes = 0;
        while (text.charCodeAt(close - 1 - backslashes) === 92) backslashes++;
        if (backslashes % 2 === 0) break;
        close = text.indexOf(quoteCharacter, close + 1);
      }
    }
    for (let newline = text.indexOf('\n', start); newline >= 0 && newline < close; newline = text.indexOf('\n', newline + 1)) {
      this.expectQuotedContinuation(newline + 1, indent);
    }
    const raw = text.slice(start + 1, close);
    const value = quote === DOUBLE_QUOTE ? doubleQuotedValue(raw) : singleQuotedValue(raw);
    if (value === undefined) throw OUTSIDE;
    this.expectLineEnd(close + 1);
    this.setScalar(value, true, start, close + 1);
    return value;
  }

  private setScalar(text: string, quoted: boolean, start: number, end: number): void {
    this.scalarText = text;
    this.scalarQuoted = quoted;
    this.scalarStart = start;
    this.lastEnd = end;
  }

  /** A line inside a quoted scalar must be blank or indented past the collection. */
  private expectQuotedContinuation(lineStart: number, indent: number): void {
    let column = lineStart;
    while (this.text.charCodeAt(column) === SPACE) column++;
    if (column < this.length && this.text.charCodeAt(column) !== NEWLINE && column - lineStart <= indent) throw OUTSIDE;
  }
}
