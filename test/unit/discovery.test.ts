// Bibliography discovery: which files a document uses, from every place a bibliography can be declared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT } from './helpers/fixture';
import { resolveBibliographies } from '../../server/src/workspace/discovery';

async function bibliographiesOf(source: string, documentName: string, env: Record<string, string> = {}) {
  const f = fixture(source);
  Object.assign(f.workspace.environment, env);
  const doc = await f.workspace.getDocument(f.path(documentName));
  assert.ok(doc, `document ${documentName} exists`);
  const resolved = await resolveBibliographies(f.workspace, doc);
  return {
    files: resolved.files.map((b) => path.relative(ROOT, b.path) + (b.format === 'inline' ? '#inline' : '')),
    missing: resolved.missing.map((m) => m.declaration.path),
    source: resolved.source,
    resolved,
  };
}

const BIB = '@book{a, title = {A}}\n';

test('markdown front matter lists bibliographies relative to the document', async () => {
  const r = await bibliographiesOf(
    `%! papers/paper.md\n---\nbibliography:\n  - refs.bib\n  - ../shared/more.json\n---\n[@a]\n%! papers/refs.bib\n${BIB}%! shared/more.json\n[{"id":"b","type":"book"}]\n`,
    'papers/paper.md',
  );
  assert.deepEqual(r.files, ['papers/refs.bib', 'shared/more.json']);
  assert.deepEqual(r.missing, []);
  assert.equal(r.source, 'declared');
});

test('a single bibliography string in front matter works', async () => {
  const r = await bibliographiesOf(`%! paper.md\n---\nbibliography: refs.bib\n---\n@a\n%! refs.bib\n${BIB}`, 'paper.md');
  assert.deepEqual(r.files, ['refs.bib']);
});

test('a declared file that does not exist is reported missing with its declaration', async () => {
  const r = await bibliographiesOf(`%! paper.md\n---\nbibliography: [refs.bib, nowhere.bib]\n---\n@a\n%! refs.bib\n${BIB}`, 'paper.md');
  assert.deepEqual(r.files, ['refs.bib']);
  assert.deepEqual(r.missing, ['nowhere.bib']);
  const missing = r.resolved.missing[0];
  assert.equal(missing.declaredIn.text.slice(missing.declaration.range.start, missing.declaration.range.end), 'nowhere.bib');
});

test('inline references in front matter are a bibliography of their own', async () => {
  const r = await bibliographiesOf(`%! paper.md\n---\nreferences:\n- id: inline2020\n  title: T\n---\n[@inline2020]\n`, 'paper.md');
  assert.deepEqual(r.files, ['paper.md#inline']);
  assert.deepEqual(r.resolved.files[0].entries.map((e) => e.key), ['inline2020']);
});

test('a Quarto project declares bibliographies in _quarto.yml for documents in subfolders', async () => {
  const r = await bibliographiesOf(
    `%! _quarto.yml\nproject:\n  type: book\nbibliography: references.bib\n%! chapters/intro.qmd\n# Intro\n[@a]\n%! references.bib\n${BIB}`,
    'chapters/intro.qmd',
  );
  assert.deepEqual(r.files, ['references.bib']);
});

test('_metadata.yml inside a Quarto project adds bibliographies for its folder', async () => {
  const r = await bibliographiesOf(
    `%! _quarto.yml\nproject:\n  type: website\n%! posts/_metadata.yml\nbibliography: posts.bib\n%! posts/one.qmd\n@a\n%! posts/posts.bib\n${BIB}`,
    'posts/one.qmd',
  );
  assert.deepEqual(r.files, ['posts/posts.bib']);
});

test('LaTeX \\bibliography takes a comma list over several lines, extension optional', async () => {
  const r = await bibliographiesOf(
    `%! main.tex\n\\cite{a}\n\\bibliography{refs,\n  other}\n%! refs.bib\n${BIB}%! other.bib\n@book{b, title={B}}\n`,
    'main.tex',
  );
  assert.deepEqual(r.files, ['refs.bib', 'other.bib']);
});

