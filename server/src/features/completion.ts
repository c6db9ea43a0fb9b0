// Citation key completion: finds the key being typed, searches every bibliography the document uses (key prefix
// first, then authors/title/year/container/DOI, fuzzy and accent-insensitive), then the user's libraries for what
// those lack (accepting such an entry copies it into the document's bibliography), and documents the chosen entry.
import * as path from 'node:path';
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import { typingSearchIndexOf, type SearchHit } from '../bibliography/searchIndex';
import type { CitationOccurrence, TextRange } from '../syntax/types';
import { foldText } from '../util/fuzzy';
import type { DocumentFile } from '../workspace/documents';
import { dialectOf } from '../workspace/dialects/registry';
import { resolveBibliographies } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';
import type { KeyInProgress } from '../syntax/citations/keyAtCursor';
import { inlineBibliography } from './keyAt';
import { ZOTERO_SOURCE, zoteroDefinition, zoteroEntries } from './zoteroEntries';
import { referenceMarkdown, resolveStyle } from './referenceMarkdown';

export interface CompletionEntry {
  key: string;
  /** `Author (Year)` */
  detail: string;
  /** Starts with what was typed, so editors that filter on their own keep the server's fuzzy matches. */
  filterText: string;
  sortText: string;
  /** The whole key under the cursor, also when completing in the middle of it. */
  replaceRange: TextRange;
  /** Text to put in `replaceRange` when it differs from `key`: Markdown `{key}` for keys that need `@{...}`. */
  insertText?: string;
  /** Paths of the files defining the key, in the document's bibliography order. */
  sources: string[];
  /** For `resolveCompletion`; `documentPath` lets it use the document's `csl:` style. */
  data: { key: string; path: string; documentPath?: string };
  /** For an entry from a library: where it comes from (`library.bib`), and the command that copies it on accept. */
  library?: { name: string; command: CopyEntryCommand };
}

/** The command an accepted library entry runs: copy `key` from `from` into the document's bibliography. */
export const COPY_ENTRY_COMMAND = 'citekeys.copyEntry';
export interface CopyEntryCommand {
  title: string;
  command: typeof COPY_ENTRY_COMMAND;
  arguments: [CopyEntryArguments];
}
export interface CopyEntryArguments {
  documentPath: string;
  key: string;
  /** The library (or other bibliography) that defines the key. */
  from: string;
}

export interface CompletionResult {
  /** True when the list was capped: editors then ask again as the user types. */
  isIncomplete: boolean;
  items: CompletionEntry[];
}

/** Longest filterText; the searchable words after the key only help editors' own filtering. */
const MAX_FILTER_TEXT = 200;

/** The key being typed at `offset`, or undefined when the cursor is not where a citation key goes. */
export function keyInProgress(workspace: Workspace, doc: DocumentFile, offset: number): KeyInProgress | undefined {
  return doc.dialect.keyAt(doc.text, offset, workspace.settings);
}

