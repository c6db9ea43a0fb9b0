// Builds the output of `citekeys keys` (text or JSON, a public contract) as UTF-8 byte chunks. Keys of a byte-scanned
// UTF-8 file are copied from its bytes, so 100,000 keys print without 100,000 strings.

/** Keys found in a UTF-8 file's bytes: key i is `bytes[starts[i], ends[i])` at 1-based `lines[i]`, `columns[i]` (UTF-16). */
export interface Utf8KeySpans {
  bytes: Uint8Array;
  starts: ArrayLike<number>;
  ends: ArrayLike<number>;
  lines: ArrayLike<number>;
  columns: ArrayLike<number>;
}

export type KeyListingFormat = 'text' | 'json';

/** Output is handed on in buffers of about this size: no one 10 MB string, no 100,000 small writes. */
const CHUNK_BYTES = 1 << 20;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Text: `file:line:column<TAB>key` per line. JSON: an array of `{"file","line","column","key","kind"}` objects, one per
 * line. A notebook's keys: `file:cell_N:line:column`, `{"file","cell",…}`, the line and column in the cell. Call beginFile before a file's keys, then `finish` once for all the chunks.
 */
export class KeyListingWriter {
  private readonly chunks: Uint8Array[] = [];
  private buffer = new Uint8Array(CHUNK_BYTES);
  private length = 0;
  private records = 0;
  private readonly json: boolean;
  /** The fixed pieces of a record, around the line, the column and the key. */
  private recordHead = EMPTY;
  private readonly afterLine: Uint8Array;
  private readonly afterColumn: Uint8Array;
  private recordTail: Uint8Array;

  constructor(format: KeyListingFormat) {
    this.json = format === 'json';
    this.afterLine = ascii(this.json ? ',"column":' : ':');
    this.afterColumn = ascii(this.json ? ',"key":' : '\t');
    this.recordTail = ascii(this.json ? '' : '\n');
  }

  /** `cell`: the notebook cell the keys that follow are in (their lines and columns count in its source). */
  beginFile(file: string, kind: 'entry' | 'citation', cell?: number): void {
    // JSON: `{"file":"…","line":` and `,"kind":"entry"}`; text: `file:` and a line break. A cell: `"cell":3,`, `cell_3:`.
    if (this.json) {
      this.recordHead = UTF8.encode(`{"file":${JSON.stringify(file)},${cell !== undefined ? `"cell":${cell},` : ''}"line":`);
      this.recordTail = ascii(`,"kind":"${kind}"}`);
    } else {
      this.recordHead = UTF8.encode(`${file}:${cell !== undefined ? `cell_${cell}:` : ''}`);
    }
  }

  addKey(line: number, column: number, key: string): void {
    const encoded = this.json ? JSON.stringify(key) : key;
    this.startRecord(line, column, Buffer.byteLength(encoded));
    this.length += UTF8.encodeInto(encoded, this.buffer.subarray(this.length)).written;
    this.copyIn(this.recordTail);
  }

  /** Keys copied from UTF-8 bytes. In JSON only `"` and `\` need escaping: keys hold no control characters (they end at one). */
  addUtf8Keys(spans: Utf8KeySpans): void {
    const { bytes, starts, ends, lines, columns } = spans;
    const json = this.json;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i];
      const end = ends[i];
      this.startRecord(lines[i], columns[i], 2 * (end - start) + 2);
      const buffer = this.buffer;
      let at = this.length;
      if (json) buffer[at++] = QUOTE;
      for (let p = start; p < end; p++) {
        const b = bytes[p];
        if (json && (b === QUOTE || b === BACKSLASH)) buffer[at++] = BACKSLASH;
        buffer[at++] = b;
      }
      if (json) buffer[at++] = QUOTE;
      this.length = at;
      this.copyIn(this.recordTail);
    }
  }

  /** The whole output, in order. */
  finish(): Uint8Array[] {
    if (this.json) {
      this.reserve(3);
      if (this.records === 0) this.buffer[this.length++] = OPEN_BRACKET;
      this.copyIn(ascii(']\n'));
    }
    if (this.length > 0) this.chunks.push(this.buffer.subarray(0, this.length));
    this.length = 0;
    return this.chunks;
  }

  /** Writes what comes before the key and leaves room for `keyBytes` more and the record's end. */
  private startRecord(line: number, column: number, keyBytes: number): void {
    this.reserve(this.recordHead.length + this.recordTail.length + keyBytes + 64);
    if (this.json) {
      if (this.records === 0) this.buffer[this.length++] = OPEN_BRACKET;
      else this.copyIn(RECORD_SEPARATOR);
    }
    this.records++;
    this.copyIn(this.recordHead);
    this.digits(line);
    this.copyIn(this.afterLine);
    this.digits(column);
    this.copyIn(this.afterColumn);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    if (this.length > 0) this.chunks.push(this.buffer.subarray(0, this.length));
    this.buffer = new Uint8Array(Math.max(CHUNK_BYTES, bytes));
    this.length = 0;
  }

  /** A byte loop: for pieces this short it beats Buffer.copy, which is a native call with argument checks. */
  private copyIn(piece: Uint8Array): void {
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < piece.length; i++) buffer[at++] = piece[i];
    this.length = at;
  }

  /** A non-negative integer in decimal. */
  private digits(n: number): void {
    const buffer = this.buffer;
    let end = this.length;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) end++;
    this.length = end + 1;
    for (let rest = n; ; rest = Math.floor(rest / 10)) {
      buffer[end--] = 48 + (rest % 10);
      if (rest < 10) break;
    }
  }
}

const EMPTY = new Uint8Array(0);
const UTF8 = new TextEncoder();
const OPEN_BRACKET = 0x5b;
const RECORD_SEPARATOR = ascii(',\n');

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
