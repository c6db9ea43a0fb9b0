// The key being typed in a notebook's JSON text: found in the markdown cell under the cursor by a Markdown reading
// (a parameter, for the flavor), its range mapped back into the JSON. The last notebook read is kept for the next key.
import type { KeyInProgress } from './keyAtCursor';
import { readNotebookCells, type NotebookCell } from './notebookCells';
import { cellAt } from './notebook';

/** Reads the key at a decoded offset of one cell's text. */
export type CellKeyReader = (text: string, offset: number) => KeyInProgress | undefined;

/** Completion asks at every keystroke: the cells of the last text asked about. */
let last: { json: string; cells: NotebookCell[] } | undefined;

export function notebookKeyAt(json: string, rawOffset: number, keyAtCell: CellKeyReader): KeyInProgress | undefined {
  if (last?.json !== json) last = { json, cells: readNotebookCells(json).cells };
  const cell = cellAt(last.cells, rawOffset);
  if (!cell || cell.kind !== 'markdown') return undefined;
  // The cursor must be inside the string(s), not on the quote or bracket around them.
  if (rawOffset <= cell.sourceRange.start || rawOffset >= cell.sourceRange.end) return undefined;
  const typing = keyAtCell(cell.text, cell.decodedOffset(rawOffset));
  return typing && { ...typing, range: cell.rawRange(typing.range) };
}

/** `text` as it is written inside a JSON string. */
export function jsonStringContent(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
