// The `citekeys` command as a process: its output formats and exit codes are a contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve('dist/cli.js');

function run(args: string[], cwd = process.cwd()) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'citekeys-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

interface KeyJson {
  file: string;
  line: number;
  column: number;
  key: string;
  kind: string;
}

test('keys lists the 58 geography entries in file order with 1-based positions, in all three formats', () => {
  const lists: string[][] = [];
  for (const ext of ['bib', 'json', 'yaml']) {
    const result = run(['keys', '--format', 'json', `examples/geography.${ext}`]);
    assert.equal(result.status, 0, result.stderr);
    const keys = JSON.parse(result.stdout) as KeyJson[];
    assert.equal(keys.length, 58);
    assert.ok(keys.every((k) => k.kind === 'entry' && k.file === `examples/geography.${ext}` && k.line >= 1 && k.column >= 1));
    lists.push(keys.map((k) => k.key));
  }
  assert.equal(lists[0][0], 'porter1990');
  assert.deepEqual(lists[1], lists[0]);
  assert.deepEqual(lists[2], lists[0]);
});

test('keys in text format prints file:line:column, a tab, and the key', () => {
  const result = run(['keys', 'examples/geography.bib']);
  assert.equal(result.status, 0);
  const first = result.stdout.split('\n')[0];
  assert.match(first, /^examples\/geography\.bib:\d+:\d+\tporter1990$/);
  const [where] = first.split('\t');
  const [, line, column] = where.split(':').map(Number);
  const text = spawnSync('sed', ['-n', `${line}p`, 'examples/geography.bib'], { encoding: 'utf8' }).stdout;
  assert.equal(text.slice(column - 1, column - 1 + 'porter1990'.length), 'porter1990');
});

test('keys on a document lists its citations in document order', () => {
  const result = run(['keys', '--format', 'json', 'examples/paper.md']);
  assert.equal(result.status, 0, result.stderr);
  const keys = JSON.parse(result.stdout) as KeyJson[];
  assert.deepEqual(keys.slice(0, 4).map((k) => k.key), ['gereffi2005a', 'humphrey2002', 'gereffi2005a', 'gereffi1994']);
  assert.ok(keys.every((k) => k.kind === 'citation'));
  assert.ok(!keys.some((k) => k.key.startsWith('fig-') || k.key === 'notacitation' || k.key.includes('example')));
});

