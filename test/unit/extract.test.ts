// The bibliography of cited entries (`citekeys extract`, "Create Bibliography of Cited Entries"): order, one entry per
// key, entries as written with their @string macros, libraries, CSL conversion, nocite{*}, crossref/xdata parents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT } from './helpers/fixture';
import { checkedFilesOfFolder } from '../../server/src/features/workspaceCheck';
import { extractCitedEntries, projectDocuments } from '../../server/src/features/extract';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';

/** Extracts from the fixture's documents (in folder order, or `documents` in this order) with `libraries` as fallback. */
async function extract(source: string, options: { documents?: string[]; libraries?: string[] } = {}) {
  const f = fixture(source);
  const documents = options.documents?.map(f.path) ?? (await checkedFilesOfFolder(f.workspace, ROOT)).documents;
  const libraries = await Promise.all((options.libraries ?? []).map((name) => f.workspace.getBibliography(f.path(name))));
  const result = await extractCitedEntries(f.workspace, { documents, libraries });
  const problems = result.problems.map((p) => `${path.relative(ROOT, p.file.path)}:${p.kind}:${p.key}:${p.file.text.slice(p.range.start, p.range.end)}`);
  return { ...result, keys: result.entries.map((e) => e.key), problems, messages: result.problems.map((p) => p.message) };
}

const REFS = `%! refs.bib
@string{ripe = {Review of International Political Economy}}
@string{ Jpe = "Journal of " # "Political Economy" }

@article{gereffi2005,
  author  = {Gereffi, Gary and Humphrey, John},
  title   = {The governance of global value chains},
  journal = ripe,
  year    = 2005
}
% a comment between entries is not copied
@Book{porter1990,   author={Porter, Michael E.},title="The {C}ompetitive Advantage",  year={1990}}

@article{sturgeon2002, author = {Sturgeon, Timothy}, journal = jpe # { (Supplement)}, month = jan, year = {2002}}
@misc{unused, title = {Not cited}}
`;

test('entries come once each, in order of first citation, exactly as written, with the @string macros they use first (name and value as written)', async () => {
  const result = await extract(`%! a.md
---
bibliography: refs.bib
---
See @porter1990 and [@sturgeon2002; @gereffi2005], then @porter1990 again.
%! b.md
---
bibliography: refs.bib
---
Later [@gereffi2005; @porter1990].
${REFS}`);
  assert.deepEqual(result.keys, ['porter1990', 'sturgeon2002', 'gereffi2005']);
  assert.deepEqual(result.problems, []);
  const refs = result.sources.find((s) => s.path.endsWith('refs.bib'))!.text;
  const asWritten = (key: string) => {
    const start = refs.search(new RegExp(`@\\w+\\{${key},`));
    let depth = 0;
    for (let i = refs.indexOf('{', start); ; i++) {
      if (refs[i] === '{') depth++;
      else if (refs[i] === '}' && --depth === 0) return refs.slice(start, i + 1);
    }
  };
  assert.equal(
    result.text,
    '@string{Jpe = "Journal of " # "Political Economy"}\n@string{ripe = {Review of International Political Economy}}\n\n' +
      `${asWritten('porter1990')}\n\n${asWritten('sturgeon2002')}\n\n${asWritten('gereffi2005')}\n`,
  );
  assert.doesNotMatch(result.text, /comment|unused/);
  // What comes out reads back as the same entries with the same macros.
  const reread = scanBibtex(result.text);
  assert.deepEqual(reread.problems, []);
  assert.deepEqual(reread.entries.map((e) => e.key), ['porter1990', 'sturgeon2002', 'gereffi2005']);
  assert.deepEqual([...reread.strings.keys()].sort(), ['jpe', 'ripe']);
});

test('a key defined in two sources comes from the first: the document\'s own bibliography, then the libraries in order', async () => {
  const result = await extract(`%! paper.md
---
bibliography: [first.bib, second.bib]
---
[@shared; @onlylib; @both]
%! first.bib
@book{shared, title = {From first.bib}}
%! second.bib
@book{shared, title = {From second.bib}}
@book{both, title = {From second.bib}}
%! lib1.bib
@book{both, title = {From lib1.bib}}
@book{onlylib, title = {From lib1.bib}}
%! lib2.bib
@book{onlylib, title = {From lib2.bib}}
`, { documents: ['paper.md'], libraries: ['lib1.bib', 'lib2.bib'] });
  assert.deepEqual(result.entries.map((e) => `${e.key} ${e.text.match(/From \w+\.bib/)?.[0]} ${e.fromLibrary ? 'library' : 'own'}`), [
    'shared From first.bib own', 'onlylib From lib1.bib library', 'both From second.bib own',
  ]);
});

