// Folding ranges in bibliography files: one per entry that spans more than one line.
import type { BibliographyFile } from '../bibliography/bibliographyFile';
import type { TextRange } from '../syntax/types';

/** The range of each multi-line entry, in file order (the LSP layer turns them into line spans). */
export function bibliographyFoldingRanges(file: BibliographyFile): TextRange[] {
  const ranges: TextRange[] = [];
  for (const entry of file.entries) {
    const end = Math.max(entry.range.start, entry.range.end - 1);
    if (file.text.slice(entry.range.start, end).includes('\n')) ranges.push({ start: entry.range.start, end: entry.range.end });
  }
  return ranges;
}
