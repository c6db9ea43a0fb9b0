// LaTeX root finding: a chapter file uses the bibliography of the root that pulls it in, wherever the root stands
// (folders up, beside the chapters' folder) and however it pulls it in (\input, \subfile, \import, a magic comment).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT } from './helpers/fixture';
import { resolveBibliographies } from '../../server/src/workspace/discovery';
import { findLatexRoots } from '../../server/src/workspace/dialects/latexRoots';
import type { Settings } from '../../server/src/config/settings';
import { parseLatexDocument } from '../../server/src/syntax/citations/latex';
import { checkFiles } from '../../server/src/features/workspaceCheck';
import { provideHover } from '../../server/src/features/hover';

const BIB = '@book{a, title = {A}}\n';
const MAIN_BIB = '%! main.bib\n@book{Alpher02, title = {Frobnication}}\n';

async function rootOf(source: string, documentName: string, options: { settings?: Partial<Settings>; folders?: string[] } = {}) {
  const f = fixture(source, options.settings);
  if (options.folders) f.workspace.folders = options.folders.map((folder) => f.path(folder));
  const doc = await f.workspace.getDocument(f.path(documentName));
  assert.ok(doc, `document ${documentName} exists`);
  const resolved = await resolveBibliographies(f.workspace, doc);
  const roots = await findLatexRoots(f.workspace, doc);
  const relative = (file: string) => path.relative(ROOT, file);
  return {
    files: resolved.files.map((b) => relative(b.path)),
    missing: resolved.missing.map((m) => m.declaration.path),
    root: resolved.root ? relative(resolved.root.path) : undefined,
    roots: roots.map((r) => relative(r.path)),
  };
}

test('a CVPR section file in sec/ uses the bibliography of main.tex, which inputs it without an extension', async () => {
  const r = await rootOf(
    `%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\input{sec/1_intro}\n\\bibliography{main}\n\\end{document}\n%! sec/1_intro.tex\n\\cite{Alpher02}\n${MAIN_BIB}`,
    'sec/1_intro.tex',
  );
  assert.equal(r.root, 'main.tex');
  assert.deepEqual(r.files, ['main.bib']);
});

test('a root two folders up finds a chapter in parts/one/', async () => {
  const r = await rootOf(`%! book.tex\n\\addbibresource{refs.bib}\n\\include{parts/one/ch1}\n%! parts/one/ch1.tex\n\\cite{a}\n%! refs.bib\n${BIB}`, 'parts/one/ch1.tex');
  assert.equal(r.root, 'book.tex');
  assert.deepEqual(r.files, ['refs.bib']);
});

test('a root in a sibling folder (paper/main.tex inputs ../sections/intro) is found', async () => {
  const r = await rootOf(
    `%! paper/main.tex\n\\documentclass{article}\n\\input{../sections/intro}\n\\bibliography{refs}\n%! paper/refs.bib\n${BIB}%! sections/intro.tex\n\\cite{a}\n`,
    'sections/intro.tex',
  );
  assert.equal(r.root, 'paper/main.tex');
  assert.deepEqual(r.files, ['paper/refs.bib']);
});

test('a root in a subfolder of the chapter’s folder (tex/main.tex inputs ../intro) is found', async () => {
  const r = await rootOf(`%! tex/main.tex\n\\documentclass{article}\n\\input{../intro}\n\\bibliography{refs}\n%! tex/refs.bib\n${BIB}%! intro.tex\n\\cite{a}\n`, 'intro.tex');
  assert.equal(r.root, 'tex/main.tex');
  assert.deepEqual(r.files, ['tex/refs.bib']);
});

test('a file input from a chapter is found from the root’s folder, as LaTeX resolves it', async () => {
  const r = await rootOf(
    `%! main.tex\n\\bibliography{refs}\n\\input{chapters/ch1}\n%! chapters/ch1.tex\n\\input{chapters/ch1-table}\n%! chapters/ch1-table.tex\n\\cite{a}\n%! refs.bib\n${BIB}`,
    'chapters/ch1-table.tex',
  );
  assert.equal(r.root, 'main.tex', 'the root, not the chapter that inputs the table');
  assert.deepEqual(r.files, ['refs.bib']);
});

