// Discovery's memory: where a document's bibliographies are is worked out once per document version and kept
// until something that decides it changes (a file on disk, a file opened or closed, a LaTeX file or project file
// edited, the settings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT, type Fixture } from './helpers/fixture';
import { resolveBibliographies } from '../../server/src/workspace/discovery';
import { findLatexRoots } from '../../server/src/workspace/dialects/latexRoots';
import { FilePoller } from '../../server/src/lsp/filePoller';

/** Counts the questions the workspace asks its file system. */
function countDiskQuestions(f: Fixture): { total: () => number; reads: () => number } {
  let questions = 0;
  let reads = 0;
  const fs = f.fs;
  const stat = fs.stat.bind(fs);
  const readDirectory = fs.readDirectory.bind(fs);
  const readFile = fs.readFile.bind(fs);
  fs.stat = (file) => (questions++, stat(file));
  fs.readDirectory = (dir) => (questions++, readDirectory(dir));
  fs.readFile = (file) => (questions++, reads++, readFile(file));
  return { total: () => questions, reads: () => reads };
}

async function filesOf(f: Fixture, name: string): Promise<string[]> {
  const doc = await f.workspace.getDocument(f.path(name));
  assert.ok(doc, `${name} exists`);
  const resolved = await resolveBibliographies(f.workspace, doc);
  return [...resolved.files.map((b) => path.relative(ROOT, b.path)), ...resolved.missing.map((m) => `missing ${m.declaration.path}`)];
}

test('resolving the same document again asks the disk nothing new', async () => {
  const f = fixture('%! quarto/_quarto.yml\nbibliography: ../refs.bib\n%! quarto/ch1.md\n[@a]\n%! refs.bib\n@book{a, title={A}}\n');
  const disk = countDiskQuestions(f);
  assert.deepEqual(await filesOf(f, 'quarto/ch1.md'), ['refs.bib']);
  const first = disk.total();
  assert.ok(first > 0);
  assert.deepEqual(await filesOf(f, 'quarto/ch1.md'), ['refs.bib']);
  // Only the bibliography's own freshness check (one stat) is repeated.
  assert.equal(disk.total() - first, 1);
});

test('a declared bibliography created on disk is found once the change is reported', async () => {
  const f = fixture('%! paper.md\n---\nbibliography: refs.bib\n---\n[@a]\n');
  assert.deepEqual(await filesOf(f, 'paper.md'), ['missing refs.bib']);
  f.fs.write(f.path('refs.bib'), '@book{a, title={A}}\n');
  f.workspace.fileChanged(f.path('refs.bib'));
  assert.deepEqual(await filesOf(f, 'paper.md'), ['refs.bib']);
});

test('a bibliography opened in the editor but not yet saved counts, and stops counting when closed unsaved', async () => {
  const f = fixture('%! paper.md\n---\nbibliography: refs.bib\n---\n[@a]\n');
  assert.deepEqual(await filesOf(f, 'paper.md'), ['missing refs.bib']);
  f.workspace.openText(f.path('refs.bib'), '@book{a, title={A}}\n', 1);
  assert.deepEqual(await filesOf(f, 'paper.md'), ['refs.bib']);
  f.workspace.closeText(f.path('refs.bib'));
  assert.deepEqual(await filesOf(f, 'paper.md'), ['missing refs.bib']);
});

test('editing an open LaTeX root changes which bibliographies its chapters use', async () => {
  const f = fixture('%! main.tex\n\\bibliography{refs}\n\\input{ch1}\n%! ch1.tex\n\\cite{a}\n%! refs.bib\n@book{a, title={A}}\n%! other.bib\n@book{b, title={B}}\n');
  assert.deepEqual(await filesOf(f, 'ch1.tex'), ['refs.bib']);
  f.workspace.openText(f.path('main.tex'), '\\bibliography{other}\n\\input{ch1}\n', 1);
  assert.deepEqual(await filesOf(f, 'ch1.tex'), ['other.bib']);
  f.workspace.openText(f.path('main.tex'), '\\bibliography{other}\n', 2);
  // No root includes ch1 any more: nothing declared, so every bibliography of the folder.
  assert.deepEqual(await filesOf(f, 'ch1.tex'), ['other.bib', 'refs.bib']);
});

