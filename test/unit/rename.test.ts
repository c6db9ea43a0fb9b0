// Renaming a citation key: the entry (BibTeX, CSL-JSON, CSL-YAML, inline references) and every citation of it
// across the workspace, with the refusals that keep bibliographies and documents valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fixture, ROOT, type Fixture } from './helpers/fixture';
import { prepareRename, provideRename } from '../../server/src/features/rename';
import type { FileEdits } from '../../server/src/features/locations';

/** Each changed file's text after its edits (applied back to front), by fixture name. */
function applied(changes: FileEdits[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const change of changes) {
    let text = change.file.text;
    for (const edit of [...change.edits].sort((a, b) => b.range.start - a.range.start)) {
      text = text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
    }
    out[path.relative(ROOT, change.file.path)] = text;
  }
  return out;
}

async function rename(f: Fixture, newName: string): Promise<Record<string, string>> {
  const result = await provideRename(f.workspace, f.file, f.offset, newName);
  assert.ok('changes' in result, 'error' in result ? result.error : '');
  return applied(result.changes);
}

async function refusal(f: Fixture, newName: string): Promise<string> {
  const result = await provideRename(f.workspace, f.file, f.offset, newName);
  assert.ok('error' in result, `expected a refusal for ${newName}`);
  return result.error;
}

const PROJECT = (cursorIn: 'a.md' | 'refs.bib' | 'c.tex') => `%! refs.bib
@article{${cursorIn === 'refs.bib' ? 'smi|th2020' : 'smith2020'},
  title = {Alpha},
}
@book{jones2019, title = {Beta}}
%! a.md
---
bibliography: refs.bib
---
See [@${cursorIn === 'a.md' ? 'smith|2020' : 'smith2020'}; @jones2019] and @smith2020.
%! b.md
---
bibliography: refs.bib
---
As [-@smith2020, p. 3] shows.
%! c.tex
\\cite{jones2019,${cursorIn === 'c.tex' ? '|smith2020' : 'smith2020'}} and \\citep[p.~2]{smith2020}.
\\bibliography{refs}
%! other/d.md
---
bibliography: other.bib
---
[@smith2020]
%! other/other.bib
@misc{smith2020, title = {Other}}
`;

const RENAMED = {
  'refs.bib': '@article{smith2020a,\n  title = {Alpha},\n}\n@book{jones2019, title = {Beta}}\n',
  'a.md': '---\nbibliography: refs.bib\n---\nSee [@smith2020a; @jones2019] and @smith2020a.\n',
  'b.md': '---\nbibliography: refs.bib\n---\nAs [-@smith2020a, p. 3] shows.\n',
  'c.tex': '\\cite{jones2019,smith2020a} and \\citep[p.~2]{smith2020a}.\n\\bibliography{refs}\n',
};

for (const start of ['a.md', 'refs.bib', 'c.tex'] as const) {
  test(`renaming from ${start} edits the .bib entry and citations in both .md files and the .tex file, not other.bib's users`, async () => {
    assert.deepEqual(await rename(fixture(PROJECT(start)), 'smith2020a'), RENAMED);
  });
}

test('prepareRename answers the key range and its text', async () => {
  const f = fixture(PROJECT('c.tex'));
  const text = (await f.workspace.getDocument(f.file))?.text ?? '';
  const start = text.indexOf('smith2020');
  assert.deepEqual(await prepareRename(f.workspace, f.file, f.offset), { range: { start, end: start + 9 }, placeholder: 'smith2020' });
});

test('edits carry the version of open documents and none for files on disk', async () => {
  const f = fixture(PROJECT('refs.bib'));
  const aText = RENAMED['a.md'].replace(/smith2020a/g, 'smith2020');
  f.workspace.openText(f.path('a.md'), aText, 7);
  const result = await provideRename(f.workspace, f.file, f.offset, 'smith2020a');
  assert.ok('changes' in result);
  const versions = Object.fromEntries(result.changes.map((c) => [path.relative(ROOT, c.file.path), c.version]));
  assert.deepEqual(versions, { 'refs.bib': undefined, 'a.md': 7, 'b.md': undefined, 'c.tex': undefined });
});

