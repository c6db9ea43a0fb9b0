// The bibliography of what a set of documents cites: one BibTeX entry per cited key, in order of first citation,
// copied as written (with its @string macros and crossref/xdata parents). Shared by `citekeys extract` and the
// editor's "Create Bibliography of Cited Entries".
import * as path from 'node:path';
import type { BibliographyFile, EntryDefinition, SourceText } from '../bibliography/bibliographyFile';
import type { DocumentBibliographies } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';
import { fieldsOf } from '../syntax/bibtex/fields';
import type { CitationOccurrence, TextRange } from '../syntax/types';
import { BibliographyResolver } from './keyUsage';
import { checkedFilesOfFolder } from './workspaceCheck';
import { bibtexFromCsl } from '../bibliography/bibtexFromCsl';
import { outputOrder, writeExtractedText, type ExtractedEntry } from './extractText';

export type { ExtractedEntry } from './extractText';

export interface ExtractRequest {
  /** Document paths, in the order their citations count. */
  documents: string[];
  /** Files any document may take an entry from when its own bibliographies lack it, after them, in this order. */
  libraries: BibliographyFile[];
}

/** A key the output lacks, at the place that needs it. */
export interface ExtractProblem {
  key: string;
  file: SourceText;
  range: TextRange;
  /** Why: found nowhere, only a `\bibitem`, a missing crossref/xdata parent, or CSL data citation-js could not write. */
  kind: 'not-found' | 'bibitem' | 'parent-not-found' | 'not-convertible';
  message: string;
}

export interface ExtractResult {
  /** The BibTeX file: `@string`s first, then the entries separated by blank lines; empty when nothing is cited. */
  text: string;
  /** In output order. */
  entries: ExtractedEntry[];
  /** In order of first need, each key once. */
  problems: ExtractProblem[];
  /** Documents read. */
  documents: number;
  /** Every bibliography file the documents use, and the libraries: where entries may come from. */
  sources: BibliographyFile[];
}

/** Exact keys first, then (when BibTeX would) the key in any case; a file's first definition wins. */
function lookUp(key: string, files: readonly BibliographyFile[], caseInsensitive: boolean): EntryDefinition | undefined {
  for (const file of files) {
    const found = file.definitions(key)[0];
    if (found) return found;
  }
  if (!caseInsensitive) return undefined;
  const lower = key.toLowerCase();
  for (const file of files) {
    const found = lowerCaseKeys(file).get(lower);
    if (found) return found;
  }
  return undefined;
}

const lowerCaseKeyMaps = new WeakMap<BibliographyFile, Map<string, EntryDefinition>>();

function lowerCaseKeys(file: BibliographyFile): Map<string, EntryDefinition> {
  let map = lowerCaseKeyMaps.get(file);
  if (!map) {
    map = new Map();
    for (const entry of file.entries) if (!map.has(entry.key.toLowerCase())) map.set(entry.key.toLowerCase(), entry);
    lowerCaseKeyMaps.set(file, map);
  }
  return map;
}

function names(files: readonly BibliographyFile[]): string {
  return files.map((file) => path.basename(file.path)).join(', ');
}

/** A field's value without its outer braces or quotes, e.g. `{parent}` → `parent`; undefined for a macro. */
function plainValue(text: string, field: { valueStart: number; valueEnd: number }): string | undefined {
  const value = text.slice(field.valueStart, field.valueEnd).trim();
  if (/^\{[^{}]*\}$/.test(value) || /^"[^"{}]*"$/.test(value)) return value.slice(1, -1).trim();
  return undefined;
}

/** Parents an entry needs to be read as its author meant: `crossref = {p}` and `xdata = {a, b}`. */
function parentsOf(entry: EntryDefinition): { key: string; field: string; range: TextRange }[] {
  const out: { key: string; field: string; range: TextRange }[] = [];
  for (const field of entry.bibtex ? fieldsOf(entry.bibtex) : []) {
    if (field.name !== 'crossref' && field.name !== 'xdata') continue;
    const value = plainValue(entry.file.text, field);
    if (value === undefined) continue;
    const range = { start: field.valueStart, end: field.valueEnd };
    for (const key of field.name === 'xdata' ? value.split(',') : [value]) {
      if (key.trim()) out.push({ key: key.trim(), field: field.name, range });
    }
  }
  return out;
}

/**
 * The documents the editor command extracts from, in the order `check` visits them: those of the workspace folder
 * holding `file` (the active document's project), the document alone when it lies in none, every folder's without one.
 */
export async function projectDocuments(workspace: Workspace, file?: string): Promise<string[]> {
  const folder = file === undefined ? undefined : workspace.folderOf(file);
  if (file !== undefined && folder === undefined) return [file];
  const documents = new Set<string>();
  for (const each of folder === undefined ? workspace.folders : [folder]) {
    for (const document of (await checkedFilesOfFolder(workspace, each)).documents) documents.add(document);
  }
  // An open document not yet saved is not in the folder's listing, but its citations count.
  if (file !== undefined && !documents.has(file) && (await workspace.getDocument(file))) documents.add(file);
  return [...documents];
}