test('editing a _quarto.yml open in the editor changes the bibliographies of the project', async () => {
  const f = fixture('%! _quarto.yml\nbibliography: refs.bib\n%! ch1.md\n[@a]\n%! refs.bib\n@book{a, title={A}}\n%! other.bib\n@book{b, title={B}}\n');
  assert.deepEqual(await filesOf(f, 'ch1.md'), ['refs.bib']);
  f.workspace.openText(f.path('_quarto.yml'), 'bibliography: other.bib\n', 1);
  assert.deepEqual(await filesOf(f, 'ch1.md'), ['other.bib']);
  f.workspace.openText(f.path('_quarto.yml'), 'bibliography: [other.bib, refs.bib]\n', 2);
  assert.deepEqual(await filesOf(f, 'ch1.md'), ['other.bib', 'refs.bib']);
});

test('changing the settings re-resolves documents', async () => {
  const f = fixture('%! notes/a.md\n[@a]\n%! notes/local.bib\n@book{a, title={A}}\n%! library/all.bib\n@book{b, title={B}}\n');
  assert.deepEqual(await filesOf(f, 'notes/a.md'), ['notes/local.bib']);
  f.workspace.settings = { ...f.workspace.settings, bibliographies: ['library/*.bib'] };
  assert.deepEqual(await filesOf(f, 'notes/a.md'), ['library/all.bib']);
});

test('the roots of 300 chapters in one folder are found reading each chapter once', async () => {
  const chapters = Array.from({ length: 300 }, (_, i) => `ch${String(i).padStart(3, '0')}`);
  const source = [
    `%! thesis/main.tex\n\\addbibresource{refs.bib}\n${chapters.map((c) => `\\include{${c}}`).join('\n')}\n`,
    ...chapters.map((c) => `%! thesis/${c}.tex\n\\cite{a}\n`),
    '%! thesis/refs.bib\n@book{a, title={A}}\n',
    '%! thesis/appendix.tex\n\\cite{a}\n',
  ].join('');
  const f = fixture(source);
  const disk = countDiskQuestions(f);
  for (const chapter of chapters) {
    const doc = await f.workspace.getDocument(f.path(`thesis/${chapter}.tex`));
    assert.ok(doc);
    const resolved = await resolveBibliographies(f.workspace, doc);
    assert.equal(resolved.root?.path, f.path('thesis/main.tex'), chapter);
    assert.deepEqual(resolved.files.map((b) => path.basename(b.path)), ['refs.bib']);
  }
  const appendix = await f.workspace.getDocument(f.path('thesis/appendix.tex'));
  assert.ok(appendix);
  assert.equal((await resolveBibliographies(f.workspace, appendix)).root, undefined, 'a file nothing includes is its own root');
  // 302 .tex files and one .bib, each read once.
  assert.equal(disk.reads(), 303);
});

test('the roots of 500 chapters in folders of their own and beside the root’s folder are found reading each file and folder once', async () => {
  const own = Array.from({ length: 250 }, (_, i) => `chapters/ch${String(i).padStart(3, '0')}/text`);
  const beside = Array.from({ length: 250 }, (_, i) => `sections/s${String(i).padStart(3, '0')}`);
  const source = [
    `%! thesis/main.tex\n\\documentclass{book}\n\\bibliography{refs}\n${own.map((c) => `\\include{${c}}`).join('\n')}\n${beside.map((s) => `\\input{../${s}}`).join('\n')}\n`,
    ...own.map((c) => `%! thesis/${c}.tex\n\\cite{a}\n`),
    ...beside.map((s) => `%! ${s}.tex\n\\cite{a}\n`),
    '%! thesis/refs.bib\n@book{a, title={A}}\n',
    '%! thesis/notes/todo.tex\n\\cite{a}\n',
  ].join('');
  const f = fixture(source);
  let folderReads = 0;
  const readDirectory = f.fs.readDirectory.bind(f.fs);
  f.fs.readDirectory = (dir) => (folderReads++, readDirectory(dir));
  const disk = countDiskQuestions(f);
  for (const chapter of [...own.map((c) => `thesis/${c}.tex`), ...beside.map((s) => `${s}.tex`)]) {
    const doc = await f.workspace.getDocument(f.path(chapter));
    assert.ok(doc);
    const resolved = await resolveBibliographies(f.workspace, doc);
    assert.equal(resolved.root?.path, f.path('thesis/main.tex'), chapter);
    assert.deepEqual(resolved.files.map((b) => path.basename(b.path)), ['refs.bib'], chapter);
  }
  // 500 chapters, the root and the .bib, each read once; the 255 folders (/w, thesis, chapters, 250 chapter folders,
  // sections, notes) each listed once.
  assert.equal(disk.reads(), 502);
  assert.ok(folderReads <= 255, `${folderReads} folder reads`);
  const todo = await f.workspace.getDocument(f.path('thesis/notes/todo.tex'));
  assert.ok(todo);
  assert.equal((await findLatexRoots(f.workspace, todo))[0], todo, 'a file nothing includes is its own root');
  assert.equal(disk.reads(), 503);
  // A file created elsewhere starts a new generation: the roots are worked out again from the documents already read.
  f.workspace.fileChanged(f.path('thesis/notes/new.tex'));
  const before = disk.total();
  for (const chapter of [...own.map((c) => `thesis/${c}.tex`), ...beside.map((s) => `${s}.tex`)]) {
    const doc = await f.workspace.getDocument(f.path(chapter));
    assert.equal((await resolveBibliographies(f.workspace, doc!)).root?.path, f.path('thesis/main.tex'), chapter);
  }
  assert.equal(disk.reads(), 503, 'nothing read again');
  // Each folder listed once more, and the .bib's freshness checked once per chapter; no question per include.
  assert.ok(disk.total() - before <= 255 + 500 + 5, `${disk.total() - before} questions`);
});