test('the first definition wins across documents too: a key already taken is not taken again from another document\'s file', async () => {
  const result = await extract(`%! a.md
---
bibliography: a.bib
---
@x
%! b.md
---
bibliography: b.bib
---
@x @y
%! a.bib
@book{x, title = {A}}
%! b.bib
@book{x, title = {B}}
@book{y, title = {B}}
`);
  assert.equal(result.text, '@book{x, title = {A}}\n\n@book{y, title = {B}}\n');
});

test('keys found nowhere are problems at their first citation; a key one document lacks but another\'s bibliography has is not', async () => {
  const result = await extract(`%! a.md
---
bibliography: a.bib
---
[@ghost; @fromb] and @ghost again.
%! b.md
---
bibliography: b.bib
---
@fromb
%! a.bib
@book{other, title = {A}}
%! b.bib
@book{fromb, title = {B}}
%! lib.bib
@book{elsewhere, title = {L}}
`, { documents: ['a.md', 'b.md'], libraries: ['lib.bib'] });
  assert.deepEqual(result.keys, ['fromb']);
  assert.deepEqual(result.problems, ['a.md:not-found:ghost:ghost']);
  assert.equal(result.messages[0], 'no entry for `ghost`: not in a.bib, nor in lib.bib');
});

test('an entry found only in CSL-JSON, CSL-YAML or front-matter references is written as BibTeX under its own key', async () => {
  const result = await extract(`%! paper.md
---
bibliography: [refs.json, refs.yaml]
references:
  - id: inline2020
    type: book
    title: Inline
    issued: 2020
---
[@smith:2020; @jones2019; @inline2020; @bad key]
%! refs.json
[{"id": "smith:2020", "type": "article-journal", "title": "Müller's law", "author": [{"family": "Smith", "given": "Ann"}],
  "container-title": "Nature", "issued": {"date-parts": [[2020, 5]]}}]
%! refs.yaml
references:
- id: jones2019
  type: book
  title: A Book
  issued: 2019-04-01
`);
  assert.deepEqual(result.keys, ['smith:2020', 'jones2019', 'inline2020']);
  assert.ok(result.entries.every((e) => e.converted));
  const reread = scanBibtex(result.text);
  assert.deepEqual(reread.problems, []);
  assert.deepEqual(reread.entries.map((e) => `${e.type} ${e.key}`), ['article smith:2020', 'book jones2019', 'book inline2020']);
  assert.match(result.text, /author = \{Smith, Ann\}/);
  assert.match(result.text, /year = \{2019\}/);
  assert.match(result.text, /title = \{M\{\\" u\}ller's law\}/);
});

test('\\nocite{*} brings every entry of that document\'s bibliographies, in file order, at its place', async () => {
  const result = await extract(`%! paper.tex
\\cite{b}
\\nocite{*}
\\cite{lib}
\\bibliography{refs}
%! refs.bib
@book{a, title = {A}}
@book{b, title = {B}}
@book{c, title = {C}}
%! lib.bib
@book{lib, title = {L}}
@book{notcited, title = {N}}
`, { documents: ['paper.tex'], libraries: ['lib.bib'] });
  assert.deepEqual(result.keys, ['b', 'a', 'c', 'lib']);
  assert.deepEqual(result.entries.map((e) => e.reason), ['cited', 'all', 'all', 'cited']);
});

test('a LaTeX citation finds its entry in any case, as BibTeX does; the output keeps the key as the entry writes it', async () => {
  const result = await extract('%! paper.tex\n\\cite{Porter1990}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n%! refs.bib\n@book{porter1990, title = {P}}\n');
  assert.deepEqual(result.keys, ['porter1990']);
  assert.deepEqual(result.problems, []);
});

test('crossref and xdata parents come along, after every entry that names them, even when cited first', async () => {
  const result = await extract(`%! paper.tex
\\cite{proc, paper1, paper2}
\\bibliography{refs}
%! refs.bib
@inproceedings{paper1, crossref = {proc}, title = {One}}
@inproceedings{paper2, crossref = "Proc", xdata = {pub, series}, title = {Two}}
@proceedings{proc, title = {Proceedings}, crossref = {volume}}
@proceedings{volume, title = {Volume}}
@xdata{pub, publisher = {ACM}}
@xdata{series, series = {LNCS}}
`);
  assert.deepEqual(result.keys, ['paper1', 'paper2', 'proc', 'pub', 'series', 'volume']);
  assert.deepEqual(result.entries.map((e) => e.reason), ['cited', 'cited', 'cited', 'parent', 'parent', 'parent']);
  assert.deepEqual(result.problems, []);
});

test('a parent no bibliography has is a problem at the field that names it', async () => {
  const result = await extract('%! paper.tex\n\\cite{child}\n\\bibliography{refs}\n%! refs.bib\n@inproceedings{child, crossref = {gone}, title = {C}}\n');
  assert.deepEqual(result.keys, ['child']);
  assert.deepEqual(result.problems, ['refs.bib:parent-not-found:gone:{gone}']);
});

test('macros come from every .bib the document reads, and a macro two files define differently is redefined before the entry that needs it', async () => {
  const result = await extract(`%! paper.tex
\\cite{a, b, c}
\\bibliography{abbrev,refs,other}
%! abbrev.bib
@string{j = {Journal A}}
%! refs.bib
@article{a, journal = j}
@article{c, journal = j}
%! other.bib
@string{j = {Journal B}}
@article{b, journal = j}
`);
  assert.equal(result.text, '@string{j = {Journal A}}\n\n@article{a, journal = j}\n\n@string{j = {Journal B}}\n@article{b, journal = j}\n\n@string{j = {Journal A}}\n@article{c, journal = j}\n');
});

test('a \\bibitem key is named as such, a Typst reference to a label is not a citation, and nothing cited gives an empty text', async () => {
  const bibitem = await extract('%! paper.tex\n\\cite{knuth}\n\\begin{thebibliography}{9}\n\\bibitem{knuth} Knuth.\n\\end{thebibliography}\n');
  assert.deepEqual(bibitem.problems, ['paper.tex:bibitem:knuth:knuth']);
  const typst = await extract('%! paper.typ\n= Intro <intro>\nSee @intro and @doe.\n#bibliography("refs.bib")\n%! refs.bib\n@book{doe, title = {D}}\n');
  assert.deepEqual(typst.keys, ['doe']);
  assert.deepEqual(typst.problems, []);
  const none = await extract('%! paper.md\nNo citations here.\n%! refs.bib\n@book{doe, title = {D}}\n');
  assert.equal(none.text, '');
  assert.deepEqual(none.keys, []);
});

test('the editor command\'s documents: the active document\'s workspace folder, the document alone outside it, else every folder', async () => {
  const f = fixture('%! b.md\n@x\n%! a.tex\n\\cite{x}\n%! sub/c.typ\n@x\n');
  const all = await projectDocuments(f.workspace);
  assert.deepEqual(all.map((file) => path.relative(ROOT, file)).sort(), ['a.tex', 'b.md', 'sub/c.typ']);
  assert.deepEqual(await projectDocuments(f.workspace, f.path('sub/c.typ')), all);
  f.workspace.openText('/elsewhere/note.md', '[@x]', 1, 'markdown');
  assert.deepEqual(await projectDocuments(f.workspace, '/elsewhere/note.md'), ['/elsewhere/note.md']);
});

test('a CSL item whose id cannot be a BibTeX key is a problem, not a broken entry', async () => {
  const result = await extract(`%! paper.md
---
bibliography: refs.json
nocite: '@*'
---
Text.
%! refs.json
[{"id": "two words", "type": "book", "title": "T"}, {"id": "fine", "type": "book", "title": "F"}]
`);
  assert.deepEqual(result.keys, ['fine']);
  assert.deepEqual(result.problems.map((p) => p.split(':').slice(0, 3).join(':')), ['paper.md:not-convertible:two words']);
  assert.match(result.messages[0], /`two words` \(refs\.json\) cannot be written as BibTeX: `two words` cannot be a BibTeX key/);
});
