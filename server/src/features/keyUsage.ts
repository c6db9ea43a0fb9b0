// Where a key is defined for a starting point, and which documents of the workspace cite that same entry.
// Shared by references, rename and definition; bibliographies are resolved once per document per request.
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import type { BibitemDefinition, CitationOccurrence } from '../syntax/types';
import { resolveBibliographies, type DocumentBibliographies } from '../workspace/discovery';
import type { DocumentFile } from '../workspace/documents';
import type { Workspace } from '../workspace/workspace';
import type { KeyAtOffset } from './keyAt';
import { yieldToEvents } from '../util/yieldToEvents';

/**
 * Resolves each document's bibliographies at most once during one request, and reads each bibliography once:
 * where a document's bibliographies are is kept by discovery itself, but reading one asks the disk whether it
 * changed, and a thousand documents citing one file would ask a thousand times.
 */
export class BibliographyResolver {
  private readonly cache = new Map<string, Promise<DocumentBibliographies>>();
  private readonly loaded = new Map<string, Promise<BibliographyFile>>();
  private readonly load = (file: string): Promise<BibliographyFile> => {
    let bibliography = this.loaded.get(file);
    if (!bibliography) {
      bibliography = this.workspace.getBibliography(file);
      this.loaded.set(file, bibliography);
    }
    return bibliography;
  };

  constructor(readonly workspace: Workspace) {}

  forDocument(doc: DocumentFile): Promise<DocumentBibliographies> {
    const cacheKey = `${doc.path}\u0000${doc.version}`;
    let resolved = this.cache.get(cacheKey);
    if (!resolved) {
      resolved = resolveBibliographies(this.workspace, doc, { load: this.load });
      this.cache.set(cacheKey, resolved);
    }
    return resolved;
  }
}

/** Every document of the workspace: those below each folder, plus open ones (which may lie outside). */
export async function workspaceDocumentPaths(workspace: Workspace, alsoInclude: string[] = []): Promise<string[]> {
  const paths = new Set<string>();
  for (const folder of workspace.folders) {
    for (const file of (await workspace.listFolder(folder)).documents) paths.add(file);
  }
  for (const file of [...workspace.openPaths(), ...alsoInclude]) paths.add(file);
  return [...paths];
}

/** The definitions of `key` among a document's bibliographies: exact first, then case-insensitively when BibTeX would. */
export function definitionsIn(bibliographies: DocumentBibliographies, key: string): EntryDefinition[] {
  const exact = bibliographies.files.flatMap((file) => file.definitions(key));
  if (exact.length || !bibliographies.caseInsensitive) return exact;
  const lower = key.toLowerCase();
  return bibliographies.files.flatMap((file) => file.entries.filter((entry) => entry.key.toLowerCase() === lower));
}

/** `\bibitem`s for `key` in the document and the files of its LaTeX roots. */
export function bibitemsIn(doc: DocumentFile, bibliographies: DocumentBibliographies, key: string): { doc: DocumentFile; bibitem: BibitemDefinition }[] {
  const parts = bibliographies.bibitemDocuments.includes(doc) ? bibliographies.bibitemDocuments : [doc, ...bibliographies.bibitemDocuments];
  return parts.flatMap((part) => part.syntax().bibitems.filter((item) => item.key === key).map((bibitem) => ({ doc: part, bibitem })));
}

/** What a key at some place refers to. */
export interface KeyTarget {
  key: string;
  /** Entry definitions (all definitions of the key in the files concerned). */
  definitions: EntryDefinition[];
  /** Paths of the bibliography files whose definitions count; documents using one of them cite this entry. */
  filePaths: Set<string>;
  /** For `\bibitem` keys: the LaTeX root whose documents share the `thebibliography` list. */
  bibitemRoot?: string;
  bibitems: { doc: DocumentFile; bibitem: BibitemDefinition }[];
}

