// Walks a workspace folder for documents and bibliography files, skipping dependencies, version control and build
// output, following links once, and stopping at a bound so a huge tree cannot exhaust the server.
import * as path from 'node:path';
import type { FileSystem } from './fileSystem';
import { dialectNameOf } from '../syntax/documentLanguages';
import { bibliographyFormatOf } from '../bibliography/bibliographyFile';

export interface FolderListing {
  documents: string[];
  bibliographies: string[];
}

/** Folders never walked when listing a workspace. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', '_site', '_book', '_freeze', '.quarto', 'dist', 'out']);
const MAX_LISTED_FILES = 50_000;

/** Whether a listing walks into a folder of this name (not hidden, not dependencies or build output). */
export function isListedFolder(name: string): boolean {
  return !name.startsWith('.') && !SKIPPED_FOLDERS.has(name);
}

/** Documents and bibliography files below a folder, in name order, breadth first. */
export async function listFolderFiles(fs: FileSystem, folder: string): Promise<FolderListing> {
  const documents: string[] = [];
  const bibliographies: string[] = [];
  const queue = [folder];
  const seen = new Set<string>();
  while (queue.length && documents.length + bibliographies.length < MAX_LISTED_FILES) {
    const dir = queue.shift() as string;
    let real: string;
    try {
      real = await fs.realPath(dir);
    } catch {
      continue;
    }
    if (seen.has(real)) continue; // symlink loop
    seen.add(real);
    let entries: { name: string; isDirectory: boolean; isFile: boolean }[];
    try {
      entries = await fs.readDirectory(dir);
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory) {
        if (isListedFolder(entry.name)) queue.push(full);
      } else if (dialectNameOf(full)) {
        documents.push(full);
      } else if (bibliographyFormatOf(full)) {
        bibliographies.push(full);
      }
    }
  }
  return { documents, bibliographies };
}
