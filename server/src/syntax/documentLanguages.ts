// The document languages citekeys serves, as plain data: file extensions, editor language ids, grammar scopes. The
// one list that the server's dialect registry, the CLI, the VS Code client and package.json (a test checks) follow.

export interface LanguageFacts {
  /** How messages name the language. */
  label: string;
  /** Lower-case, with the dot. A known extension decides a file's language whatever the editor says. */
  extensions: readonly string[];
  /** Editor language ids (VS Code's and other editors'), for files without a known extension. */
  languageIds: readonly string[];
  /** TextMate scopes the citation grammar is injected into. */
  grammarScopes: readonly string[];
}

export const DOCUMENT_LANGUAGES = {
  markdown: {
    label: 'Markdown',
    extensions: ['.md', '.markdown', '.qmd', '.rmd', '.pmd'],
    languageIds: ['markdown', 'quarto', 'rmd', 'rmarkdown', 'pandoc'],
    grammarScopes: ['text.html.markdown', 'text.html.quarto', 'text.html.rmarkdown'],
  },
  latex: {
    label: 'LaTeX',
    extensions: ['.tex', '.ltx', '.latex'],
    languageIds: ['latex', 'tex', 'context'],
    grammarScopes: ['text.tex.latex'],
  },
  myst: {
    label: 'MyST Markdown',
    // `.md` files of a mystmd or Jupyter Book project (or all, with `citekeys.markdown.flavor`): Markdown decides.
    extensions: [],
    languageIds: [],
    grammarScopes: [],
  },
  typst: {
    label: 'Typst',
    extensions: ['.typ'],
    languageIds: ['typst'],
    grammarScopes: ['source.typst'],
  },
  notebook: {
    label: 'Jupyter notebook',
    extensions: ['.ipynb'],
    // VS Code opens a notebook as cells (markdown cells are `markdown` documents); as text it is JSON.
    languageIds: [],
    grammarScopes: [],
  },
} as const satisfies Record<string, LanguageFacts>;

/** The name of a dialect: one per entry of DOCUMENT_LANGUAGES. */
export type DialectName = keyof typeof DOCUMENT_LANGUAGES;

export const DIALECT_NAMES = Object.keys(DOCUMENT_LANGUAGES) as DialectName[];

/** Bibliography files are never documents, whatever language the editor names. */
export const BIBLIOGRAPHY_EXTENSIONS: readonly string[] = ['.bib', '.bibtex'];
/** The editor languages of bibliography files the client also serves (hover and rename in a `.bib`). */
export const BIBLIOGRAPHY_LANGUAGE_IDS: readonly string[] = ['bibtex'];

function extensionOf(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const dot = file.lastIndexOf('.');
  return dot > slash + 1 ? file.slice(dot).toLowerCase() : '';
}

/**
 * The dialect of a file. A known extension decides; the editor's languageId counts only for other names (an
 * untitled buffer, a `.txt` opened as Markdown). An editor may send one languageId for every file of a server
 * (eglot with several modes on one entry says "markdown" for `paper.tex` too).
 */
export function dialectNameOf(file: string, languageId?: string): DialectName | undefined {
  const ext = extensionOf(file);
  if (ext) {
    for (const name of DIALECT_NAMES) if ((DOCUMENT_LANGUAGES[name].extensions as readonly string[]).includes(ext)) return name;
    if (BIBLIOGRAPHY_EXTENSIONS.includes(ext)) return undefined;
  }
  if (!languageId) return undefined;
  for (const name of DIALECT_NAMES) if ((DOCUMENT_LANGUAGES[name].languageIds as readonly string[]).includes(languageId)) return name;
  return undefined;
}

/** Every editor language id the client serves: the documents' and the bibliographies'. */
export function servedLanguageIds(): string[] {
  const ids: string[] = [];
  for (const name of DIALECT_NAMES) for (const id of DOCUMENT_LANGUAGES[name].languageIds) ids.push(id);
  for (const id of BIBLIOGRAPHY_LANGUAGE_IDS) ids.push(id);
  return ids;
}

/** Every document extension, for file listings, the CLI's messages and watcher globs. */
export function documentExtensions(): string[] {
  const extensions: string[] = [];
  for (const name of DIALECT_NAMES) for (const ext of DOCUMENT_LANGUAGES[name].extensions) extensions.push(ext);
  return extensions;
}