export async function extractCitedEntries(workspace: Workspace, request: ExtractRequest, options: { isCancelled?: () => boolean } = {}): Promise<ExtractResult> {
  const isCancelled = options.isCancelled ?? (() => false);
  const resolver = new BibliographyResolver(workspace);
  const entries: ExtractedEntry[] = [];
  const byKey = new Map<string, ExtractedEntry>();
  const byDefinition = new Map<EntryDefinition, ExtractedEntry>();
  const problems = new Map<string, ExtractProblem>();
  const sources = new Set<BibliographyFile>();
  const libraries = request.libraries;

  /** Adds the entry unless it, or an entry of the same key, is in already (the first wins); returns the one that is. */
  const add = (definition: EntryDefinition, context: readonly BibliographyFile[], reason: ExtractedEntry['reason'], at: { file: SourceText; range: TextRange }): ExtractedEntry | undefined => {
    const present = byDefinition.get(definition) ?? byKey.get(definition.key);
    if (present) return present;
    let text: string;
    if (definition.bibtex) {
      text = definition.file.source(definition);
    } else {
      const written = definition.csl ? bibtexFromCsl(definition.csl) : { error: 'no entry data' };
      if ('error' in written) {
        if (!problems.has(definition.key)) {
          problems.set(definition.key, {
            key: definition.key, ...at, kind: 'not-convertible',
            message: `\`${definition.key}\` (${path.basename(definition.file.path)}) cannot be written as BibTeX: ${written.error}`,
          });
        }
        return undefined;
      }
      text = written.text;
    }
    const entry: ExtractedEntry = {
      key: definition.key, definition, text, converted: !definition.bibtex, fromLibrary: libraries.includes(definition.file), reason, context, parents: [],
    };
    entries.push(entry);
    byKey.set(definition.key, entry);
    byDefinition.set(definition, entry);
    return entry;
  };

  let documents = 0;
  for (const file of request.documents) {
    if (isCancelled()) break;
    const doc = await workspace.getDocument(file);
    if (!doc) continue;
    documents++;
    const resolved = await resolver.forDocument(doc);
    for (const bib of resolved.files) sources.add(bib);
    const context = [...resolved.files, ...libraries];
    const citations = [...doc.syntax().citations].sort((a, b) => a.range.start - b.range.start);
    for (const citation of citations) {
      if (citation.key === '*') {
        for (const bib of resolved.files) for (const definition of bib.entries) add(definition, context, 'all', { file: doc, range: citation.range });
        continue;
      }
      if (citation.reference && resolved.labels.has(citation.key)) continue; // a Typst cross-reference
      const definition = lookUp(citation.key, resolved.files, resolved.caseInsensitive) ?? lookUp(citation.key, libraries, resolved.caseInsensitive);
      if (definition) add(definition, context, 'cited', { file: doc, range: citation.range });
      else if (!problems.has(citation.key)) problems.set(citation.key, notFound(doc, citation, resolved, libraries));
    }
  }
  for (const library of libraries) sources.add(library);

  // Parents, breadth first: an entry appended here is looked at in its turn, so grandparents come too.
  for (let i = 0; i < entries.length; i++) {
    const child = entries[i];
    for (const parent of parentsOf(child.definition)) {
      const definition = lookUp(parent.key, [child.definition.file, ...child.context], true);
      const found = definition && add(definition, child.context, 'parent', { file: child.definition.file, range: parent.range });
      if (found) {
        if (!child.parents.includes(found)) child.parents.push(found);
      } else if (!definition && !problems.has(parent.key)) {
        problems.set(parent.key, {
          key: parent.key, file: child.definition.file, range: parent.range, kind: 'parent-not-found',
          message: `\`${child.key}\` names \`${parent.key}\` in its ${parent.field} field, which no bibliography has`,
        });
      }
    }
  }
  for (const key of problems.keys()) if (byKey.has(key)) problems.delete(key);
  const ordered = outputOrder(entries);
  return { text: writeExtractedText(ordered), entries: ordered, problems: [...problems.values()], documents, sources: [...sources] };
}

function notFound(doc: SourceText, citation: CitationOccurrence, resolved: DocumentBibliographies, libraries: readonly BibliographyFile[]): ExtractProblem {
  const bibitem = resolved.bibitemDocuments.find((part) => part.syntax().bibitems.some((item) => item.key === citation.key));
  const at = { key: citation.key, file: doc, range: citation.range };
  if (bibitem) {
    return { ...at, kind: 'bibitem', message: `\`${citation.key}\` is a \\bibitem in ${path.basename(bibitem.path)}, not a bibliography entry: there is nothing to copy` };
  }
  const where = [
    resolved.files.length ? `not in ${names(resolved.files)}` : 'the document has no bibliography',
    libraries.length ? `nor in ${names(libraries)}` : '',
  ].filter(Boolean).join(', ');
  return { ...at, kind: 'not-found', message: `no entry for \`${citation.key}\`: ${where}` };
}
