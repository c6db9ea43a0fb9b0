// Shared shapes of what the parsers return: offsets are UTF-16 code units into the parsed text (see ARCHITECTURE.md).
import type { BibtexFieldTable } from './bibtex/fields';

/** Half-open range [start, end) of UTF-16 offsets into one text. */
export interface TextRange {
  start: number;
  end: number;
}

/** Something a parser could not read; parsers report these instead of throwing. */
export interface SyntaxProblem {
  range: TextRange;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Bibliographies

/**
 * One field of a BibTeX entry, kept as offsets: the value is decoded only when somebody asks. Entries keep their
 * fields packed in a table (`bibtex/fields.ts`: `fieldsOf(entry)` gives these objects); `@string` values are kept so.
 */
export interface BibtexField {
  /** Lower-cased field name (`author`, `title`, ...). */
  name: string;
  nameStart: number;
  /** The whole value expression, e.g. `{The {DNA} story}`, `"x" # jan`, `2020`. */
  valueStart: number;
  valueEnd: number;
}

/** A BibTeX/BibLaTeX entry as the scanner found it. */
export interface BibtexEntry {
  /** Lower-cased entry type without `@` (`article`, `book`, ...). */
  type: string;
  key: string;
  keyRange: TextRange;
  /** From `@` to the closing delimiter (or to where the scanner gave up on a malformed entry). */
  range: TextRange;
  /** The entry's fields are `fieldCount` fields of this table from `firstField` on (read them with `bibtex/fields.ts`). */
  fieldTable: BibtexFieldTable;
  firstField: number;
  fieldCount: number;
}

export interface BibtexFile {
  entries: BibtexEntry[];
  /** `@string` macros defined in the file, name lower-cased → raw value expression range. */
  strings: Map<string, BibtexField>;
  problems: SyntaxProblem[];
}

/** One CSL item (from CSL-JSON, CSL-YAML or Pandoc `references:`). */
export interface CslItemSyntax {
  key: string;
  keyRange: TextRange;
  range: TextRange;
  /** The item as the file gives it (plain JSON data). */
  data: Record<string, unknown>;
}

export interface CslFile {
  items: CslItemSyntax[];
  problems: SyntaxProblem[];
}

// ---------------------------------------------------------------------------------------------
// Documents

export type CitationKind =
  /** `[@a]`, `@a`, `\cite{a}`, ... */
  | 'citation'
  /** `nocite:` front matter, `\nocite{a}`: uses an entry without printing a citation. */
  | 'nocite';

/** One citation key as written in a document. `key` is `*` for `\nocite{*}` / `@*`. */
export interface CitationOccurrence {
  key: string;
  /** Range of the key itself (without `@`, braces of `@{...}`, or the comma). */
  range: TextRange;
  kind: CitationKind;
  /**
   * The citation the key is part of, when one citation can hold several keys: `[@a; @b]`, `\cite[p. 1]{a,b}`, and
   * a whole `\cites{a}[p. 2]{b}`. Keys whose `citation.start` is the same were written in one citation. Absent for
   * a bare `@a` and for `nocite:` metadata.
   */
  citation?: TextRange;
  /** LaTeX: the key's own `[..][..]{..}` key list inside `citation` (one of the groups of a `\cites`). */
  keyList?: TextRange;
  /**
   * Typst: written as a reference, `@key` or `#ref(<key>)`. Typst makes it a citation only when no label `<key>` is
   * in the document (or its includes); otherwise it is a cross-reference, which the dialect drops.
   */
  reference?: true;
}

/** A place where a document names a bibliography file (`bibliography:`, `\bibliography{}`, `\addbibresource{}`). */
export interface BibliographyDeclaration {
  /** The path as written (may lack `.bib` for `\bibliography`, may start with `~`). */
  path: string;
  range: TextRange;
  /** `\bibliography{x}` may omit `.bib`. */
  defaultExtension?: string;
}

/** `\begin{filecontents}{refs.bib} … \end{filecontents}`: a file LaTeX writes when it compiles the document. */
export interface EmbeddedFile {
  /** The file name as written (may use `\jobname`). */
  name: string;
  nameRange: TextRange;
  /** The file's text, from the line after `\begin{…}{name}` to `\end{filecontents}`. */
  content: TextRange;
}

/** A `\bibitem{key}` in a `thebibliography` environment: defines an entry inside the document. */
export interface BibitemDefinition {
  key: string;
  range: TextRange;
}

/** A `\input{x}`, `\include{x}`, `\subfile{x}`, `\import{dir/}{x}` in a LaTeX file, or a Typst `#include "x.typ"`. */
export interface IncludeDirective {
  /** The path as written; for the import commands the folder and the file joined. */
  path: string;
  range: TextRange;
  /**
   * How LaTeX finds the file. `input` (\input, \include): from the root's folder, or the folder the including file
   * was imported from. `import` (\import): from the root's folder. `subimport` (\subimport, \subfile): from the
   * including file's import folder. An imported file's own includes are found from its import folder.
   * `relative` (Typst's `#include "x.typ"`): from the including file's own folder.
   */
  via: 'input' | 'import' | 'subimport' | 'relative';
  /** For `import` and `subimport`: the folder part, which becomes the included file's import folder. */
  folder?: string;
}

export interface LatexBibliographyStyle {
  via: 'biblatex' | 'bibtex';
  name: string;
}

export interface DocumentSyntax {
  citations: CitationOccurrence[];
  /** Empty citations such as `[@]`, `\cite{}`: the range of the empty group. */
  emptyCitations: TextRange[];
  bibliographies: BibliographyDeclaration[];
  /** Markdown `references:` front matter, read as CSL items. */
  inlineReferences?: CslFile;
  /** Markdown `csl:` front matter. */
  cslStyle?: string;
  bibitems: BibitemDefinition[];
  includes: IncludeDirective[];
  /** `% !TEX root = main.tex` */
  magicRoot?: string;
  /** LaTeX: the class `\documentclass` names. A file with a class is a root, unless the class is subfiles or standalone. */
  documentClass?: string;
  /** LaTeX: the main file a subfiles chapter names, `\documentclass[../main.tex]{subfiles}`. */
  subfilesRoot?: string;
  /** LaTeX: `filecontents` environments, which write files (often the bibliography) at compile time. */
  embeddedFiles?: EmbeddedFile[];
  /** LaTeX: which backend the document uses, when it says (`\usepackage[backend=biber]{biblatex}` → 'biber'). */
  backend?: 'bibtex' | 'biber';
  /**
   * LaTeX: the bibliography style the document asks for: biblatex's `bibstyle=` or `style=` option (biblatex's own
   * default, `numeric`, when it has neither), or BibTeX's `\bibliographystyle{…}`.
   */
  latexBibliographyStyle?: LatexBibliographyStyle;
  problems: SyntaxProblem[];
}
