// Unit tests of the MyST project files: myst.yml's `project: bibliography:` and `site:`, Jupyter Book 1's
// `_config.yml` `bibtex_bibfiles`, with ranges and problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJupyterBookConfig, parseMystYml } from '../../server/src/syntax/mystProject';

const covered = (text: string, ranges: { start: number; end: number }[]) => ranges.map((r) => text.slice(r.start, r.end));

test('a project bibliography given as one path is a list of that path, with its range', () => {
  const text = 'version: 1\nproject:\n  title: X\n  bibliography: refs.bib\n';
  const config = parseMystYml(text);
  assert.deepEqual(config.bibliography?.map((b) => b.path), ['refs.bib']);
  assert.deepEqual(covered(text, config.bibliography!.map((b) => b.range)), ['refs.bib']);
  assert.equal(config.hasSite, false);
  assert.deepEqual(config.problems, []);
});

test('a project bibliography list keeps every path; quoted paths range over their text', () => {
  const text = 'project:\n  bibliography:\n    - refs.bib\n    - "sub dir/more.bib"\nsite:\n  template: book-theme\n';
  const config = parseMystYml(text);
  assert.deepEqual(config.bibliography?.map((b) => b.path), ['refs.bib', 'sub dir/more.bib']);
  assert.deepEqual(covered(text, config.bibliography!.map((b) => b.range)), ['refs.bib', 'sub dir/more.bib']);
  assert.equal(config.hasSite, true);
});

test('without a bibliography the project uses every .bib, said as undefined; an empty list names none', () => {
  assert.equal(parseMystYml('version: 1\nproject:\n  title: X\n').bibliography, undefined);
  assert.equal(parseMystYml('project:\n  bibliography:\n').bibliography, undefined);
  assert.deepEqual(parseMystYml('project:\n  bibliography: []\n').bibliography, []);
});

test('a bibliography outside project: does not count', () => {
  assert.equal(parseMystYml('bibliography: refs.bib\nproject:\n  title: X\n').bibliography, undefined);
});

test('a bibliography that is no path is a problem at its place', () => {
  const text = 'project:\n  bibliography:\n    - refs.bib\n    - {a: 1}\n';
  const config = parseMystYml(text);
  assert.deepEqual(config.bibliography?.map((b) => b.path), ['refs.bib']);
  assert.equal(config.problems.length, 1);
  assert.equal(text.slice(config.problems[0].range.start, config.problems[0].range.end), '{a: 1}');
});

test('malformed YAML gives problems with ranges, never an exception', () => {
  for (const text of ['project: [\n', 'project:\n  bibliography: "unclosed\n', ':\n- - -', '[[[['.repeat(200), '']) {
    const config = parseMystYml(text);
    for (const problem of config.problems) assert.ok(problem.range.start >= 0 && problem.range.end <= text.length);
  }
  assert.ok(parseMystYml('project: [\n').problems.length > 0);
});

test('Jupyter Book 1 bibtex_bibfiles are read as a list or a single path', () => {
  const text = 'title: Book\nbibtex_bibfiles:\n  - references.bib\n  - other.bib\nsphinx:\n  extra_extensions: []\n';
  const config = parseJupyterBookConfig(text);
  assert.deepEqual(config.bibliography.map((b) => b.path), ['references.bib', 'other.bib']);
  assert.deepEqual(covered(text, config.bibliography.map((b) => b.range)), ['references.bib', 'other.bib']);
  assert.deepEqual(parseJupyterBookConfig('bibtex_bibfiles: refs.bib\n').bibliography.map((b) => b.path), ['refs.bib']);
  assert.deepEqual(parseJupyterBookConfig('title: Book\n').bibliography, []);
});
