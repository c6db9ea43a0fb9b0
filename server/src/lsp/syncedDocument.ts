// The editor's copy of an open document, kept in sync from incremental changes. Unlike the stock TextDocument,
// line starts live in a typed array moved past each change (util/lineIndex), so an edit of a 60 MB .bib costs one
// string splice and a table copy instead of rewalking millions of line offsets held as JS numbers.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import type { Position, Range } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../util/lineIndex';

const isEndOfLine = (code: number) => code === 10 || code === 13;

export class SyncedDocument {
  private lines: LineIndex | undefined;

  private constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    private text: string,
  ) {}

  static create(uri: string, languageId: string, version: number, text: string): SyncedDocument {
    return new SyncedDocument(uri, languageId, version, text);
  }

  /** Applies the client's changes in order, as the LSP specification says (each relative to the text before it). */
  static update(document: SyncedDocument, changes: TextDocumentContentChangeEvent[], version: number): SyncedDocument {
    for (const change of changes) {
      if ('range' in change) document.applyEdit(change.range, change.text);
      else {
        document.text = change.text;
        document.lines = undefined;
      }
    }
    document.version = version;
    return document;
  }

  private applyEdit(range: Range, inserted: string): void {
    const [first, second] = [this.offsetAt(range.start), this.offsetAt(range.end)];
    const start = Math.min(first, second);
    const end = Math.max(first, second);
    const lines = this.lineIndex();
    this.text = this.text.slice(0, start) + inserted + this.text.slice(end);
    this.lines = LineIndex.afterEdit(lines, this.text, start, end, start + inserted.length);
  }

  private lineIndex(): LineIndex {
    this.lines ??= new LineIndex(this.text);
    return this.lines;
  }

  get lineCount(): number {
    return this.lineIndex().lineCount;
  }

  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const position = this.lineIndex().positionAt(clamped);
    // Inside a line break (between \r and \n) counts as the end of the line, as in the protocol.
    const lineStart = clamped - position.character;
    let at = clamped;
    while (at > lineStart && isEndOfLine(this.text.charCodeAt(at - 1))) at--;
    return { line: position.line, character: at - lineStart };
  }

  /** A position past the end of its line stops before the line break, as in the protocol. */
  offsetAt(position: Position): number {
    const lines = this.lineIndex();
    if (position.line >= lines.lineCount) return this.text.length;
    if (position.line < 0) return 0;
    const lineStart = lines.lineStart(position.line);
    if (position.character <= 0) return lineStart;
    const nextLineStart = position.line + 1 < lines.lineCount ? lines.lineStart(position.line + 1) : this.text.length;
    let offset = Math.min(lineStart + position.character, nextLineStart);
    while (offset > lineStart && isEndOfLine(this.text.charCodeAt(offset - 1))) offset--;
    return offset;
  }
}
