// Quick fixes for citation findings: change an undefined key to a close one, copy a missing entry from another
// bibliography of the workspace, jump between duplicate entries, remove a duplicate that is an exact copy, and
// remove a key repeated in one citation.
import * as path from 'node:path';
import { bibliographyFormatOf, type BibliographyFile, type EntryDefinition } from '../bibliography/bibliographyFile';
import type { TextRange } from '../syntax/types';
import type { Workspace } from '../workspace/workspace';
import { repeatRemoval } from './duplicateCitations';
import { copyEntryText } from './entryCopy';
import { entryAt } from './keyAt';
import { BibliographyResolver } from './keyUsage';
import { libraryEntryFixes } from './entryAccept';
import { versionOf, type FileEdits } from './locations';
import { appendAll } from '../util/appendAll';

export interface CodeActionSpec {
  title: string;
  kind: 'quickfix' | 'refactor';
  isPreferred?: boolean;
  changes?: FileEdits[];
  command?: { title: string; command: string; arguments: unknown[] };
  /** The finding code this action fixes. */
  diagnosticCode?: string;
}

export interface FindingAtRange {
  code: string;
  range: TextRange;
  key?: string;
  suggestions?: string[];
}

/** The command the client registers to open a file at a range: arguments `[{ path, range: {start, end} }]` (offsets). */
export const OPEN_LOCATION_COMMAND = 'citekeys.openLocation';

const MAX_SUGGESTIONS = 3;
const MAX_COPY_SOURCES = 3;

export async function provideCodeActions(workspace: Workspace, file: string, range: TextRange, findings: FindingAtRange[]): Promise<CodeActionSpec[]> {
  const actions: CodeActionSpec[] = [];
  const resolver = new BibliographyResolver(workspace);
  for (const finding of findings) {
    if (finding.range.end < range.start || finding.range.start > range.end) continue;
    if (finding.code === 'undefined-citation') appendAll(actions, await undefinedCitationActions(workspace, resolver, file, finding));
    if (finding.code === 'duplicate-entry') appendAll(actions, await duplicateEntryActions(workspace, file, finding));
    if (finding.code === 'duplicate-citation') appendAll(actions, await duplicateCitationActions(workspace, file, finding));
  }
  return actions;
}


async function undefinedCitationActions(
  workspace: Workspace,
  resolver: BibliographyResolver,
  file: string,
  finding: FindingAtRange,
): Promise<CodeActionSpec[]> {
  const doc = await workspace.getDocument(file);
  if (!doc) return [];
  const actions: CodeActionSpec[] = [];
  (finding.suggestions ?? []).slice(0, MAX_SUGGESTIONS).forEach((suggestion, index) => {
    actions.push({
      title: `Change to \`${suggestion}\``,
      kind: 'quickfix',
      isPreferred: index === 0,
      diagnosticCode: finding.code,
      changes: [{ file: doc, version: versionOf(workspace, doc), edits: [{ range: finding.range, newText: doc.dialect.keyText(doc.text, finding.range, suggestion) }] }],
    });
  });

  const key = finding.key ?? doc.text.slice(finding.range.start, finding.range.end);
  const bibliographies = await resolver.forDocument(doc);
  for (const fix of await libraryEntryFixes(workspace, doc, bibliographies, key)) {
    actions.push({ title: fix.title, kind: 'quickfix', isPreferred: true, diagnosticCode: finding.code, changes: fix.changes });
  }
  const used = bibliographies.files;
  const target = used.find((f) => f.format === 'bibtex') ?? used.find((f) => f.format === 'csl-json');
  if (!target) return actions;
  const usedPaths = new Set(used.map((f) => f.path));
  const folder = workspace.folderOf(doc.path);
  const candidates = folder ? (await workspace.listFolder(folder)).bibliographies : [];
  let offered = 0;
  for (const candidate of candidates) {
    if (offered >= MAX_COPY_SOURCES) break;
    if (usedPaths.has(candidate)) continue;
    const source = await workspace.getBibliography(candidate);
    // Same-format copies only: a CSL entry is not converted to BibTeX or back.
    if (source.format !== target.format) continue;
    const entry = source.definitions(key)[0];
    if (!entry) continue;
    const insertion = copyEntryText(source, entry, target);
    offered++;
    actions.push({
      title: `Add entry \`${key}\` from \`${path.relative(path.dirname(target.path), source.path)}\``,
      kind: 'quickfix',
      diagnosticCode: finding.code,
      changes: [{ file: target, version: versionOf(workspace, target), edits: [insertion] }],
    });
  }
  return actions;
}

