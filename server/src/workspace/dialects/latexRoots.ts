// LaTeX projects: the root documents a file belongs to. The root it names (`% !TEX root`, a subfiles chapter's
// `\documentclass[../main.tex]{subfiles}`), else the nearest files that include it, looked for folder by folder upward.
import * as path from 'node:path';
import { dialectNameOf } from '../../syntax/documentLanguages';
import type { DocumentFile } from '../documents';
import { isListedFolder } from '../folderListing';
import { includedFiles } from './latexIncludes';
import { mayRead } from '../readAccess';
import type { Workspace } from '../workspace';

/** How many folders above its own a file outside the workspace folder looks in, when reading there is allowed. */
const LEVELS_ABOVE_OUTSIDE_WORKSPACE = 3;
/** How many folders up the search goes at most, even inside a workspace folder. */
const MAX_LEVELS = 16;
/** How many sibling folders of one enclosing folder are looked into. */
const MAX_SIBLING_FOLDERS = 200;
/** How many steps from a file to its root (a chapter included by a part included by the book is two). */
const MAX_STEPS = 16;
/** Classes made to be included into another document: a file with one still looks for its root. */
const INCLUDABLE_CLASSES = new Set(['subfiles', 'standalone']);

/**
 * The roots of a LaTeX file, nearest first; the file itself when nothing includes it. A file that several roots at
 * the same distance include (`main.tex` and `draft.tex` both `\input` a chapter) belongs to all of them.
 */
export async function findLatexRoots(workspace: Workspace, doc: DocumentFile): Promise<DocumentFile[]> {
  const roots: DocumentFile[] = [];
  const seen = new Set<string>([doc.path]);
  let frontier = [doc];
  for (let step = 0; frontier.length > 0; step++) {
    const next: DocumentFile[] = [];
    for (const file of frontier) {
      const parents = step < MAX_STEPS ? await parentsOf(workspace, file) : [];
      if (!parents.length) roots.push(file);
      for (const parent of parents) {
        if (seen.has(parent.path)) continue; // reached along another path, or a cycle
        seen.add(parent.path);
        next.push(parent);
      }
    }
    frontier = next;
  }
  return roots.length ? roots : [doc];
}

/** The files one step closer to the root: the root the file names, else the nearest files including it. */
async function parentsOf(workspace: Workspace, file: DocumentFile): Promise<DocumentFile[]> {
  const named = await namedRoot(workspace, file);
  if (named) return [named];
  const documentClass = file.syntax().documentClass;
  if (documentClass !== undefined && !INCLUDABLE_CLASSES.has(documentClass)) return [];
  return nearestIncluders(workspace, file);
}

/** `% !TEX root = ../main.tex`, else `\documentclass[../main]{subfiles}`: relative to the file's folder. */
async function namedRoot(workspace: Workspace, file: DocumentFile): Promise<DocumentFile | undefined> {
  const syntax = file.syntax();
  for (const written of [syntax.magicRoot, syntax.subfilesRoot]) {
    if (!written) continue;
    const named = path.resolve(path.dirname(file.path), written);
    for (const candidate of path.extname(written) ? [named] : [named + '.tex', named]) {
      if (candidate === file.path || !mayRead(workspace, candidate, written, file) || !(await workspace.exists(candidate))) continue;
      const root = await workspace.getDocument(candidate);
      if (root) return root;
    }
  }
  return undefined;
}

/**
 * The files that include this one, from the nearest folder that has any: the file's own folder, then each enclosing
 * folder (its .tex files, then those of its subfolders, for a root beside or below the chapters' folder). Of several
 * found there, those another one includes are left out: they are steps on the way, not roots.
 */
async function nearestIncluders(workspace: Workspace, file: DocumentFile): Promise<DocumentFile[]> {
  const folders = foldersToSearch(workspace, file);
  for (let level = 0; level < folders.length; level++) {
    let found = (await includersIn(workspace, folders[level])).get(file.path);
    found ??= (await includersBelow(workspace, folders[level])).get(file.path);
    if (found) return outermost(workspace, found);
  }
  return [];
}

