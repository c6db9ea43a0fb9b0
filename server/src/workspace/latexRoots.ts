// LaTeX projects: a file's root document (`% !TEX root`, else the .tex file nearby that includes it) and every file
// a root reaches through \input, \include and \subfile. Both are kept for the workspace generation.
import * as path from 'node:path';
import type { DocumentFile } from './documents';
import { mayRead } from './readAccess';
import type { Workspace } from './workspace';

/** The LaTeX root: the magic comment, else a .tex file in this or an enclosing folder that includes this one. */
export async function findLatexRoot(workspace: Workspace, doc: DocumentFile): Promise<DocumentFile> {
  const magic = doc.syntax().magicRoot;
  if (magic) {
    const rootPath = path.resolve(path.dirname(doc.path), magic);
    const root = rootPath !== doc.path && mayRead(workspace, rootPath, magic, doc) ? await workspace.getDocument(rootPath) : undefined;
    if (root) return root;
  }
  const stopAt = workspace.folderOf(doc.path);
  let dir = path.dirname(doc.path);
  for (let level = 0; level < 4; level++) {
    const parent = (await includersIn(workspace, dir)).get(doc.path);
    if (parent) return parent;
    if (!stopAt || dir === stopAt || dir === path.dirname(dir)) break;
    dir = path.dirname(dir);
  }
  return doc;
}

/**
 * For the .tex files of one folder: which of them (in name order, the first wins) includes each file reachable
 * from it. Worked out once per folder and workspace generation, so finding the roots of 500 chapters in one folder
 * does not read every chapter's includes 500 times.
 */
function includersIn(workspace: Workspace, dir: string): Promise<Map<string, DocumentFile>> {
  return workspace.derived(`latex-includers\u0000${dir}`, async () => {
    const includers = new Map<string, DocumentFile>();
    let entries: { name: string; isFile: boolean }[] = [];
    try {
      entries = await workspace.fs.readDirectory(dir);
    } catch {
      entries = [];
    }
    const candidates = entries.filter((entry) => entry.isFile && /\.(tex|ltx)$/i.test(entry.name)).map((entry) => path.join(dir, entry.name));
    const parents = await workspace.getDocuments(candidates);
    for (const parent of parents) {
      if (!parent || !parent.syntax().includes.length) continue;
      for (const included of (await includedFiles(workspace, parent)).keys()) {
        if (included !== parent.path && !includers.has(included)) includers.set(included, parent);
      }
    }
    return includers;
  });
}

/**
 * Every file reachable from a LaTeX root through \input/\include/\subfile (paths relative to the root's folder),
 * the root first; kept for the workspace generation, as every chapter of a thesis asks for its root's.
 */
export function includedFiles(workspace: Workspace, root: DocumentFile): Promise<Map<string, DocumentFile>> {
  return workspace.derived(`latex-includes\u0000${root.path}\u0000${root.version}`, () => reachableFrom(workspace, root));
}

async function reachableFrom(workspace: Workspace, root: DocumentFile): Promise<Map<string, DocumentFile>> {
  const found = new Map<string, DocumentFile>([[root.path, root]]);
  const queue = [root];
  const baseDir = path.dirname(root.path);
  while (queue.length && found.size < 500) {
    const current = queue.shift() as DocumentFile;
    for (const include of current.syntax().includes) {
      const written = include.path.trim();
      const resolved = path.resolve(baseDir, path.extname(written) ? written : written + '.tex');
      if (found.has(resolved) || !mayRead(workspace, resolved, written, root)) continue;
      const child = await workspace.getDocument(resolved);
      if (child) {
        found.set(resolved, child);
        queue.push(child);
      }
    }
  }
  return found;
}