/**
 * Entry text compared for "same entry": whitespace runs collapsed, whitespace next to punctuation dropped
 * (`a = {b}` ≡ `a={b}`), and a comma after the last field ignored. Words stay apart (`{New York}` ≢ `{NewYork}`).
 */
function normalizedSource(file: BibliographyFile, entry: EntryDefinition): string {
  return file.source(entry).replace(/\s+/g, ' ').replace(/ ?([^\p{L}\p{N}_ ]) ?/gu, '$1').trim().replace(/,(?=[})]$)/, '');
}

/** Removes the entry and the rest of its line when only whitespace follows it (the newline too). */
function removalRange(file: BibliographyFile, entry: EntryDefinition): TextRange {
  const text = file.text;
  let end = entry.range.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  else end = entry.range.end;
  return { start: entry.range.start, end };
}

async function duplicateEntryActions(workspace: Workspace, file: string, finding: FindingAtRange): Promise<CodeActionSpec[]> {
  // Duplicates inside a document's own `references:` get no quick fix (yet): only bibliography files.
  if (!bibliographyFormatOf(file)) return [];
  const bibliography = await workspace.getBibliography(file);
  const entry = entryAt(bibliography, finding.range.start);
  if (!entry) return [];
  const others: EntryDefinition[] = bibliography.definitions(entry.key).filter((other) => other !== entry);
  const folder = workspace.folderOf(file);
  if (folder) {
    for (const candidate of (await workspace.listFolder(folder)).bibliographies) {
      if (candidate !== file) appendAll(others, (await workspace.getBibliography(candidate)).definitions(entry.key));
    }
  }
  const actions: CodeActionSpec[] = [];
  for (const other of others) {
    const line = other.file.lineIndex().positionAt(other.keyRange.start).line + 1;
    const where = other.file === bibliography ? `line ${line}` : `${path.basename(other.file.path)}:${line}`;
    const title = `Go to other definition (${where})`;
    actions.push({
      title,
      kind: 'quickfix',
      diagnosticCode: finding.code,
      command: { title, command: OPEN_LOCATION_COMMAND, arguments: [{ path: other.file.path, range: other.keyRange }] },
    });
  }
  // Only BibTeX: removing a CSL item would also need its separating comma or list dash handled.
  const identical = bibliography.format === 'bibtex' && others.some((other) => normalizedSource(other.file, other) === normalizedSource(bibliography, entry));
  if (identical) {
    actions.push({
      title: 'Remove this duplicate',
      kind: 'quickfix',
      isPreferred: true,
      diagnosticCode: finding.code,
      changes: [{ file: bibliography, version: versionOf(workspace, bibliography), edits: [{ range: removalRange(bibliography, entry), newText: '' }] }],
    });
  }
  return actions;
}

/** "Remove the repeated `a`", naming the notes that go with it when there are any (`see @a, p. 5`). */
function repeatRemovalTitle(removed: string, key: string): string {
  const core = removed.replace(/^[;,]/, '').trim().replace(/\s+/g, ' ');
  if ([key, `{${key}}`, `@${key}`, `@{${key}}`, `-@${key}`].includes(core)) return `Remove the repeated \`${key}\``;
  return `Remove the repeated \`${key}\` with its notes: \`${core.length > 60 ? `${core.slice(0, 59)}…` : core}\``;
}

async function duplicateCitationActions(workspace: Workspace, file: string, finding: FindingAtRange): Promise<CodeActionSpec[]> {
  const doc = await workspace.getDocument(file);
  if (!doc) return [];
  const key = finding.key ?? doc.text.slice(finding.range.start, finding.range.end);
  const range = repeatRemoval(doc.text, doc.dialect.citationLists, doc.syntax().citations, { start: finding.range.start, key });
  if (!range) return [];
  return [{
    title: repeatRemovalTitle(doc.text.slice(range.start, range.end), key),
    kind: 'quickfix',
    isPreferred: true,
    diagnosticCode: finding.code,
    changes: [{ file: doc, version: versionOf(workspace, doc), edits: [{ range, newText: '' }] }],
  }];
}
