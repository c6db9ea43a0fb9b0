// Go to definition: from a citation to the entry key in each bibliography file that defines it (or its `\bibitem`),
// else in the user's library files; a Zotero entry has no place to open.
import type { Workspace } from '../workspace/workspace';
import { keyAt } from './keyAt';
import { BibliographyResolver, bibitemsIn, definitionsIn } from './keyUsage';
import type { FileLocation } from './locations';

/** Where the key at `offset` is defined; several places when it is defined more than once. */
export async function provideDefinition(workspace: Workspace, path: string, offset: number): Promise<FileLocation[]> {
  const start = await keyAt(workspace, path, offset);
  if (!start) return [];
  if (start.kind === 'entry') return [{ file: start.entry.file, range: start.entry.keyRange }];
  if (start.kind === 'bibitem') return [{ file: start.doc, range: start.bibitem.range }];
  if (start.key === '*') return [];
  const bibliographies = await new BibliographyResolver(workspace).forDocument(start.doc);
  const bibitems = bibitemsIn(start.doc, bibliographies, start.key).map(({ doc, bibitem }) => ({ file: doc, range: bibitem.range }));
  const entries = definitionsIn(bibliographies, start.key).map((entry) => ({ file: entry.file, range: entry.keyRange }));
  if (bibitems.length || entries.length) return [...bibitems, ...entries];
  // Not in the document's bibliographies: the entry in a library file, which has a place to open (Zotero has none).
  return bibliographies.libraries.flatMap((file) => file.definitions(start.key)).map((entry) => ({ file: entry.file, range: entry.keyRange }));
}
