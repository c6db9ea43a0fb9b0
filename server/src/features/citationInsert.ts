// Insert Citation's edit: the whole citation of the picked keys at the cursor, written as the document's dialect
// writes it, and the entries the document's bibliography lacks copied into it from a library or Zotero — one edit.
import * as path from 'node:path';
import { bibliographyFormatOf, type BibliographyFile } from '../bibliography/bibliographyFile';
import { bareCitationInsertion, type CitationInserter } from '../syntax/citations/citationInsertion';
import { resolveBibliographies } from '../workspace/discovery';
import type { DocumentFile } from '../workspace/documents';
import type { Workspace } from '../workspace/workspace';
import { acceptingBibliography, copyInto, type AcceptResult } from './entryAccept';
import { versionOf, type FileEdits, type TextEditAt } from './locations';
import { ZOTERO_SOURCE, zoteroCopy } from './zoteroEntries';

/** A picked key, and where it comes from when the document's bibliographies may lack it (a library path, ZOTERO_SOURCE). */
export interface PickedKey {
  key: string;
  from?: string;
}

export interface CitationInsertResult {
  /** The citation in the document first, then the copies into its bibliography. */
  changes: FileEdits[];
  /** What was not copied, and why. */
  message?: string;
}

/** The edit that inserts `keys` at `offset` in the document (or bibliography) at `file`; undefined for other files. */
export async function provideCitationInsertion(
  workspace: Workspace, file: string, offset: number, keys: readonly PickedKey[],
): Promise<CitationInsertResult | undefined> {
  const doc = await workspace.getDocument(file);
  const target = doc ?? (bibliographyFormatOf(file) ? await workspace.getBibliography(file) : undefined);
  if (!target || keys.length === 0) return undefined;
  const inserter: CitationInserter = doc ? doc.dialect.citationInsertion : bareCitationInsertion;
  const text = target.text;
  const at = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  const lineEnd = newline < 0 ? text.length : newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline;
  const insertion = inserter(text.slice(lineStart, at), text.slice(at, Math.max(at, lineEnd)), uniqueKeys(keys));
  const start = Math.max(lineStart, at - insertion.deleteBefore);
  const changes: FileEdits[] = [{ file: target, version: versionOf(workspace, target), edits: [{ range: { start, end: at }, newText: insertion.text }] }];
  if (!doc) return { changes };
  const copies = await copyMissing(workspace, doc, keys);
  for (const copy of copies.changes) changes.push(copy);
  return copies.message ? { changes, message: copies.message } : { changes };
}

function uniqueKeys(keys: readonly PickedKey[]): string[] {
  return [...new Set(keys.map((picked) => picked.key))];
}

/** Copies of the picked entries the document's bibliographies lack, all into its first declared one, as one file edit. */
async function copyMissing(workspace: Workspace, doc: DocumentFile, keys: readonly PickedKey[]): Promise<CitationInsertResult> {
  const bibliographies = await resolveBibliographies(workspace, doc);
  const seen = new Set<string>();
  const lacking = keys.filter((picked) => {
    if (picked.from === undefined || seen.has(picked.key)) return false;
    seen.add(picked.key);
    return !bibliographies.files.some((file) => file.hasKey(picked.key));
  });
  if (lacking.length === 0) return { changes: [] };
  const named = lacking.map((picked) => `\`${picked.key}\``).join(', ');
  const target = acceptingBibliography(bibliographies);
  if (!target) {
    const declare = doc.dialect.messages.declareBibliography;
    return { changes: [], message: `${named} ${lacking.length === 1 ? 'was' : 'were'} not copied: ${path.basename(doc.path)} declares no bibliography (declare one with ${declare}).` };
  }
  const edits: TextEditAt[] = [];
  const problems: string[] = [];
  for (const picked of lacking) {
    const copied = await copyOne(workspace, doc, bibliographies.libraries, picked, target);
    if ('message' in copied) problems.push(copied.message);
    for (const change of copied.changes) appendEdits(edits, change.edits);
  }
  const changes: FileEdits[] = edits.length ? [{ file: target, version: versionOf(workspace, target), edits: joinCopies(target, edits) }] : [];
  return problems.length ? { changes, message: problems.join(' ') } : { changes };
}

function appendEdits(into: TextEditAt[], edits: readonly TextEditAt[]): void {
  for (const edit of edits) into.push(edit);
}

/** One entry's copy: from Zotero, or from one of the user's libraries (no other file is read on a client's word). */
async function copyOne(
  workspace: Workspace, doc: DocumentFile, libraries: readonly BibliographyFile[], picked: PickedKey, target: BibliographyFile,
): Promise<AcceptResult> {
  if (picked.from === ZOTERO_SOURCE) return zoteroCopy(workspace, doc, picked.key, target);
  const library = libraries.find((file) => file.path === picked.from);
  const entry = library?.definitions(picked.key)[0];
  if (!library || !entry) return { changes: [], message: `\`${picked.key}\` was not copied: it is not in your libraries (\`citekeys.libraries\`).` };
  return copyInto(workspace, entry, target);
}

/**
 * Several copies into one file, each computed against the file as it is: they all append at one place, so their
 * texts are joined into one edit (an empty CSL-JSON array gets its items comma-separated; BibTeX `@string`s once).
 */
export function joinCopies(target: BibliographyFile, edits: TextEditAt[]): TextEditAt[] {
  if (edits.length < 2) return edits;
  const first = edits[0];
  if (target.format === 'csl-json' && target.entries.length === 0) {
    // Each is `\n  item\n` after the `[`, or `[\n  item\n]\n` in a file without one.
    const bracket = first.newText.startsWith('[');
    const items = edits.map((edit) => edit.newText.slice(bracket ? 4 : 3, bracket ? -3 : -1));
    return [{ range: first.range, newText: bracket ? `[\n  ${items.join(',\n  ')}\n]\n` : `\n  ${items.join(',\n  ')}\n` }];
  }
  let newText = first.newText;
  for (const edit of edits.slice(1)) {
    // CSL-JSON items start with their comma; BibTeX and YAML texts lose the separator the file's end asked for.
    let text = edit.newText.replace(/^\n+/, '');
    text = text.split('\n').filter((line) => !(line.startsWith('@string{') && newText.includes(`${line}\n`))).join('\n').replace(/^\n+/, '');
    newText += text.startsWith(',') ? text : `\n${text}`;
  }
  return [{ range: first.range, newText }];
}
