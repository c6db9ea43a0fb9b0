// A markdown cell of a notebook open in an editor (LSP notebook sync): a Markdown document at a pseudo path beside
// the notebook, whose bibliographies are its own, the notebook's first raw cell's front matter and the project's.
import * as path from 'node:path';
import { BibliographyFile } from '../../bibliography/bibliographyFile';
import { frontMatterCell, type NotebookSyntax } from '../../syntax/citations/notebook';
import type { Dialect } from './dialect';
import { markdownDialect } from './markdown';
import { mystDialect } from './myst';
import { readsAsMyst } from './mystProject';

/** Between the notebook's path and the cell's id (the fragment of its URI) in a cell's pseudo path. */
const CELL_MARK = '#cell:';

/** The pseudo path of a cell: the notebook's path, the mark, the cell's id with `/` and `.` escaped. */
export function notebookCellPath(notebookPath: string, cellId: string): string {
  return notebookPath + CELL_MARK + encodeURIComponent(cellId).replace(/\./g, '%2E');
}

/** The notebook and the cell id of a cell's pseudo path, or undefined for any other path. */
export function parseNotebookCellPath(file: string): { notebookPath: string; cellId: string } | undefined {
  const at = file.lastIndexOf(CELL_MARK);
  if (at < 0 || !file.slice(0, at).toLowerCase().endsWith('.ipynb')) return undefined;
  try {
    return { notebookPath: file.slice(0, at), cellId: decodeURIComponent(file.slice(at + CELL_MARK.length)) };
  } catch {
    return undefined;
  }
}

export const notebookCellDialect: Dialect = {
  ...markdownDialect,
  name: 'notebook-cell',
  // A cell of a notebook in a MyST project is MyST, its bibliographies the project's.
  variantFor: async (workspace, file) => ((await readsAsMyst(workspace, file)) ? mystDialect : undefined),
  // A cell has no front matter of its own: the notebook's first raw cell would have to be edited.
  declareBibliography: () => undefined,
  async declarations(workspace, doc) {
    const declared = await markdownDialect.declarations(workspace, doc);
    const cellOf = parseNotebookCellPath(doc.path);
    if (!cellOf || !(await workspace.exists(cellOf.notebookPath))) return declared;
    // The notebook as saved: Quarto's front matter in its first raw cell counts for every cell.
    const notebook = await workspace.getDocument(cellOf.notebookPath);
    const syntax = notebook?.syntax() as NotebookSyntax | undefined;
    const metadataCell = syntax?.cells ? frontMatterCell(syntax.cells) : undefined;
    if (!notebook || !syntax || !metadataCell) return declared;
    for (const declaration of syntax.bibliographies) {
      if (metadataCell.holds(declaration.range.start)) declared.sites.push({ declaration, declaredIn: notebook, baseDir: path.dirname(notebook.path) });
    }
    const items = syntax.inlineReferences?.items.filter((item) => metadataCell.holds(item.range.start)) ?? [];
    if (!declared.inline && items.length) {
      declared.inline = BibliographyFile.fromInlineReferences(notebook.path, notebook.text, { items, problems: [] }, notebook.version);
    }
    return declared;
  },
};
