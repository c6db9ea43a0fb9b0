// Accepting an entry the document's bibliographies lack (from a library, or Zotero): the edit that copies it into
// the document's first declared bibliography, converted between BibTeX and CSL when their formats differ. Nothing is
// written when the document declares no bibliography; `newBibliographyEdits` then creates and declares one.
import * as path from 'node:path';
import { bibliographyFormatOf, type BibliographyFile, type EntryDefinition } from '../bibliography/bibliographyFile';
import { entryTextFor } from '../bibliography/entryConversion';
import { resolveBibliographies, type DocumentBibliographies } from '../workspace/discovery';
import type { DocumentFile } from '../workspace/documents';
import type { Workspace } from '../workspace/workspace';
import { LineIndex } from '../util/lineIndex';
import { copyEntryText } from './entryCopy';
import { versionOf, type FileEdits } from './locations';
import { ZOTERO_SOURCE, zoteroCopy } from './zoteroEntries';

/** The file accepted entries go into: the document's first declared bibliography that is a file of its own. */
export function acceptingBibliography(bibliographies: DocumentBibliographies): BibliographyFile | undefined {
  if (bibliographies.source !== 'declared' && bibliographies.source !== 'settings') return undefined;
  return bibliographies.files.find((file) => file.format !== 'inline' && !file.unreadable && bibliographyFormatOf(file.path) !== undefined);
}

export type AcceptResult =
  | { changes: FileEdits[] }
  /** Nothing to do (the key is there already) or nothing that may be done; `message` says which. */
  | { changes: []; message: string };

/** The edit that copies `entry` into `target`, or why it cannot. */
export function copyInto(workspace: Workspace, entry: EntryDefinition, target: BibliographyFile): AcceptResult {
  if (target.hasKey(entry.key)) return { changes: [], message: `${path.basename(target.path)} already has \`${entry.key}\`.` };
  let converted: string | undefined;
  if (entry.file.format !== target.format) {
    const written = entryTextFor(entry, target.format);
    if ('error' in written) return { changes: [], message: `\`${entry.key}\` cannot be copied into ${path.basename(target.path)}: ${written.error}.` };
    converted = written.text;
  }
  const edit = copyEntryText(entry.file, entry, target, converted);
  return { changes: [{ file: target, version: versionOf(workspace, target), edits: [edit] }] };
}

/**
 * What accepting `key` from `from` (a library) in a document does: the edit that copies its entry into the document's
 * bibliography, or a message saying why nothing is written.
 */
export async function acceptEntry(workspace: Workspace, args: { documentPath: string; key: string; from: string }): Promise<AcceptResult> {
  const doc = await workspace.getDocument(args.documentPath);
  if (!doc) return { changes: [], message: `${path.basename(args.documentPath)} is not a document citekeys reads.` };
  const bibliographies = await resolveBibliographies(workspace, doc);
  if (bibliographies.files.some((file) => file.hasKey(args.key))) return { changes: [], message: `The document's bibliography already has \`${args.key}\`.` };
  const target = acceptingBibliography(bibliographies);
  if (!target) {
    return { changes: [], message: `\`${args.key}\` was not copied: ${path.basename(doc.path)} declares no bibliography. Use the quick fix on the citation to create references.bib and declare it.` };
  }
  if (args.from === ZOTERO_SOURCE) return zoteroCopy(workspace, doc, args.key, target);
  // Only from a library the user listed: a command's arguments must not make the server read any file.
  const source = bibliographies.libraries.find((file) => file.path === args.from);
  if (!source) return { changes: [], message: `\`${args.key}\` was not copied: ${args.from} is not one of your libraries (citekeys.libraries).` };
  const entry = source.definitions(args.key)[0];
  if (!entry) return { changes: [], message: `\`${args.key}\` is no longer in ${path.basename(args.from)}.` };
  return copyInto(workspace, entry, target);
}

/** The file a document's new bibliography gets, beside it. */
export const NEW_BIBLIOGRAPHY_NAME = 'references.bib';

class NewFileText {
  readonly text = '';
  constructor(readonly path: string) {}
  lineIndex(): LineIndex {
    return new LineIndex('');
  }
}

/**
 * Quick fixes for a key only a library defines: copy its entry into the document's bibliography; or, when the
 * document declares none, create `references.bib` beside it with the entry and declare it in the document.
 */
export async function libraryEntryFixes(
  workspace: Workspace, doc: DocumentFile, bibliographies: DocumentBibliographies, key: string,
): Promise<{ title: string; changes: FileEdits[] }[]> {
  const library = bibliographies.libraries.find((file) => file.hasKey(key));
  const entry = library?.definitions(key)[0];
  if (!library || !entry) return [];
  const target = acceptingBibliography(bibliographies);
  if (target) {
    const copied = copyInto(workspace, entry, target);
    return copied.changes.length ? [{ title: `Copy \`${key}\` from ${path.basename(library.path)} into ${path.basename(target.path)}`, changes: copied.changes }] : [];
  }
  const declaration = doc.dialect.declareBibliography(doc, NEW_BIBLIOGRAPHY_NAME);
  if (!declaration) return [];
  const declare: FileEdits = { file: doc, version: versionOf(workspace, doc), edits: [declaration] };
  const newPath = path.join(path.dirname(doc.path), NEW_BIBLIOGRAPHY_NAME);
  const title = `Create ${NEW_BIBLIOGRAPHY_NAME} with \`${key}\` from ${path.basename(library.path)} and declare it`;
  if (await workspace.exists(newPath)) {
    // There already, but not declared: declare it and add the entry to it.
    const copied = copyInto(workspace, entry, await workspace.getBibliography(newPath));
    return [{ title: `Declare ${NEW_BIBLIOGRAPHY_NAME} and copy \`${key}\` from ${path.basename(library.path)} into it`, changes: [...copied.changes, declare] }];
  }
  const written = entryTextFor(entry, 'bibtex');
  if ('error' in written) return [];
  return [{ title, changes: [{ file: new NewFileText(newPath), create: true, edits: [{ range: { start: 0, end: 0 }, newText: `${written.text}\n` }] }, declare] }];
}
