// Multi-file Typst documents: the main files that reach a chapter through `#include`, and what the files of each
// main file declare (bibliographies, labels). Worked out once per workspace generation for all chapters.
import * as path from 'node:path';
import type { TypstDocumentSyntax } from '../../syntax/citations/typst';
import { dialectNameOf } from '../../syntax/documentLanguages';
import type { DocumentFile } from '../documents';
import type { Workspace } from '../workspace';
import type { DeclarationSite } from './dialect';

/** Bounds the files one main file reaches, so a generated web of includes cannot hold the server up. */
const MAX_INCLUDED_FILES = 2000;

/** A Typst document's labels (its syntax comes from the Typst parser, which lists them). */
function labelsOf(doc: DocumentFile): string[] {
  return (doc.syntax() as Partial<TypstDocumentSyntax>).labels ?? [];
}

/** Where an include points: relative to the including file, or to the project root for `/x.typ`. */
function includeTarget(workspace: Workspace, from: string, written: string): string {
  if (written.startsWith('/')) return path.join(workspace.folderOf(from) ?? path.dirname(from), written);
  return path.resolve(path.dirname(from), written);
}

interface IncludeGraph {
  /** Each Typst file of the folder with the files it includes (that exist as documents). */
  includes: Map<string, string[]>;
  /** The other way round: each included file with the files that include it. */
  includers: Map<string, string[]>;
  documents: Map<string, DocumentFile>;
}

/** Every Typst file of the document's workspace folder and what it includes. */
function includeGraph(workspace: Workspace, doc: DocumentFile): Promise<IncludeGraph> {
  const folder = workspace.folderOf(doc.path) ?? path.dirname(doc.path);
  return workspace.derived(`typst-includes\u0000${folder}`, async () => {
    const listing = await workspace.listFolder(folder);
    const paths = listing.documents.filter((file) => dialectNameOf(file) === 'typst');
    if (!paths.includes(doc.path)) paths.push(doc.path);
    const documents = new Map<string, DocumentFile>();
    (await workspace.getDocuments(paths)).forEach((file) => file && documents.set(file.path, file));
    const includes = new Map<string, string[]>();
    for (const file of documents.values()) {
      includes.set(file.path, file.syntax().includes.map((include) => includeTarget(workspace, file.path, include.path)).filter((target) => documents.has(target)));
    }
    const includers = new Map<string, string[]>();
    for (const [from, targets] of includes) {
      for (const target of targets) {
        const list = includers.get(target);
        if (list) list.push(from);
        else includers.set(target, [from]);
      }
    }
    return { includes, includers, documents };
  });
}

/** The files a main file reaches, itself first. */
function closure(graph: IncludeGraph, root: string): string[] {
  const seen = new Set([root]);
  const queue = [root];
  for (let i = 0; i < queue.length && seen.size < MAX_INCLUDED_FILES; i++) {
    for (const next of graph.includes.get(queue[i]) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return queue;
}

export interface TypstDeclarations {
  sites: DeclarationSite[];
  /** Labels of every file of the document's main files: `@x` for one of them is a cross-reference. */
  labels: Set<string>;
  /** The main file, when it is not the document itself. */
  root?: DocumentFile;
}

/**
 * What the main files that include `doc` declare (or the document itself when nothing includes it): every
 * `bibliography(…)` in their files, each path read from the file that names it, and every label.
 */
export async function typstDeclarations(workspace: Workspace, doc: DocumentFile): Promise<TypstDeclarations> {
  const graph = await includeGraph(workspace, doc);
  const includers = graph.includers;
  // Walk up to the files nothing includes: those are main files.
  const roots: string[] = [];
  const seen = new Set([doc.path]);
  const queue = [doc.path];
  for (let i = 0; i < queue.length; i++) {
    const above = includers.get(queue[i]) ?? [];
    if (above.length === 0 && queue[i] !== doc.path) roots.push(queue[i]);
    for (const file of above) {
      if (seen.has(file)) continue;
      seen.add(file);
      queue.push(file);
    }
  }
  const mains = roots.length ? roots : [doc.path];
  const result: TypstDeclarations = { sites: [], labels: new Set() };
  const visited = new Set<string>();
  for (const main of mains) {
    for (const file of closure(graph, main)) {
      if (visited.has(file)) continue;
      visited.add(file);
      const part = file === doc.path ? doc : graph.documents.get(file);
      if (!part) continue;
      for (const label of labelsOf(part)) result.labels.add(label);
      for (const declaration of part.syntax().bibliographies) result.sites.push({ declaration, declaredIn: part, baseDir: path.dirname(part.path) });
    }
  }
  if (mains[0] !== doc.path) result.root = graph.documents.get(mains[0]);
  return result;
}
