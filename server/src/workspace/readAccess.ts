// Which files a document may make citekeys read: the workspace folders and, for what it names, the places the
// real tools would look (the home folder for `~`, the places the dialect's tool searches, like BibTeX's path), unless the settings allow any.
import * as path from 'node:path';
import type { DocumentFile } from './documents';
import type { Workspace } from './workspace';
import { appendAll } from '../util/appendAll';

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Whether a path a document names may be read: inside the workspace folders (or the document's own folder when it
 * lies outside them), `~` paths in the home folder, and the folders the dialect's tool searches (LaTeX: the TeX
 * tree and BIBINPUTS); anything with `citekeys.allowOutsideWorkspace`.
 */
export function mayRead(workspace: Workspace, file: string, written: string, doc: DocumentFile): boolean {
  if (workspace.settings.allowOutsideWorkspace) return true;
  const roots = [...workspace.folders];
  if (!workspace.folderOf(doc.path)) roots.push(path.dirname(doc.path));
  const home = workspace.environment.HOME;
  if (home && /^~(?:[\\/]|$)/.test(written.trim())) roots.push(home);
  appendAll(roots, doc.dialect.paths.readableFolders(workspace));
  return roots.some((root) => isInside(path.normalize(file), path.resolve(root)));
}
