// The project's bibliography generator (bench/makeBib.ts), which tests and benchmarks use for large inputs: the same
// seed gives the same bytes, its stats tell the truth about the text, and the text has the mess real libraries have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLEAN, MALFORMED_KINDS, makeBib, writeBib } from '../../bench/makeBib';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';

test('the same size, seed and shares give the same text; another seed gives another', () => {
  const first = makeBib(2000, { seed: 5 });
  assert.equal(makeBib(2000, { seed: 5 }).text, first.text);
  assert.notEqual(makeBib(2000, { seed: 6 }).text, first.text);
  const chunks: string[] = [];
  writeBib(2000, { seed: 5 }, (chunk) => chunks.push(chunk));
  assert.ok(chunks.length > 1, 'written in several chunks');
  assert.equal(chunks.join(''), first.text);
  assert.equal(first.stats.bytes, Buffer.byteLength(first.text));
});

test('the stats count what the text holds: entries and keys in order, each broken entry one problem, repeated keys', () => {
  const { text, stats } = makeBib(4000, { seed: 9, malformed: 0.02, duplicates: 0.005 });
  const file = scanBibtex(text);
  assert.equal(stats.entries, 4000);
  assert.deepEqual(file.entries.map((entry) => entry.key), stats.keys);
  assert.equal(stats.malformed, 80);
  assert.deepEqual(Object.keys(stats.malformedKinds).sort(), [...MALFORMED_KINDS].sort());
  assert.equal(file.problems.length, stats.malformed);
  assert.equal(stats.duplicateKeys, 20);
  assert.equal(stats.keys.length - new Set(stats.keys).size, stats.duplicateKeys);
  assert.equal(file.strings.size, stats.strings);
  assert.ok(stats.stringUses > 100 && stats.comments > 10 && stats.junk > 5, JSON.stringify({ ...stats, keys: undefined }));
});

test('a clean file has no syntax problems and no repeated keys', () => {
  const { text, stats } = makeBib(3000, { ...CLEAN, seed: 4 });
  assert.deepEqual(scanBibtex(text).problems, []);
  assert.equal(new Set(stats.keys).size, 3000);
  assert.equal(stats.malformed + stats.duplicateKeys, 0);
});

test('the text has what real libraries have: accents both ways, other scripts, particles, odd keys, macros, comments', () => {
  const { text, stats } = makeBib(3000);
  const keys = stats.keys.join('\n');
  for (const punctuation of [':', '-', '.', '/', '+', '_']) assert.ok(keys.includes(punctuation), `a key with ${punctuation}`);
  assert.match(keys, /^\p{L}*[^\p{ASCII}]\p{L}*\d{4}$/mu, 'a key with letters beyond ASCII');
  assert.match(keys, /^arXiv:\d{4}\.\d{5}$/m);
  for (const sample of ['{\\"', '\\~{n}', '{\\c', '{\\ss}', '{\\O}', 'ü', 'ø', 'Петрова', '张', ' van der ', ', Jr.,', ' and others}', '{\\relax Ch}', '$\\beta$']) {
    assert.ok(text.includes(sample), `the text has ${sample}`);
  }
  assert.match(text, /^@preamble\{/m);
  assert.match(text, /^@[Ss]tring\{procof = "Proceedings of the "\}$/m);
  assert.match(text, /^\s+booktitle\s+= icml,?$/m, 'an entry uses a macro');
  assert.match(text, /# procof #/, 'a value concatenated with #');
  assert.match(text, /^@(Article|ARTICLE)\{/m, 'entry types in other cases');
  assert.match(text, /^@comment\{/m);
  assert.match(text, /^Notes kept between entries/m, 'free text between entries');
});

const hasBiber = !spawnSync('biber', ['--version']).error;

test('biber reads every key of a clean generated file as written', { skip: !hasBiber && 'biber not installed', timeout: 120_000 }, () => {
  const { text, stats } = makeBib(400, { ...CLEAN, seed: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'citekeys-makebib-'));
  try {
    writeFileSync(join(dir, 'in.bib'), text);
    execFileSync('biber', ['--tool', '--nolog', '--output-format=bibtex', '--output-file=out.bib', 'in.bib'], { cwd: dir, stdio: 'ignore', timeout: 110_000 });
    const biberKeys = [...readFileSync(join(dir, 'out.bib'), 'utf8').matchAll(/^@[A-Za-z]+\{(.*),$/gm)].map((m) => m[1]);
    assert.deepEqual(biberKeys.sort(), [...stats.keys].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
