// Checks a set of documents and bibliography files together (the CLI's `check`, the server's "Check Workspace").
import * as path from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { resolveBibliographies } from '../workspace/discovery';
import type { BibliographyFile } from '../bibliography/bibliographyFile';
import { bibliographyFindings, crossFileDuplicateFindings, documentFindings } from './diagnostics';
import { levelOf, type Finding } from './rules';
import { appendAll } from '../util/appendAll';

export interface CheckRequest {
  documents: string[];
  bibliographies: string[];
  /** Used by every document in addition to what it declares. */
  extraBibliographies: string[];
}

export interface CheckResult {
  findings: Finding[];
  documents: number;
  bibliographies: number;
}

function findingIdentity(f: Finding): string {
  return `${f.file.path}\u0000${f.range.start}\u0000${f.range.end}\u0000${f.code}\u0000${f.key ?? ''}`;
}

export async function checkFiles(workspace: Workspace, request: CheckRequest, isCancelled: () => boolean = () => false): Promise<CheckResult> {
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
    const inline = resolved.files.find((f) => f.format === 'inline');
    if (inline) appendAll(findings, bibliographyFindings(inline, { likelyDuplicates: false }));
  }
  for (const file of [...request.bibliographies, ...request.extraBibliographies]) {
    if (!bibliographies.has(file)) bibliographies.set(file, await workspace.getBibliography(file));
  }
  const likelyDuplicates = levelOf('likely-duplicate', workspace.settings) !== 'ignore';
  for (const bib of bibliographies.values()) {
    if (isCancelled()) break;
    appendAll(findings, bibliographyFindings(bib, { likelyDuplicates }));
  }
  if (levelOf('unused-entry', workspace.settings) !== 'ignore') appendAll(findings, unusedEntryFindings(citedFrom));
  const unique = new Map<string, Finding>();
  for (const finding of findings) {
    const id = findingIdentity(finding);
    if (!unique.has(id)) unique.set(id, finding);
  }
  const sorted = [...unique.values()].sort(
    (a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.range.start - b.range.start),
  );
  return { findings: sorted, documents, bibliographies: bibliographies.size };
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
