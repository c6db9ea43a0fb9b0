// Line and UTF-16 column of byte offsets into UTF-8 or one-byte text: what LineIndex.positionAt gives for the decoded
// text, found in one forward pass over the bytes (line breaks by native search), for offsets visited in ascending order.

const LF = 10;
const CR = 13;

export class BytePositions {
  /** Zero-based, like LineIndex: set by moveTo. */
  line = 0;
  /** Zero-based UTF-16 column, like LineIndex: set by moveTo. */
  character = 0;
  private lineStart = 0;
  private offset = 0;
  /** Offset of the next `\n` / `\r` at or after `offset`; -1 before the first search, Infinity when there is none. */
  private nextLf = -1;
  private nextCr = -1;

  /** `utf8`: the bytes are valid UTF-8; otherwise each byte is one character (Latin-1, Windows-1252). */
  constructor(private readonly bytes: Uint8Array, private readonly utf8: boolean) {}

  /** Moves to `offset` (never before the last one, and on a character boundary) and updates `line` and `character`. */
  moveTo(offset: number): void {
    if (offset < this.offset) throw new RangeError(`BytePositions.moveTo(${offset}) after ${this.offset}: offsets must not decrease`);
    const bytes = this.bytes;
    const lineStartBefore = this.lineStart;
    let from = this.offset;
    for (;;) {
      // Cached searches: each is repeated only once the scan has passed its hit, so the whole file is searched once.
      if (this.nextLf < from) this.nextLf = indexOrInfinity(bytes, LF, from);
      if (this.nextCr < from) this.nextCr = indexOrInfinity(bytes, CR, from);
      const lineBreak = Math.min(this.nextLf, this.nextCr);
      if (lineBreak >= offset) break;
      from = lineBreak + 1;
      // `\r\n` is one line break: its line starts after the `\n`, which the next round finds.
      if (bytes[lineBreak] === CR && bytes[lineBreak + 1] === LF) continue;
      this.line++;
      this.lineStart = from;
    }
    this.character = this.lineStart === lineStartBefore
      ? this.character + this.utf16Length(this.offset, offset)
      : this.utf16Length(this.lineStart, offset);
    this.offset = offset;
  }

  /** UTF-16 code units in bytes [start, end): one per character, two for those outside the BMP (4-byte UTF-8). */
  private utf16Length(start: number, end: number): number {
    if (!this.utf8) return end - start;
    const bytes = this.bytes;
    let units = 0;
    for (let p = start; p < end; p++) {
      const b = bytes[p];
      if (b < 0x80) units++;
      else if (b >= 0xc0) units += b >= 0xf0 ? 2 : 1; // a lead byte; continuation bytes (0x80-0xbf) add nothing
    }
    return units;
  }
}

function indexOrInfinity(bytes: Uint8Array, byte: number, from: number): number {
  const i = bytes.indexOf(byte, from);
  return i < 0 ? Infinity : i;
}
