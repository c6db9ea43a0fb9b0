// Scanning in slices and re-scanning an edited window must give exactly what one full scan gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { scanBibtex, scanBibtexKeys } from '../../server/src/syntax/bibtex/scanner';
import { fieldsOf } from '../../server/src/syntax/bibtex/fields';
import { mergeBibtexSlices, rescanBibtexEdit, scanBibtexSlice, sliceBoundaries } from '../../server/src/syntax/bibtex/slices';
import type { BibtexFile } from '../../server/src/syntax/types';
import { seededRandom } from './helpers/random';
import { corpusPath, withoutCorpus } from './helpers/corpus';
import { makeBib } from '../../bench/makeBib';

/** 3,000 realistic entries, 1% of them malformed, 0.2% duplicate keys (the project's benchmark generator). */
const GENERATED = makeBib(3000, { seed: 7 }).text;

function plain(file: BibtexFile) {
  return {
    entries: file.entries.map((e) => ({ type: e.type, key: e.key, keyRange: { ...e.keyRange }, range: { ...e.range }, fields: fieldsOf(e) })),
    problems: file.problems.map((p) => ({ ...p })),
    strings: [...file.strings.entries()].sort(),
  };
}

function scanInSlices(text: string, size: number): BibtexFile {
  const bounds = sliceBoundaries(text, size);
  const parts: BibtexFile[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) parts.push(scanBibtexSlice(text, bounds[i], bounds[i + 1]));
  return mergeBibtexSlices(parts);
}

test('a generated file with malformed entries scans the same in 4 KB slices as in one pass', () => {
  const bounds = sliceBoundaries(GENERATED, 4096);
  assert.ok(bounds.length > 100, `${bounds.length} slices`);
  assert.deepEqual(plain(scanInSlices(GENERATED, 4096)), plain(scanBibtex(GENERATED)));
});

test('every corpus bibliography scans the same in small slices as in one pass', { skip: withoutCorpus('bib') }, () => {
  const dir = corpusPath('bib');
  let compared = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.bib'))) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    assert.deepEqual(plain(scanInSlices(text, 512)), plain(scanBibtex(text)), name);
    compared++;
  }
  assert.ok(compared > 400);
});

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
const EDITS = ['}', '{', ',', '@', '\n@article{new,\n', ' ', 'x', '"', '\n', '@string{j = {J}}\n', ''];

test('re-scanning only the edited entries gives what a full scan of the new text gives (500 random edits)', () => {
  const next = seededRandom(42);
  let text = GENERATED;
  let file = scanBibtex(text);
  let windowed = 0;
  for (let i = 0; i < 500; i++) {
    const at = Math.floor(next() * text.length);
    const removed = Math.floor(next() * 40);
    const inserted = EDITS[Math.floor(next() * EDITS.length)];
    const edited = text.slice(0, at) + inserted + text.slice(Math.min(text.length, at + removed));
    // Each re-scan takes over the previous one's objects, moved in place: errors would add up over the chain.
    const rescanned = rescanBibtexEdit(text, file, edited);
    const full = scanBibtex(edited);
    if (rescanned) {
      windowed++;
      assert.deepEqual(plain(rescanned), plain(full), `edit ${i} at ${at}: -${removed} +${JSON.stringify(inserted)}`);
    }
    text = edited;
    file = rescanned ?? full;
  }
  assert.ok(windowed > 400, `${windowed} of 500 edits were re-scanned in a window`);
});

test('an edit inside an @string definition asks for a full scan', () => {
  const text = '@string{j = {Journal}}\n@article{a, journal = j}\n';
  assert.equal(rescanBibtexEdit(text, scanBibtex(text), text.replace('Journal', 'Journal of X')), undefined);
});

/** What the keys-only scan must agree on with the full scan: entries without their fields, and problems. */
const keysAndProblems = (file: BibtexFile) => ({
  entries: file.entries.map((e) => ({ type: e.type, key: e.key, keyRange: e.keyRange, range: e.range })),
  problems: file.problems,
});

test('the keys-only scan finds the same entries, keys, ranges and problems as the full scan', () => {
  const keysOnly = scanBibtexKeys(GENERATED);
  const full = scanBibtex(GENERATED);
  assert.ok(keysOnly.entries.every((e) => e.fieldCount === 0));
  assert.deepEqual(keysAndProblems(keysOnly), keysAndProblems(full));
  assert.ok(full.problems.length > 20, 'the generated file has malformed entries');
});

test('the keys-only scan agrees with the full scan on every corpus bibliography', { skip: withoutCorpus('bib') }, () => {
  const dir = corpusPath('bib');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.bib'))) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    assert.deepEqual(keysAndProblems(scanBibtexKeys(text)), keysAndProblems(scanBibtex(text)), name);
  }
});
