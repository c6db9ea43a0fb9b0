// Jupyter notebooks (.ipynb) read from their JSON text: citations in markdown cells, in Pandoc's syntax or, in a MyST
// project, MyST's; bibliographies as for their cells' dialect (the first raw cell's front matter is Quarto's).
import { inJsonString } from '../../syntax/citations/citationInsertion';
import { parseNotebookDocument } from '../../syntax/citations/notebook';
import { jsonStringContent, notebookKeyAt } from '../../syntax/citations/notebookKeyAt';
import { DOCUMENT_LANGUAGES } from '../../syntax/documentLanguages';
import type { Dialect } from './dialect';
import { markdownDialect } from './markdown';
import { mystDialect } from './myst';
import { readsAsMyst } from './mystProject';
import type { TextRange } from '../../syntax/types';

/** Text a cell's dialect writes, as it must stand inside a JSON string; undefined when that is the key itself. */
function inJson(written: { text: string; range?: TextRange } | undefined, key: string): { text: string; range?: TextRange } | undefined {
  const escaped = jsonStringContent(written?.text ?? key);
  return escaped === key && !written?.range ? undefined : { ...written, text: escaped };
}

/** A notebook whose markdown cells are read in `cells`' syntax (Pandoc Markdown, or MyST in a MyST project). */
function notebookOf(cells: Dialect, name: string): Dialect {
  return {
    ...cells,
    name,
    ...DOCUMENT_LANGUAGES.notebook,
    variantFor: async (workspace, file) => (cells === markdownDialect && (await readsAsMyst(workspace, file)) ? mystNotebookDialect : undefined),
    parse: (text, settings) => parseNotebookDocument(text, (cell) => cells.parse(cell, settings)),
    keyAt: (text, offset, settings) => notebookKeyAt(text, offset, (cell, at) => cells.keyAt(cell, at, settings)),
    insertText: (key, typing, text) => inJson(cells.insertText(key, typing, text), key),
    citationInsertion: inJsonString(cells.citationInsertion),
    keyText: (text, range, key) => jsonStringContent(cells.keyText(text, range, key)),
    // The notebook's metadata concerns only the notebook (its open cells read it from the file).
    editAffectsOthers: false,
    // A raw cell would have to be added to the JSON: left to the user.
    declareBibliography: () => undefined,
  };
}

export const notebookDialect: Dialect = notebookOf(markdownDialect, 'notebook');
const mystNotebookDialect: Dialect = notebookOf(mystDialect, 'notebook-myst');
