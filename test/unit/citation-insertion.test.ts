// What Insert Citation writes at the cursor in each document language (the dialects' `citationInsertion`): one key
// or several, outside a citation or inside one already there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bareCitationInsertion, type CitationInserter } from '../../server/src/syntax/citations/citationInsertion';
import { dialectOf, DIALECTS } from '../../server/src/workspace/dialects/registry';
import { notebookCellPath } from '../../server/src/workspace/dialects/notebookCell';

type Language = keyof typeof DIALECTS | 'bare';

function inserterOf(language: Language): CitationInserter {
  return language === 'bare' ? bareCitationInsertion : DIALECTS[language].citationInsertion;
}

/** Applies Insert Citation of `keys` at the `|` in a one-line `source` and returns the resulting line. */
function insert(language: Language, source: string, ...keys: string[]): string {
  const cursor = source.indexOf('|');
  const before = source.slice(0, cursor);
  const after = source.slice(cursor + 1);
  const { text, deleteBefore } = inserterOf(language)(before, after, keys);
  return before.slice(0, before.length - deleteBefore) + text + after;
}

test('outside a citation, Markdown gets a bracketed citation and LaTeX a \\cite', () => {
  assert.equal(insert('markdown', 'As shown |.', 'porter1990'), 'As shown [@porter1990].');
  assert.equal(insert('latex', 'As shown |.', 'porter1990'), 'As shown \\cite{porter1990}.');
});

test('several keys make one citation: [@a; @b] in Markdown, \\cite{a,b} in LaTeX', () => {
  assert.equal(insert('markdown', 'As shown |.', 'a', 'b'), 'As shown [@a; @b].');
  assert.equal(insert('latex', 'As shown |.', 'a', 'b', 'c'), 'As shown \\cite{a,b,c}.');
});

test('inside a Markdown citation bracket only @key is added, with the right separator', () => {
  assert.equal(insert('markdown', 'See [|].', 'a'), 'See [@a].');
  assert.equal(insert('markdown', 'See [@x|].', 'a'), 'See [@x; @a].');
  assert.equal(insert('markdown', 'See [@x, p. 3 |].', 'a'), 'See [@x, p. 3; @a].');
  assert.equal(insert('markdown', 'See [@x; |].', 'a'), 'See [@x; @a].');
  assert.equal(insert('markdown', 'See [@x;|].', 'a'), 'See [@x; @a].');
  assert.equal(insert('markdown', '[see |]', 'a'), '[see @a]');
});

test('inside a Markdown citation bracket several keys are added as ; @a; @b', () => {
  assert.equal(insert('markdown', 'See [@x|].', 'a', 'b'), 'See [@x; @a; @b].');
  assert.equal(insert('markdown', 'See [|].', 'a', 'b'), 'See [@a; @b].');
  assert.equal(insert('markdown', '[see |]', 'a', 'b'), '[see @a; @b]');
});

test('right after a typed @ only the key is added; several keys replace the @ with a bracketed citation', () => {
  assert.equal(insert('markdown', 'As @| argues', 'porter1990'), 'As @porter1990 argues');
  assert.equal(insert('markdown', 'As [@|]', 'porter1990'), 'As [@porter1990]');
  assert.equal(insert('markdown', 'As [@|]', 'a', 'b'), 'As [@a; @b]');
  assert.equal(insert('markdown', 'As @| argue', 'a', 'b'), 'As [@a; @b] argue');
});

test('keys Pandoc cannot read bare are braced', () => {
  assert.equal(insert('markdown', 'x |', 'Smith:2020.'), 'x [@{Smith:2020.}]');
  assert.equal(insert('markdown', 'x |', 'doi:10.1000/xyz'), 'x [@doi:10.1000/xyz]');
  assert.equal(insert('markdown', 'x @|', 'a key'), 'x @{a key}');
  assert.equal(insert('markdown', 'x |', 'a', 'b c'), 'x [@a; @{b c}]');
});

test('a link is not a citation bracket', () => {
  assert.equal(insert('markdown', '[text |](https://example.org)', 'a'), '[text [@a]](https://example.org)');
});

test('inside a \\cite-family argument only the key is added, comma-separated', () => {
  assert.equal(insert('latex', '\\cite{|}', 'a'), '\\cite{a}');
  assert.equal(insert('latex', '\\citep[see][p.~3]{x|}', 'a'), '\\citep[see][p.~3]{x,a}');
  assert.equal(insert('latex', '\\parencite*{x, |}', 'a'), '\\parencite*{x, a}');
  assert.equal(insert('latex', '\\textcite{x |}', 'a'), '\\textcite{x,a}');
  assert.equal(insert('latex', '\\emph{|}', 'a'), '\\emph{\\cite{a}}');
});

