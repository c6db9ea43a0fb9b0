// Which bibliographies a document really uses: front matter, Quarto project files, LaTeX root and includes, BIBINPUTS,
// settings globs, and, when nothing declares any, every bibliography in the workspace folder.
import * as path from 'node:path';
import type { BibliographyDeclaration, SyntaxProblem } from '../syntax/types';
import { BibliographyFile, bibliographyFormatOf, type SourceText } from '../bibliography/bibliographyFile';
import { globToRegExp } from '../util/glob';
import { looksLikeHayagriva } from '../syntax/csl/hayagriva';
import { appendAll } from '../util/appendAll';
import type { DocumentFile } from './documents';
import type { FolderListing, Workspace } from './workspace';
import { mayRead } from './readAccess';

export interface MissingBibliography {
  declaration: BibliographyDeclaration;
  /** The file that declares it: the document, its LaTeX root, or a Quarto project file. */
  declaredIn: SourceText;
  /** Where it was looked for. */
  candidates: string[];
  /** Set when the file exists but lies outside the workspace and `allowOutsideWorkspace` is off. */
  outsideWorkspace?: string;
}

export interface DocumentBibliographies {
  /** In discovery order, each file once. */
  files: BibliographyFile[];
  missing: MissingBibliography[];
  /** The LaTeX root document when it is not the document itself (the nearest, when several include it). */
  root?: DocumentFile;
  /** The document, and the files of its LaTeX roots that hold `\bibitem`s, whose keys it may cite. */
  bibitemDocuments: DocumentFile[];
  /** How the files were found, for messages: 'declared' or 'workspace' (fallback to every file in the folder). */
  source: 'declared' | 'settings' | 'workspace' | 'none';
  /** BibTeX matches keys case-insensitively; biber and Pandoc do not. */
  caseInsensitive: boolean;
  /** Files still being indexed (only with `skipLoading`): skipped, or their previous version given instead. */
  pending: string[];
  /** Quarto project files the document depends on that could not be read as YAML, with what is wrong. */
  projectProblems: { file: SourceText; problems: SyntaxProblem[] }[];
  /** Labels a citation written as a reference (Typst `@x`) may point to instead: then it is a cross-reference. */
  labels: ReadonlySet<string>;
  /**
   * The user's libraries (`citekeys.libraries`) that are not among `files`: the document may cite *from* them, but a
   * key only they define is still undefined until its entry is copied into the document's bibliography.
   */
  libraries: BibliographyFile[];
}

const NO_LABELS: ReadonlySet<string> = new Set();

function expandHome(p: string, home: string | undefined): string {
  if (home && (p === '~' || p.startsWith('~/') || p.startsWith('~\\'))) return path.join(home, p.slice(1));
  return p;
}

