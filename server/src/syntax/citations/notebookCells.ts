// Reads a Jupyter notebook's JSON text into its cells: kind, decoded source text, and the way from offsets in that
// text back to offsets in the JSON. One forward pass with an explicit stack; bad JSON stops it with one problem.
import type { SyntaxProblem, TextRange } from '../types';

export type NotebookCellKind = 'markdown' | 'raw' | 'code';

/** One cell: its decoded source, and where each of its UTF-16 code units was written in the notebook's JSON. */
export class NotebookCell {
  constructor(
    /** 1-based position among all the notebook's cells, as users count them. */
    readonly index: number,
    readonly kind: NotebookCellKind,
    /** The source with its JSON escapes decoded, the array's strings joined. */
    readonly text: string,
    /** The `source` value in the JSON (the string, or the array), or an empty range at the cell when it has none. */
    readonly sourceRange: TextRange,
    /** rawStarts[d]: where code unit d begins in the JSON; rawStarts[text.length]: the end of the last string's content. */
    private readonly rawStarts: Uint32Array,
    /** rawEnds[d]: where code unit d ends in the JSON (after its escape). */
    private readonly rawEnds: Uint32Array,
  ) {}

  /** Where the code unit at `offset` of the decoded text begins in the JSON. */
  rawStart(offset: number): number {
    return this.rawStarts[Math.max(0, Math.min(offset, this.text.length))];
  }

  /** Where a range ending at `offset` of the decoded text ends in the JSON. */
  rawEnd(offset: number): number {
    if (offset <= 0) return this.rawStarts[0];
    return this.rawEnds[Math.min(offset, this.text.length) - 1];
  }

  /** A range of the decoded text as a range of the JSON. */
  rawRange(range: TextRange): TextRange {
    const start = this.rawStart(range.start);
    return { start, end: range.end > range.start ? Math.max(start, this.rawEnd(range.end)) : start };
  }

  /** Whether a JSON offset lies in this cell's source (its ends included). */
  holds(rawOffset: number): boolean {
    return rawOffset >= this.sourceRange.start && rawOffset <= this.sourceRange.end;
  }