test('a file that inputs the chapter on the way to the root is a step, not the root', async () => {
  const r = await rootOf(
    `%! a-part.tex\n\\input{chapters/ch1}\n%! main.tex\n\\documentclass{book}\n\\bibliography{refs}\n\\input{a-part}\n` +
      `%! chapters/ch1.tex\n\\cite{a}\n%! refs.bib\n${BIB}`,
    'chapters/ch1.tex',
  );
  assert.deepEqual(r.roots, ['main.tex']);
  assert.deepEqual(r.files, ['refs.bib']);
});

test('\\subfile paths are relative to the including subfile’s folder, as the subfiles package reads them', async () => {
  const r = await rootOf(
    `%! main.tex\n\\documentclass{book}\n\\usepackage{subfiles}\n\\addbibresource{refs.bib}\n\\subfile{chapters/ch1}\n` +
      `%! chapters/ch1.tex\n\\documentclass[../main.tex]{subfiles}\n\\begin{document}\n\\subfile{sections/s1}\n\\end{document}\n` +
      `%! chapters/sections/s1.tex\n\\cite{a}\n%! refs.bib\n${BIB}`,
    'chapters/sections/s1.tex',
  );
  assert.equal(r.root, 'main.tex');
  assert.deepEqual(r.files, ['refs.bib']);
});

test('a subfiles chapter names its root in \\documentclass[../main]{subfiles}, extension optional', async () => {
  // The main file does not include the chapter and stands where no search would look: only the option finds it.
  const r = await rootOf(
    `%! book/main/main.tex\n\\documentclass{book}\n\\bibliography{refs}\n%! book/main/refs.bib\n${BIB}` +
      `%! chapters/ch1.tex\n\\documentclass[../book/main/main]{subfiles}\n\\begin{document}\\cite{a}\\end{document}\n`,
    'chapters/ch1.tex',
  );
  assert.equal(r.root, 'book/main/main.tex');
  assert.deepEqual(r.files, ['book/main/refs.bib']);
});

test('\\import{dir/}{file}: the imported file’s own \\input is found in its folder, and \\subimport from it', async () => {
  const source =
    `%! main.tex\n\\usepackage{import}\n\\bibliography{refs}\n\\import{parts/}{one}\n` +
    `%! parts/one.tex\n\\input{two}\n\\subimport{deep/}{three}\n%! parts/two.tex\n\\cite{a}\n` +
    `%! parts/deep/three.tex\n\\input{four}\n%! parts/deep/four.tex\n\\cite{a}\n%! refs.bib\n${BIB}`;
  for (const name of ['parts/one.tex', 'parts/two.tex', 'parts/deep/three.tex', 'parts/deep/four.tex']) {
    const r = await rootOf(source, name);
    assert.equal(r.root, 'main.tex', name);
    assert.deepEqual(r.files, ['refs.bib'], name);
  }
});

test('% !TEX root names a root two folders up', async () => {
  const r = await rootOf(`%! a/b/part.tex\n% !TEX root = ../../main.tex\n\\cite{a}\n%! main.tex\n\\bibliography{refs}\n%! refs.bib\n${BIB}`, 'a/b/part.tex');
  assert.equal(r.root, 'main.tex');
  assert.deepEqual(r.files, ['refs.bib']);
});

test('a file two roots include uses both roots’ bibliographies, the nearest root first', async () => {
  const r = await rootOf(
    `%! paper.tex\n\\documentclass{article}\n\\bibliography{paper}\n\\input{sec/intro}\n%! talk.tex\n\\documentclass{beamer}\n\\bibliography{talk}\n\\input{sec/intro}\n` +
      `%! sec/intro.tex\n\\cite{a}\n%! paper.bib\n${BIB}%! talk.bib\n@book{b, title={B}}\n`,
    'sec/intro.tex',
  );
  assert.deepEqual(r.roots, ['paper.tex', 'talk.tex'], 'name order at the same distance');
  assert.equal(r.root, 'paper.tex');
  assert.deepEqual(r.files, ['paper.bib', 'talk.bib']);
});

test('a missing bibliography both roots declare in a shared preamble is reported once', async () => {
  const r = await rootOf(
    `%! paper.tex\n\\input{preamble}\n\\input{sec/intro}\n%! talk.tex\n\\input{preamble}\n\\input{sec/intro}\n%! preamble.tex\n\\bibliography{gone}\n%! sec/intro.tex\n\\cite{a}\n`,
    'sec/intro.tex',
  );
  assert.deepEqual(r.missing, ['gone']);
});

