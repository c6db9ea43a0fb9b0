// Entry search for the client's "Insert Citation" picker: the document's bibliographies (or the whole workspace's).
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import { authorYearLabel } from '../bibliography/entry';
import { searchIndexOf } from '../bibliography/searchIndex';
import { resolveBibliographies } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';
import { workspaceBibliographies } from './symbols';
import { appendAll } from '../util/appendAll';

export interface EntrySearchItem {
  key: string;
  /** What the picker shows first: the key. */
  label: string;
  /** `Author (Year)` */
  detail: string;
  /** The title. */
  description: string;
}

export async function searchEntries(
  workspace: Workspace,
  query: string,
  documentPath: string | undefined,
  limit: number,
  isCancelled: () => boolean,
): Promise<EntrySearchItem[]> {
  const doc = documentPath ? await workspace.getDocument(documentPath) : undefined;
  const files: BibliographyFile[] = doc
    ? (await resolveBibliographies(workspace, doc)).files
    : await workspaceBibliographies(workspace, isCancelled);
  const hits: { entry: EntryDefinition; score: number }[] = [];
  for (const file of files) {
    if (isCancelled()) return [];
    const index = searchIndexOf(file);
    const result = query.trim() ? index.search(query, limit) : index.firstInKeyOrder(limit);
    appendAll(hits, result.hits);
  }
  hits.sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  const items: EntrySearchItem[] = [];
  for (const { entry } of hits) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    const decoded = entry.file.decoded(entry);
    items.push({ key: entry.key, label: entry.key, detail: authorYearLabel(decoded), description: decoded.title ?? '' });
    if (items.length >= limit) break;
  }
  return items;
}
