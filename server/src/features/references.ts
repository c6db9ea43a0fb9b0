// Find references: every citation of an entry across the workspace's documents (open or not), from a citation or
// from the entry itself. Documents count only when their bibliographies include the file defining the entry.
import type { Workspace } from '../workspace/workspace';
import { keyAt } from './keyAt';
import { BibliographyResolver, citingDocuments, targetOf } from './keyUsage';
import type { FileLocation } from './locations';

export async function provideReferences(
  workspace: Workspace,
  path: string,
  offset: number,
  includeDeclaration: boolean,
  isCancelled: () => boolean = () => false,
): Promise<FileLocation[]> {
  const start = await keyAt(workspace, path, offset, { anywhereInEntry: true });
  if (!start || start.key === '*') return [];
  const resolver = new BibliographyResolver(workspace);
  const target = await targetOf(start, resolver);
  const alsoInclude = start.kind === 'entry' ? [] : [start.doc.path];
  const citing = await citingDocuments(workspace, target, resolver, isCancelled, alsoInclude);
  const locations: FileLocation[] = [];
  if (includeDeclaration) {
    for (const entry of target.definitions) locations.push({ file: entry.file, range: entry.keyRange });
    for (const { doc, bibitem } of target.bibitems) locations.push({ file: doc, range: bibitem.range });
  }
  for (const { doc, citations } of citing) {
    for (const citation of citations) locations.push({ file: doc, range: citation.range });
  }
  return locations;
}
