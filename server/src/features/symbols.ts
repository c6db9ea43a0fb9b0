// Symbols: the entries of one bibliography file (outline), and entries across the workspace's bibliographies
// (workspace symbol search through the bibliography search index).
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import type { TextRange } from '../syntax/types';
import type { Workspace } from '../workspace/workspace';
import { bibliographiesBelow } from '../workspace/discovery';
import { searchIndexOf } from '../bibliography/searchIndex';

export interface SymbolSpec {
  /** `key — title`, or the key alone when the entry has no title. */
  name: string;
  kind: 'entry';
  /** The whole entry. */
  range: TextRange;
  /** The key. */
  selectionRange: TextRange;
  /** The entry type (`article`, `article-journal`, ...). */
  detail: string;
}

export type WorkspaceSymbolSpec = SymbolSpec & { file: BibliographyFile };

function titleOf(file: BibliographyFile, entry: EntryDefinition): string | undefined {
  const title = file.decoded(entry).title?.replace(/\s+/g, ' ').trim();
  return title || undefined;
}

function symbolOf(file: BibliographyFile, entry: EntryDefinition): SymbolSpec {
  const title = titleOf(file, entry);
  return {
    name: title ? `${entry.key} — ${title}` : entry.key,
    kind: 'entry',
    range: entry.range,
    selectionRange: entry.keyRange,
    detail: entry.type,
  };
}

/** One symbol per entry, in file order. */
export function bibliographySymbols(file: BibliographyFile): SymbolSpec[] {
  return file.entries.map((entry) => symbolOf(file, entry));
}

/** Every bibliography file below the workspace folders (and open ones), parsed through the workspace cache. */
export async function workspaceBibliographies(workspace: Workspace, isCancelled: () => boolean): Promise<BibliographyFile[]> {
  const paths = new Set<string>();
  for (const folder of workspace.folders) for (const file of await bibliographiesBelow(workspace, folder)) paths.add(file);
  const files: BibliographyFile[] = [];
  for (const file of paths) {
    if (isCancelled()) break;
    files.push(await workspace.getBibliography(file));
  }
  return files;
}

/**
 * Entries matching the query across the workspace's bibliographies, best first, at most `limit`: ranked by each
 * file's search index (key prefix, then author/title/year words; see bibliography/searchIndex.ts).
 */
export async function workspaceSymbols(
  workspace: Workspace,
  query: string,
  limit: number,
  isCancelled: () => boolean = () => false,
): Promise<WorkspaceSymbolSpec[]> {
  const hits: { file: BibliographyFile; entry: EntryDefinition; score: number }[] = [];
  for (const file of await workspaceBibliographies(workspace, isCancelled)) {
    if (isCancelled()) break;
    for (const hit of searchIndexOf(file).search(query, limit).hits) hits.push({ file, entry: hit.entry, score: hit.score });
  }
  // A stable sort keeps file order (and each index's order) between equal scores.
  hits.sort((a, b) => b.score - a.score);
  return hits.slice(0, limit).map(({ file, entry }) => ({ ...symbolOf(file, entry), file }));
}