test('check on the examples finds the deliberate mistakes and exits 0 when nothing is at error level', () => {
  const result = run(['check', '--format', 'json', 'examples']);
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { version: number; diagnostics: { file: string; code: string; key?: string; severity: string; message: string; line: number; column: number; endLine: number; endColumn: number }[] };
  assert.equal(report.version, 1);
  const summary = report.diagnostics.map((d) => `${d.file} ${d.code} ${d.key ?? ''}`);
  assert.ok(summary.includes('examples/paper.md undefined-citation gerefi2019'), summary.join('\n'));
  assert.ok(summary.includes('examples/paper.tex undefined-citation barrientos2021'), summary.join('\n'));
  assert.ok(summary.includes('examples/thesis.bib duplicate-entry humphrey2002b'), summary.join('\n'));
  // The Typst, MyST and notebook examples: a misspelt key each (the Typst one in a chapter that uses its main file's
  // bibliography), and a key twice in the Typst paper's refs.bib.
  assert.ok(summary.includes('examples/typst/chapters/intro.typ undefined-citation humprey2002'), summary.join('\n'));
  assert.ok(summary.includes('examples/typst/refs.bib duplicate-entry schmitz2000'), summary.join('\n'));
  assert.ok(summary.includes('examples/myst/index.md undefined-citation lundthomsen2041'), summary.join('\n'));
  assert.ok(summary.includes('examples/notebook/analysis.ipynb undefined-citation portr1990'), summary.join('\n'));
  const undefinedKeys = report.diagnostics.filter((d) => d.code === 'undefined-citation').map((d) => d.key).sort();
  assert.deepEqual(undefinedKeys, ['barrientos2021', 'gerefi2019', 'humprey2002', 'lundthomsen2041', 'portr1990']);
  // geography.bib and ethics.bib share keys; paper.md uses both.
  assert.ok(summary.includes('examples/ethics.bib duplicate-entry humphrey2002'), summary.join('\n'));
  const undefinedTex = report.diagnostics.find((d) => d.key === 'barrientos2021');
  assert.match(undefinedTex!.message, /Did you mean `barrientos20\d\d/);
  for (const d of report.diagnostics) {
    const fields = ['code', 'column', 'endColumn', 'endLine', 'file', 'key', 'line', 'message', 'severity', 'cell'];
    const expected = fields.filter((k) => (k !== 'key' || d.key !== undefined) && (k !== 'cell' || d.file.endsWith('.ipynb')));
    assert.deepEqual(Object.keys(d).sort(), expected.sort());
  }
});

test('check prints compiler-style text lines and a summary on stderr', () => {
  const result = run(['check', 'examples/paper.tex']);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /^examples\/paper\.tex:\d+:\d+: warning: Undefined citation `barrientos2021`.*\[undefined-citation\]$/m);
  assert.match(result.stderr, /1 document\(s\)/);
});

test('check exits 1 when something is at error level, and SARIF carries it', () => {
  const dir = tempDir({ 'refs.bib': '@book{ok, title={Fine}}\n@book{broken, title = {unclosed\n\n@book{after, title={Fine}}\n' });
  const text = run(['check', 'refs.bib'], dir);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /refs\.bib:2:\d+: error: .*\[bib-syntax\]/);
  const sarif = run(['check', '--format', 'sarif', '.'], dir);
  assert.equal(sarif.status, 1);
  const log = JSON.parse(sarif.stdout);
  assert.equal(log.version, '2.1.0');
  const [result] = log.runs[0].results;
  assert.equal(result.ruleId, 'bib-syntax');
  assert.equal(result.level, 'error');
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'refs.bib');
  assert.equal(result.locations[0].physicalLocation.region.startLine, 2);
  assert.ok(log.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'undefined-citation'));
});

test('--bibliography adds a file to every document checked', () => {
  const dir = tempDir({ 'paper.md': '---\nbibliography: other/mine.bib\n---\nSee @x2020.\n', 'lib/refs.bib': '@book{x2020, title={X}}\n', 'other/mine.bib': '' });
  const without = run(['check', '--format', 'json', 'paper.md'], dir);
  assert.ok(JSON.parse(without.stdout).diagnostics.some((d: { code: string }) => d.code === 'undefined-citation'));
  const withIt = run(['check', '--format', 'json', '--bibliography', 'lib/refs.bib', 'paper.md'], dir);
  assert.deepEqual(JSON.parse(withIt.stdout).diagnostics, []);
});

test('check on a CVPR section file, on its folder, or on the paper uses the bibliography of main.tex', () => {
  const dir = tempDir({
    'main.tex': '\\documentclass{article}\n\\begin{document}\n\\input{sec/1_intro}\n\\input{sec/2_method}\n\\bibliographystyle{ieeenat_fullname}\n\\bibliography{main}\n\\end{document}\n',
    'sec/1_intro.tex': 'As shown by \\cite{Alpher02}.\n',
    'sec/2_method.tex': 'We follow \\cite{Alpher03} and \\cite{Nobody99}.\n',
    'main.bib': '@article{Alpher02, title={Frobnication}}\n@article{Alpher03, title={Frobnication revisited}}\n',
  });
  for (const target of [['sec/1_intro.tex', 'sec/2_method.tex'], ['sec'], ['.']]) {
    const result = run(['check', '--format', 'json', ...target], dir);
    assert.equal(result.status, 0, result.stderr);
    const found = JSON.parse(result.stdout).diagnostics.map((d: { code: string; key: string; message: string }) => `${d.code} ${d.key}: ${d.message}`);
    assert.equal(found.length, 1, `${target}: ${found.join('\n')}`);
    assert.match(found[0], /^undefined-citation Nobody99: .*not in main\.bib/, `${target}`);
  }
});

test('usage and I/O errors exit 2 with a message and no stack trace', () => {
  const dir = tempDir({ 'empty.bib': '', 'notes.txt': 'hello' });
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['keys', '--format', 'xml', 'empty.bib'], /unknown format 'xml'/],
    [['check', '--nope'], /unknown option '--nope'/],
    [['keys', 'missing.bib'], /no such file/],
    [['keys', '.'], /is a folder/],
    [['keys'], /needs at least one file/],
    [['keys', 'notes.txt'], /not a bibliography/],
    [['check', 'nowhere'], /no such file or folder/],
  ];
  for (const [args, message] of cases) {
    const result = run(args, dir);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('an empty file has no keys; a binary or huge file gets a clear message', () => {
  const dir = tempDir({ 'empty.bib': '' });
  const empty = run(['keys', 'empty.bib'], dir);
  assert.equal(empty.status, 0);
  assert.equal(empty.stdout, '');
  writeFileSync(path.join(dir, 'junk.bib'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 0, 0, 0xff, 0xfe]));
  const junk = run(['keys', 'junk.bib'], dir);
  assert.equal(junk.status, 2);
  assert.match(junk.stderr, /binary/);
  const fd = openSync(path.join(dir, 'huge.bib'), 'w');
  ftruncateSync(fd, 200 * 1024 * 1024);
  closeSync(fd);
  const huge = run(['check', '--format', 'json', 'huge.bib'], dir);
  assert.equal(huge.status, 1, huge.stderr);
  const [diagnostic] = JSON.parse(huge.stdout).diagnostics;
  assert.equal(diagnostic.code, 'unreadable-file');
  assert.match(diagnostic.message, /binary/);
});

test('--version and --help answer and exit 0', () => {
  assert.match(run(['--version']).stdout, /^\d+\.\d+\.\d+/);
  const help = run(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /citekeys check/);
});

test('--level changes a rule: unused entries on request, undefined citations as errors (exit 1), bad values are usage errors', () => {
  const dir = tempDir({ 'paper.md': '---\nbibliography: refs.bib\n---\n@a and @missing\n', 'refs.bib': '@book{a, title={A}}\n@book{b, title={B}}\n' });
  const unused = run(['check', '--format', 'json', '--level', 'unused-entry=info', 'paper.md'], dir);
  assert.equal(unused.status, 0, unused.stderr);
  const codes = JSON.parse(unused.stdout).diagnostics.map((d: { code: string; key: string }) => `${d.code} ${d.key}`);
  assert.deepEqual(codes.sort(), ['undefined-citation missing', 'unused-entry b']);
  const strict = run(['check', '--level=undefined-citation=error', 'paper.md'], dir);
  assert.equal(strict.status, 1);
  assert.match(strict.stdout, /error: Undefined citation `missing`/);
  for (const bad of [['--level', 'nonsense=info'], ['--level', 'unused-entry=loud']]) {
    const result = run(['check', ...bad, 'paper.md'], dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown (rule|level)/);
  }
});

test('a key cited twice in one citation is a duplicate-citation warning in text, JSON and SARIF, with its own --level', () => {
  const dir = tempDir({
    'paper.md': '---\nbibliography: refs.bib\n---\nSee [@a; @b; @a], and @a again.\n',
    'paper.tex': '\\cites{b}[p. 2]{b} \\cite{a}\n\\bibliography{refs}\n',
    'refs.bib': '@book{a, title={A}}\n@book{b, title={B}}\n',
  });
  const message = (key: string) => `Duplicate citation \`${key}\`: this citation already cites it, so the reference may be printed twice. Remove the repeat.`;
  const text = run(['check', '.'], dir);
  assert.equal(text.status, 0, text.stderr);
  assert.equal(text.stdout, `paper.md:4:15: warning: ${message('a')} [duplicate-citation]\npaper.tex:1:17: warning: ${message('b')} [duplicate-citation]\n`);
  assert.match(text.stderr, /2 warning\(s\)/);
  const json = run(['check', '--format', 'json', 'paper.md'], dir);
  assert.deepEqual(JSON.parse(json.stdout).diagnostics, [
    { file: 'paper.md', line: 4, column: 15, endLine: 4, endColumn: 16, severity: 'warning', code: 'duplicate-citation', message: message('a'), key: 'a' },
  ]);
  const sarif = JSON.parse(run(['check', '--format', 'sarif', 'paper.md'], dir).stdout);
  const [result] = sarif.runs[0].results;
  assert.deepEqual([result.ruleId, result.level, result.message.text], ['duplicate-citation', 'warning', message('a')]);
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 4, startColumn: 15, endLine: 4, endColumn: 16 });
  const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'duplicate-citation');
  assert.deepEqual(rule?.defaultConfiguration, { level: 'warning' });
  assert.match(rule?.shortDescription.text, /cited twice in one citation/);
  assert.equal(run(['check', '--level', 'duplicate-citation=error', '.'], dir).status, 1);
  assert.equal(run(['check', '--level', 'duplicate-citation=ignore', '.'], dir).stdout, '');
});