/** A declaration citekeys cannot evaluate: R inline code, a macro parameter, an unknown TeX macro. */
function isDynamic(written: string): boolean {
  return /^`r\s/.test(written) || written.includes('#') || /\\[A-Za-z@]/.test(written);
}

const GLOB_CHARS = /[*?[{]/;

/** Candidate paths for one declaration, most likely first: against its folder, then where the dialect's tool looks. */
async function candidatesFor(declaration: BibliographyDeclaration, baseDir: string, workspace: Workspace, doc: DocumentFile, jobname: string): Promise<string[]> {
  const written = expandHome(declaration.path.trim().replace(/\\jobname\b/g, jobname), workspace.environment.HOME);
  const names = declaration.defaultExtension && !path.extname(written) ? [written + declaration.defaultExtension, written] : [written];
  const out: string[] = [];
  for (const name of names) out.push(path.isAbsolute(name) ? path.normalize(name) : path.resolve(baseDir, name));
  if (!path.isAbsolute(written)) appendAll(out, await doc.dialect.paths.moreCandidates(workspace, names));
  return [...new Set(out)];
}

/** biblatex's `\addbibresource[glob]{refs-*.bib}`: the files in the declared folder whose names match. */
async function globMatches(declaration: BibliographyDeclaration, baseDir: string, workspace: Workspace): Promise<string[]> {
  const written = expandHome(declaration.path.trim(), workspace.environment.HOME);
  const full = path.isAbsolute(written) ? written : path.resolve(baseDir, written);
  const dir = path.dirname(full);
  if (GLOB_CHARS.test(dir.slice(baseDir.length))) return [];
  const pattern = globToRegExp(path.basename(full));
  let entries: { name: string; isFile: boolean }[] = [];
  try {
    entries = await workspace.fs.readDirectory(dir);
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile && pattern.test(e.name)).map((e) => path.join(dir, e.name)).sort();
}

export interface ResolveOptions {
  /** Bibliography files given on the command line (`--bibliography`), used by every document. */
  extra?: string[];
  /** Skip files still being indexed (listed in `pending`) instead of waiting: completion answers with what is ready. */
  skipLoading?: boolean;
  /** Reads a bibliography (default: the workspace's getBibliography); a request over many documents shares reads. */
  load?: (file: string) => Promise<BibliographyFile>;
}

export async function resolveBibliographies(workspace: Workspace, doc: DocumentFile, options: ResolveOptions = {}): Promise<DocumentBibliographies> {
  const located = await locateBibliographies(workspace, doc, options.extra ?? []);
  const pending: string[] = [];
  const files: BibliographyFile[] = located.inline ? [located.inline] : [];
  const load = async (file: string, into: BibliographyFile[]) => {
    if (options.skipLoading && workspace.isLoading(file)) {
      // While a changed file is read again, its previous version still answers (the caller says it is incomplete).
      const previous = workspace.currentBibliography(file);
      if (previous) into.push(previous);
      pending.push(file);
    } else {
      into.push(await (options.load ? options.load(file) : workspace.getBibliography(file)));
    }
  };
  for (const file of located.paths) {
    if (typeof file !== 'string') files.push(file);
    else await load(file, files);
  }
  const libraries: BibliographyFile[] = [];
  const own = new Set(located.paths);
  for (const file of libraryPaths(workspace)) if (!own.has(file)) await load(file, libraries);
  const { missing, root, bibitemDocuments, source, caseInsensitive, projectProblems, labels } = located;
  return { files, missing, root, bibitemDocuments, source, caseInsensitive, pending, projectProblems, labels, libraries };
}

/** The files of `citekeys.libraries`, resolved: `~/…` in the home folder, relative paths in the first workspace folder. */
export function libraryPaths(workspace: Workspace): string[] {
  const base = workspace.folders[0] ?? process.cwd();
  const paths = workspace.settings.libraries.map((written) => {
    const expanded = expandHome(written, workspace.environment.HOME);
    return path.isAbsolute(expanded) ? path.normalize(expanded) : path.resolve(base, expanded);
  });
  return [...new Set(paths)];
}

/** Works out where a document's bibliographies are ahead of need (without reading them), for a background scan. */
export async function prepareBibliographyLocations(workspace: Workspace, doc: DocumentFile): Promise<void> {
  await locateBibliographies(workspace, doc, []);
}

/** Where a document's bibliographies are, before any is read: the part of discovery that only asks where. */
interface LocatedBibliographies {
  /** References written in the document itself (Pandoc's `references:`), first. */
  inline?: BibliographyFile;
  /** Bibliography files in discovery order, each once: paths to read, or files embedded in a LaTeX document. */
  paths: (string | BibliographyFile)[];
  missing: MissingBibliography[];
  root?: DocumentFile;
  bibitemDocuments: DocumentFile[];
  source: DocumentBibliographies['source'];
  caseInsensitive: boolean;
  projectProblems: DocumentBibliographies['projectProblems'];
  labels: ReadonlySet<string>;
}

/**
 * Locations per document version, kept while the workspace generation stays the same: diagnostics, completion and
 * references over thousands of documents then do not ask the disk the same questions on every pass.
 */
const locations = new WeakMap<DocumentFile, { generation: number; byExtra: Map<string, Promise<LocatedBibliographies>> }>();

function locateBibliographies(workspace: Workspace, doc: DocumentFile, extra: string[]): Promise<LocatedBibliographies> {
  let cached = locations.get(doc);
  if (!cached || cached.generation !== workspace.generation) {
    cached = { generation: workspace.generation, byExtra: new Map() };
    locations.set(doc, cached);
  }
  const key = extra.join('\u0000');
  let located = cached.byExtra.get(key);
  if (!located) {
    located = locate(workspace, doc, extra);
    cached.byExtra.set(key, located);
  }
  return located;
}

async function locate(workspace: Workspace, doc: DocumentFile, extra: string[]): Promise<LocatedBibliographies> {
  const paths: (string | BibliographyFile)[] = [];
  const dialect = doc.dialect;
  const { sites, inline, embedded, root, bibitemDocuments, caseInsensitive, projectProblems, labels = NO_LABELS } = await dialect.declarations(workspace, doc);

  const missing: MissingBibliography[] = [];
  const seen = new Set<string | BibliographyFile>();
  const add = (file: string | BibliographyFile) => {
    if (seen.has(file)) return false;
    seen.add(file);
    paths.push(file);
    return true;
  };
  let declaredCount = inline ? 1 : 0;
  const found = new Set<BibliographyDeclaration>();
  for (const { declaration, declaredIn, baseDir, jobname = '' } of sites) {
    if (isDynamic(declaration.path.replace(/\\jobname\b/g, jobname))) continue;
    declaredCount++;
    if (dialect.paths.globs && GLOB_CHARS.test(declaration.path)) {
      const matches = (await globMatches(declaration, baseDir, workspace)).filter((m) => mayRead(workspace, m, declaration.path, doc));
      if (!matches.length) missing.push({ declaration, declaredIn, candidates: [path.resolve(baseDir, declaration.path)] });
      else found.add(declaration);
      matches.forEach(add);
      continue;
    }
    const candidates = await candidatesFor(declaration, baseDir, workspace, doc, jobname);
    let onDisk: string | undefined;
    let outside: string | undefined;
    for (const candidate of candidates) {
      if (!(await workspace.exists(candidate))) continue;
      if (mayRead(workspace, candidate, declaration.path, doc)) {
        onDisk = candidate;
        break;
      }
      outside ??= candidate;
    }
    // A file on disk wins; else one the document writes itself with `filecontents` (LaTeX does not overwrite).
    const written = onDisk ? undefined : candidates.map((candidate) => embedded.get(candidate)).find((file) => file !== undefined);
    const file = onDisk ?? written;
    if (file) {
      add(file);
      found.add(declaration);
    } else {
      missing.push({ declaration, declaredIn, candidates, ...(outside ? { outsideWorkspace: outside } : {}) });
    }
  }
  // Several LaTeX roots look for a shared part's declaration each from their own folder: found once is enough.
  const reported = new Set<BibliographyDeclaration>();
  const stillMissing: MissingBibliography[] = [];
  for (const entry of missing) {
    if (found.has(entry.declaration) || reported.has(entry.declaration)) continue;
    reported.add(entry.declaration);
    stillMissing.push(entry);
  }
  extra.forEach(add);

  let source: DocumentBibliographies['source'] = declaredCount || paths.length ? 'declared' : 'none';
  const folder = workspace.folderOf(doc.path) ?? path.dirname(doc.path);
  if (workspace.settings.bibliographies.length) {
    const patterns = workspace.settings.bibliographies.map(globToRegExp);
    const listing = await workspace.listFolder(folder);
    for (const file of listing.bibliographies) {
      const rel = path.relative(folder, file).split(path.sep).join('/');
      if (patterns.some((p) => p.test(rel)) && add(file) && source === 'none') source = 'settings';
    }
  }
  const hasBibitems = bibitemDocuments.some((part) => part.syntax().bibitems.length > 0);
  if (source === 'none' && !hasBibitems) {
    // The user's libraries are never a document's bibliography, even when they lie in its folder.
    const libraries = new Set(libraryPaths(workspace));
    for (const file of await nearestBibliographies(workspace, doc.path, folder)) {
      if (!libraries.has(file) && add(file)) source = 'workspace';
    }
  }
  return { inline, paths, missing: stillMissing, root, bibitemDocuments, source, caseInsensitive, projectProblems, labels };
}

/**
 * Nothing declared: the bibliographies in the document's folder (and below it); if there are none, those of the
 * enclosing folders up to the workspace folder. A folder of many unrelated projects then keeps them apart.
 */
async function nearestBibliographies(workspace: Workspace, documentPath: string, workspaceFolder: string): Promise<string[]> {
  let dir = path.dirname(documentPath);
  for (let level = 0; level < 12; level++) {
    const found = await bibliographiesBelow(workspace, dir);
    if (found.length) return found;
    const rel = path.relative(workspaceFolder, dir);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel) || dir === path.dirname(dir)) return [];
    dir = path.dirname(dir);
  }
  return [];
}

/** Sniffed listings: the verdicts live as long as the listing, which the workspace drops when files change. */
const sniffed = new WeakMap<FolderListing, Promise<string[]>>();

/**
 * The bibliographies below a folder: every .bib, and the .json/.yaml files that look like CSL data (not
 * `package.json`, CI workflows, ...). Each listing is sniffed once, not on every diagnostics pass.
 */
export async function bibliographiesBelow(workspace: Workspace, folder: string): Promise<string[]> {
  const listing = await workspace.listFolder(folder);
  let result = sniffed.get(listing);
  if (!result) {
    result = (async () => {
      const found: string[] = [];
      for (const file of listing.bibliographies) if (await looksLikeBibliography(workspace, file)) found.push(file);
      return found;
    })();
    sniffed.set(listing, result);
  }
  return result;
}

const CONFIG_NAMES = /^(package(-lock)?|tsconfig|jsconfig|composer|_quarto|_metadata|myst|_config|_toc|\.?[a-z]+rc|renv|settings|launch|tasks|manifest)\.(json|ya?ml)$/i;

/** .bib always; .json/.yaml only when they look like CSL data. */
async function looksLikeBibliography(workspace: Workspace, file: string): Promise<boolean> {
  const format = bibliographyFormatOf(file);
  if (format === 'bibtex') return true;
  if (CONFIG_NAMES.test(path.basename(file))) return false;
  const read = await workspace.readText(file);
  if ('error' in read) return false;
  const head = read.text.slice(0, 4096).trimStart();
  if (format === 'csl-json') return head.startsWith('[') && /"id"\s*:/.test(head);
  return /^(---\s*\n)?\s*(references:|- id:)/.test(head) || looksLikeHayagriva(read.text);
}
