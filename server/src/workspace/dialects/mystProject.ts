// MyST projects: a `.md` file is MyST when a mystmd `myst.yml` or a Jupyter Book 1 `_config.yml` (with `_toc.yml` or
// `bibtex_bibfiles`) stands in its folder or above within the workspace; the project's bibliographies are what that
// file declares, or for mystmd without `bibliography:` every `.bib` below the project's folder.
import * as path from 'node:path';
import type { SyntaxProblem } from '../../syntax/types';
import { parseJupyterBookConfig, parseMystYml } from '../../syntax/mystProject';
import type { Workspace } from '../workspace';
import type { DeclarationSite } from './dialect';
import { ProjectFileText } from './quartoProject';

export const MYST_PROJECT_FILES = ['myst.yml', '_config.yml'];

export interface MystProject {
  file: ProjectFileText;
  sites: DeclarationSite[];
  /** mystmd's rule when `myst.yml` names none: every `.bib` below the project's folder. */
  everyBibBelow?: string;
  problems: SyntaxProblem[];
}

/** The MyST project a path belongs to, or undefined; read once per workspace generation for each folder. */
export function mystProjectOf(workspace: Workspace, file: string): Promise<MystProject | undefined> {
  const stopAt = workspace.folderOf(file);
  return projectAt(workspace, path.dirname(file), stopAt, 0);
}

function projectAt(workspace: Workspace, dir: string, stopAt: string | undefined, level: number): Promise<MystProject | undefined> {
  return workspace.derived(`myst-project\u0000${dir}`, async () => {
    const here = await projectIn(workspace, dir);
    if (here || level >= 12 || dir === stopAt || !stopAt || dir === path.dirname(dir)) return here;
    return projectAt(workspace, path.dirname(dir), stopAt, level + 1);
  });
}

async function projectIn(workspace: Workspace, dir: string): Promise<MystProject | undefined> {
  const mystYml = path.join(dir, 'myst.yml');
  if (await workspace.exists(mystYml)) {
    const read = await workspace.readText(mystYml);
    if ('error' in read) return undefined;
    const parsed = parseMystYml(read.text);
    const file = new ProjectFileText(mystYml, read.text);
    const sites = (parsed.bibliography ?? []).map((declaration) => ({ declaration, declaredIn: file, baseDir: dir }));
    return { file, sites, problems: parsed.problems, ...(parsed.bibliography ? {} : { everyBibBelow: dir }) };
  }
  const config = path.join(dir, '_config.yml');
  if (!(await workspace.exists(config))) return undefined;
  const read = await workspace.readText(config);
  if ('error' in read) return undefined;
  const parsed = parseJupyterBookConfig(read.text);
  // Jekyll sites have a `_config.yml` too: a Jupyter Book has its table of contents beside it, or a bibliography.
  if (!parsed.bibliography.length && !(await workspace.exists(path.join(dir, '_toc.yml')))) return undefined;
  const file = new ProjectFileText(config, read.text);
  return { file, sites: parsed.bibliography.map((declaration) => ({ declaration, declaredIn: file, baseDir: dir })), problems: parsed.problems };
}

/** Whether a Markdown file (or notebook) is read as MyST: by `citekeys.markdown.flavor`, else by its project. */
export async function readsAsMyst(workspace: Workspace, file: string): Promise<boolean> {
  const flavor = workspace.settings.markdownFlavor;
  if (flavor !== 'auto') return flavor === 'myst';
  return (await mystProjectOf(workspace, file)) !== undefined;
}

/** Every `.bib` below a folder, as mystmd collects them (no `_build`, no hidden folders: the listing skips those). */
export async function bibFilesBelow(workspace: Workspace, folder: string): Promise<string[]> {
  const listing = await workspace.listFolder(folder);
  return listing.bibliographies.filter((file) => file.toLowerCase().endsWith('.bib') && !file.split(path.sep).includes('_build'));
}
