// A document in one of the dialects (Markdown family, LaTeX, …) with its text and lazily parsed citations.
import type { DocumentSyntax } from '../syntax/types';
import { LineIndex } from '../util/lineIndex';
import type { SourceText } from '../bibliography/bibliographyFile';
import type { Dialect, DialectSettings } from './dialects/dialect';

export class DocumentFile implements SourceText {
  private parsed: DocumentSyntax | undefined;
  private lines: LineIndex | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly dialect: Dialect,
    readonly version: number,
    private readonly settings: DialectSettings,
  ) {}

  syntax(): DocumentSyntax {
    this.parsed ??= this.dialect.parse(this.text, this.settings);
    return this.parsed;
  }

  /** Whether the citations have been read already (so syntax() costs nothing). */
  isParsed(): boolean {
    return this.parsed !== undefined;
  }

  lineIndex(): LineIndex {
    this.lines ??= new LineIndex(this.text);
    return this.lines;
  }
}
