// citekeys' side of the agreement tests for the new dialects, through the product itself: a workspace on the real
// disk (as the CLI builds it), each document read in its dialect, undefined keys from the diagnostics assembly.
import { dirname, resolve } from 'node:path';
import { DEFAULT_SETTINGS } from '../../server/src/config/settings';
import { checkFiles } from '../../server/src/features/workspaceCheck';
import { resolveBibliographies } from '../../server/src/workspace/discovery';
import type { DocumentFile } from '../../server/src/workspace/documents';
import { NodeFileSystem } from '../../server/src/workspace/fileSystem';
import { Workspace } from '../../server/src/workspace/workspace';

export interface DialectFindings {
  /** Keys cited (a multiset), cross-references left out. */
  citations: string[];
  /** Keys cited that the document's bibliographies lack (a set, in first-citation order). */
  undefined: string[];
  /** The dialect the document was read in. */
  dialect: string;
}

function workspaceOn(folder: string): Workspace {
  return new Workspace(new NodeFileSystem(), { ...DEFAULT_SETTINGS, allowOutsideWorkspace: true }, [folder], { HOME: process.env.HOME });
}

/** Files a document is made of: itself and what it includes (Typst's `#include`), each once. */
async function partsOf(workspace: Workspace, doc: DocumentFile): Promise<DocumentFile[]> {
  const parts = [doc];
  const seen = new Set([doc.path]);
  for (let n = 0; n < parts.length; n++) {
    for (const include of parts[n].syntax().includes) {
      const path = resolve(dirname(parts[n].path), include.path);
      if (seen.has(path)) continue;
      seen.add(path);
      const part = await workspace.getDocument(path);
      if (part) parts.push(part);
    }
  }
  return parts;
}

/**
 * What citekeys finds in each document (with its included parts, as the real tool compiles them): citations and
 * undefined keys, from the same code the server and the CLI run.
 */
export async function dialectFindings(folder: string, documents: string[]): Promise<Map<string, DialectFindings>> {
  const workspace = workspaceOn(folder);
  const found = new Map<string, DialectFindings>();
  for (const path of documents) {
    const doc = await workspace.getDocument(path);
    if (!doc) throw new Error(`not a document: ${path}`);
    const parts = await partsOf(workspace, doc);
    const check = await checkFiles(workspace, { documents: parts.map((part) => part.path), bibliographies: [], extraBibliographies: [] });
    const citations: string[] = [];
    for (const part of parts) {
      const { labels } = await resolveBibliographies(workspace, part);
      for (const citation of part.syntax().citations) {
        if (citation.kind === 'citation' && !(citation.reference && labels.has(citation.key))) citations.push(citation.key);
      }
    }
    const undefinedKeys = check.findings.filter((finding) => finding.code === 'undefined-citation').map((finding) => finding.key ?? '');
    found.set(path, { citations, undefined: [...new Set(undefinedKeys)], dialect: doc.dialect.name });
  }
  return found;
}
