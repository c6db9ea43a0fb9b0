// A document (Markdown family or LaTeX) with its text and lazily parsed citations.
import * as path from 'node:path';
import type { DocumentSyntax } from '../syntax/types';
import { parseMarkdownDocument } from '../syntax/citations/markdown';
import { parseLatexDocument } from '../syntax/citations/latex';
import { LineIndex } from '../util/lineIndex';
import type { SourceText } from '../bibliography/bibliographyFile';
import type { Settings } from '../config/settings';

export type DocumentLanguage = 'markdown' | 'latex';

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.qmd', '.rmd', '.pmd']);
const LATEX_EXTENSIONS = new Set(['.tex', '.ltx', '.latex']);
const MARKDOWN_LANGUAGE_IDS = new Set(['markdown', 'quarto', 'rmd', 'rmarkdown', 'pandoc']);
const LATEX_LANGUAGE_IDS = new Set(['latex', 'tex', 'context']);

/** Bibliography extensions: such a file is never a document, whatever language the editor names. */
const BIBTEX_EXTENSIONS = new Set(['.bib', '.bibtex']);

/**
 * Whether a file is a Markdown or LaTeX document. A known extension decides; the editor's languageId counts only
 * for other names (an untitled buffer, a `.txt` opened as Markdown). An editor may send one languageId for every
 * file of a server (eglot with several modes on one entry says "markdown" for `paper.tex` too).
 */
export function documentLanguageOf(file: string, languageId?: string): DocumentLanguage | undefined {
  const ext = path.extname(file).toLowerCase();
  if (MARKDOWN_EXTENSIONS.has(ext)) return 'markdown';
  if (LATEX_EXTENSIONS.has(ext)) return 'latex';
  if (BIBTEX_EXTENSIONS.has(ext)) return undefined;
  if (languageId && MARKDOWN_LANGUAGE_IDS.has(languageId)) return 'markdown';
  if (languageId && LATEX_LANGUAGE_IDS.has(languageId)) return 'latex';
  return undefined;
}

export class DocumentFile implements SourceText {
  private parsed: DocumentSyntax | undefined;
  private lines: LineIndex | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly language: DocumentLanguage,
    readonly version: number,
    private readonly settings: Pick<Settings, 'crossrefPrefixes' | 'extraCiteCommands'>,
  ) {}

  syntax(): DocumentSyntax {
    this.parsed ??=
      this.language === 'markdown'
        ? parseMarkdownDocument(this.text, { crossrefPrefixes: this.settings.crossrefPrefixes })
        : parseLatexDocument(this.text, { extraCiteCommands: this.settings.extraCiteCommands });
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
