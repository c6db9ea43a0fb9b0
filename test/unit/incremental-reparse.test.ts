// An edited bibliography takes over what its previous version worked out (definitions, key map, decoded entries,
// line index); after any chain of edits it must answer exactly as a fresh parse of the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { LineIndex } from '../../server/src/util/lineIndex';
import { seededRandom } from './helpers/random';
import { makeBib } from '../../bench/makeBib';

const GENERATED = makeBib(1000, { seed: 11 }).text;

/** What features read of a bibliography, in plain data. */
function answers(file: BibliographyFile, probeKeys: string[]) {
  const lines = file.lineIndex();
  return {
    entries: file.entries.map((e) => [e.key, e.type, e.keyRange.start, e.keyRange.end, e.range.start, e.range.end, e.file === file]),
    problems: file.problems.map((p) => [p.range.start, p.range.end, p.message]),
    definitions: probeKeys.map((key) => file.definitions(key).map((d) => d.range.start)),
    duplicates: file.duplicateKeys().map((list) => list.map((d) => d.range.start)).sort(),
    decoded: file.entries.filter((_, i) => i % 97 === 0).map((e) => file.decoded(e)),
    positions: file.entries.filter((_, i) => i % 89 === 0).map((e) => lines.positionAt(e.keyRange.start)),
    lineCount: lines.lineCount,
  };
}

const EDITS = ['}', '{', ',', '\n@article{new,\n  title = {T}\n}\n', ' ', 'x', '\n', '\r\n', 'zq', '', '@book{dup,', 'é'];

test('after 300 random edits, each re-parsed from the last, a bibliography answers as a fresh parse', () => {
  const next = seededRandom(7);
  let file = BibliographyFile.parse('/w/refs.bib', GENERATED, 'bibtex', 1);
  let taken = 0;
  for (let i = 0; i < 300; i++) {
    const keys = file.entries.map((e) => e.key);
    const probeKeys = [keys[Math.floor(next() * keys.length)], 'dup', 'new', keys[0]];
    answers(file, probeKeys); // the previous version has built its key map, decoded entries and line index
    const text = file.text;
    const at = Math.floor(next() * text.length);
    const removed = Math.floor(next() * 30);
    const edited = text.slice(0, at) + EDITS[Math.floor(next() * EDITS.length)] + text.slice(Math.min(text.length, at + removed));
    const reparsed = BibliographyFile.reparse(file, edited, i + 2);
    if (reparsed.previous) taken++;
    const fresh = BibliographyFile.parse('/w/refs.bib', edited, 'bibtex', i + 2);
    assert.deepEqual(answers(reparsed, probeKeys), answers(fresh, probeKeys), `edit ${i} at ${at}`);
    file = reparsed;
  }
  assert.ok(taken > 250, `${taken} of 300 edits took the previous version over`);
});

test('a line index moved past an edit equals one built afresh, with \\n, \\r\\n and lone \\r line ends', () => {
  const next = seededRandom(3);
  const pieces = ['a', 'bc', '\n', '\r\n', '\r', 'é', '😀', ' '];
  let text = Array.from({ length: 400 }, () => pieces[Math.floor(next() * pieces.length)]).join('');
  let index = new LineIndex(text);
  for (let i = 0; i < 2000; i++) {
    const start = Math.floor(next() * (text.length + 1));
    const oldEnd = Math.min(text.length, start + Math.floor(next() * 6));
    const inserted = Array.from({ length: Math.floor(next() * 4) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
    const edited = text.slice(0, start) + inserted + text.slice(oldEnd);
    const moved = LineIndex.afterEdit(index, edited, start, oldEnd, start + inserted.length);
    const fresh = new LineIndex(edited);
    assert.equal(moved.lineCount, fresh.lineCount, `edit ${i}: ${JSON.stringify(text.slice(Math.max(0, start - 3), oldEnd + 3))} → ${JSON.stringify(inserted)}`);
    for (let line = 0; line < fresh.lineCount; line++) assert.equal(moved.lineStart(line), fresh.lineStart(line), `edit ${i}, line ${line}`);
    text = edited;
    index = moved;
  }
});

test('a line index built in steps between pauses equals one built at once and the line breaks of the text', async () => {
  const next = seededRandom(5);
  const pieces = ['a', 'bc', '\n', '\r\n', '\r', 'é', '😀', ' '];
  for (let round = 0; round < 60; round++) {
    // Half the texts have no \r at all (the indexOf path), half have every kind of line end.
    const kinds = round % 2 ? pieces : pieces.filter((piece) => !piece.includes('\r'));
    const text = Array.from({ length: Math.floor(next() * 300) }, () => kinds[Math.floor(next() * kinds.length)]).join('');
    const expected = [0, ...[...text.matchAll(/\r\n|\r|\n/g)].map((m) => (m.index ?? 0) + m[0].length)];
    const step = 1 + Math.floor(next() * 12);
    let pauses = 0;
    const stepped = await LineIndex.inSteps(text, async () => void pauses++, step);
    const whole = new LineIndex(text);
    assert.equal(pauses, Math.max(0, Math.ceil(text.length / step) - 1), `round ${round}`);
    for (const index of [stepped, whole]) {
      assert.deepEqual(Array.from({ length: index.lineCount }, (_, line) => index.lineStart(line)), expected, `round ${round}, step ${step}: ${JSON.stringify(text)}`);
    }
  }
});

test('the previous version\'s definitions are reused, not copied, and the replaced ones are dropped', () => {
  const first = BibliographyFile.parse('/w/refs.bib', '@book{a, title={A}}\n@book{b, title={B}}\n@book{c, title={C}}\n', 'bibtex', 1);
  const [a, b, c] = first.entries;
  first.definitions('a');
  const second = BibliographyFile.reparse(first, first.text.replace('{b,', '{bee,'), 2);
  assert.equal(second.entries[0], a);
  assert.equal(second.entries[2], c);
  assert.notEqual(second.entries[1], b);
  assert.equal(c.file, second);
  assert.equal(c.range.start, first.text.indexOf('@book{c') + 2, 'moved by the two added characters');
  assert.deepEqual(second.definitions('b'), []);
  assert.deepEqual(second.definitions('bee').map((d) => d.key), ['bee']);
});
