// Entry search for the client's "Insert Citation" picker: the document's bibliographies (or the whole workspace's)
// first, then what the user's libraries and a connected Zotero have that those lack, each item saying where it is from.
import * as path from 'node:path';
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import { authorYearLabel } from '../bibliography/entry';
import { searchIndexOf, type SearchHit } from '../bibliography/searchIndex';
import { libraryPaths, resolveBibliographies } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';
import { workspaceBibliographies } from './symbols';
import { appendAll } from '../util/appendAll';
import { ZOTERO_SOURCE, zoteroEntries } from './zoteroEntries';

export interface EntrySearchItem {
  key: string;
  /** What the picker shows first: the key. */
  label: string;
  /** `Author (Year)` */
  detail: string;
  /** The title. */
  description: string;
  /**
   * Where an entry the document's bibliographies lack comes from: a library's path, or ZOTERO_SOURCE. Absent for the
   * document's own entries. Insert Citation sends it back so that the entry is copied.
   */
  from?: string;
  /** `from` for people: the library's file name, or "Zotero". */
  source?: string;
}

export interface EntrySearchResult {
  items: EntrySearchItem[];
  /** Zotero had not answered within its budget: asking again soon may bring more. */
  isIncomplete: boolean;
}

/** How a source is named in the picker. */
export function sourceName(from: string): string {
  return from === ZOTERO_SOURCE ? 'Zotero' : path.basename(from);
}

export async function searchEntries(
  workspace: Workspace,
  query: string,
  documentPath: string | undefined,
  limit: number,
  isCancelled: () => boolean,
): Promise<EntrySearchResult> {
  const none: EntrySearchResult = { items: [], isIncomplete: false };
  const doc = documentPath ? await workspace.getDocument(documentPath) : undefined;
  let files: BibliographyFile[];
  let libraries: BibliographyFile[];
  if (doc) {
    ({ files, libraries } = await resolveBibliographies(workspace, doc));
  } else {
    files = await workspaceBibliographies(workspace, isCancelled);
    const own = new Set(files.map((file) => file.path));
    libraries = [];
    for (const file of libraryPaths(workspace)) if (!own.has(file)) libraries.push(await workspace.getBibliography(file));
  }
  if (isCancelled()) return none;
  const items: EntrySearchItem[] = [];
  const seen = new Set<string>();
  const add = (entries: EntryDefinition[], from?: string): void => {
    for (const entry of entries) {
      if (items.length >= limit) return;
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      const decoded = entry.file.decoded(entry);
      const item: EntrySearchItem = { key: entry.key, label: entry.key, detail: authorYearLabel(decoded), description: decoded.title ?? '' };
      if (from !== undefined) {
        item.from = from;
        item.source = sourceName(from);
      }
      items.push(item);
    }
  };
  const ranked = best(files, query, limit, isCancelled);
  if (!ranked) return none;
  add(ranked);
  // The libraries' entries after the document's own, each from the first library that has it.
  const fromLibraries = items.length < limit ? best(libraries, query, limit, isCancelled) : [];
  if (!fromLibraries) return none;
  const known = (key: string, sources: BibliographyFile[]) => sources.some((file) => file.hasKey(key));
  for (const entry of fromLibraries) if (!known(entry.key, files)) add([entry], entry.file.path);
  // Last, a running Zotero (from three typed characters): what it answers within its budget.
  let isIncomplete = false;
  if (items.length < limit && query.trim()) {
    const zotero = await zoteroEntries(workspace, query.trim());
    if (isCancelled()) return none;
    if (zotero) {
      isIncomplete = !zotero.complete;
      const hits = searchIndexOf(zotero.file).search(query, limit).hits.map((hit) => hit.entry);
      add(hits.filter((entry) => !known(entry.key, files) && !known(entry.key, libraries)), ZOTERO_SOURCE);
    }
  }
  return { items, isIncomplete };
}

/** The files' best entries for `query` (their first by key when it is empty), merged by score; undefined if cancelled. */
function best(files: BibliographyFile[], query: string, limit: number, isCancelled: () => boolean): EntryDefinition[] | undefined {
  const hits: SearchHit[] = [];
  for (const file of files) {
    if (isCancelled()) return undefined;
    const index = searchIndexOf(file);
    const result = query.trim() ? index.search(query, limit) : index.firstInKeyOrder(limit);
    appendAll(hits, result.hits);
  }
  // A stable sort: equal scores keep the files' order.
  hits.sort((a, b) => b.score - a.score);
  return hits.map((hit) => hit.entry);
}