test('inside a cite command the surrounding command keeps the keys, with the commas they need', () => {
  assert.equal(insert('latex', 'As \\textcite{x|} shows', 'a', 'b'), 'As \\textcite{x,a,b} shows');
  assert.equal(insert('latex', '\\autocite[p.~3]{|}', 'a', 'b'), '\\autocite[p.~3]{a,b}');
  assert.equal(insert('latex', '\\Citet{x,|}', 'a', 'b'), '\\Citet{x,a,b}');
  // apacite's `<prefix>`, and the table's commands without `cite` in their name (abntex2cite's \apud).
  assert.equal(insert('latex', '\\cite<e.g.,>{|}', 'a', 'b'), '\\cite<e.g.,>{a,b}');
  assert.equal(insert('latex', '\\apud[p.~2]{x}{|}', 'a'), '\\apud[p.~2]{x}{a}');
  assert.equal(insert('latex', '\\textbf{|}', 'a', 'b'), '\\textbf{\\cite{a,b}}');
});

test('Typst cites @a @b, and keys @ cannot carry as #cite(label("…"))', () => {
  assert.equal(insert('typst', 'See |.', 'a'), 'See @a.');
  assert.equal(insert('typst', 'See |.', 'a', 'b'), 'See @a @b.');
  assert.equal(insert('typst', 'See |.', 'a', 'odd key'), 'See @a #cite(label("odd key")).');
  assert.equal(insert('typst', 'See @|.', 'a', 'b'), 'See @a @b.');
  assert.equal(insert('typst', 'See @|.', 'Smith:2020.', 'b'), 'See #cite(label("Smith:2020.")) @b.');
});

test('MyST writes a {cite:p} role, and inside a role’s backticks only the keys', () => {
  assert.equal(insert('myst', 'See |.', 'a'), 'See {cite:p}`a`.');
  assert.equal(insert('myst', 'See |.', 'a', 'b'), 'See {cite:p}`a, b`.');
  assert.equal(insert('myst', 'See {cite:t}`|`.', 'a', 'b'), 'See {cite:t}`a, b`.');
  assert.equal(insert('myst', 'See {cite:p}`x|`.', 'a', 'b'), 'See {cite:p}`x, a, b`.');
  assert.equal(insert('myst', 'See {cite:p}`x, |`.', 'a'), 'See {cite:p}`x, a`.');
  assert.equal(insert('myst', 'See {cite:p}`x; |`.', 'a'), 'See {cite:p}`x; a`.');
  // In a Pandoc-style citation, and for keys a role cannot hold, as Markdown.
  assert.equal(insert('myst', 'See [@x|].', 'a', 'b'), 'See [@x; @a; @b].');
  assert.equal(insert('myst', 'See |.', 'a', 'b c'), 'See [@a; @{b c}].');
});

test('a notebook read as JSON gets the Markdown citation escaped for its string; a notebook cell gets Markdown', () => {
  assert.equal(insert('notebook', '    "See |.\\n",', 'a', 'b'), '    "See [@a; @b].\\n",');
  assert.equal(insert('notebook', '    "x |",', 'a "quoted" key'), '    "x [@{a \\"quoted\\" key}]",');
  const cell = dialectOf(notebookCellPath('/w/nb.ipynb', 'W1sZmlsZQ%3D%3D'));
  assert.equal(cell?.citationInsertion('See ', '.', ['a', 'b']).text, '[@a; @b]');
});

test('every editor language of a dialect reaches its citation form, and a .bib gets the bare keys', () => {
  const forms = ['markdown', 'quarto', 'rmd', 'latex', 'tex', 'typst'].map((id) => dialectOf('untitled:x', id)?.citationInsertion('', '', ['a']).text);
  assert.deepEqual(forms, ['[@a]', '[@a]', '[@a]', '\\cite{a}', '\\cite{a}', '@a']);
  assert.equal(insert('bare', 'crossref = {|}', 'a'), 'crossref = {a}');
  assert.equal(insert('bare', 'xdata = {|}', 'a', 'b'), 'xdata = {a,b}');
});

test('no keys insert nothing', () => {
  for (const language of ['markdown', 'latex', 'typst', 'myst', 'notebook'] as const) assert.deepEqual(DIALECTS[language].citationInsertion('x ', '', []), { text: '', deleteBefore: 0 });
});
