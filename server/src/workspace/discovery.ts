// Which bibliographies a document really uses: front matter, Quarto project files, LaTeX root and includes, BIBINPUTS,
// settings globs, and, when nothing declares any, every bibliography in the workspace folder.
import * as path from 'node:path';
import type { BibliographyDeclaration } from '../syntax/types';
import { parseProjectMetadata } from '../syntax/projectMetadata';
import { BibliographyFile, bibliographyFormatOf, type SourceText } from '../bibliography/bibliographyFile';
import { globToRegExp } from '../util/glob';
import { LineIndex } from '../util/lineIndex';
import type { DocumentFile } from './documents';
import type { Workspace } from './workspace';

export interface MissingBibliography {
  declaration: BibliographyDeclaration;
  /** The file that declares it: the document, its LaTeX root, or a Quarto project file. */
  declaredIn: SourceText;
  /** Where it was looked for. */
  candidates: string[];
}

export interface DocumentBibliographies {
  /** In discovery order, each file once. */
  files: BibliographyFile[];
  missing: MissingBibliography[];
  /** The LaTeX root document when it is not the document itself. */
  root?: DocumentFile;
  /** How the files were found, for messages: 'declared' or 'workspace' (fallback to every file in the folder). */
  source: 'declared' | 'settings' | 'workspace' | 'none';
  /** BibTeX matches keys case-insensitively; biber and Pandoc do not. */
  caseInsensitive: boolean;
  /** Problems in project metadata files (`_quarto.yml`). */
  metadataFiles: SourceText[];
}

class MetadataText implements SourceText {
  private lines: LineIndex | undefined;
  constructor(readonly path: string, readonly text: string) {}
  lineIndex(): LineIndex {
    this.lines ??= new LineIndex(this.text);
    return this.lines;
  }
}

function expandHome(p: string, home: string | undefined): string {
  if (home && (p === '~' || p.startsWith('~/') || p.startsWith('~\\'))) return path.join(home, p.slice(1));
  return p;
}

/** Candidate paths for one declaration, most likely first. */
function candidatesFor(declaration: BibliographyDeclaration, baseDir: string, workspace: Workspace): string[] {
  const written = expandHome(declaration.path.trim(), workspace.environment.HOME);
  const withExtension = declaration.defaultExtension && !path.extname(written) ? [written + declaration.defaultExtension, written] : [written];
  const out: string[] = [];
  for (const name of withExtension) {
    out.push(path.isAbsolute(name) ? path.normalize(name) : path.resolve(baseDir, name));
  }
  if (declaration.defaultExtension && !path.isAbsolute(written)) {
    for (const dir of (workspace.environment.BIBINPUTS ?? '').split(path.delimiter)) {
      const clean = dir.replace(/\/+$/, '');
      if (clean) for (const name of withExtension) out.push(path.resolve(clean, name));
    }
  }
  return [...new Set(out)];
}

/** The LaTeX root: the magic comment, else a .tex file in this or an enclosing folder that includes this one. */
async function findLatexRoot(workspace: Workspace, doc: DocumentFile): Promise<DocumentFile> {
  const magic = doc.syntax().magicRoot;
  if (magic) {
    const rootPath = path.resolve(path.dirname(doc.path), magic);
    const root = rootPath !== doc.path ? await workspace.getDocument(rootPath) : undefined;
    if (root) return root;
  }
  const stopAt = workspace.folderOf(doc.path);
  let dir = path.dirname(doc.path);
  for (let level = 0; level < 4; level++) {
    let entries: { name: string; isFile: boolean }[] = [];
    try {
      entries = await workspace.fs.readDirectory(dir);
    } catch {
      entries = [];
    }
    for (const entry of entries) {
      if (!entry.isFile || !/\.(tex|ltx)$/i.test(entry.name)) continue;
      const candidate = path.join(dir, entry.name);
      if (candidate === doc.path) continue;
      const parent = await workspace.getDocument(candidate);
      if (parent && (await includedFiles(workspace, parent)).has(doc.path)) return parent;
    }
    if (!stopAt || dir === stopAt || dir === path.dirname(dir)) break;
    dir = path.dirname(dir);
  }
  return doc;
}