export async function provideCompletion(
  workspace: Workspace,
  doc: DocumentFile,
  offset: number,
  context: { limit: number; triggerCharacter?: string },
  isCancelled: () => boolean,
): Promise<CompletionResult | undefined> {
  const typing = keyInProgress(workspace, doc, offset);
  if (!typing) return undefined;
  // A bibliography still being indexed is left out for now; `isIncomplete` makes the editor ask again as the user types.
  const { files, pending, libraries } = await resolveBibliographies(workspace, doc, { skipLoading: true });
  if (isCancelled()) return undefined;
  const limit = Math.max(1, Math.floor(context.limit));
  const cited = recentlyCited(doc, typing.range);
  const query = typing.query.trim();
  const ranked = query ? searchAll(files, query, limit, cited, isCancelled) : emptyQuery(files, cited, limit);
  if (!ranked || isCancelled()) return undefined;
  // Then what the libraries have and the document's bibliographies lack, while there is room (all of it when the
  // document has nothing yet; with nothing typed, only then).
  const fromLibraries = libraries.length && ranked.entries.length < limit && (query || ranked.entries.length === 0)
    ? (query ? searchAll(libraries, query, limit, cited, isCancelled) : emptyQuery(libraries, cited, limit))
    : undefined;
  if (isCancelled()) return undefined;
  const own = ranked.entries.length;
  const known = (key: string) => files.some((file) => file.hasKey(key));
  if (fromLibraries) appendLacking(ranked, fromLibraries, limit, known);
  // Last, a running Zotero: what it answers within its budget (the next keystroke gets the rest).
  let zoteroPending = false;
  if (query && ranked.entries.length < limit) {
    const zotero = await zoteroEntries(workspace, query);
    if (isCancelled()) return undefined;
    if (zotero) {
      zoteroPending = !zotero.complete;
      const hits = searchAll([zotero.file], query, limit, cited, isCancelled);
      if (hits) appendLacking(ranked, hits, limit, (key) => known(key) || libraries.some((file) => file.hasKey(key)));
    }
  }

  const items = ranked.entries.map((entry, rank): CompletionEntry => {
    const key = entry.key;
    const { detail, searchable } = describe(entry);
    const item: CompletionEntry = {
      key,
      detail,
      filterText: [typing.query, key, searchable].filter(Boolean).join(' ').slice(0, MAX_FILTER_TEXT),
      sortText: String(rank).padStart(6, '0'),
      replaceRange: typing.range,
      sources: [...new Set(files.filter((file) => file.hasKey(key)).map((file) => file.path))],
      data: { key, path: entry.file.path, documentPath: doc.path },
    };
    if (rank >= own) {
      const name = entry.file.path === ZOTERO_SOURCE ? 'Zotero' : path.basename(entry.file.path);
      item.library = { name, command: { title: `Copy ${key} from ${name}`, command: COPY_ENTRY_COMMAND, arguments: [{ documentPath: doc.path, key, from: entry.file.path }] } };
    }
    const insertion = doc.dialect.insertText(key, typing, doc.text);
    if (insertion) {
      item.insertText = insertion.text;
      if (insertion.range) item.replaceRange = insertion.range;
    }
    return item;
  });
  return { isIncomplete: ranked.capped || pending.length > 0 || zoteroPending, items };
}

/** What an item shows (author and year) and is filtered by in the editor (the searched words). */
function describe(entry: EntryDefinition): { detail: string; searchable: string } {
  return { detail: entry.file.authorYear(entry), searchable: typingSearchIndexOf(entry.file).searchText(entry) };
}

/**
 * Letters a warm-up types: each search tier and the items' descriptions get compiled on these, and the last, which
 * starts no word, takes the typo-tolerant path (its first run over every word took 20 ms at 100,000 entries).
 */
const WARM_UP_QUERIES = ['a', 'm', 's', 'ma', 'sm', 'wan', 'mil', 'smith', '2020', 'qzxjvk'];

/**
 * Runs the search and item descriptions of a large file's completion once on made-up queries, between requests
 * after its index is built: V8 compiles the code on the first keystrokes otherwise, which made them 10–25 ms slower
 * than the rest at 100,000 entries. A pause between queries lets requests through; the labels of the entries
 * described are cached, as typing would cache them.
 */
export async function warmUpCompletion(file: BibliographyFile, limit: number, pause: () => Promise<void>): Promise<void> {
  for (const query of WARM_UP_QUERIES) {
    await pause();
    for (const hit of typingSearchIndexOf(file).search(query, limit).hits) describe(hit.entry);
  }
}

/** Appends `more`'s entries whose keys are not `known`, while the list has room. */
function appendLacking(ranked: Ranked, more: Ranked, limit: number, known: (key: string) => boolean): void {
  for (const entry of more.entries) {
    if (ranked.entries.length >= limit) {
      ranked.capped = true;
      return;
    }
    if (!known(entry.key) && !ranked.entries.some((e) => e.key === entry.key)) ranked.entries.push(entry);
  }
  ranked.capped ||= more.capped;
}