test('a new key Pandoc cannot read bare is written @{...} in Markdown and bare in LaTeX and BibTeX', async () => {
  const changed = await rename(fixture(PROJECT('a.md')), 'smith2020.');
  assert.equal(changed['a.md'], '---\nbibliography: refs.bib\n---\nSee [@{smith2020.}; @jones2019] and @{smith2020.}.\n');
  assert.equal(changed['b.md'], '---\nbibliography: refs.bib\n---\nAs [-@{smith2020.}, p. 3] shows.\n');
  assert.ok(changed['c.tex'].startsWith('\\cite{jones2019,smith2020.}'));
  assert.ok(changed['refs.bib'].startsWith('@article{smith2020.,'));
});

test('an already braced Markdown citation keeps its braces', async () => {
  const f = fixture('%! paper.md\n---\nbibliography: refs.bib\n---\n[@{ol|d}]\n%! refs.bib\n@book{old, title={A}}\n');
  assert.equal((await rename(f, 'new'))['paper.md'], '---\nbibliography: refs.bib\n---\n[@{new}]\n');
});

test('CSL-JSON ids are rewritten as escaped JSON strings, numbers included', async () => {
  const f = fixture(`%! paper.md
---
bibliography: refs.json
---
[@smi|th2020; @42]
%! refs.json
[{"id": "smith2020", "title": "A"}, {"id": 42, "title": "B"}]
`);
  const changed = await rename(f, 'o"neil\\x');
  assert.equal(changed['refs.json'], '[{"id": "o\\"neil\\\\x", "title": "A"}, {"id": 42, "title": "B"}]\n');
  assert.equal(JSON.parse(changed['refs.json'])[0].id, 'o"neil\\x');
  assert.equal(changed['paper.md'], '---\nbibliography: refs.json\n---\n[@{o"neil\\x}; @42]\n');

  const numeric = fixture('%! paper.md\n---\nbibliography: refs.json\n---\n[@4|2]\n%! refs.json\n[{"id": 42, "title": "B"}]\n');
  const renumbered = await rename(numeric, 'answer');
  assert.equal(renumbered['refs.json'], '[{"id": "answer", "title": "B"}]\n');
});

test('CSL-YAML ids stay plain when they can and are quoted when YAML would misread them', async () => {
  const yamlFile = "references:\n- id: smith2020\n  title: A\n- id: 'jones2019'\n  title: B\n";
  const fromEntry = fixture(`%! refs.yaml\n${yamlFile.replace('smith2020', 'smith|2020')}%! paper.md\n---\nbibliography: refs.yaml\n---\n@smith2020, @jones2019\n`);
  const changed = await rename(fromEntry, 'true');
  assert.equal(changed['refs.yaml'], yamlFile.replace('id: smith2020', 'id: "true"'));
  assert.equal(parseYaml(changed['refs.yaml']).references[0].id, 'true');
  assert.equal(changed['paper.md'], '---\nbibliography: refs.yaml\n---\n@true, @jones2019\n');

  const quoted = fixture(`%! refs.yaml\n${yamlFile.replace("'jones2019'", "'jo|nes2019'")}`);
  const requoted = await rename(quoted, 'jones:2019');
  assert.equal(requoted['refs.yaml'], yamlFile.replace("'jones2019'", '"jones:2019"'));
  assert.equal(parseYaml(requoted['refs.yaml']).references[1].id, 'jones:2019');
  assert.equal((await rename(quoted, 'jones_2019'))['refs.yaml'], yamlFile.replace("'jones2019'", 'jones_2019'));
});