/** Every file reachable from a LaTeX root through \input/\include/\subfile (paths relative to the root's folder). */
async function includedFiles(workspace: Workspace, root: DocumentFile): Promise<Map<string, DocumentFile>> {
  const found = new Map<string, DocumentFile>([[root.path, root]]);
  const queue = [root];
  const baseDir = path.dirname(root.path);
  while (queue.length && found.size < 500) {
    const current = queue.shift() as DocumentFile;
    for (const include of current.syntax().includes) {
      const written = include.path.trim();
      const resolved = path.resolve(baseDir, path.extname(written) ? written : written + '.tex');
      if (found.has(resolved)) continue;
      const child = await workspace.getDocument(resolved);
      if (child) {
        found.set(resolved, child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Quarto: `_metadata.yml` in each folder up to the project root, and `_quarto.yml` at the root. */
async function quartoMetadataFiles(workspace: Workspace, doc: DocumentFile): Promise<string[]> {
  const stopAt = workspace.folderOf(doc.path);
  const found: string[] = [];
  let dir = path.dirname(doc.path);
  for (let level = 0; level < 12; level++) {
    const metadata = path.join(dir, '_metadata.yml');
    if (await workspace.exists(metadata)) found.push(metadata);
    for (const name of ['_quarto.yml', '_quarto.yaml']) {
      const project = path.join(dir, name);
      if (await workspace.exists(project)) {
        found.push(project);
        return found;
      }
    }
    if (dir === stopAt || dir === path.dirname(dir)) break;
    dir = path.dirname(dir);
  }
  // `_metadata.yml` only counts inside a Quarto project.
  return [];
}

/** `extra`: bibliography files given on the command line (`--bibliography`), used by every document. */
export async function resolveBibliographies(workspace: Workspace, doc: DocumentFile, extra: string[] = []): Promise<DocumentBibliographies> {
  const declarations: { declaration: BibliographyDeclaration; declaredIn: SourceText; baseDir: string }[] = [];
  const files: BibliographyFile[] = [];
  const metadataFiles: SourceText[] = [];
  let root: DocumentFile | undefined;
  let caseInsensitive = false;

  if (doc.language === 'markdown') {
    const syntax = doc.syntax();
    for (const declaration of syntax.bibliographies) declarations.push({ declaration, declaredIn: doc, baseDir: path.dirname(doc.path) });
    if (syntax.inlineReferences && syntax.inlineReferences.items.length + syntax.inlineReferences.problems.length > 0) {
      files.push(BibliographyFile.fromInlineReferences(doc.path, doc.text, syntax.inlineReferences, doc.version));
    }
    for (const metadataPath of await quartoMetadataFiles(workspace, doc)) {
      const read = await workspace.readText(metadataPath);
      if ('error' in read) continue;
      const metadata = new MetadataText(metadataPath, read.text);
      metadataFiles.push(metadata);
      for (const declaration of parseProjectMetadata(read.text).bibliographies) {
        declarations.push({ declaration, declaredIn: metadata, baseDir: path.dirname(metadataPath) });
      }
    }
  } else {
    const latexRoot = await findLatexRoot(workspace, doc);
    if (latexRoot !== doc) root = latexRoot;
    for (const part of (await includedFiles(workspace, latexRoot)).values()) {
      const syntax = part.syntax();
      if (syntax.backend === 'bibtex') caseInsensitive = true;
      for (const declaration of syntax.bibliographies) {
        declarations.push({ declaration, declaredIn: part, baseDir: path.dirname(latexRoot.path) });
      }
    }
  }

  const missing: MissingBibliography[] = [];
  const seen = new Set<string>(files.map((f) => f.path + '#inline'));
  for (const { declaration, declaredIn, baseDir } of declarations) {
    const candidates = candidatesFor(declaration, baseDir, workspace);
    let found: string | undefined;
    for (const candidate of candidates) {
      if (await workspace.exists(candidate)) {
        found = candidate;
        break;
      }
    }
    if (!found) {
      missing.push({ declaration, declaredIn, candidates });
      continue;
    }
    if (seen.has(found)) continue;
    seen.add(found);
    files.push(await workspace.getBibliography(found, bibliographyFormatOf(found) ?? 'bibtex'));
  }

  for (const file of extra) {
    if (seen.has(file)) continue;
    seen.add(file);
    files.push(await workspace.getBibliography(file));
  }

  let source: DocumentBibliographies['source'] = declarations.length || files.length ? 'declared' : 'none';
  const folder = workspace.folderOf(doc.path) ?? path.dirname(doc.path);
  if (workspace.settings.bibliographies.length) {
    const patterns = workspace.settings.bibliographies.map(globToRegExp);
    const listing = await workspace.listFolder(folder);
    for (const file of listing.bibliographies) {
      const rel = path.relative(folder, file).split(path.sep).join('/');
      if (!seen.has(file) && patterns.some((p) => p.test(rel))) {
        seen.add(file);
        files.push(await workspace.getBibliography(file));
        if (source === 'none') source = 'settings';
      }
    }
  }
  const hasBibitems = doc.language === 'latex' && (root ?? doc).syntax().bibitems.length > 0;
  if (source === 'none' && !hasBibitems) {
    const listing = await workspace.listFolder(folder);
    for (const file of listing.bibliographies) {
      if (seen.has(file) || !(await looksLikeBibliography(workspace, file))) continue;
      seen.add(file);
      files.push(await workspace.getBibliography(file));
      source = 'workspace';
    }
  }
  return { files, missing, root, source, caseInsensitive, metadataFiles };
}

const CONFIG_NAMES = /^(package(-lock)?|tsconfig|jsconfig|composer|_quarto|_metadata|\.?[a-z]+rc|renv|settings|launch|tasks|manifest)\.(json|ya?ml)$/i;

/** For the workspace fallback: .bib always; .json/.yaml only when they look like CSL data. */
async function looksLikeBibliography(workspace: Workspace, file: string): Promise<boolean> {
  const format = bibliographyFormatOf(file);
  if (format === 'bibtex') return true;
  if (CONFIG_NAMES.test(path.basename(file))) return false;
  const read = await workspace.readText(file);
  if ('error' in read) return false;
  const head = read.text.slice(0, 4096).trimStart();
  if (format === 'csl-json') return head.startsWith('[') && /"id"\s*:/.test(head);
  return /^(---\s*\n)?\s*(references:|- id:)/.test(head);
}
