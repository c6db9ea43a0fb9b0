// `citekeys extract` as a process: the BibTeX it writes (order, one entry per key, entries as written), where
// entries come from, --output, and its exit codes are a contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve('dist/cli.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'citekeys-extract-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Keys of the entries in BibTeX text, in order (`@string`s left out). */
function entryKeys(bibtex: string): string[] {
  return [...bibtex.matchAll(/^@(\w+)\{([^,\s]+),/gm)].filter((m) => m[1].toLowerCase() !== 'string').map((m) => m[2]);
}

const REFS = `% Shared bibliography
@string{ripe = {Review of International Political Economy}}

@article{gereffi2005,
  author  = {Gereffi, Gary and Humphrey, John},
  title   = {The governance of {global} value chains},
  journal = ripe,
  year    = 2005
}

% between entries: not copied
@Book{porter1990,   author={Porter, Michael E.},title="The {C}ompetitive Advantage",  year={1990}}
@book{storper1997, author = {Storper, Michael}, title = {The Regional World}, year = {1997}}
@misc{notcited, title = {Never cited}}
`;

const GEREFFI = REFS.slice(REFS.indexOf('@article{gereffi2005'), REFS.indexOf('}\n\n% between') + 1);
const PORTER = REFS.slice(REFS.indexOf('@Book{porter1990'), REFS.indexOf('\n@book{storper1997'));
const STORPER = REFS.slice(REFS.indexOf('@book{storper1997'), REFS.indexOf('\n@misc'));

test('a folder of Markdown, LaTeX and Typst gives one entry per key in order of first citation, as written, with its @string', () => {
  const dir = tempDir({
    'a-intro.md': '---\nbibliography: refs.bib\n---\nAs [@porter1990; @gereffi2005] argue, and @porter1990 again.\n',
    'b-method.tex': '\\documentclass{article}\n\\begin{document}\n\\cite{gereffi2005,storper1997}\n\\bibliography{refs}\n\\end{document}\n',
    'c-results.typ': '= Results <results>\nSee @results and @storper1997 and @porter1990.\n#bibliography("refs.bib")\n',
    'refs.bib': REFS,
  });
  const result = run(['extract', '.'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, `@string{ripe = {Review of International Political Economy}}\n\n${PORTER}\n\n${GEREFFI}\n\n${STORPER}\n`);
  assert.equal(result.stderr, 'citekeys: 3 entries from 3 document(s)\n');
  // Files given one by one count in the order given.
  const reordered = run(['extract', 'b-method.tex', 'a-intro.md'], dir);
  assert.equal(reordered.status, 0, reordered.stderr);
  assert.deepEqual(entryKeys(reordered.stdout), ['gereffi2005', 'storper1997', 'porter1990']);
});

test('--library files lend what the documents\' bibliographies lack; the first definition of a key wins', () => {
  const dir = tempDir({
    'paper/paper.md': '---\nbibliography: refs.bib\n---\n[@porter1990; @fromlib; @fromjson; @bothlibs]\n',
    'paper/refs.bib': '@book{porter1990, title = {From the paper}}\n',
    'lib/library.bib': '@book{porter1990, title = {From the library}}\n@book{fromlib,\n  title = {Only in the library}\n}\n@book{bothlibs, title = {From library.bib}}\n',
    'lib/more.json': '[{"id": "fromjson", "type": "book", "title": "From CSL-JSON", "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2001]]}},\n {"id": "bothlibs", "type": "book", "title": "From more.json"}]\n',
  });
  const result = run(['extract', '--library', 'lib/library.bib', '-l', 'lib/more.json', 'paper'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(entryKeys(result.stdout), ['porter1990', 'fromlib', 'fromjson', 'bothlibs']);
  assert.match(result.stdout, /@book\{porter1990, title = \{From the paper\}\}/);
  assert.match(result.stdout, /@book\{fromlib,\n {2}title = \{Only in the library\}\n\}/);
  assert.match(result.stdout, /@book\{bothlibs, title = \{From library\.bib\}\}/);
  assert.match(result.stdout, /@book\{fromjson,\n\tauthor = \{Doe, Jane\},[^@]*title = \{From \{CSL\}-\{JSON\}\}/);
  assert.equal(result.stderr, 'citekeys: 4 entries from 1 document(s) (1 converted from CSL)\n');
});

test('keys found nowhere are named on stderr at their first citation and the status is 1; the entries found are still written', () => {
  const dir = tempDir({
    'paper.md': '---\nbibliography: refs.bib\n---\nSee [@porter1990; @ghost2020].\n\nAgain @ghost2020 and @phantom.\n',
    'refs.bib': REFS,
  });
  const result = run(['extract', 'paper.md'], dir);
  assert.equal(result.status, 1);
  assert.equal(result.stdout, `${PORTER}\n`);
  assert.equal(
    result.stderr,
    'paper.md:4:20: no entry for `ghost2020`: not in refs.bib\n' +
      'paper.md:6:23: no entry for `phantom`: not in refs.bib\n' +
      'citekeys: 1 entry from 1 document(s); 2 key(s) missing\n',
  );
  const withLibrary = run(['extract', '--library', 'refs.bib', 'paper.md'], tempDir({ 'paper.md': '[@nowhere]\n', 'refs.bib': REFS }));
  assert.equal(withLibrary.status, 1);
  assert.match(withLibrary.stderr, /^paper\.md:1:3: no entry for `nowhere`: not in refs\.bib, nor in refs\.bib\n/);
});

test('--output writes the file and nothing to stdout, and refuses to overwrite a file it reads', () => {
  const dir = tempDir({ 'paper.tex': '\\cite{storper1997}\n\\bibliography{refs}\n', 'refs.bib': REFS });
  const result = run(['extract', '--output', 'out/cited.bib', '.'], dir);
  assert.equal(result.status, 2, 'the folder out/ does not exist');
  assert.match(result.stderr, /^citekeys: cannot write .*out\/cited\.bib: no such folder\n$/);
  const written = run(['extract', '-o', 'cited.bib', '.'], dir);
  assert.equal(written.status, 0, written.stderr);
  assert.equal(written.stdout, '');
  assert.equal(readFileSync(path.join(dir, 'cited.bib'), 'utf8'), `${STORPER}\n`);
  assert.equal(written.stderr, 'citekeys: 1 entry from 1 document(s) written to cited.bib\n');
  const overwrite = run(['extract', '--output=refs.bib', 'paper.tex'], dir);
  assert.equal(overwrite.status, 2);
  assert.match(overwrite.stderr, /--output refs\.bib is a file extract reads/);
  assert.equal(readFileSync(path.join(dir, 'refs.bib'), 'utf8'), REFS);
});

test('extract usage and I/O errors exit 2 with one line on stderr and nothing on stdout', () => {
  const dir = tempDir({ 'paper.md': '[@porter1990]\n', 'refs.bib': REFS, 'notes.txt': 'hello\n' });
  const cases: [string[], RegExp][] = [
    [['extract'], /needs at least one document or folder/],
    [['extract', 'missing.md'], /no such file or folder/],
    [['extract', 'refs.bib'], /not a document .*--library/],
    [['extract', '--library', 'nope.bib', 'paper.md'], /--library: no such file/],
    [['extract', '--library', 'notes.txt', 'paper.md'], /--library: .*notes\.txt is not a bibliography/],
    [['extract', '--library'], /--library needs a value/],
    [['extract', '--output', 'a.bib', '-o', 'b.bib', 'paper.md'], /--output is given twice/],
    [['extract', '--format', 'json', 'paper.md'], /unknown option '--format'/],
    [['extract', '--bibliography', 'refs.bib', 'paper.md'], /unknown option '--bibliography'/],
  ];
  for (const [args, message] of cases) {
    const result = run(args, dir);
    assert.equal(result.status, 2, args.join(' '));
    assert.equal(result.stdout, '', args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
  assert.ok(!existsSync(path.join(dir, 'a.bib')));
  const help = run(['--help'], dir);
  assert.match(help.stdout, /citekeys extract \[--library FILE\]\.\.\. \[--output FILE\] PATH\.\.\./);
});

test('a MyST project and a notebook are read too; a notebook\'s missing key is named at its cell', () => {
  const notebook = JSON.stringify({
    cells: [
      { cell_type: 'raw', metadata: {}, source: ['---\n', 'bibliography: ../refs.bib\n', '---\n'] },
      { cell_type: 'markdown', metadata: {}, source: ['# Notes\n', 'See [@porter1990; @nope].\n'] },
    ],
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  }, null, 1);
  const dir = tempDir({
    'book/myst.yml': 'version: 1\nproject:\n  bibliography:\n    - ../refs.bib\n',
    'book/chapter.md': '# Chapter\n\nAs {cite:p}`storper1997,gereffi2005` show.\n',
    'notebooks/nb.ipynb': notebook,
    'refs.bib': REFS,
  });
  const result = run(['extract', 'book', 'notebooks'], dir);
  assert.equal(result.status, 1);
  assert.deepEqual(entryKeys(result.stdout), ['storper1997', 'gereffi2005', 'porter1990']);
  assert.equal(result.stderr, 'notebooks/nb.ipynb:cell_2:2:20: no entry for `nope`: not in refs.bib\ncitekeys: 3 entries from 2 document(s); 1 key(s) missing\n');
});