test('a notebook\'s positions name the cell and count lines and columns in its source; SARIF keeps the file\'s own', () => {
  const notebook = JSON.stringify({
    cells: [
      { cell_type: 'raw', metadata: {}, source: ['---\n', 'bibliography: refs.bib\n', '---\n'] },
      { cell_type: 'markdown', metadata: {}, source: ['# A \\"title\\"\n', 'See [@doe2020; @nope].\n'] },
      { cell_type: 'code', metadata: {}, source: ['"@notacitation"'], outputs: [], execution_count: null },
    ],
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  }, null, 1);
  const dir = tempDir({ 'nb.ipynb': notebook, 'refs.bib': '@book{doe2020, title={T}, author={Doe, J.}, year=2020}\n' });

  const keys = run(['keys', 'nb.ipynb'], dir);
  assert.equal(keys.status, 0, keys.stderr);
  assert.equal(keys.stdout, 'nb.ipynb:cell_2:2:7\tdoe2020\nnb.ipynb:cell_2:2:17\tnope\n');
  const keysJson = JSON.parse(run(['keys', '--format', 'json', 'nb.ipynb'], dir).stdout) as (KeyJson & { cell: number })[];
  assert.deepEqual(keysJson[1], { file: 'nb.ipynb', cell: 2, line: 2, column: 17, key: 'nope', kind: 'citation' });

  const check = run(['check'], dir);
  assert.equal(check.stdout, 'nb.ipynb:cell_2:2:17: warning: Undefined citation `nope`: not in refs.bib. [undefined-citation]\n');
  const report = JSON.parse(run(['check', '--format', 'json'], dir).stdout) as { diagnostics: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(report.diagnostics[0]), ['file', 'cell', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'key']);
  assert.deepEqual([report.diagnostics[0].cell, report.diagnostics[0].line, report.diagnostics[0].column, report.diagnostics[0].endColumn], [2, 2, 17, 21]);

  const sarif = JSON.parse(run(['check', '--format', 'sarif'], dir).stdout);
  const region = sarif.runs[0].results[0].locations[0].physicalLocation.region;
  const line = notebook.split('\n')[region.startLine - 1];
  assert.equal(line.slice(region.startColumn - 1, region.endColumn - 1), 'nope');
});
