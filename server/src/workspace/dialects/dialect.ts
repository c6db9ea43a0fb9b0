// What a document language (a dialect) must tell the rest of citekeys. Each dialect is one module filling in every
// part of this interface, with one entry in the registry (registry.ts); no feature asks which language it serves.
import type { BibliographyFile, SourceText } from '../../bibliography/bibliographyFile';
import type { Settings } from '../../config/settings';
import type { CitationInserter } from '../../syntax/citations/citationInsertion';
import type { CitationListSyntax } from '../../syntax/citations/citationLists';
import type { KeyInProgress } from '../../syntax/citations/keyAtCursor';
import type { LanguageFacts } from '../../syntax/documentLanguages';
import type { BibliographyDeclaration, DocumentSyntax, SyntaxProblem, TextRange } from '../../syntax/types';
import type { DocumentFile } from '../documents';
import type { Workspace } from '../workspace';

/** The settings a dialect's parser and cursor reading may use. */
export type DialectSettings = Pick<Settings, 'crossrefPrefixes' | 'extraCiteCommands'>;

/** A bibliography declaration with the file that holds it and what its path is read against. */
export interface DeclarationSite {
  declaration: BibliographyDeclaration;
  /** The document, a root or part of it, or a project file. */
  declaredIn: SourceText;
  /** The folder a relative path is resolved from. */
  baseDir: string;
  /** LaTeX: the root's name, for `\jobname`. */
  jobname?: string;
}

/** What a document declares about its bibliographies, before any path is looked up. */
export interface DeclaredBibliographies {
  sites: DeclarationSite[];
  /** References written in the document itself (Pandoc's `references:`). */
  inline?: BibliographyFile;
  /** Files the document writes when compiled (LaTeX `filecontents`), by absolute path; used when none is on disk. */
  embedded: Map<string, BibliographyFile>;
  /** The root document when it is not the document itself. */
  root?: DocumentFile;
  /** The document and the parts that define entries inline (`\bibitem`), whose keys it may cite. */
  bibitemDocuments: DocumentFile[];
  /** Keys match entries ignoring case (BibTeX does; biber, Pandoc and Typst do not). */
  caseInsensitive: boolean;
  /** Project files that could not be read, with what is wrong. */
  projectProblems: { file: SourceText; problems: SyntaxProblem[] }[];
  /** Typst: labels of the document's files; a citation written as a reference to one of them is a cross-reference. */
  labels?: ReadonlySet<string>;
}

/** How a dialect looks declared paths up, beyond resolving them against their folder. */
export interface PathLookup {
  /** Paths may be globs (biblatex's `\addbibresource[glob]`). */
  globs: boolean;
  /**
   * Further places a relative path may be, as the real tool looks (BIBINPUTS, the TeX tree), most likely first.
   * `names`: the path as written, and with the default extension when it has none.
   */
  moreCandidates(workspace: Workspace, names: string[]): Promise<string[]>;
  /** Folders outside the workspace this dialect's documents may make citekeys read. */
  readableFolders(workspace: Workspace): string[];
  /** Folders whose files are the tool's own and never edited (the TeX distribution's `.bib` files). */
  readOnlyFolders(workspace: Workspace): string[];
}

export interface Dialect extends LanguageFacts {
  readonly name: string;
  /**
   * The dialect a file of this one's extensions is really in, when its project decides (a `.md` file in a mystmd
   * project is MyST); undefined when it is this one.
   */
  variantFor(workspace: Workspace, file: string): Promise<Dialect | undefined>;
  /** The citations, bibliography declarations and includes of a document. Never throws. */
  parse(text: string, settings: DialectSettings): DocumentSyntax;
  /** The key being typed at `offset`, found lexically; undefined when the cursor is not where a key goes. */
  keyAt(text: string, offset: number, settings: DialectSettings): KeyInProgress | undefined;
  /**
   * What completion inserts for `key` where `typing` is, and over which range when it is more than the key (Typst's
   * `@odd key` becomes `#cite(label("odd key"))`); undefined when the key goes in as it is.
   */
  insertText(key: string, typing: KeyInProgress, text: string): { text: string; range?: TextRange } | undefined;
  /**
   * What Insert Citation writes at the cursor for several keys, from the cursor's line left and right of it: a whole
   * citation, or the keys with their separators inside one already there.
   */
  readonly citationInsertion: CitationInserter;
  /** The text that replaces the key at `range` with `key` (rename, quick fixes). */
  keyText(text: string, range: TextRange, key: string): string;
  /** Why `key` cannot be cited in this language, or undefined when it can. */
  keyProblem(key: string): string | undefined;
  /**
   * 'exact': a cited key names only the entry with that exact key. 'per-bibliography': it may name one that differs
   * in case, when the document's bibliographies say so (`caseInsensitive`).
   */
  readonly keyCase: 'exact' | 'per-bibliography';
  /** How the keys of one citation are written (for repeated keys). */
  readonly citationLists: CitationListSyntax;
  /** What the document (and its roots and project files) declares. */
  declarations(workspace: Workspace, doc: DocumentFile): Promise<DeclaredBibliographies>;
  readonly paths: PathLookup;
  /**
   * Whether an edit to an open document of this dialect may change which bibliographies other documents use (a
   * LaTeX part changes its root's declarations; a Markdown note concerns only itself).
   */
  readonly editAffectsOthers: boolean;
  /** Characters after which the editor should ask for completion. */
  readonly triggerCharacters: readonly string[];
  /**
   * Names of project files that declare bibliographies for the documents below them (`_quarto.yml`): never read
   * as bibliographies themselves, and watched.
   */
  readonly projectFileNames: readonly string[];
  /**
   * The edit that declares a new bibliography file `name` (beside the document) in the document, the way the
   * language does (front matter, `\addbibresource`, `#bibliography`); undefined when the language declares them
   * elsewhere (MyST's `myst.yml`).
   */
  declareBibliography(doc: DocumentFile, name: string): { range: TextRange; newText: string } | undefined;
  /** Message wording. */
  readonly messages: {
    /** How to declare a bibliography, e.g. "`bibliography:` in the front matter". */
    declareBibliography: string;
  };
}
