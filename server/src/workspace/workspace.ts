// The workspace: open documents over files on disk, cached parsed bibliographies, and folder listings.
import * as path from 'node:path';
import type { FileSystem } from './fileSystem';
import { listFolderFiles, type FolderListing } from './folderListing';

export type { FolderListing } from './folderListing';
import type { ZoteroConnection } from './zotero';
import { DocumentFile } from './documents';
import type { Dialect } from './dialects/dialect';
import { dialectOf, isProjectFile } from './dialects/registry';
import { BibliographyFile, bibliographyFormatOf, type BibliographyFormat } from '../bibliography/bibliographyFile';
import { decodeText } from '../util/textDecoding';
import type { Settings } from '../config/settings';
import { contentKeyOf, type SearchIndexCache } from './indexCache';
import { yieldToEvents } from '../util/yieldToEvents';

interface OpenText {
  text: string;
  version: number;
  languageId?: string;
}

interface CachedBibliography {
  mtimeMs: number;
  size: number;
  file: BibliographyFile;
  /** Changed on disk since: read again on the next request, but still the best answer while that read runs. */
  stale?: boolean;
  /** Which read of the disk made it (reads are numbered as they start); none for an open document's text. */
  read?: number;
}

/** Lets other work (requests, cancellations) run between the slices of a long parse. */


/** What the process environment tells discovery: BibTeX's search path, the home folder, TeX's own bib folders. */
export interface WorkspaceEnvironment {
  BIBINPUTS?: string;
  HOME?: string;
  /** Folders of the TeX distribution searched for `\bibliography{x}` as kpathsea would (e.g. biblatex-examples.bib). */
  texBibFolders?: string[];
}

/** The usual places TeX distributions keep .bib files (Debian's texlive, TeX Live installs, the user's texmf). */
export function defaultTexBibFolders(home: string | undefined): string[] {
  const folders = ['/usr/share/texlive/texmf-dist/bibtex/bib', '/usr/share/texmf/bibtex/bib', '/usr/local/share/texmf/bibtex/bib'];
  if (home) folders.unshift(path.join(home, 'texmf', 'bibtex', 'bib'));
  return folders;
}