test('saving a note or a bibliography keeps where other documents\' bibliographies are', async () => {
  const f = fixture('%! _quarto.yml\nbibliography: refs.bib\n%! ch1.md\n[@a]\n%! ch2.md\n[@a]\n%! refs.bib\n@book{a, title={A}}\n');
  assert.deepEqual(await filesOf(f, 'ch1.md'), ['refs.bib']);
  const generation = f.workspace.generation;
  f.workspace.openText(f.path('ch2.md'), '[@a] edited\n', 1);
  f.workspace.openText(f.path('refs.bib'), '@book{a, title={A3}}\n', 1);
  f.workspace.openText(f.path('refs.bib'), '@book{a, title={A4}}\n', 2);
  f.fs.write(f.path('ch2.md'), '[@a] edited\n');
  f.workspace.fileChanged(f.path('ch2.md'), true);
  f.fs.write(f.path('refs.bib'), '@book{a, title={A4}}\n');
  f.workspace.fileChanged(f.path('refs.bib'), true);
  f.workspace.closeText(f.path('ch2.md'));
  assert.equal(f.workspace.generation, generation);
  // The bibliography itself is still read afresh.
  const doc = await f.workspace.getDocument(f.path('ch1.md'));
  assert.ok(doc);
  const [bib] = (await resolveBibliographies(f.workspace, doc)).files;
  assert.match(bib.text, /A4/);
  // A new file, a deleted one, or a changed project file does change it.
  f.workspace.fileChanged(f.path('other.bib'));
  assert.notEqual(f.workspace.generation, generation);
  const again = f.workspace.generation;
  f.workspace.fileChanged(f.path('_quarto.yml'), true);
  assert.notEqual(f.workspace.generation, again);
});

test('without file events, the poller notices a missing bibliography appear and a read one change or go', async () => {
  const f = fixture('%! paper.md\n---\nbibliography: [refs.bib, more.bib]\n---\n[@a]\n%! more.bib\n@book{b, title={B}}\n');
  const changes: { path: string; kind: string }[] = [];
  const poller = new FilePoller(f.workspace, (found) => {
    changes.push(...found);
    for (const change of found) f.workspace.fileChanged(change.path, change.kind === 'changed');
  });
  assert.deepEqual(await filesOf(f, 'paper.md'), ['more.bib', 'missing refs.bib']);
  await poller.poll(); // learns what more.bib looks like
  assert.deepEqual(changes, []);
  f.fs.write(f.path('refs.bib'), '@book{a, title={A}}\n');
  f.fs.write(f.path('more.bib'), '@book{b, title={B2}}\n');
  await poller.poll();
  assert.deepEqual(changes, [{ path: f.path('more.bib'), kind: 'changed' }, { path: f.path('refs.bib'), kind: 'created' }]);
  assert.deepEqual(await filesOf(f, 'paper.md'), ['refs.bib', 'more.bib']);
  changes.length = 0;
  f.fs.delete(f.path('more.bib'));
  await poller.poll();
  assert.deepEqual(changes, [{ path: f.path('more.bib'), kind: 'deleted' }]);
  assert.deepEqual(await filesOf(f, 'paper.md'), ['refs.bib', 'missing more.bib']);
});
