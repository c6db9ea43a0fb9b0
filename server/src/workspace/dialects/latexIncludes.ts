// LaTeX include closure: every file a root document reaches through \input, \include, \subfile and
// \import/\subimport, each path found as LaTeX and the import package find it, and what those files declare.
import * as path from 'node:path';
import type { BibliographyDeclaration, IncludeDirective } from '../../syntax/types';
import { BibliographyFile } from '../../bibliography/bibliographyFile';
import { dialectNameOf } from '../../syntax/documentLanguages';
import type { DocumentFile } from '../documents';
import { mayRead } from '../readAccess';
import type { Workspace } from '../workspace';

/** Bounds the files one root reaches, so a generated web of includes cannot hold the server up. */
const MAX_INCLUDED_FILES = 5000;

/**
 * Every file reachable from a LaTeX root, the root first. Kept for the workspace generation, as every chapter of a
 * thesis asks for its root's.
 */
export function includedFiles(workspace: Workspace, root: DocumentFile): Promise<Map<string, DocumentFile>> {
  return workspace.derived(`latex-includes\u0000${root.path}\u0000${root.version}`, () => reachableFrom(workspace, root));
}

/** A bibliography declaration in one of a root's files, with what its path is read against. */
export interface LatexDeclaration {
  declaration: BibliographyDeclaration;
  declaredIn: DocumentFile;
  /** The root's folder: BibTeX and biber read paths from LaTeX's working folder. */
  baseDir: string;
  /** The root's name without extension, for `\jobname`. */
  jobname: string;
}

export interface LatexRootDeclarations {
  declarations: LatexDeclaration[];
  /** `filecontents` files of the root's parts, by the path LaTeX writes them to; the first of a path wins. */
  embedded: Map<string, BibliographyFile>;
  /** Some part uses BibTeX, which matches keys case-insensitively. */
  caseInsensitive: boolean;
  /** The parts holding `\bibitem`s (a `thebibliography` list, often in a file of its own). */
  bibitemParts: DocumentFile[];
}

/** What a root's files declare, worked out once per root and workspace generation for all of its chapters. */
export function latexRootDeclarations(workspace: Workspace, root: DocumentFile): Promise<LatexRootDeclarations> {
  return workspace.derived(`latex-declarations\u0000${root.path}\u0000${root.version}`, async () => {
    const rootFolder = path.dirname(root.path);
    const jobname = path.basename(root.path).replace(/\.[^.]*$/, '');
    const result: LatexRootDeclarations = { declarations: [], embedded: new Map(), caseInsensitive: false, bibitemParts: [] };
    for (const part of (await includedFiles(workspace, root)).values()) {
      const syntax = part.syntax();
      if (syntax.backend === 'bibtex') result.caseInsensitive = true;
      if (syntax.bibitems.length) result.bibitemParts.push(part);
      for (const declaration of syntax.bibliographies) result.declarations.push({ declaration, declaredIn: part, baseDir: rootFolder, jobname });
      for (const file of syntax.embeddedFiles ?? []) {
        const written = path.resolve(rootFolder, file.name.replace(/\\jobname\b/g, jobname));
        if (!result.embedded.has(written)) result.embedded.set(written, BibliographyFile.embedded(part.path, part.text, file.content, part.version));
      }
    }
    return result;
  });
}

interface Reached {
  doc: DocumentFile;
  /** The folder the file's own `\input`s are also looked for in: the root's, or the one it was imported from. */
  importFolder: string;
}

async function reachableFrom(workspace: Workspace, root: DocumentFile): Promise<Map<string, DocumentFile>> {
  const rootFolder = path.dirname(root.path);
  const found = new Map<string, DocumentFile>([[root.path, root]]);
  const queue: Reached[] = [{ doc: root, importFolder: rootFolder }];
  for (let next = 0; next < queue.length && found.size < MAX_INCLUDED_FILES; next++) {
    const { doc, importFolder } = queue[next];
    for (const include of doc.syntax().includes) {
      const reached = await locateInclude(workspace, root, include, { rootFolder, importFolder, ownFolder: path.dirname(doc.path) });
      if (!reached || found.has(reached.doc.path)) continue;
      found.set(reached.doc.path, reached.doc);
      queue.push(reached);
    }
  }
  return found;
}

interface IncludeContext {
  /** LaTeX's working folder. */
  rootFolder: string;
  importFolder: string;
  /** The including file's folder. */
  ownFolder: string;
}

/**
 * The file an include names, and the import folder it gets. `\input{x}` is looked for from the root's folder (as
 * LaTeX does), then from the import folder (the import package adds it to LaTeX's search path), then, more leniently
 * than LaTeX, from the including file's own folder. `\import` and `\subimport` name their folder.
 */
async function locateInclude(workspace: Workspace, root: DocumentFile, include: IncludeDirective, context: IncludeContext): Promise<Reached | undefined> {
  const written = include.path.trim();
  let folders: string[];
  let importFolder = context.importFolder;
  if (include.via === 'input') {
    folders = [...new Set([context.rootFolder, context.importFolder, context.ownFolder])];
  } else {
    const base = include.via === 'import' ? context.rootFolder : context.importFolder;
    folders = [base];
    importFolder = path.resolve(base, include.folder ?? '');
  }
  // LaTeX adds `.tex` to a name without it, and reads the name as written when that file does not exist.
  const names = /\.(tex|ltx|latex)$/i.test(written) ? [written] : [written + '.tex', written];
  for (const folder of folders) {
    for (const name of names) {
      const file = path.resolve(folder, name);
      // Only LaTeX files can cite (a `.pgf` or `.tikz` picture is not read); a document read before costs no I/O.
      if (dialectNameOf(file) !== 'latex' || !mayRead(workspace, file, written, root)) continue;
      const doc = await workspace.getDocument(file);
      if (doc) return { doc, importFolder };
      await workspace.exists(file); // remembered as missing, for a poller to notice it appear
    }
  }
  return undefined;
}
