// Diagnostics as passes over a document or a bibliography, each producing findings tagged with a rule code.
import * as path from 'node:path';
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import type { DocumentBibliographies } from '../workspace/discovery';
import type { DocumentFile } from '../workspace/documents';
import { suggestKeys } from './suggestions';
import type { Finding } from './rules';
import { likelyDuplicateFindings, likelyDuplicateFindingsInSlices } from './likelyDuplicates';
import { repeatedCitations } from './duplicateCitations';
import { appendAll } from '../util/appendAll';

/** Undefined keys beyond this many per document get no did-you-mean search (it scans every key). */
const MAX_SUGGESTION_SEARCHES = 25;

function describeFile(file: BibliographyFile): string {
  return file.format === 'inline' ? 'the document’s references' : path.basename(file.path);
}

function where(entry: EntryDefinition): string {
  const line = entry.file.lineIndex().positionAt(entry.keyRange.start).line + 1;
  return `${describeFile(entry.file)}:${line}`;
}

/** Findings of a parsed file, computed once per file object (a re-parse is a new object). */
const bibliographyFindingsCache = new WeakMap<BibliographyFile, { likelyDuplicates: boolean; findings: Finding[] }>();

/** Problems in one bibliography file on its own: syntax, unreadable, duplicates inside it, likely duplicates. */
export function bibliographyFindings(file: BibliographyFile, options: { likelyDuplicates: boolean }): Finding[] {
  const cached = bibliographyFindingsCache.get(file);
  if (cached && cached.likelyDuplicates === options.likelyDuplicates) return cached.findings;
  const findings = computeBibliographyFindings(file, options);
  bibliographyFindingsCache.set(file, { likelyDuplicates: options.likelyDuplicates, findings });
  return findings;
}

/** The findings if they were computed already for this file object and these options, else undefined. */
export function cachedBibliographyFindings(file: BibliographyFile, options: { likelyDuplicates: boolean }): Finding[] | undefined {
  const cached = bibliographyFindingsCache.get(file);
  return cached && cached.likelyDuplicates === options.likelyDuplicates ? cached.findings : undefined;
}

/**
 * `bibliographyFindings(file, { likelyDuplicates: true })` for a large file, with the likely-duplicate search in
 * slices that let requests through (see likelyDuplicateFindingsInSlices); cached like it. Undefined when
 * `stillWanted` says no at a pause.
 */
export async function bibliographyFindingsInSlices(
  file: BibliographyFile, pause: () => Promise<void>, stillWanted: () => boolean,
): Promise<Finding[] | undefined> {
  const cached = cachedBibliographyFindings(file, { likelyDuplicates: true });
  if (cached) return cached;
  const likely = await likelyDuplicateFindingsInSlices(file, pause, stillWanted);
  if (!likely) return undefined;
  const findings = computeBibliographyFindings(file, { likelyDuplicates: false });
  appendAll(findings, likely);
  bibliographyFindingsCache.set(file, { likelyDuplicates: true, findings });
  return findings;
}

function computeBibliographyFindings(file: BibliographyFile, options: { likelyDuplicates: boolean }): Finding[] {
  const findings: Finding[] = [];
  for (const problem of file.problems) {
    findings.push({ file, range: problem.range, code: file.unreadable ? 'unreadable-file' : 'bib-syntax', message: problem.message });
  }
  if (file.encodingNote) findings.push({ file, range: { start: 0, end: 0 }, code: 'assumed-encoding', message: file.encodingNote });
  for (const group of file.duplicateKeys()) {
    for (const entry of group) {
      const others = group.filter((other) => other !== entry);
      findings.push({
        file,
        range: entry.keyRange,
        code: 'duplicate-entry',
        key: entry.key,
        message: `Duplicate entry \`${entry.key}\`: also defined at line ${others.map((o) => file.lineIndex().positionAt(o.keyRange.start).line + 1).join(', ')} of this file. Keep one, or give the other a new key.`,
        related: others.map((o) => ({ file, range: o.keyRange, message: `other definition of \`${o.key}\`` })),
      });
    }
  }
  if (options.likelyDuplicates) appendAll(findings, likelyDuplicateFindings([file]));
  return findings;
}

/** Keys defined in two or more of the files one document uses; reported at each definition. */
export function crossFileDuplicateFindings(bibliographies: DocumentBibliographies, documentName: string): Finding[] {
  const findings: Finding[] = [];
  const files = bibliographies.files;
  // Files found by the workspace fallback are a guess, not the document's choice: their overlaps are not its fault.
  if (files.length < 2 || bibliographies.source === 'workspace') return findings;
  const firstFileOf = new Map<string, number>();
  files.forEach((file, index) => {
    for (const entry of file.entries) if (!firstFileOf.has(entry.key)) firstFileOf.set(entry.key, index);
  });
  files.forEach((file, index) => {
    for (const entry of file.entries) {
      const owners = files.filter((other, otherIndex) => otherIndex !== index && other.hasKey(entry.key));
      if (!owners.length) continue;
      const others = owners.flatMap((other) => other.definitions(entry.key));
      const usedFirst = firstFileOf.get(entry.key) === index;
      findings.push({
        file,
        range: entry.keyRange,
        code: 'duplicate-entry',
        key: entry.key,
        message:
          `Duplicate entry \`${entry.key}\`: also defined in ${others.map(where).join(', ')}, and ${documentName} uses both files` +
          (usedFirst ? '; this definition wins.' : '; the other one wins, this one is ignored.'),
        related: others.map((o) => ({ file: o.file, range: o.keyRange, message: `other definition of \`${o.key}\`` })),
      });
    }
  });
  return findings;
}

