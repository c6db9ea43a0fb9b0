// Jupyter notebooks (.ipynb) read from their JSON text: citations in markdown cells (Pandoc syntax), bibliographies
// from the first raw cell's front matter (Quarto) and the project files above the notebook, as for Markdown.
import { markdownKeyAt } from '../../syntax/citations/keyAtCursor';
import { parseMarkdownDocument } from '../../syntax/citations/markdown';
import { parseNotebookDocument } from '../../syntax/citations/notebook';
import { jsonStringContent, notebookKeyAt } from '../../syntax/citations/notebookKeyAt';
import { DOCUMENT_LANGUAGES } from '../../syntax/documentLanguages';
import type { Dialect } from './dialect';
import { markdownDialect } from './markdown';

/** Text the Markdown dialect writes, as it must stand inside a JSON string; undefined when that is the key itself. */
function inJson(written: string | undefined, key: string): string | undefined {
  const escaped = jsonStringContent(written ?? key);
  return escaped === key ? undefined : escaped;
}

export const notebookDialect: Dialect = {
  ...markdownDialect,
  name: 'notebook',
  ...DOCUMENT_LANGUAGES.notebook,
  parse: (text, settings) => parseNotebookDocument(text, (cell) => parseMarkdownDocument(cell, { crossrefPrefixes: settings.crossrefPrefixes })),
  keyAt: (text, offset, settings) => notebookKeyAt(text, offset, (cell, at) => markdownKeyAt(cell, at, settings.crossrefPrefixes)),
  insertText: (key, typing) => inJson(markdownDialect.insertText(key, typing), key),
  keyText: (text, range, key) => jsonStringContent(markdownDialect.keyText(text, range, key)),
  // The notebook's metadata concerns only the notebook (its open cells read it from the file).
  editAffectsOthers: false,
};