/**
 * The file's folder and the enclosing ones up to the workspace folder. Outside it (a file in no workspace folder,
 * or the CLI given a chapter's folder), up to three folders above the file's own, and only when reading outside the
 * workspace is allowed (the CLI always allows it).
 */
function foldersToSearch(workspace: Workspace, file: DocumentFile): string[] {
  const workspaceFolder = workspace.folderOf(file.path);
  const outsideAllowed = workspace.settings.allowOutsideWorkspace;
  const folders: string[] = [];
  let dir = path.dirname(file.path);
  for (let level = 0; level <= MAX_LEVELS; level++) {
    const inside = workspaceFolder !== undefined && isInside(dir, workspaceFolder);
    if (level > 0 && !inside && !(outsideAllowed && level <= LEVELS_ABOVE_OUTSIDE_WORKSPACE)) break;
    folders.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return folders;
}

function isInside(dir: string, folder: string): boolean {
  const rel = path.relative(folder, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Of several includers, those no other one includes; all of them when they include each other. */
async function outermost(workspace: Workspace, includers: DocumentFile[]): Promise<DocumentFile[]> {
  if (includers.length === 1) return includers;
  const closures: Map<string, DocumentFile>[] = [];
  for (const includer of includers) closures.push(await includedFiles(workspace, includer));
  const kept = includers.filter((includer, i) => !closures.some((closure, j) => j !== i && closure.has(includer.path)));
  return kept.length ? kept : includers;
}

/** A folder's entries, read once per workspace generation. */
function folderEntries(workspace: Workspace, dir: string): Promise<{ name: string; isFile: boolean; isDirectory: boolean }[]> {
  return workspace.derived(`folder-entries\u0000${dir}`, async () => {
    try {
      const entries = await workspace.fs.readDirectory(dir);
      return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return [];
    }
  });
}

/**
 * For the LaTeX files directly in one folder: which of them (in name order) reach each file through their includes.
 * Worked out once per folder and workspace generation, so finding the roots of 500 chapters does not read every
 * chapter's includes 500 times.
 */
function includersIn(workspace: Workspace, dir: string): Promise<Map<string, DocumentFile[]>> {
  return workspace.derived(`latex-includers\u0000${dir}`, async () => {
    const includers = new Map<string, DocumentFile[]>();
    const candidates = (await folderEntries(workspace, dir))
      .filter((entry) => entry.isFile && dialectNameOf(entry.name) === 'latex')
      .map((entry) => path.join(dir, entry.name));
    for (const parent of await workspace.getDocuments(candidates)) {
      if (!parent || !parent.syntax().includes.length) continue;
      for (const included of (await includedFiles(workspace, parent)).keys()) {
        if (included === parent.path) continue;
        const list = includers.get(included);
        if (list) list.push(parent);
        else includers.set(included, [parent]);
      }
    }
    return includers;
  });
}

/** The same for the LaTeX files one folder down: a root beside a file's folder (`paper/main.tex`, `sections/`). */
function includersBelow(workspace: Workspace, dir: string): Promise<Map<string, DocumentFile[]>> {
  return workspace.derived(`latex-includers-below\u0000${dir}`, async () => {
    const includers = new Map<string, DocumentFile[]>();
    const subfolders = (await folderEntries(workspace, dir)).filter((entry) => entry.isDirectory && isListedFolder(entry.name));
    for (const subfolder of subfolders.slice(0, MAX_SIBLING_FOLDERS)) {
      for (const [included, parents] of await includersIn(workspace, path.join(dir, subfolder.name))) {
        const list = includers.get(included);
        if (list) for (const parent of parents) list.push(parent);
        else includers.set(included, parents.slice());
      }
    }
    return includers;
  });
}
