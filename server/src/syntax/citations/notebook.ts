// Jupyter notebooks (.ipynb): each markdown cell read by a Markdown parser (Pandoc by default, the flavor is a
// parameter), the first raw cell's front matter (Quarto), every range mapped back into the notebook's JSON text.
import type { CitationOccurrence, CslFile, DocumentSyntax, TextRange } from '../types';
import { LineIndex } from '../../util/lineIndex';
import { parseMarkdownDocument } from './markdown';
import { NotebookCell, readNotebookCells } from './notebookCells';

/** Reads one cell's decoded text. */
export type CellParser = (text: string) => DocumentSyntax;

export const pandocCellParser: CellParser = (text) => parseMarkdownDocument(text, { crossrefPrefixes: [] });

/** A notebook's syntax: offsets into its JSON text, and its cells. */
export interface NotebookSyntax extends DocumentSyntax {
  cells: NotebookCell[];
}

/** Quarto reads a notebook's metadata from its first raw cell (`---` YAML `---`). */
export function frontMatterCell(cells: readonly NotebookCell[]): NotebookCell | undefined {
  return cells.find((cell) => cell.kind === 'raw');
}

export function parseNotebookDocument(json: string, parseCell: CellParser = pandocCellParser): NotebookSyntax {
  const read = readNotebookCells(json);
  const syntax: NotebookSyntax = { citations: [], emptyCitations: [], bibliographies: [], bibitems: [], includes: [], problems: read.problems, cells: read.cells };
  const metadataCell = frontMatterCell(read.cells);
  for (const cell of read.cells) {
    if (cell.kind === 'code' || (cell.kind === 'raw' && cell !== metadataCell)) continue;
    const cellSyntax = parseCell(cell.text);
    const map = (range: TextRange) => cell.rawRange(range);
    // A raw cell is not Markdown: only its metadata counts (bibliographies, `nocite:`, `csl:`, `references:`).
    const rawCell = cell.kind === 'raw';
    for (const citation of cellSyntax.citations) {
      if (rawCell && citation.kind !== 'nocite') continue;
      const mapped: CitationOccurrence = { key: citation.key, range: map(citation.range), kind: citation.kind };
      if (citation.citation) mapped.citation = map(citation.citation);
      if (citation.keyList) mapped.keyList = map(citation.keyList);
      syntax.citations.push(mapped);
    }
    if (!rawCell) for (const empty of cellSyntax.emptyCitations) syntax.emptyCitations.push(map(empty));
    for (const declaration of cellSyntax.bibliographies) syntax.bibliographies.push({ ...declaration, range: map(declaration.range) });
    for (const problem of cellSyntax.problems) syntax.problems.push({ range: map(problem.range), message: problem.message });
    if (cellSyntax.cslStyle !== undefined) syntax.cslStyle ??= cellSyntax.cslStyle;
    if (cellSyntax.inlineReferences) syntax.inlineReferences = mergeReferences(syntax.inlineReferences, cellSyntax.inlineReferences, map);
  }
  syntax.citations.sort((a, b) => a.range.start - b.range.start);
  return syntax;
}

function mergeReferences(into: CslFile | undefined, references: CslFile, map: (range: TextRange) => TextRange): CslFile {
  const merged: CslFile = into ?? { items: [], problems: [] };
  for (const item of references.items) merged.items.push({ ...item, keyRange: map(item.keyRange), range: map(item.range) });
  for (const problem of references.problems) merged.problems.push({ range: map(problem.range), message: problem.message });
  return merged;
}

/** The cell whose source holds a JSON offset. */
export function cellAt(cells: readonly NotebookCell[], rawOffset: number): NotebookCell | undefined {
  let low = 0;
  let high = cells.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cells[mid].sourceRange.end < rawOffset) low = mid + 1;
    else high = mid;
  }
  const cell = cells[low];
  return cell?.holds(rawOffset) ? cell : undefined;
}

/** Where a JSON offset is for a reader of the notebook: the cell, and the 0-based line and character in its text. */
export interface CellPosition {
  cell: number;
  line: number;
  character: number;
}

const cellLines = new WeakMap<NotebookCell, LineIndex>();

export function cellPositionAt(cells: readonly NotebookCell[], rawOffset: number): CellPosition | undefined {
  const cell = cellAt(cells, rawOffset);
  if (!cell) return undefined;
  let lines = cellLines.get(cell);
  if (!lines) {
    lines = new LineIndex(cell.text);
    cellLines.set(cell, lines);
  }
  const position = lines.positionAt(cell.decodedOffset(rawOffset));
  return { cell: cell.index, line: position.line, character: position.character };
}
