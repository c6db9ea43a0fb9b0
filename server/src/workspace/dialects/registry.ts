// The registry of dialects: one entry per document language of DOCUMENT_LANGUAGES, so a language without its module
// (or a module left out here) does not compile. Everything that serves documents finds their dialect here.
import * as path from 'node:path';
import type { Workspace } from '../workspace';
import { DIALECT_NAMES, dialectNameOf, type DialectName } from '../../syntax/documentLanguages';
import type { Dialect } from './dialect';
import { latexDialect } from './latex';
import { markdownDialect } from './markdown';
import { mystDialect } from './myst';
import { typstDialect } from './typst';
import { notebookDialect } from './notebook';
import { notebookCellDialect, parseNotebookCellPath } from './notebookCell';

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  markdown: markdownDialect,
  latex: latexDialect,
  myst: mystDialect,
  typst: typstDialect,
  notebook: notebookDialect,
};

/** The dialect of a file: its extension decides, else the editor's language id; a notebook cell's pseudo path its own. */
export function dialectOf(file: string, languageId?: string): Dialect | undefined {
  // A markdown cell of an open notebook, at its pseudo path (see notebookCell.ts).
  if (parseNotebookCellPath(file)) return notebookCellDialect;
  const name = dialectNameOf(file, languageId);
  return name ? DIALECTS[name] : undefined;
}

export function allDialects(): Dialect[] {
  return DIALECT_NAMES.map((name) => DIALECTS[name]);
}

/** Characters after which any dialect wants completion. */
export function allTriggerCharacters(): string[] {
  return [...new Set(allDialects().flatMap((dialect) => dialect.triggerCharacters))];
}

/** Whether a file belongs to a tool (a dialect's read-only folders, like the TeX tree): citekeys never edits it. */
export function isReadOnlyFile(workspace: Workspace, file: string): boolean {
  return allDialects().some((dialect) => dialect.paths.readOnlyFolders(workspace).some((folder) => {
    const rel = path.relative(folder, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }));
}

/** Project files any dialect reads declarations from. */
export function isProjectFile(basename: string): boolean {
  return allDialects().some((dialect) => dialect.projectFileNames.includes(basename));
}

/**
 * Watcher globs for every file that can change a document's citations or bibliographies: documents, bibliographies
 * and project files. Globs are case-sensitive, so `.Rmd` is listed beside `.rmd`.
 */
export function watchedFileGlobs(bibliographyExtensions: readonly string[]): string[] {
  const extensions = new Set<string>();
  for (const ext of [...bibliographyExtensions, ...allDialects().flatMap((dialect) => dialect.extensions)]) {
    const bare = ext.replace(/^\./, '');
    extensions.add(bare);
    extensions.add(bare[0].toUpperCase() + bare.slice(1));
  }
  const projectFiles = [...new Set(allDialects().flatMap((dialect) => dialect.projectFileNames))];
  return [`**/*.{${[...extensions].join(',')}}`, ...(projectFiles.length ? [`**/{${projectFiles.join(',')}}`] : [])];
}