interface Ranked {
  /** One definition per key, best first. */
  entries: EntryDefinition[];
  capped: boolean;
}

/** Every file's best hits merged by score (file order, then each file's order, breaking ties); one item per key. */
function searchAll(files: BibliographyFile[], query: string, limit: number, cited: ReadonlySet<string>, isCancelled: () => boolean): Ranked | undefined {
  const all: { hit: SearchHit; order: number }[] = [];
  let capped = false;
  for (const file of files) {
    if (isCancelled()) return undefined;
    const result = typingSearchIndexOf(file).search(query, limit, cited);
    capped ||= result.capped;
    for (const hit of result.hits) all.push({ hit, order: all.length });
  }
  all.sort((a, b) => b.hit.score - a.hit.score || a.order - b.order);
  const entries = uniqueByKey(all.map((a) => a.hit.entry));
  return { entries: entries.slice(0, limit), capped: capped || entries.length > limit };
}

/** Nothing typed yet: keys this document already cites (nearest before the cursor first), then the rest by key. */
function emptyQuery(files: BibliographyFile[], cited: ReadonlySet<string>, limit: number): Ranked {
  const first: EntryDefinition[] = [];
  for (const key of cited) {
    const file = files.find((f) => f.hasKey(key));
    if (file) first.push(file.definitions(key)[0]);
    if (first.length > limit) break; // enough to fill the list and to know it is capped
  }
  const rest: EntryDefinition[] = [];
  let capped = false;
  for (const file of files) {
    const index = typingSearchIndexOf(file);
    const result = index.firstInKeyOrder(limit, cited);
    if (index.partial) result.capped = true;
    capped ||= result.capped;
    for (const hit of result.hits) rest.push(hit.entry);
  }
  const folded = new Map(rest.map((entry) => [entry, foldText(entry.key)]));
  rest.sort((a, b) => {
    const x = folded.get(a) as string;
    const y = folded.get(b) as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const entries = uniqueByKey([...first, ...rest]);
  return { entries: entries.slice(0, limit), capped: capped || entries.length > limit };
}

function uniqueByKey(entries: EntryDefinition[]): EntryDefinition[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.key) && !!seen.add(entry.key));
}

/**
 * Keys cited in the document, nearest before `typing` first, then those after it; the key being typed is left out.
 * One pass each way and no copies: this runs on every keystroke, and one citation can hold 300,000 keys.
 */
function recentlyCited(doc: DocumentFile, typing: TextRange): Set<string> {
  const citations = doc.syntax().citations;
  const keys = new Set<string>();
  const counts = (c: CitationOccurrence) => c.kind === 'citation' && c.key !== '*';
  for (let i = citations.length - 1; i >= 0; i--) {
    const c = citations[i];
    if (c.range.end < typing.start && counts(c)) keys.add(c.key);
  }
  for (const c of citations) if (c.range.start > typing.end && counts(c)) keys.add(c.key);
  return keys;
}

/**
 * Documentation for a completion item: the formatted reference, DOI/URL links and where the key is defined.
 * `data.path` is the bibliography (or, for `references:` front matter, the document) that defines the key.
 */
export async function resolveCompletion(workspace: Workspace, data: { key: string; path: string; documentPath?: string }): Promise<string | undefined> {
  let file: BibliographyFile | undefined;
  if (data.path === ZOTERO_SOURCE) {
    file = zoteroDefinition(workspace, data.key)?.file;
  } else if (dialectOf(data.path)) {
    const doc = await workspace.getDocument(data.path);
    file = doc && inlineBibliography(doc);
  } else {
    file = await workspace.getBibliography(data.path);
  }
  const definitions = file?.definitions(data.key) ?? [];
  if (definitions.length === 0) return undefined;
  const doc = data.documentPath ? await workspace.getDocument(data.documentPath) : undefined;
  const style = await resolveStyle(workspace, doc, data.path);
  return await referenceMarkdown(workspace, definitions, style);
}