test('a LaTeX sub-file sees the bibliography of the root that includes it', async () => {
  const r = await bibliographiesOf(
    `%! thesis.tex\n\\addbibresource{lib.bib}\n\\include{chapters/one}\n%! chapters/one.tex\n\\cite{a}\n%! lib.bib\n${BIB}`,
    'chapters/one.tex',
  );
  assert.deepEqual(r.files, ['lib.bib']);
  assert.equal(path.relative(ROOT, r.resolved.root?.path ?? ''), 'thesis.tex');
});

test('the % !TEX root magic comment names the root', async () => {
  const r = await bibliographiesOf(
    `%! sub/part.tex\n% !TEX root = ../book.tex\n\\cite{a}\n%! book.tex\n\\bibliography{refs}\n%! refs.bib\n${BIB}`,
    'sub/part.tex',
  );
  assert.deepEqual(r.files, ['refs.bib']);
});

test('BIBINPUTS is searched for a LaTeX bibliography not found beside the root', async () => {
  const r = await bibliographiesOf(`%! main.tex\n\\bibliography{central}\n%! texmf/bib/central.bib\n${BIB}`, 'main.tex', {
    BIBINPUTS: path.join(ROOT, 'texmf/bib') + '//',
  });
  assert.deepEqual(r.files, ['texmf/bib/central.bib']);
});

test('~ in a declared path is the home folder', async () => {
  const r = await bibliographiesOf(`%! paper.md\n---\nbibliography: ~/zotero.bib\n---\n@a\n`, 'paper.md');
  assert.deepEqual(r.missing, ['~/zotero.bib']);
  assert.equal(r.resolved.missing[0].candidates[0], path.join('/home/user', 'zotero.bib'));
});

test('when nothing is declared, every bibliography in the workspace folder is used', async () => {
  const r = await bibliographiesOf(
    `%! notes/today.md\nSee @a.\n%! refs/lib.bib\n${BIB}%! package.json\n{"name":"x"}\n%! refs/csl.json\n[{"id":"b"}]\n`,
    'notes/today.md',
  );
  assert.deepEqual(r.files, ['refs/csl.json', 'refs/lib.bib']);
  assert.equal(r.source, 'workspace');
});

test('settings globs add bibliographies to every document', async () => {
  const f = fixture(`%! paper.md\n---\nbibliography: a.bib\n---\n@x\n%! a.bib\n${BIB}%! lib/z.bib\n${BIB}%! lib/skip.txt\nno\n`, {
    bibliographies: ['lib/*.bib'],
  });
  const doc = await f.workspace.getDocument(f.path('paper.md'));
  const resolved = await resolveBibliographies(f.workspace, doc!);
  assert.deepEqual(resolved.files.map((b) => path.relative(ROOT, b.path)), ['a.bib', 'lib/z.bib']);
});

test('without declarations, the bibliographies nearest the document win over the rest of the workspace', async () => {
  const r = await bibliographiesOf(
    `%! projectA/paper.md\n@a\n%! projectA/refs/a.bib\n${BIB}%! projectB/b.bib\n${BIB}%! top.bib\n${BIB}`,
    'projectA/paper.md',
  );
  assert.deepEqual(r.files, ['projectA/refs/a.bib']);
  assert.equal(r.source, 'workspace');
});

test('a document with no bibliography near it falls back to enclosing folders', async () => {
  const r = await bibliographiesOf(`%! notes/2024/today.md\n@a\n%! lib.bib\n${BIB}`, 'notes/2024/today.md');
  assert.deepEqual(r.files, ['lib.bib']);
});

test('biblatex globs in \\addbibresource match the files in their folder', async () => {
  const r = await bibliographiesOf(
    `%! main.tex\n\\addbibresource[glob]{parts/refs-[12].bib}\n\\addbibresource[glob]{parts/x*.bib}\n%! parts/refs-1.bib\n${BIB}%! parts/refs-2.bib\n${BIB}%! parts/refs-3.bib\n${BIB}`,
    'main.tex',
  );
  assert.deepEqual(r.files, ['parts/refs-1.bib', 'parts/refs-2.bib']);
  assert.deepEqual(r.missing, ['parts/x*.bib']);
});

