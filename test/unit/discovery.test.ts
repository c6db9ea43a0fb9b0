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