/** Citation problems in one document: undefined keys, empty and repeated citations, missing bibliography files. */
export function documentFindings(doc: DocumentFile, bibliographies: DocumentBibliographies): Finding[] {
  const findings: Finding[] = [];
  const syntax = doc.syntax();
  const files = bibliographies.files;

  for (const missing of bibliographies.missing) {
    if (missing.outsideWorkspace) {
      findings.push({
        file: missing.declaredIn,
        range: missing.declaration.range,
        code: 'missing-bibliography',
        message: `Bibliography \`${missing.declaration.path}\` is outside the workspace (${missing.outsideWorkspace}), so it is not read. Move it into the workspace, or allow it with the setting citekeys.allowOutsideWorkspace.`,
      });
      continue;
    }
    const tried = missing.candidates.map((c) => path.relative(path.dirname(doc.path), c) || c);
    findings.push({
      file: missing.declaredIn,
      range: missing.declaration.range,
      code: 'missing-bibliography',
      message: `Bibliography \`${missing.declaration.path}\` not found (looked for ${tried.join(', ')}). Check the path; it is relative to ${missing.declaredIn === doc ? 'this document' : path.basename(missing.declaredIn.path)}.`,
    });
  }
  for (const { file, problems } of bibliographies.projectProblems) {
    for (const problem of problems) {
      findings.push({
        file, range: problem.range, code: 'project-syntax',
        message: `${path.basename(file.path)} is not valid YAML (${problem.message.replace(/^YAML: /, '')}); bibliographies it declares may be missed.`,
      });
    }
  }
  for (const range of syntax.emptyCitations) {
    findings.push({ file: doc, range, code: 'empty-citation', message: 'Empty citation: add a key or remove it.' });
  }
  for (const { repeat, first } of repeatedCitations(doc.text, doc.dialect.citationLists, syntax.citations)) {
    findings.push({
      file: doc,
      range: repeat.range,
      code: 'duplicate-citation',
      key: repeat.key,
      message: `Duplicate citation \`${repeat.key}\`: this citation already cites it, so the reference may be printed twice. Remove the repeat.`,
      related: [{ file: doc, range: first.range, message: `first citation of \`${first.key}\` here` }],
    });
  }

  const bibitemKeys = new Set<string>();
  for (const part of bibliographies.bibitemDocuments) {
    for (const item of part.syntax().bibitems) bibitemKeys.add(item.key);
  }
  const lowerKeys = bibliographies.caseInsensitive ? lowerCaseKeys(files, bibitemKeys) : undefined;
  const isDefined = (key: string) =>
    bibitemKeys.has(key) || files.some((f) => f.hasKey(key)) || (lowerKeys?.has(key.toLowerCase()) ?? false);

  let searches = 0;
  const searchedNames = files.map(describeFile).join(', ');
  for (const citation of syntax.citations) {
    if (citation.key === '*' || isDefined(citation.key) || (citation.reference && bibliographies.labels.has(citation.key))) continue;
    // A library that has the key: the entry only needs copying (the quick fix does it).
    const library = bibliographies.libraries.find((file) => file.hasKey(citation.key));
    const suggestions = !library && searches++ < MAX_SUGGESTION_SEARCHES ? suggestKeys(citation.key, files, bibitemKeys, 3) : [];
    const inLibrary = library ? ` Your library ${path.basename(library.path)} has it: the quick fix copies the entry${files.length ? '' : ' into a new references.bib'}.` : '';
    findings.push({
      file: doc,
      range: citation.range,
      code: 'undefined-citation',
      key: citation.key,
      message:
        (files.length
          ? `Undefined citation \`${citation.key}\`: not in ${searchedNames}.`
          : `Undefined citation \`${citation.key}\`: the document has no bibliography; declare one (${doc.dialect.messages.declareBibliography}) or add one to the folder.`) +
        inLibrary +
        (suggestions.length ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : ''),
      suggestions,
    });
  }
  return findings;
}

function* allKeys(files: BibliographyFile[], extra: Set<string>): Iterable<string> {
  yield* extra;
  for (const file of files) for (const entry of file.entries) yield entry.key;
}

function lowerCaseKeys(files: BibliographyFile[], extra: Set<string>): Set<string> {
  const keys = new Set<string>();
  for (const key of allKeys(files, extra)) keys.add(key.toLowerCase());
  return keys;
}
