// Jupyter notebooks read from their JSON text: cells and the offset map through escapes, the first raw cell's front
// matter, completion, hover, rename text and diagnostics whose ranges land in the .ipynb file itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readNotebookCells } from '../../server/src/syntax/citations/notebookCells';
import { cellPositionAt, parseNotebookDocument } from '../../server/src/syntax/citations/notebook';
import { provideCompletion } from '../../server/src/features/completion';
import { provideHover } from '../../server/src/features/hover';
import { checkFiles } from '../../server/src/features/workspaceCheck';
import { notebookDialect } from '../../server/src/workspace/dialects/notebook';
import { dialectOf } from '../../server/src/workspace/dialects/registry';
import { notebookCellPath, parseNotebookCellPath } from '../../server/src/workspace/dialects/notebookCell';
import { pathToUri, uriToPath } from '../../server/src/lsp/convert';
import { fixture } from './helpers/fixture';
import { corpusPath, withoutCorpus } from './helpers/corpus';

type Cell = { cell_type: string; source: string | string[] };

/** A notebook's JSON text as Jupyter writes it (one-space indent, sources as arrays of lines). */
function notebook(cells: Cell[]): string {
  const full = cells.map((cell) => ({ ...cell, metadata: {}, ...(cell.cell_type === 'code' ? { outputs: [], execution_count: null } : {}) }));
  return JSON.stringify({ cells: full, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

const lines = (text: string) => text.split(/(?<=\n)/);

const REFS = `%! refs.bib
@book{doe2020, author={Doe, Jane}, title={Cells and Citations}, year=2020}
@article{o"brien2021, author={O'Brien, Pat}, title={Quotes in Keys}, year=2021}
`;

test('cells are read with their kind, decoded source and 1-based index; code cells are never decoded', () => {
  const json = notebook([
    { cell_type: 'markdown', source: lines('# Title\nSee [@a].\n') },
    { cell_type: 'code', source: ['x = "@b"\n'] },
    { cell_type: 'raw', source: 'plain' },
  ]);
  const { cells, problems } = readNotebookCells(json);
  assert.deepEqual(problems, []);
  assert.deepEqual(cells.map((c) => [c.index, c.kind, c.text]), [[1, 'markdown', '# Title\nSee [@a].\n'], [2, 'code', ''], [3, 'raw', 'plain']]);
  assert.deepEqual(parseNotebookDocument(json).citations.map((c) => c.key), ['a']);
});

test('offsets map back through escapes: \\n, \\", \\\\, \\uXXXX and surrogate pairs, across the strings of an array', () => {
  const json = '{"cells": [{"cell_type": "markdown", "source": ["Caf\\u00e9 \\"q\\" \\\\ \\ud83d\\ude00\\n", "[@doe2020] and @k\\u00fchn."]}]}';
  const syntax = parseNotebookDocument(json);
  assert.equal(syntax.cells[0].text, 'Café "q" \\ 😀\n[@doe2020] and @kühn.');
  assert.deepEqual(syntax.citations.map((c) => [c.key, json.slice(c.range.start, c.range.end)]), [['doe2020', 'doe2020'], ['kühn', 'k\\u00fchn']]);
  const citation = syntax.citations[0].citation!;
  assert.equal(json.slice(citation.start, citation.end), '[@doe2020]');
  // A position in the cell: cell 1, line 2 (0-based 1), after `[@`.
  assert.deepEqual(cellPositionAt(syntax.cells, syntax.citations[0].range.start), { cell: 1, line: 1, character: 2 });
});

test('bad JSON is one problem and keeps the cells read before it', () => {
  const json = '{"cells": [{"cell_type": "markdown", "source": "@a"}, {"cell_type": "markdown", "source": "@b"';
  const syntax = parseNotebookDocument(json);
  assert.deepEqual(syntax.citations.map((c) => c.key), ['a']);
  assert.equal(syntax.problems.length, 1);
  assert.match(syntax.problems[0].message, /not valid JSON/);
  assert.equal(parseNotebookDocument('').problems.length, 1);
  assert.equal(parseNotebookDocument('{"cells": [}').problems.length, 1);
});

test('the first raw cell\'s front matter declares the bibliography; citations in raw and code cells do not count', () => {
  const json = notebook([
    { cell_type: 'raw', source: lines('---\nbibliography: refs.bib\nnocite: |\n  @extra\n---\n@notraw\n') },
    { cell_type: 'markdown', source: ['See @doe2020.'] },
    { cell_type: 'code', source: ['"@notcode"'] },
    { cell_type: 'raw', source: lines('---\nbibliography: second.bib\n---\n') },
  ]);
  const syntax = parseNotebookDocument(json);
  assert.deepEqual(syntax.bibliographies.map((b) => [b.path, json.slice(b.range.start, b.range.end)]), [['refs.bib', 'refs.bib']]);
  assert.deepEqual(syntax.citations.map((c) => [c.key, c.kind]), [['extra', 'nocite'], ['doe2020', 'citation']]);
});

test('completion in a markdown cell of an .ipynb finds the key and replaces it in the JSON text', async () => {
  const f = fixture(`%! nb.ipynb\n${notebook([{ cell_type: 'raw', source: lines('---\nbibliography: refs.bib\n---\n') }, { cell_type: 'markdown', source: ['Intro \\n', 'See [@do|].'] }])}\n${REFS}`);
  const doc = (await f.workspace.getDocument(f.file))!;
  const result = await provideCompletion(f.workspace, doc, f.offset, { limit: 50 }, () => false);
  assert.deepEqual(result?.items.map((i) => i.key), ['doe2020']);
  assert.equal(doc.text.slice(result!.items[0].replaceRange.start, result!.items[0].replaceRange.end), 'do');
  // Outside the cells (a key of the JSON) nothing is offered.
  assert.equal(await provideCompletion(f.workspace, doc, doc.text.indexOf('nbformat'), { limit: 50 }, () => false), undefined);
});

test('a key with a quote is inserted and renamed as JSON string text', async () => {
  const f = fixture(`%! nb.ipynb\n${notebook([{ cell_type: 'markdown', source: ['See [@o|].'] }])}\n${REFS}`);
  const doc = (await f.workspace.getDocument(f.file))!;
  const result = await provideCompletion(f.workspace, doc, f.offset, { limit: 50 }, () => false);
  const item = result?.items.find((i) => i.key === 'o"brien2021');
  assert.equal(item?.insertText, '{o\\"brien2021}');
  assert.equal(notebookDialect.keyText(doc.text, { start: 0, end: 0 }, 'a\\b'), '{a\\\\b}');
  assert.equal(notebookDialect.keyText(doc.text, { start: 0, end: 0 }, 'plain'), 'plain');
});

test('hover on a cited key in a notebook shows the entry', async () => {
  const f = fixture(`%! nb.ipynb\n${notebook([{ cell_type: 'markdown', source: ['See [@doe|2020].'] }])}\n${REFS}`);
  const result = await provideHover(f.workspace, f.file, f.offset, () => false);
  assert.match(result?.markdown ?? '', /Cells and citations/);
});

test('an undefined key in a notebook is reported at its place in the .ipynb file', async () => {
  const f = fixture(`%! nb.ipynb\n${notebook([{ cell_type: 'raw', source: lines('---\nbibliography: refs.bib\n---\n') }, { cell_type: 'markdown', source: ['[@doe2020; @nope]'] }])}\n${REFS}`);
  const result = await checkFiles(f.workspace, { documents: [f.path('nb.ipynb')], bibliographies: [], extraBibliographies: [] });
  const undefinedKeys = result.findings.filter((d) => d.code === 'undefined-citation');
  assert.deepEqual(undefinedKeys.map((d) => d.file.text.slice(d.range.start, d.range.end)), ['nope']);
  assert.equal(undefinedKeys[0].file.path, f.path('nb.ipynb'));
});

test('a cell\'s pseudo path sits beside its notebook, round-trips its id, and reads as Markdown with the notebook\'s front matter', async () => {
  const cell = notebookCellPath('/w/nb.ipynb', 'W0sZ/m.lZQ==');
  assert.deepEqual(parseNotebookCellPath(cell), { notebookPath: '/w/nb.ipynb', cellId: 'W0sZ/m.lZQ==' });
  assert.equal(parseNotebookCellPath('/w/paper.md'), undefined);
  assert.equal(dialectOf(cell, 'markdown')?.name, 'notebook-cell');
  const f = fixture(`%! nb.ipynb\n${notebook([{ cell_type: 'raw', source: lines('---\nbibliography: refs.bib\n---\n') }])}\n%! other.bib\n@misc{decoy, title={D}}\n${REFS}`);
  f.workspace.openText(cell, 'See [@doe2020; @decoy].', 1, 'markdown');
  const result = await checkFiles(f.workspace, { documents: [cell], bibliographies: [], extraBibliographies: [] });
  assert.deepEqual(result.findings.filter((d) => d.code === 'undefined-citation').map((d) => d.key), ['decoy']);
});

test('a cell URI with an authority (code-server, VS Code Remote) maps to the notebook\'s path and back to the same URI', () => {
  const remote = 'vscode-notebook-cell://127.0.0.1:37183/w/my%20notes/nb.ipynb#W3sdnNjb2RlLXJlbW90ZQ%3D%3D';
  const cell = uriToPath(remote);
  assert.equal(parseNotebookCellPath(cell)?.notebookPath, '/w/my notes/nb.ipynb');
  assert.equal(dialectOf(cell, 'markdown')?.name, 'notebook-cell');
  assert.equal(pathToUri(cell), remote);
  const local = 'vscode-notebook-cell:///w/nb.ipynb#W1sZmlsZQ%3D%3D';
  assert.equal(parseNotebookCellPath(uriToPath(local))?.notebookPath, '/w/nb.ipynb');
  assert.equal(pathToUri(uriToPath(local)), local);
});

test('a large notebook (2,000 cells, long escaped lines) is read in linear time', () => {
  const cells: Cell[] = [];
  for (let i = 0; i < 2000; i++) {
    cells.push({ cell_type: i % 2 ? 'code' : 'markdown', source: [`Para ${i} "quoted" \\ [@key${i}; @other${i}] ${'é\t'.repeat(200)}\n`, `${'x'.repeat(2000)}\n`] });
  }
  const json = notebook(cells).replace(/é/g, '\\u00e9');
  const started = performance.now();
  const syntax = parseNotebookDocument(json);
  const elapsed = performance.now() - started;
  assert.equal(syntax.citations.length, 2000);
  assert.ok(elapsed < 2000, `took ${elapsed.toFixed(0)} ms for ${(json.length / 1e6).toFixed(1)} MB`);
  // Deep nesting in outputs costs no stack.
  const deep = `{"cells": [{"cell_type": "code", "source": "", "outputs": ${'['.repeat(200_000)}${']'.repeat(200_000)}}]}`;
  assert.deepEqual(parseNotebookDocument(deep).problems, []);
});

for (const notebookFile of ['jupyter-book--workshop-template/content/example.ipynb', 'rtd--example-jupyter-book/docs/notebooks.ipynb']) {
  test(`the corpus notebook ${notebookFile} is read without problems, every markdown cell decoded as JSON.parse does`, { skip: withoutCorpus('myst', notebookFile) }, () => {
    const json = readFileSync(corpusPath('myst', notebookFile), 'utf8');
    const syntax = parseNotebookDocument(json);
    assert.deepEqual(syntax.problems, []);
    const expected = (JSON.parse(json) as { cells: Cell[] }).cells;
    assert.equal(syntax.cells.length, expected.length);
    for (const [i, cell] of syntax.cells.entries()) {
      if (cell.kind === 'code') continue;
      const source = expected[i].source;
      assert.equal(cell.text, Array.isArray(source) ? source.join('') : source);
      // Every code unit maps to a place that JSON-decodes to it.
      for (let d = 0; d < cell.text.length; d += 97) {
        assert.equal(JSON.parse(`"${json.slice(cell.rawStart(d), cell.rawEnd(d + 1))}"`), cell.text[d]);
      }
    }
  });
}