const LATIN1_NOTE = 'This file is not valid UTF-8, so citekeys read it as Latin-1 (ISO-8859-1). If accented letters look wrong, save it as UTF-8.';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB (${bytes.toLocaleString('en-US')} bytes)`;
}

/** Says the file is refused (from its size alone, it is never read), by how much, and which setting decides. */
function tooLargeMessage(name: string, size: number, limit: number): string {
  return `${name} is ${megabytes(size)}, over the limit of ${megabytes(limit)} set by citekeys.maxFileSizeMB; it is not read. Raise the setting to index it.`;
}

/**
 * What a file is to discovery: a document that concerns only itself (a Markdown note), a bibliography, or something
 * that may change which bibliographies other documents use (a LaTeX part, a project file).
 */
function fileKind(file: string, languageId?: string): 'self-contained' | 'bibliography' | 'other' {
  const dialect = dialectOf(file, languageId);
  if (dialect) return dialect.editAffectsOthers ? 'other' : 'self-contained';
  if (bibliographyFormatOf(file) && !isProjectFile(path.basename(file))) return 'bibliography';
  return 'other';
}

/** What the features use of a Zotero connection (tests give a stand-in). */
export type ZoteroSource = Pick<ZoteroConnection, 'status' | 'searchWithin' | 'exportEntries'>;

/** How many documents are read from disk at once when many are needed (references, rename, workspace checks). */
const DOCUMENT_READS_AT_ONCE = 32;

export class Workspace {
  private readonly open = new Map<string, OpenText>();
  private readonly documentReads = new Map<string, Promise<DocumentFile | undefined>>();
  private readonly derivedValues = new Map<string, Promise<unknown>>();
  private readonly absent = new Set<string>();
  private generationCount = 0;
  private workspaceFolders: string[];
  private readonly bibliographyCache = new Map<string, CachedBibliography>();
  private readonly loading = new Map<string, Promise<BibliographyFile>>();
  /** Reads of bibliographies from disk started so far: numbers them, so an older read never replaces a newer one. */
  private readsStarted = 0;
  private readonly documentCache = new Map<string, DocumentFile>();
  /**
   * A running Zotero (Better BibTeX) the server connected to: a source of entries with no text location. Set by the
   * server from the settings; the CLI and tests leave it unset.
   */
  zotero: ZoteroSource | undefined;
  private readonly listings = new Map<string, Promise<FolderListing>>();

  /**
   * Where finished search indexes of large files read from disk are kept between runs (set by the server; the CLI
   * and tests leave it unset). Used while `citekeys.indexCache` is on.
   */
  indexCache: SearchIndexCache | undefined;
  /** The index cache when it is in use. */
  get activeIndexCache(): SearchIndexCache | undefined {
    return this.settings.indexCache ? this.indexCache : undefined;
  }

  /** Called when a bibliography starts loading from disk; the returned function is called when it is parsed. */
  loadObserver: ((file: string, size: number) => () => void) | undefined;

  constructor(
    readonly fs: FileSystem,
    private currentSettings: Settings,
    /** Absolute paths of the workspace folders (the CLI passes the folders it checks). */
    folders: string[],
    readonly environment: WorkspaceEnvironment = {},
  ) {
    this.workspaceFolders = folders;
  }

  get settings(): Settings {
    return this.currentSettings;
  }

  set settings(settings: Settings) {
    // Clients send the configuration again on many occasions; only a real change drops what was worked out.
    if (JSON.stringify(settings) === JSON.stringify(this.currentSettings)) return;
    this.currentSettings = settings;
    this.documentCache.clear();
    this.invalidate();
  }

  get folders(): string[] {
    return this.workspaceFolders;
  }

  set folders(folders: string[]) {
    this.workspaceFolders = folders;
    this.invalidate();
  }

  /**
   * Changes whenever something that decides where a document's bibliographies are may have changed: a file on
   * disk, a file opened or closed, an open LaTeX document or project file edited, the settings or the folders.
   * Editing an open Markdown document or bibliography does not change it (their own versions tell).
   */
  get generation(): number {
    return this.generationCount;
  }

  private invalidate(): void {
    this.generationCount++;
    this.derivedValues.clear();
    this.absent.clear();
  }

  /**
   * A value computed from the workspace's files (for example which LaTeX files include which), kept until the
   * generation changes. `key` names the value; `compute` runs at most once per generation.
   */
  derived<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let value = this.derivedValues.get(key) as Promise<T> | undefined;
    if (!value) {
      value = compute();
      this.derivedValues.set(key, value);
    }
    return value;
  }

  // --- open documents (the editor's unsaved text wins over the disk) ------------------------------

  openText(file: string, text: string, version: number, languageId?: string): void {
    const wasOpen = this.open.has(file);
    const readFromDisk = (this.bibliographyCache.get(file)?.mtimeMs ?? -1) >= 0;
    this.open.set(file, { text, version, languageId });
    this.documentCache.delete(file);
    // Which bibliographies other documents use changes only when a LaTeX or project file changes, or when a
    // bibliography not known on disk starts to exist in the editor. A Markdown document concerns only itself.
    const kind = fileKind(file, languageId);
    if (kind === 'self-contained') return;
    if (kind === 'bibliography' && (wasOpen || readFromDisk)) return;
    this.invalidate();
  }

  closeText(file: string): void {
    this.open.delete(file);
    this.documentCache.delete(file);
    this.bibliographyCache.delete(file);
    // A closed bibliography may not exist on disk; a LaTeX file's disk text may include other files.
    if (fileKind(file) !== 'self-contained') this.invalidate();
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  openPaths(): string[] {
    return [...this.open.keys()];
  }

  /**
   * A file changed, appeared or disappeared on disk: forget what was cached for it. `contentOnly` says the file
   * existed before and still does (a save); then a Markdown document or a bibliography changes nothing but itself.
   */
  fileChanged(file: string, contentOnly = false): void {
    if (!this.open.has(file)) {
      const cached = this.bibliographyCache.get(file);
      if (cached && contentOnly) cached.stale = true;
      else this.bibliographyCache.delete(file);
      this.documentCache.delete(file);
    }
    // A read already in flight may have the old bytes: later requests start their own instead of joining it.
    this.loading.delete(file);
    this.documentReads.delete(file);
    const kind = fileKind(file);
    if (contentOnly && (kind === 'self-contained' || kind === 'bibliography')) return;
    this.listings.clear();
    this.invalidate();
  }

  // --- reading ----------------------------------------------------------------------------------

  /**
   * The text of a file (open or on disk), or an error message. A file read from disk of at least `digestFrom` bytes
   * also comes with the digest of its bytes (`contentKey`, computed on another thread while the caller goes on).
   */
  async readText(file: string, digestFrom = Infinity): Promise<{ text: string; version: number; encodingNote?: string; contentKey?: Promise<string | undefined> } | { error: string }> {
    const opened = this.open.get(file);
    if (opened) return { text: opened.text, version: opened.version };
    const stat = await this.fs.stat(file);
    if (!stat) return { error: `file not found: ${file}` };
    if (stat.isDirectory) return { error: `is a folder, not a file: ${file}` };
    if (stat.size > this.settings.maxFileSizeBytes) return { error: tooLargeMessage(path.basename(file), stat.size, this.settings.maxFileSizeBytes) };
    let bytes: Uint8Array;
    try {
      bytes = await this.fs.readFile(file);
    } catch (error) {
      return { error: `cannot read ${file}: ${(error as Error).message}` };
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) return { error: `${path.basename(file)}: ${decoded.reason}` };
    // After decoding: the bytes may be handed to another thread to be hashed.
    const contentKey = bytes.byteLength >= digestFrom ? contentKeyOf(bytes) : undefined;
    if (decoded.encoding === 'latin1') return { text: decoded.text, version: 0, encodingNote: LATIN1_NOTE, contentKey };
    return { text: decoded.text, version: 0, contentKey };
  }

  async getDocument(file: string): Promise<DocumentFile | undefined> {
    // The project decides some dialects (a `.md` in a mystmd project is MyST): a new `myst.yml` changes the reading.
    const dialect = await this.dialectFor(file, this.open.get(file)?.languageId);
    if (!dialect) return undefined;
    const cached = this.documentCache.get(file);
    const opened = this.open.get(file);
    if (cached && cached.dialect === dialect && (!opened || cached.version === opened.version)) return cached;
    if (opened) {
      const document = new DocumentFile(file, opened.text, dialect, opened.version, this.settings);
      this.documentCache.set(file, document);
      return document;
    }
    // Callers asking for the same file while it is read share one read.
    let reading = this.documentReads.get(file);
    if (!reading) {
      const read: Promise<DocumentFile | undefined> = this.readDocument(file, dialect).then((document) => {
        // A file changed while it was read is read again by the next caller, not cached.
        if (this.documentReads.get(file) !== read) return document;
        this.documentReads.delete(file);
        if (document && !this.open.has(file)) this.documentCache.set(file, document);
        return document;
      }, (error: unknown) => {
        if (this.documentReads.get(file) === read) this.documentReads.delete(file);
        throw error;
      });
      reading = read;
      this.documentReads.set(file, reading);
    }
    return reading;
  }

  /** The dialect a document is read in: its extension's (or languageId's), refined by its project (MyST). */
  async dialectFor(file: string, languageId?: string): Promise<Dialect | undefined> {
    const dialect = dialectOf(file, languageId);
    return dialect && ((await dialect.variantFor(this, file)) ?? dialect);
  }

  private async readDocument(file: string, dialect: Dialect): Promise<DocumentFile | undefined> {
    const read = await this.readText(file);
    if ('error' in read) return undefined;
    if (this.open.has(file)) return this.getDocument(file); // opened in the editor meanwhile
    return new DocumentFile(file, read.text, dialect, read.version, this.settings);
  }

  /** Many documents, in the order asked, read a few dozen at a time (one by one, the disk's latency adds up). */
  async getDocuments(files: string[]): Promise<(DocumentFile | undefined)[]> {
    const documents: (DocumentFile | undefined)[] = new Array(files.length);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const index = next++;
        documents[index] = await this.getDocument(files[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DOCUMENT_READS_AT_ONCE, files.length) }, worker));
    return documents;
  }

  /** A parsed bibliography; never throws: unreadable files come back with a problem and no entries. */
  async getBibliography(file: string, format?: BibliographyFormat): Promise<BibliographyFile> {
    const kind = format ?? bibliographyFormatOf(file) ?? 'bibtex';
    const opened = this.open.get(file);
    if (opened) {
      const cached = this.bibliographyCache.get(file);
      if (cached && cached.file.version === opened.version && cached.mtimeMs === -1) return cached.file;
      const parsed = cached && cached.file.format === kind && !cached.file.unreadable
        ? BibliographyFile.reparse(cached.file, opened.text, opened.version)
        : BibliographyFile.parse(file, opened.text, kind, opened.version);
      this.bibliographyCache.set(file, { mtimeMs: -1, size: opened.text.length, file: parsed });
      return parsed;
    }
    const stat = await this.fs.stat(file);
    const cached = this.bibliographyCache.get(file);
    if (stat && cached && !cached.stale && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.file;
    const pending = this.loading.get(file);
    if (pending) return pending;
    let load: Promise<BibliographyFile> | undefined = undefined;
    const read = ++this.readsStarted;
    load = (async () => {
      const done = this.loadObserver?.(file, stat?.size ?? 0);
      try {
        const parsed = await this.readAndParse(file, kind);
        // A load overtaken by a change (the file was rewritten while it was read) must not replace what a newer load
        // stored, nor an open document's text: its bytes are older. It is still newer than what an earlier read
        // left, so it replaces that, marked stale (read again next time), instead of leaving a version two behind.
        const overtaken = this.loading.get(file) !== load;
        const current = this.bibliographyCache.get(file);
        if (stat && (!overtaken || (current !== undefined && current.read !== undefined && current.read < read))) {
          this.bibliographyCache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, file: parsed, read, stale: overtaken });
        }
        return parsed;
      } finally {
        done?.();
      }
    })();
    this.loading.set(file, load);
    try {
      return await load;
    } finally {
      if (this.loading.get(file) === load) this.loading.delete(file);
    }
  }

  private async readAndParse(file: string, kind: BibliographyFormat): Promise<BibliographyFile> {
    const cache = this.activeIndexCache;
    const read = await this.readText(file, cache ? cache.smallestCachedBytes : Infinity);
    // The cache's stored index for these bytes is read while they are parsed (off this thread).
    const stored = cache && 'contentKey' in read && read.contentKey ? cache.readAhead(read.contentKey) : undefined;
    const parsed = 'error' in read
      ? BibliographyFile.unreadable(file, kind, read.error)
      : await BibliographyFile.parseInSlices(file, read.text, kind, 0, yieldToEvents);
    if ('encodingNote' in read) parsed.encodingNote = read.encodingNote;
    if (stored && cache) {
      cache.readFor(parsed, stored);
      await cache.installIfAtHand(parsed);
    }
    return parsed;
  }

  /** True while a bibliography is being read and indexed. */
  isLoading(file: string): boolean {
    return this.loading.has(file);
  }

  /**
   * The parsed version of a bibliography the workspace holds now, if any, without reading anything: after a change
   * on disk, the previous version until the new one is read.
   */
  currentBibliography(file: string): BibliographyFile | undefined {
    return this.bibliographyCache.get(file)?.file;
  }

  /** Bibliographies already parsed (for status and workspace-wide searches). */
  loadedBibliographies(): BibliographyFile[] {
    return [...this.bibliographyCache.values()].map((c) => c.file);
  }

  /** Whether a file exists (open, or on disk); the disk's answer is kept for the generation. */
  async exists(file: string): Promise<boolean> {
    if (this.open.has(file)) return true;
    const found = await this.derived(`exists\u0000${file}`, async () => !!(await this.fs.stat(file))?.isFile);
    if (!found) this.absent.add(file);
    return found;
  }

  /** Files found missing during this generation: a poller without file events re-checks them. */
  absentFiles(): string[] {
    return [...this.absent];
  }

  // --- listing ----------------------------------------------------------------------------------

  /** Documents and bibliography files below a folder (skipping dependencies, VCS and build output). */
  listFolder(folder: string): Promise<FolderListing> {
    let listing = this.listings.get(folder);
    if (!listing) {
      listing = listFolderFiles(this.fs, folder);
      this.listings.set(folder, listing);
    }
    return listing;
  }

  /** The workspace folder that contains a file (the longest match), if any. */
  folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders) {
      const rel = path.relative(folder, file);
      if (!rel.startsWith('..') && !path.isAbsolute(rel) && (!best || folder.length > best.length)) best = folder;
    }
    return best;
  }
}