  /** The decoded offset of a JSON offset in the source: the first code unit at or after it (inside an escape: after). */
  decodedOffset(rawOffset: number): number {
    let low = 0;
    let high = this.text.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.rawStarts[mid] < rawOffset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export interface NotebookRead {
  cells: NotebookCell[];
  problems: SyntaxProblem[];
}

type Role = 'root' | 'cells' | 'cell' | 'sourceList' | 'other';

interface Frame {
  role: Role;
  isObject: boolean;
  /** The last key read in an object. */
  key: string | undefined;
  /** The cell being read, for 'cell' and 'sourceList' frames. */
  cell?: CellBuilder;
}

class CellBuilder {
  kind: string | undefined;
  pieces: string[] = [];
  starts: number[] = [];
  ends: number[] = [];
  /** Where the content of the last string read ends (the offset of its closing quote). */
  contentEnd = -1;
  sourceRange: TextRange | undefined;
  constructor(readonly start: number) {}

  build(index: number): NotebookCell | undefined {
    const kind = this.kind;
    if (kind !== 'markdown' && kind !== 'raw' && kind !== 'code') return undefined;
    const text = kind === 'code' ? '' : this.pieces.join('');
    const length = kind === 'code' ? 0 : this.starts.length;
    const starts = new Uint32Array(length + 1);
    const ends = new Uint32Array(Math.max(length, 1));
    for (let i = 0; i < length; i++) {
      starts[i] = this.starts[i];
      ends[i] = this.ends[i];
    }
    const sourceRange = this.sourceRange ?? { start: this.start, end: this.start };
    starts[length] = this.contentEnd >= 0 && kind !== 'code' ? this.contentEnd : sourceRange.start;
    if (length === 0) ends[0] = starts[0];
    return new NotebookCell(index, kind, text, sourceRange, starts, ends);
  }
}

const WHITESPACE = /[ \t\r\n]*/y;
const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** The cells of a notebook (nbformat 4). Never throws; at the first JSON error it stops with one problem. */
export function readNotebookCells(json: string): NotebookRead {
  const read: NotebookRead = { cells: [], problems: [] };
  const fail = (at: number, message: string) => {
    read.problems.push({ range: { start: at, end: Math.min(at + 1, json.length) }, message: `This notebook is not valid JSON: ${message}` });
  };
  const stack: Frame[] = [];
  let at = 0;
  /** What may come next: a value, an object key, the `:` after one, or `,`/the closing bracket after a value. */
  let expect: 'value' | 'key' | 'colon' | 'next' | 'end' = 'value';
  /** Right after `{` or `[`, the closing bracket may come where a key or value is expected. */
  let justOpened = false;
  let cellCount = 0;

  const skipWhitespace = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.test(json);
    at = WHITESPACE.lastIndex;
  };

  while (true) {
    skipWhitespace();
    if (at >= json.length) {
      if (expect !== 'end') fail(json.length, stack.length ? 'it ends before its last bracket is closed' : 'it is empty');
      return read;
    }
    const c = json[at];
    if (expect === 'end') {
      fail(at, 'there is text after the notebook');
      return read;
    }
    const top = stack[stack.length - 1];
    if (justOpened && (c === '}' || c === ']')) {
      justOpened = false;
      expect = 'next';
      continue; // closed below, by the 'next' branch
    }
    justOpened = false;
    if (expect === 'next') {
      if (c === ',') {
        at++;
        expect = top.isObject ? 'key' : 'value';
        continue;
      }
      if (c === (top.isObject ? '}' : ']')) {
        at++;
        stack.pop();
        if (top.role === 'cell' && top.cell) {
          const cell = top.cell.build(++cellCount);
          if (cell) read.cells.push(cell);
          else if (top.cell.kind === undefined) cellCount--; // not a cell
        } else if (top.role === 'sourceList' && top.cell?.sourceRange) {
          top.cell.sourceRange.end = at;
        }
        expect = stack.length ? 'next' : 'end';
        continue;
      }
      fail(at, `expected ',' or '${top.isObject ? '}' : ']'}'`);
      return read;
    }
    if (expect === 'colon') {
      if (c !== ':') {
        fail(at, "expected ':'");
        return read;
      }
      at++;
      expect = 'value';
      continue;
    }
    if (expect === 'key') {
      if (c !== '"') {
        fail(at, 'expected a quoted key');
        return read;
      }
      const end = stringEnd(json, at);
      if (end < 0) {
        fail(at, 'a string is not closed');
        return read;
      }
      top.key = top.role === 'root' || top.role === 'cell' ? decodeString(json, at, end) : undefined;
      at = end + 1;
      expect = 'colon';
      continue;
    }
    // A value: its role follows from where it is.
    const role = roleOf(top);
    if (c === '{' || c === '[') {
      const frame: Frame = { role: 'other', isObject: c === '{', key: undefined };
      if (c === '{' && (role === 'root' || role === 'cell')) frame.role = role;
      if (c === '[' && role === 'cells') frame.role = 'cells';
      if (c === '{' && role === 'cell') frame.cell = new CellBuilder(at);
      if (c === '[' && role === 'source' && top.cell) {
        frame.role = 'sourceList';
        frame.cell = top.cell;
        top.cell.sourceRange = { start: at, end: at };
      }
      stack.push(frame);
      at++;
      expect = frame.isObject ? 'key' : 'value';
      justOpened = true;
      continue;
    }
    if (c === '"') {
      const end = stringEnd(json, at);
      if (end < 0) {
        fail(at, 'a string is not closed');
        return read;
      }
      const cell = top?.cell;
      if (cell && role === 'cellType') cell.kind = decodeString(json, at, end);
      else if (cell && (role === 'source' || role === 'sourcePiece') && cell.kind !== 'code') {
        if (role === 'source') cell.sourceRange = { start: at, end: end + 1 };
        decodeInto(json, at, end, cell);
      }
      at = end + 1;
      expect = stack.length ? 'next' : 'end';
      continue;
    }
    LITERAL.lastIndex = at;
    if (LITERAL.test(json)) {
      at = LITERAL.lastIndex;
      expect = stack.length ? 'next' : 'end';
      continue;
    }
    fail(at, `unexpected '${c}'`);
    return read;
  }
}

/** What a value at this place is to the reader. */
function roleOf(parent: Frame | undefined): Role | 'source' | 'sourcePiece' | 'cellType' {
  if (!parent) return 'root';
  if (parent.role === 'root') return parent.key === 'cells' ? 'cells' : 'other';
  if (parent.role === 'cells') return 'cell';
  if (parent.role === 'cell') return parent.key === 'source' ? 'source' : parent.key === 'cell_type' ? 'cellType' : 'other';
  if (parent.role === 'sourceList') return 'sourcePiece';
  return 'other';
}

/** The offset of the closing quote of the string opening at `open`, or -1. Native search from quote to quote. */
function stringEnd(json: string, open: number): number {
  let from = open + 1;
  while (true) {
    const quote = json.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (json.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** The string's content decoded (a malformed escape is kept as written). */
function decodeString(json: string, open: number, close: number): string {
  const builder = new CellBuilder(open);
  decodeInto(json, open, close, builder);
  return builder.pieces.join('');
}

/** Appends the decoded content of the string `json[open..close]` to a cell, with each code unit's place in the JSON. */
function decodeInto(json: string, open: number, close: number, cell: CellBuilder): void {
  let runStart = open + 1;
  const flush = (end: number) => {
    if (end <= runStart) return;
    cell.pieces.push(json.slice(runStart, end));
    for (let i = runStart; i < end; i++) {
      cell.starts.push(i);
      cell.ends.push(i + 1);
    }
  };
  for (let i = json.indexOf('\\', open + 1); i >= 0 && i < close; i = json.indexOf('\\', i)) {
    flush(i);
    const letter = json[i + 1];
    let decoded: string | undefined = ESCAPES[letter];
    let length = 2;
    if (letter === 'u' && /^[0-9a-fA-F]{4}$/.test(json.slice(i + 2, i + 6))) {
      decoded = String.fromCharCode(parseInt(json.slice(i + 2, i + 6), 16));
      length = 6;
    }
    if (decoded === undefined) {
      decoded = json.slice(i, i + 2);
      cell.starts.push(i, i + 1);
      cell.ends.push(i + 1, i + 2);
    } else {
      cell.starts.push(i);
      cell.ends.push(i + length);
    }
    cell.pieces.push(decoded);
    i += length;
    runStart = i;
  }
  flush(close);
  cell.contentEnd = close;
}
