// Zotero as a source of entries without a text location: its answers become an in-memory CSL-JSON bibliography, so
// completion ranks, labels and documents them like any file's; accepting one exports it from Zotero (Better BibTeX's
// translators) in the format of the document's bibliography.
import { stringify as yamlStringify } from 'yaml';
import { BibliographyFile, type EntryDefinition } from '../bibliography/bibliographyFile';
import type { DocumentFile } from '../workspace/documents';
import type { Workspace } from '../workspace/workspace';
import { copyEntryText } from './entryCopy';
import { versionOf, type FileEdits } from './locations';

/** Where a completion item from Zotero says it comes from (its `data.path` and copy command's `from`). */
export const ZOTERO_SOURCE = 'zotero:';
/** How long completion waits for Zotero before answering without it (`isIncomplete`; the next keystroke gets it). */
export const ZOTERO_BUDGET_MS = 150;
/** Zotero is asked only from this many typed characters on: shorter queries match too much of a library. */
const MIN_QUERY = 3;

/** Each Zotero answer's items as a bibliography. */
const answerFiles = new WeakMap<readonly unknown[], BibliographyFile>();

/** The last answers per workspace, so that resolving or accepting an item finds its data. */
const lastAnswers = new WeakMap<Workspace, Map<string, BibliographyFile>>();

/** Zotero's items for `query` as a bibliography (undefined when Zotero is not connected), and whether it is all. */
export async function zoteroEntries(workspace: Workspace, query: string): Promise<{ file: BibliographyFile; complete: boolean } | undefined> {
  const zotero = workspace.zotero;
  if (!zotero || zotero.status !== 'connected' || query.length < MIN_QUERY) return undefined;
  const answer = await zotero.searchWithin(query, ZOTERO_BUDGET_MS);
  // A cached answer comes back as the same array: its bibliography (and search index) is built once, not per keystroke.
  let file = answerFiles.get(answer.items);
  if (!file) {
    file = BibliographyFile.parse(ZOTERO_SOURCE, JSON.stringify(answer.items.map((item) => item.csl)), 'csl-json');
    answerFiles.set(answer.items, file);
  }
  let answers = lastAnswers.get(workspace);
  if (!answers) lastAnswers.set(workspace, (answers = new Map()));
  for (const entry of file.entries) answers.set(entry.key, file);
  // Keep the memory small: the keys of the last few hundred items are enough to resolve and accept.
  if (answers.size > 2000) for (const key of [...answers.keys()].slice(0, answers.size - 1000)) answers.delete(key);
  return { file, complete: answer.complete };
}

/** The definition of a key Zotero offered lately, for documentation and copying. */
export function zoteroDefinition(workspace: Workspace, key: string): EntryDefinition | undefined {
  return lastAnswers.get(workspace)?.get(key)?.definitions(key)[0];
}

/**
 * The edit that copies Zotero's entry for `key` into `target`: exported by Better BibTeX as BibLaTeX (or BibTeX for a
 * document that uses BibTeX), or as CSL-JSON for CSL files.
 */
export async function zoteroCopy(
  workspace: Workspace, doc: DocumentFile, key: string, target: BibliographyFile,
): Promise<{ changes: FileEdits[] } | { changes: []; message: string }> {
  const zotero = workspace.zotero;
  const offered = zoteroDefinition(workspace, key);
  if (!zotero || !offered) return { changes: [], message: `\`${key}\` was not copied: Zotero is not connected.` };
  if (target.format === 'hayagriva' || target.format === 'inline') return { changes: [], message: `\`${key}\` was not copied: citekeys does not write into ${target.path}.` };
  const format = target.format === 'bibtex' ? (doc.syntax().backend === 'bibtex' ? 'bibtex' : 'biblatex') : 'csl-json';
  const exported = await zotero.exportEntries([key], format);
  if (!exported.ok) return { changes: [], message: `\`${key}\` was not copied: Zotero says ${exported.message}` };
  let text = exported.text.trim();
  if (format === 'csl-json') {
    let item: unknown;
    try {
      const items = JSON.parse(text) as unknown;
      item = Array.isArray(items) ? items[0] : undefined;
    } catch {
      item = undefined;
    }
    if (!item) return { changes: [], message: `\`${key}\` was not copied: Zotero exported nothing.` };
    text = target.format === 'csl-json' ? JSON.stringify(item, null, 2) : yamlStringify([item]).trimEnd();
  }
  return { changes: [{ file: target, version: versionOf(workspace, target), edits: [copyEntryText(offered.file, offered, target, text)] }] };
}
