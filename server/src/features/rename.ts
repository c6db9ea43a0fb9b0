// Rename a citation key everywhere at once: the entry key in its bibliography file(s) (BibTeX, CSL-JSON, CSL-YAML,
// inline `references:`) or its `\bibitem`, and every citation of that entry in every document of the workspace.
import * as path from 'node:path';
import type { BibliographyFile, SourceText } from '../bibliography/bibliographyFile';
import type { TextRange } from '../syntax/types';
import type { Workspace } from '../workspace/workspace';
import { isReadOnlyFile } from '../workspace/dialects/registry';
import { keyAt, type KeyAtOffset } from './keyAt';
import { entryKeyEdit, keyProblem } from './keySyntax';
import { BibliographyResolver, bibitemsIn, citingDocuments, targetOf, type CitingDocument, type KeyTarget } from './keyUsage';
import type { FileEdits, TextEditAt } from './locations';

export type PrepareRenameResult = { range: TextRange; placeholder: string } | { error: string } | undefined;
export type RenameResult = { changes: FileEdits[] } | { error: string };

function refusal(workspace: Workspace, start: KeyAtOffset, target: KeyTarget): string | undefined {
  if (start.key === '*') return '`*` stands for every entry; there is no key to rename.';
  if (!target.definitions.length && !target.bibitems.length) {
    return `\`${start.key}\` is not defined in the bibliographies this document uses, so there is no entry to rename. Fix the citation or add the entry first.`;
  }
  const toolsOwn = target.definitions.find((entry) => isReadOnlyFile(workspace, entry.file.path));
  if (toolsOwn) return `\`${start.key}\` is defined in ${toolsOwn.file.path}, which belongs to an installed tool (the TeX distribution) and is never edited.`;
  return undefined;
}

/** Checks that the key under the cursor can be renamed; answers its range and current text. */
export async function prepareRename(workspace: Workspace, file: string, offset: number): Promise<PrepareRenameResult> {
  const start = await keyAt(workspace, file, offset);
  if (!start) return undefined;
  const target = await targetOf(start, new BibliographyResolver(workspace));
  const problem = refusal(workspace, start, target);
  if (problem) return { error: problem };
  return { range: start.range, placeholder: start.key };
}

function describe(file: SourceText): string {
  return path.basename(file.path);
}

/** Why `newName` would collide with a key that already exists where the renamed entry is used, if it would. */
function collision(newName: string, target: KeyTarget, citing: CitingDocument[]): string | undefined {
  const files = new Map<string, BibliographyFile>();
  for (const entry of target.definitions) files.set(entry.file.path, entry.file);
  for (const { bibliographies } of citing) for (const file of bibliographies.files) files.set(file.path, file);
  const caseInsensitive = citing.some((c) => c.bibliographies.caseInsensitive);
  const lower = newName.toLowerCase();
  const changesOnlyCase = lower === target.key.toLowerCase();
  for (const file of files.values()) {
    const clash = file.hasKey(newName) || (caseInsensitive && !changesOnlyCase && file.entries.some((e) => e.key.toLowerCase() === lower));
    if (clash) return `\`${newName}\` is already a key in ${describe(file)}; renaming would make two entries share it. Pick another key.`;
  }
  for (const { doc, bibliographies } of citing) {
    if (bibitemsIn(doc, bibliographies, newName).length) return `\`${newName}\` is already a \\bibitem key of ${describe(bibliographies.root ?? doc)}. Pick another key.`;
  }
  for (const { doc } of target.bibitems) {
    if (doc.syntax().bibitems.some((item) => item.key === newName)) return `\`${newName}\` is already a \\bibitem key of ${describe(doc)}. Pick another key.`;
  }
  return undefined;
}

class EditCollector {
  private readonly byPath = new Map<string, FileEdits>();
  private readonly seen = new Set<string>();

  constructor(private readonly workspace: Workspace) {}

  add(file: SourceText & { version?: number }, edit: TextEditAt): void {
    const id = `${file.path}\u0000${edit.range.start}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    let group = this.byPath.get(file.path);
    if (!group) {
      group = { file, version: this.workspace.isOpen(file.path) ? file.version : undefined, edits: [] };
      this.byPath.set(file.path, group);
    }
    group.edits.push(edit);
  }

  result(): FileEdits[] {
    const groups = [...this.byPath.values()];
    for (const group of groups) group.edits.sort((a, b) => a.range.start - b.range.start);
    return groups;
  }
}

/** The edits that rename the key under the cursor to `newName`, or why it cannot be done. */
export async function provideRename(
  workspace: Workspace,
  file: string,
  offset: number,
  newName: string,
  isCancelled: () => boolean = () => false,
): Promise<RenameResult> {
  const start = await keyAt(workspace, file, offset);
  if (!start) return { error: 'There is no citation key here to rename.' };
  const resolver = new BibliographyResolver(workspace);
  const target = await targetOf(start, resolver);
  const problem = refusal(workspace, start, target);
  if (problem) return { error: problem };
  const alsoInclude = start.doc ? [start.doc.path] : [];
  const citing = await citingDocuments(workspace, target, resolver, isCancelled, alsoInclude);
  if (isCancelled()) return { error: 'The rename was cancelled.' };
  if (newName === target.key) return { changes: [] };

  const dialects = citing.map((c) => c.doc.dialect);
  for (const { doc } of target.bibitems) dialects.push(doc.dialect);
  const invalid = keyProblem(newName, { formats: target.definitions.map((d) => d.file.format), dialects });
  if (invalid) return { error: invalid };
  const clash = collision(newName, target, citing);
  if (clash) return { error: clash };

  const edits = new EditCollector(workspace);
  for (const entry of target.definitions) {
    edits.add(entry.file, entryKeyEdit(entry.file.format, entry.file.text, entry.keyRange, newName));
  }
  for (const { doc, bibitem } of target.bibitems) edits.add(doc, { range: bibitem.range, newText: newName });
  for (const { doc, citations } of citing) {
    for (const citation of citations) {
      edits.add(doc, { range: citation.range, newText: doc.dialect.keyText(doc.text, citation.range, newName) });
    }
  }
  return { changes: edits.result() };
}