test('a file with a \\documentclass of its own is its own root', async () => {
  const r = await rootOf(
    `%! all.tex\n\\input{paper}\n%! paper.tex\n\\documentclass{article}\n\\bibliography{refs}\n\\cite{a}\n%! refs.bib\n${BIB}`,
    'paper.tex',
  );
  assert.deepEqual(r.roots, ['paper.tex']);
});

test('the search stops at the workspace folder unless reading outside it is allowed, as the CLI does', async () => {
  const source = `%! main.tex\n\\bibliography{main}\n\\input{sec/1_intro}\n%! sec/1_intro.tex\n\\cite{Alpher02}\n${MAIN_BIB}`;
  const editor = await rootOf(source, 'sec/1_intro.tex', { folders: ['sec'] });
  assert.deepEqual(editor.roots, ['sec/1_intro.tex'], 'main.tex lies outside the workspace folder');
  const cli = await rootOf(source, 'sec/1_intro.tex', { folders: ['sec'], settings: { allowOutsideWorkspace: true } });
  assert.equal(cli.root, 'main.tex');
  assert.deepEqual(cli.files, ['main.bib']);
  const outside = await rootOf(`%! a/b/c/d/main.tex\n\\input{../../../../x/ch}\n%! x/ch.tex\n\\cite{a}\n`, 'x/ch.tex', { folders: ['x'], settings: { allowOutsideWorkspace: true } });
  assert.deepEqual(outside.roots, ['x/ch.tex'], 'outside the workspace only the folders up to three above');
});

test('the parser says how each include is found, and reads the subfiles main file from \\documentclass', () => {
  const text = String.raw`\documentclass[../main.tex]{subfiles} \input{a/b} \subfile{ch/one} \import{parts}{two} \subimport*{deep/}{three}`;
  const syntax = parseLatexDocument(text, { extraCiteCommands: [] });
  assert.deepEqual(syntax.includes.map((i) => [i.path, i.via, i.folder]), [
    ['a/b', 'input', undefined], ['ch/one', 'subimport', 'ch/'], ['parts/two', 'import', 'parts/'], ['deep/three', 'subimport', 'deep/'],
  ]);
  assert.equal(syntax.documentClass, 'subfiles');
  assert.equal(syntax.subfilesRoot, '../main.tex');
  const article = parseLatexDocument('% \\documentclass{book}\n\\documentclass[a4paper]{article}\n\\documentclass{book}', { extraCiteCommands: [] });
  assert.equal(article.documentClass, 'article', 'the first class outside comments');
  assert.equal(article.subfilesRoot, undefined);
});

test('\\input without braces, a quoted name and \\InputIfFileExists are includes too', () => {
  const text = '\\input chapters/one.tex\n\\input{"two words"}\n\\InputIfFileExists{three}{}{}\n\\input@path\n';
  const syntax = parseLatexDocument(text, { extraCiteCommands: [] });
  assert.deepEqual(syntax.includes.map((i) => [i.path, text.slice(i.range.start, i.range.end)]), [
    ['chapters/one.tex', 'chapters/one.tex'], ['two words', '"two words"'], ['three', 'three'],
  ]);
});

test('a thebibliography list in a file the root inputs defines keys for every chapter, in diagnostics and hover', async () => {
  const f = fixture(
    '%! main.tex\n\\documentclass{report}\n\\input{chapters/ch1}\n\\input{back/references}\n' +
      '%! chapters/ch1.tex\nSee \\cite{knuth84} and \\cite{knuht84}.\n' +
      '%! back/references.tex\n\\begin{thebibliography}{9}\n\\bibitem{knuth84} D. Knuth, The TeXbook.\n\\end{thebibliography}\n' +
      `%! unrelated/other.bib\n${BIB}`,
  );
  const result = await checkFiles(f.workspace, { documents: [f.path('chapters/ch1.tex'), f.path('main.tex')], bibliographies: [], extraBibliographies: [] });
  assert.deepEqual(result.findings.map((d) => `${path.relative(ROOT, d.file.path)} ${d.code} ${d.key} ${d.message}`), [
    'chapters/ch1.tex undefined-citation knuht84 Undefined citation `knuht84`: the document has no bibliography; declare one (`\\bibliography{}` or `\\addbibresource{}`) or add one to the folder. Did you mean `knuth84`?',
  ]);
  const chapter = f.path('chapters/ch1.tex');
  const hover = await provideHover(f.workspace, chapter, 'See \\cite{knu'.length, () => false);
  assert.match(hover?.markdown ?? '', /Defined by \\\\bibitem in back\/references\.tex:2/);
});
