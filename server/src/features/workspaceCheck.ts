// The one assembly of diagnostics over a set of documents and bibliography files: the server's publisher (open
// files), its "Check Workspace" command and the CLI's `check` all call checkFiles.
import * as path from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { resolveBibliographies } from '../workspace/discovery';
import { bibliographyFormatOf, type BibliographyFile } from '../bibliography/bibliographyFile';
import { bibliographyFindings, cachedBibliographyFindings, crossFileDuplicateFindings, documentFindings } from './diagnostics';
import { applyLevels, levelOf, type Finding, type LeveledFinding } from './rules';
import { appendAll } from '../util/appendAll';

export interface CheckRequest {
  documents: string[];
  bibliographies: string[];
  /** Used by every document in addition to what it declares. */
  extraBibliographies: string[];
}

export interface CheckOptions {
  /** Checked between files; a cancelled check returns what it has so far. */
  isCancelled?: () => boolean;
  /**
   * Report entries that no document cites. Only a check of every document that may cite them can tell, so the
   * default is the rule's level; the server's pass over open files says false.
   */
  unusedEntries?: boolean;
  /**
   * Asked for each bibliography whose likely-duplicate search has not run yet; true leaves that rule out of this
   * check (the server runs it on large files between requests, then checks again).
   */
  postponeLikelyDuplicates?: (bibliography: BibliographyFile) => boolean;
}

export interface CheckResult {
  /** At their configured levels (ignored rules left out), each once, sorted by file path and then offset. */
  findings: LeveledFinding[];
  documents: number;
  /** Every bibliography file checked: those named in the request and those the documents use. */
  bibliographies: BibliographyFile[];
}

/** The files `check` and "Check Workspace" take from a folder: its documents and BibTeX files. */
export async function checkedFilesOfFolder(workspace: Workspace, folder: string): Promise<{ documents: string[]; bibliographies: string[] }> {
  const listing = await workspace.listFolder(folder);
  // A `.json` or `.yaml` file in a folder is rarely a bibliography; one a document declares is checked through it.
  return { documents: listing.documents, bibliographies: listing.bibliographies.filter((f) => bibliographyFormatOf(f) === 'bibtex') };
}

/**
 * Findings in file order, then by start (stable), each reported once: the same file, range, code and key is a repeat
 * (several documents using one bibliography each report its problems).
 */
function sortedWithoutRepeats<T extends Finding>(findings: T[]): T[] {
  const sorted = findings.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.range.start - b.range.start));
  const unique: T[] = [];
  // Repeats can only stand next to each other, at one file and start. Most places hold one finding: no key string.
  for (let from = 0; from < sorted.length;) {
    let to = from + 1;
    while (to < sorted.length && sorted[to].file.path === sorted[from].file.path && sorted[to].range.start === sorted[from].range.start) to++;
    if (to - from === 1) {
      unique.push(sorted[from]);
    } else {
      const seen = new Set<string>();
      for (let i = from; i < to; i++) {
        const finding = sorted[i];
        const id = `${finding.range.end}\u0000${finding.code}\u0000${finding.key ?? ''}`;
        if (seen.has(id)) continue;
        seen.add(id);
        unique.push(finding);
      }
    }
    from = to;
  }
  return unique;
}

export async function checkFiles(workspace: Workspace, request: CheckRequest, options: CheckOptions = {}): Promise<CheckResult> {
  const isCancelled = options.isCancelled ?? (() => false);
  const findings: Finding[] = [];
  const bibliographies = new Map<string, BibliographyFile>();
  /** For `unused-entry`: the keys cited by the documents that use each bibliography (`*` when one cites all). */
  const citedFrom = new Map<BibliographyFile, Set<string>>();
  let documents = 0;
  for (const file of request.documents) {
    if (isCancelled()) break;
    const doc = await workspace.getDocument(file);
    if (!doc) continue;
    documents++;
    const resolved = await resolveBibliographies(workspace, doc, { extra: request.extraBibliographies });
    appendAll(findings, documentFindings(doc, resolved));
    appendAll(findings, crossFileDuplicateFindings(resolved, path.basename(doc.path)));
    for (const bib of resolved.files) if (bib.format !== 'inline') bibliographies.set(bib.path, bib);
    if (resolved.source !== 'workspace') {
      for (const bib of resolved.files) {
        const cited = citedFrom.get(bib) ?? new Set<string>();
        for (const citation of doc.syntax().citations) cited.add(resolved.caseInsensitive ? citation.key.toLowerCase() : citation.key);
        citedFrom.set(bib, cited);
      }
    }
    for (const bib of resolved.files) if (bib.format === 'inline') appendAll(findings, bibliographyFindings(bib, { likelyDuplicates: false }));
  }
  for (const file of [...request.bibliographies, ...request.extraBibliographies]) {
    if (!bibliographies.has(file)) bibliographies.set(file, await workspace.getBibliography(file));
  }
  const likelyDuplicates = levelOf('likely-duplicate', workspace.settings) !== 'ignore';
  for (const bib of bibliographies.values()) {
    if (isCancelled()) break;
    const cached = cachedBibliographyFindings(bib, { likelyDuplicates });
    const postpone = !cached && likelyDuplicates && (options.postponeLikelyDuplicates?.(bib) ?? false);
    appendAll(findings, cached ?? bibliographyFindings(bib, { likelyDuplicates: likelyDuplicates && !postpone }));
  }
  if (options.unusedEntries ?? levelOf('unused-entry', workspace.settings) !== 'ignore') appendAll(findings, unusedEntryFindings(citedFrom));
  return { findings: sortedWithoutRepeats(applyLevels(findings, workspace.settings)), documents, bibliographies: [...bibliographies.values()] };
}

/** Entries of a bibliography that none of the documents declaring it cites (skipped when one has `\nocite{*}`). */
function unusedEntryFindings(citedFrom: Map<BibliographyFile, Set<string>>): Finding[] {
  const findings: Finding[] = [];
  for (const [bib, cited] of citedFrom) {
    if (cited.has('*')) continue;
    for (const entry of bib.entries) {
      if (cited.has(entry.key) || cited.has(entry.key.toLowerCase())) continue;
      findings.push({
        file: bib,
        range: entry.keyRange,
        code: 'unused-entry',
        key: entry.key,
        message: `\`${entry.key}\` is not cited by any document that uses ${path.basename(bib.path)}.`,
      });
    }
  }
  return findings;
}
