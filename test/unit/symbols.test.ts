// Bibliography outline symbols, workspace symbol search and folding ranges of entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { bibliographySymbols, workspaceSymbols } from '../../server/src/features/symbols';
import { bibliographyFoldingRanges } from '../../server/src/features/folding';
import { fixture } from './helpers/fixture';

const slice = (text: string, range: { start: number; end: number }): string => text.slice(range.start, range.end);

const BIB = `@string{acm = {ACM}}

@article{watson1953,
  author = {Watson, J. and Crick, F.},
  title = {The {DNA} Story},
  year = 1953,
}
@misc{bare, note = {no title}}
`;

test('each BibTeX entry is a symbol named by key and decoded title, selecting its key', () => {
  const file = BibliographyFile.parse('/w/refs.bib', BIB, 'bibtex');
  const symbols = bibliographySymbols(file);
  assert.deepEqual(
    symbols.map((s) => ({ name: s.name, detail: s.detail, range: slice(BIB, s.range).split('\n')[0], key: slice(BIB, s.selectionRange) })),
    [
      { name: 'watson1953 — The DNA Story', detail: 'article', range: '@article{watson1953,', key: 'watson1953' },
      { name: 'bare', detail: 'misc', range: '@misc{bare, note = {no title}}', key: 'bare' },
    ],
  );
  assert.equal(symbols[0].range.start, BIB.indexOf('@article'));
  assert.equal(symbols[0].range.end, BIB.indexOf('\n@misc'));
});

test('CSL-JSON items are symbols too, with their CSL type as detail', () => {
  const text = '[\n  {"id": "doe2001", "type": "book", "title": "Some  Book"}\n]\n';
  const symbols = bibliographySymbols(BibliographyFile.parse('/w/refs.json', text, 'csl-json'));
  assert.equal(symbols.length, 1);
  assert.equal(symbols[0].name, 'doe2001 — Some Book');
  assert.equal(symbols[0].detail, 'book');
  assert.equal(slice(text, symbols[0].selectionRange), 'doe2001');
});

test('only entries spanning several lines fold, over their whole text', () => {
  const file = BibliographyFile.parse('/w/refs.bib', BIB, 'bibtex');
  assert.deepEqual(bibliographyFoldingRanges(file), [{ start: BIB.indexOf('@article'), end: BIB.indexOf('\n@misc') }]);
});

test('workspace symbols search every bibliography in the folders by key and by title words', async () => {
  const f = fixture(`%! refs.bib
${BIB}%! sub/more.json
[{"id": "watkins1990", "type": "book", "title": "Double helix notes"}]
%! package.json
{"name": "not-a-bibliography"}
`);
  const byKey = await workspaceSymbols(f.workspace, 'wat', 10);
  assert.deepEqual(byKey.map((s) => [s.name, s.file.path]).sort(), [
    ['watkins1990 — Double helix notes', f.path('sub/more.json')],
    ['watson1953 — The DNA Story', f.path('refs.bib')],
  ]);
  const byTitle = await workspaceSymbols(f.workspace, 'helix', 10);
  assert.deepEqual(byTitle.map((s) => s.name), ['watkins1990 — Double helix notes']);
  assert.equal(slice(byTitle[0].file.text, byTitle[0].selectionRange), 'watkins1990');
  assert.equal((await workspaceSymbols(f.workspace, 'wat', 1)).length, 1);
});

test('a cancelled workspace symbol search stops with what it has', async () => {
  const f = fixture(`%! refs.bib\n${BIB}`);
  assert.deepEqual(await workspaceSymbols(f.workspace, 'wat', 10, () => true), []);
});

test('workspace symbols come from bibliographies only, not from package.json or other config', async () => {
  const f = fixture(`%! refs.bib\n@book{alpha2020, title={Alpha}}\n%! package.json\n[{"id":"alphapkg","title":"Alpha"}]\n%! data/items.json\n[{"id":"alphacsl","title":"Alpha"}]\n%! .github/ci.yml\n- id: alphaci\n`);
  const found = await workspaceSymbols(f.workspace, 'alpha', 20);
  assert.deepEqual(found.map((s) => s.name.split(' ')[0]).sort(), ['alpha2020', 'alphacsl']);
});
