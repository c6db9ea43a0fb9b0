// Go to definition, find references and document highlights for citation keys, from citations and from entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT, type Fixture } from './helpers/fixture';
import { provideDefinition } from '../../server/src/features/definition';
import { provideReferences } from '../../server/src/features/references';
import { provideDocumentHighlights } from '../../server/src/features/highlights';
import type { FileLocation } from '../../server/src/features/locations';
import { MemoryFileSystem, type FileSystem } from '../../server/src/workspace/fileSystem';
import { Workspace } from '../../server/src/workspace/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/config/settings';

/** `name:offset:text` for each location, so a failure shows where and what. */
function described(locations: FileLocation[]): string[] {
  return locations.map((l) => `${path.relative(ROOT, l.file.path)}:${l.range.start}:${l.file.text.slice(l.range.start, l.range.end)}`);
}

/** The same shape for the `occurrence`-th `needle` in a fixture file (0-based). */
async function at(f: Fixture, name: string, needle: string, occurrence = 0): Promise<string> {
  const read = await f.workspace.readText(f.path(name));
  assert.ok(!('error' in read));
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) offset = read.text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} #${occurrence} in ${name}`);
  return `${name}:${offset}:${needle}`;
}

const PROJECT = `%! refs.bib
@article{smith2020,
  title = {Alpha},
}
@book{jones2019, title = {Beta}}
%! a.md
---
bibliography: refs.bib
---
See [@smith2020; @jones2019] and @smith2020.
%! b.md
---
bibliography: refs.bib
---
As [-@smith2020, p. 3] shows.
%! c.tex
\\documentclass{article}
\\begin{document}
\\cite{jones2019,smith2020} and \\citep[p.~2]{smith2020}.
\\bibliography{refs}
\\end{document}
%! other/d.md
---
bibliography: other.bib
---
[@smith2020]
%! other/other.bib
@misc{smith2020, title = {Other}}
`;

/** PROJECT with a cursor put before the `occurrence`-th `needle` of one file. */
function projectWithCursor(name: string, needle: string, occurrence = 0): Fixture {
  const header = `%! ${name}\n`;
  const sectionStart = PROJECT.indexOf(header) + header.length;
  let offset = sectionStart - 1;
  for (let i = 0; i <= occurrence; i++) offset = PROJECT.indexOf(needle, offset + 1);
  return fixture(PROJECT.slice(0, offset + 2) + '|' + PROJECT.slice(offset + 2));
}

test('definition goes from a Markdown citation to the entry key in the bibliography', async () => {
  const f = projectWithCursor('b.md', 'smith2020');
  assert.deepEqual(described(await provideDefinition(f.workspace, f.file, f.offset)), [await at(f, 'refs.bib', 'smith2020')]);
});

test('definition follows each document to its own bibliography', async () => {
  const f = projectWithCursor('other/d.md', 'smith2020');
  assert.deepEqual(described(await provideDefinition(f.workspace, f.file, f.offset)), [await at(f, 'other/other.bib', 'smith2020')]);
});

test('definition from a key in a LaTeX \\cite list finds that key, not its neighbour', async () => {
  const f = projectWithCursor('c.tex', 'jones2019');
  assert.deepEqual(described(await provideDefinition(f.workspace, f.file, f.offset)), [await at(f, 'refs.bib', 'jones2019')]);
});

test('a key defined in two bibliographies the document uses has two definitions', async () => {
  const f = fixture(`%! paper.md
---
bibliography: [one.bib, two.json]
---
[@du|p]
%! one.bib
@book{dup, title = {One}}
%! two.json
[{"id": "dup", "title": "Two"}]
`);
  assert.deepEqual(described(await provideDefinition(f.workspace, f.file, f.offset)), [await at(f, 'one.bib', 'dup'), await at(f, 'two.json', 'dup')]);
});

test('definition finds a \\bibitem in the document', async () => {
  const f = fixture(`%! paper.tex
See \\cite{knu|th84}.
\\begin{thebibliography}{9}
\\bibitem{knuth84} D. Knuth, The TeXbook.
\\end{thebibliography}
`);
  assert.deepEqual(described(await provideDefinition(f.workspace, f.file, f.offset)), [await at(f, 'paper.tex', 'knuth84', 1)]);
});

test('definition of an undefined key, or away from any key, is empty', async () => {
  const undefinedKey = fixture('%! paper.md\n---\nbibliography: refs.bib\n---\n[@nob|ody]\n%! refs.bib\n@book{a, title={A}}\n');
  assert.deepEqual(await provideDefinition(undefinedKey.workspace, undefinedKey.file, undefinedKey.offset), []);
  const prose = fixture('%! paper.md\n---\nbibliography: refs.bib\n---\nSome| prose [@a]\n%! refs.bib\n@book{a, title={A}}\n');
  assert.deepEqual(await provideDefinition(prose.workspace, prose.file, prose.offset), []);
});