export async function targetOf(start: KeyAtOffset, resolver: BibliographyResolver): Promise<KeyTarget> {
  if (start.kind === 'entry') {
    const definitions = start.entry.file.definitions(start.key);
    return { key: start.key, definitions, filePaths: new Set([start.entry.file.path]), bibitems: [] };
  }
  const bibliographies = await resolver.forDocument(start.doc);
  const bibitems = bibitemsIn(start.doc, bibliographies, start.key);
  if (start.kind === 'bibitem' || (bibitems.length && start.kind === 'citation')) {
    const root = (bibliographies.root ?? start.doc).path;
    return { key: start.key, definitions: [], filePaths: new Set(), bibitemRoot: root, bibitems };
  }
  const definitions = definitionsIn(bibliographies, start.key);
  const key = definitions.length ? definitions[0].key : start.key;
  return { key, definitions, filePaths: new Set(definitions.map((d) => d.file.path)), bibitems: [] };
}

export interface CitingDocument {
  doc: DocumentFile;
  citations: CitationOccurrence[];
  bibliographies: DocumentBibliographies;
}

/** Documents parsed between two looks at the event queue while scanning (a few milliseconds of work). */
const PARSED_BETWEEN_YIELDS = 100;

/**
 * Reads and parses documents, letting other requests in every hundred parses. Parsed documents stay cached in the
 * workspace, so after the first scan (or the background one) a scan is a walk over cached citations.
 */
export async function scanDocuments(workspace: Workspace, paths: string[], isCancelled: () => boolean = () => false): Promise<DocumentFile[]> {
  const documents = (await workspace.getDocuments(paths)).filter((doc): doc is DocumentFile => !!doc);
  let sinceYield = 0;
  for (const doc of documents) {
    if (doc.isParsed()) continue;
    doc.syntax();
    if (++sinceYield < PARSED_BETWEEN_YIELDS) continue;
    sinceYield = 0;
    await yieldToEvents();
    if (isCancelled()) return [];
  }
  return documents;
}

/** Whether a document citing the key means the same entry as the target. */
function sameTarget(target: KeyTarget, doc: DocumentFile, bibliographies: DocumentBibliographies): boolean {
  if (target.bibitemRoot !== undefined) return (bibliographies.root ?? doc).path === target.bibitemRoot;
  if (target.filePaths.size) return bibliographies.files.some((file) => target.filePaths.has(file.path));
  // An undefined key: documents where it is undefined too.
  return definitionsIn(bibliographies, target.key).length === 0 && bibitemsIn(doc, bibliographies, target.key).length === 0;
}

/**
 * Documents citing the target's key and meaning the same entry, with their citations of it.
 * Cheap text checks come first; bibliographies are resolved only for documents that cite the key.
 */
export async function citingDocuments(
  workspace: Workspace,
  target: KeyTarget,
  resolver: BibliographyResolver,
  isCancelled: () => boolean = () => false,
  alsoInclude: string[] = [],
): Promise<CitingDocument[]> {
  const key = target.key;
  if (key === '*') return [];
  const lower = key.toLowerCase();
  const candidates: { doc: DocumentFile; citations: CitationOccurrence[] }[] = [];
  const documents = await scanDocuments(workspace, await workspaceDocumentPaths(workspace, alsoInclude), isCancelled);
  if (isCancelled()) return [];
  for (const doc of documents) {
    const foldsCase = doc.dialect.keyCase === 'per-bibliography';
    const citations = doc.syntax().citations.filter((c) => c.key === key || (foldsCase && c.key.toLowerCase() === lower));
    if (citations.length) candidates.push({ doc, citations });
  }
  // All at once: the resolver shares each disk question between documents, and the answers arrive together.
  const resolved = await Promise.all(candidates.map(({ doc }) => (isCancelled() ? undefined : resolver.forDocument(doc))));
  if (isCancelled()) return [];
  const found: CitingDocument[] = [];
  candidates.forEach(({ doc, citations }, index) => {
    const bibliographies = resolved[index];
    if (!bibliographies) return;
    const matching = bibliographies.caseInsensitive ? citations : citations.filter((c) => c.key === key);
    if (matching.length && sameTarget(target, doc, bibliographies)) found.push({ doc, citations: matching, bibliographies });
  });
  return found;
}