test('an inline references id and its citations change in one edit list for the document', async () => {
  const f = fixture('%! paper.md\n---\nreferences:\n- id: inl\n  title: T\n---\n[@in|l] and @inl\n');
  const result = await provideRename(f.workspace, f.file, f.offset, 'inline2');
  assert.ok('changes' in result);
  assert.equal(result.changes.length, 1);
  assert.deepEqual(applied(result.changes), { 'paper.md': '---\nreferences:\n- id: inline2\n  title: T\n---\n[@inline2] and @inline2\n' });
});

test('renaming a \\bibitem key renames its citations in the same document', async () => {
  const f = fixture('%! paper.tex\nSee \\cite{knu|th84,other}.\n\\begin{thebibliography}{9}\n\\bibitem{knuth84} D. Knuth.\n\\end{thebibliography}\n');
  assert.deepEqual(await rename(f, 'knuth1984'), {
    'paper.tex': 'See \\cite{knuth1984,other}.\n\\begin{thebibliography}{9}\n\\bibitem{knuth1984} D. Knuth.\n\\end{thebibliography}\n',
  });
});

test('a new key that already exists in the bibliographies involved is refused', async () => {
  assert.equal(
    await refusal(fixture(PROJECT('a.md')), 'jones2019'),
    '`jones2019` is already a key in refs.bib; renaming would make two entries share it. Pick another key.',
  );
});

test('keys BibTeX or LaTeX cannot hold are refused, naming the character', async () => {
  const f = fixture(PROJECT('refs.bib'));
  assert.match(await refusal(f, 'a,b'), /cannot be a BibTeX entry key: it contains `,`/);
  for (const bad of ['x{y', 'x}y', 'x"y', 'x#y', 'x%y', "x'y", 'x(y', 'x)y', 'x=y', 'x\\y']) {
    assert.match(await refusal(f, bad), /cannot be a BibTeX entry key/, bad);
  }
  assert.match(await refusal(f, 'two words'), /contains whitespace/);
  assert.equal(await refusal(f, ''), 'A key cannot be empty.');
  assert.match(await refusal(f, '*'), /every entry/);
});

test('a CSL key with braces that Markdown would need to brace is refused; one without works', async () => {
  const f = fixture('%! paper.md\n---\nbibliography: refs.json\n---\n[@o|ld]\n%! refs.json\n[{"id": "old"}]\n');
  assert.match(await refusal(f, 'a{b'), /cannot be cited in Markdown/);
  assert.equal((await rename(f, 'a(b)'))['paper.md'], '---\nbibliography: refs.json\n---\n[@{a(b)}]\n');
});

test('renaming an undefined citation is refused before the user types a name', async () => {
  const f = fixture('%! paper.md\n---\nbibliography: refs.bib\n---\n[@nob|ody]\n%! refs.bib\n@book{a, title={A}}\n');
  const prepared = await prepareRename(f.workspace, f.file, f.offset);
  assert.deepEqual(prepared, {
    error: '`nobody` is not defined in the bibliographies this document uses, so there is no entry to rename. Fix the citation or add the entry first.',
  });
  assert.equal(await prepareRename(f.workspace, f.file, 0), undefined);
});

test('renaming to the same key changes nothing', async () => {
  const f = fixture(PROJECT('a.md'));
  assert.deepEqual(await provideRename(f.workspace, f.file, f.offset, 'smith2020'), { changes: [] });
});

test('a key defined in a .bib of the TeX distribution is not renamed: citekeys never edits the tool’s own files', async () => {
  const f = fixture(`%! main.tex\n\\addbibresource{biblatex-examples.bib}\n\\cite{knu|th}\n%! texmf/bibtex/bib/biblatex/biblatex-examples.bib\n@book{knuth, title = {The TeXbook}}\n`);
  f.workspace.environment.texBibFolders = [f.path('texmf/bibtex/bib')];
  const prepared = await prepareRename(f.workspace, f.file, f.offset);
  assert.match(prepared && 'error' in prepared ? prepared.error : '', /biblatex-examples\.bib, which belongs to an installed tool/);
  const renamed = await provideRename(f.workspace, f.file, f.offset, 'knuth1984');
  assert.ok('error' in renamed);
});
