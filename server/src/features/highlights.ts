// Document highlights: the other places in the same file where the key under the cursor appears.
import type { TextRange } from '../syntax/types';
import type { Workspace } from '../workspace/workspace';
import { inlineBibliography, keyAt } from './keyAt';

/** Ranges of the key at `offset` in the same file: citations, `\bibitem`s, inline `references:` ids, entry keys. */
export async function provideDocumentHighlights(workspace: Workspace, path: string, offset: number): Promise<TextRange[]> {
  const start = await keyAt(workspace, path, offset);
  if (!start || start.key === '*') return [];
  const key = start.key;
  if (start.kind === 'entry' && !start.doc) return start.entry.file.definitions(key).map((entry) => entry.keyRange);
  const doc = start.doc as NonNullable<typeof start.doc>;
  const syntax = doc.syntax();
  const ranges = [
    ...syntax.citations.filter((c) => c.key === key).map((c) => c.range),
    ...syntax.bibitems.filter((item) => item.key === key).map((item) => item.range),
    ...(inlineBibliography(doc)?.definitions(key).map((entry) => entry.keyRange) ?? []),
  ];
  return ranges.sort((a, b) => a.start - b.start);
}