test('references from a citation list every citation of the entry in documents using its file, and only those', async () => {
  const f = projectWithCursor('b.md', 'smith2020');
  const found = described(await provideReferences(f.workspace, f.file, f.offset, false));
  assert.deepEqual(found.sort(), [
    await at(f, 'a.md', 'smith2020', 0),
    await at(f, 'a.md', 'smith2020', 1),
    await at(f, 'b.md', 'smith2020'),
    await at(f, 'c.tex', 'smith2020', 0),
    await at(f, 'c.tex', 'smith2020', 1),
  ].sort());
});

test('references from an entry key include the declaration when asked', async () => {
  const f = projectWithCursor('refs.bib', 'smith2020');
  const found = described(await provideReferences(f.workspace, f.file, f.offset, true));
  assert.equal(found[0], await at(f, 'refs.bib', 'smith2020'));
  assert.equal(found.length, 6);
  assert.ok(!found.some((l) => l.startsWith('other/')));
});

test('references from the same key in another bibliography find only the documents using that file', async () => {
  const f = projectWithCursor('other/other.bib', 'smith2020');
  assert.deepEqual(described(await provideReferences(f.workspace, f.file, f.offset, false)), [await at(f, 'other/d.md', 'smith2020')]);
});

test('references reach documents that are not open, and use the open text of those that are', async () => {
  const f = projectWithCursor('refs.bib', 'jones2019');
  const opened = '---\nbibliography: refs.bib\n---\nNow citing [@jones2019].\n';
  f.workspace.openText(f.path('b.md'), opened, 3);
  const found = described(await provideReferences(f.workspace, f.file, f.offset, false));
  const inOpenText = `b.md:${opened.indexOf('jones2019')}:jones2019`;
  assert.deepEqual(found.sort(), [await at(f, 'a.md', 'jones2019'), inOpenText, await at(f, 'c.tex', 'jones2019')].sort());
});

test('references inside an entry but off its key still mean that entry', async () => {
  const f = projectWithCursor('refs.bib', 'Alpha');
  assert.equal((await provideReferences(f.workspace, f.file, f.offset, false)).length, 5);
});

test('a cancelled references search returns no citations', async () => {
  const f = projectWithCursor('b.md', 'smith2020');
  assert.deepEqual(await provideReferences(f.workspace, f.file, f.offset, false, () => true), []);
});

test('highlights mark the same key in the same document only', async () => {
  const f = projectWithCursor('a.md', 'smith2020', 1);
  const ranges = await provideDocumentHighlights(f.workspace, f.file, f.offset);
  const text = (await f.workspace.getDocument(f.file))?.text ?? '';
  assert.deepEqual(ranges, [
    { start: text.indexOf('smith2020'), end: text.indexOf('smith2020') + 9 },
    { start: text.lastIndexOf('smith2020'), end: text.lastIndexOf('smith2020') + 9 },
  ]);
});

test('highlights in a document with inline references include the reference id', async () => {
  const f = fixture('%! paper.md\n---\nreferences:\n- id: inl\n  title: T\n---\n[@in|l] and @inl\n');
  const text = (await f.workspace.getDocument(f.file))?.text ?? '';
  const ranges = await provideDocumentHighlights(f.workspace, f.file, f.offset);
  assert.deepEqual(ranges.map((r) => r.start), [text.indexOf('inl'), text.indexOf('@inl') + 1, text.lastIndexOf('inl')]);
});

test('highlights on a duplicated entry key mark both definitions in the file', async () => {
  const f = fixture('%! refs.bib\n@book{tw|in, title={A}}\n@book{twin, title={B}}\n');
  assert.deepEqual(await provideDocumentHighlights(f.workspace, f.file, f.offset), [{ start: 6, end: 10 }, { start: 29, end: 33 }]);
});

test('references over many documents ask the file system each question once per request, and see changes in the next', async () => {
  const files: Record<string, string> = { '/w/refs.bib': '@book{popular, title={P}}\n' };
  for (let i = 0; i < 60; i++) files[`/w/ch${i % 6}/doc${i}.md`] = '---\nbibliography: ../refs.bib\n---\n[@popular]\n';
  const memory = new MemoryFileSystem(files);
  let stats = 0;
  const counting: FileSystem = {
    stat: (file) => (stats++, memory.stat(file)),
    readFile: (file) => memory.readFile(file),
    readDirectory: (dir) => memory.readDirectory(dir),
    realPath: (file) => memory.realPath(file),
  };
  const workspace = new Workspace(counting, { ...DEFAULT_SETTINGS }, [ROOT]);
  const fromEntry = () => provideReferences(workspace, '/w/refs.bib', 7, false);
  assert.equal((await fromEntry()).length, 60);
  stats = 0;
  assert.equal((await fromEntry()).length, 60);
  // Per folder: _metadata.yml, _quarto.yml, _quarto.yaml (6 chapter folders and the root); refs.bib twice.
  assert.ok(stats <= 7 * 3 + 4, `${stats} stats for 60 documents`);

  memory.write('/w/ch0/late.md', '---\nbibliography: ../refs.bib\n---\n@popular\n');
  workspace.fileChanged('/w/ch0/late.md');
  assert.equal((await fromEntry()).length, 61);
});