test('\\jobname stands for the root document name', async () => {
  const r = await bibliographiesOf(`%! dates.tex\n\\addbibresource{\\jobname.bib}\n%! dates.bib\n${BIB}`, 'dates.tex');
  assert.deepEqual(r.files, ['dates.bib']);
  assert.deepEqual(r.missing, []);
});

test('declarations that cannot be evaluated (R code, macro parameters) are not reported missing', async () => {
  const md = await bibliographiesOf("%! paper.qmd\n---\nbibliography: \"`r 'refs.bib'`\"\n---\n@a\n%! refs.bib\n" + BIB, 'paper.qmd');
  assert.deepEqual(md.missing, []);
  assert.deepEqual(md.files, ['refs.bib'], 'falls back to the folder');
  const tex = await bibliographiesOf(`%! style.tex\n\\newcommand{\\bib}[1]{\\bibliography{#1}}\n\\bib{refs}\n`, 'style.tex');
  assert.deepEqual(tex.missing, []);
});

test('bibliographies that ship with TeX are found as kpathsea finds them', async () => {
  const f = fixture(`%! main.tex\n\\addbibresource{biblatex-examples.bib}\n%! texmf/bibtex/bib/biblatex/biblatex-examples.bib\n${BIB}`);
  f.workspace.environment.texBibFolders = [f.path('texmf/bibtex/bib')];
  const doc = await f.workspace.getDocument(f.path('main.tex'));
  const resolved = await resolveBibliographies(f.workspace, doc!);
  assert.deepEqual(resolved.files.map((b) => path.relative(ROOT, b.path)), ['texmf/bibtex/bib/biblatex/biblatex-examples.bib']);
});

test('a bibliography the LaTeX document writes itself with filecontents is read from the document', async () => {
  const main = '\\documentclass{article}\n\\begin{filecontents}[overwrite]{\\jobname.bib}\n@book{knuth1984, title = {The TeXbook}}\n\\end{filecontents}\n\\usepackage{biblatex}\n\\addbibresource{\\jobname.bib}\n\\begin{document}\\cite{knuth1984}\\end{document}\n';
  const r = await bibliographiesOf(`%! main.tex\n${main}`, 'main.tex');
  assert.deepEqual(r.files, ['main.tex']);
  assert.deepEqual(r.missing, []);
  const [embedded] = r.resolved.files;
  const [definition] = embedded.definitions('knuth1984');
  assert.equal(embedded.text.slice(definition.keyRange.start, definition.keyRange.end), 'knuth1984', 'offsets point into the document');
  assert.equal(embedded.text.slice(definition.range.start, definition.range.start + 5), '@book');
});

test('a file on disk wins over a filecontents block of the same name, as LaTeX does not overwrite it', async () => {
  const r = await bibliographiesOf(
    `%! main.tex\n\\begin{filecontents*}{refs.bib}\n@book{old, title={Old}}\n\\end{filecontents*}\n\\bibliography{refs}\n\\cite{new}\n%! refs.bib\n@book{new, title={New}}\n`,
    'main.tex',
  );
  assert.deepEqual(r.files, ['refs.bib']);
  const chapter = await bibliographiesOf(
    `%! main.tex\n\\begin{filecontents}{refs.bib}\n@book{only, title={Only here}}\n\\end{filecontents}\n\\bibliography{refs}\n\\input{ch1}\n%! ch1.tex\n\\cite{only}\n`,
    'ch1.tex',
  );
  assert.deepEqual(chapter.files, ['main.tex'], 'a chapter uses its root’s embedded bibliography');
  assert.deepEqual(chapter.resolved.files[0].entries.map((e) => e.key), ['only']);
});
