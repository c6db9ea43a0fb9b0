// "Did you mean": closest keys across a document's bibliographies and its \bibitems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { prepareKeySuggestions, suggestKeys } from '../../server/src/features/suggestions';
import { seededRandom } from './helpers/random';
import fc from 'fast-check';
import { boundedEditDistance, EditDistanceFrom } from '../../server/src/util/editDistance';

const refs = BibliographyFile.parse('/w/refs.bib', ['gereffi2005', 'gereffi2005a', 'gereffi1994', 'humphrey2002', 'Kamm2000'].map((k) => `@misc{${k}, title={x}}`).join('\n'), 'bibtex');
const more = BibliographyFile.parse('/w/more.bib', '@misc{gerefi2005, title={x}}\n', 'bibtex');

test('the nearest keys come first, then alphabetically among equals', () => {
  assert.deepEqual(suggestKeys('gereffi2050', [refs], []), ['gereffi2005', 'gereffi2005a']);
});

test('case is ignored when comparing, and the key is given as written', () => {
  assert.deepEqual(suggestKeys('kamm2000', [refs], []), ['Kamm2000']);
});

test('keys from every file and from \\bibitems are candidates, each once', () => {
  assert.deepEqual(suggestKeys('gerefi2005', [refs, more], ['gerefi2005x']), ['gerefi2005', 'gereffi2005', 'gerefi2005x']);
});

test('nothing further than a third of the key is suggested', () => {
  assert.deepEqual(suggestKeys('smith1999', [refs], []), []);
  assert.deepEqual(suggestKeys('hump', [refs], []), []);
});

test('after an edit, suggestions follow the renamed keys without searching every key again', () => {
  const text = '@misc{smith2020, title={x}}\n@misc{smyth2021, title={y}}\n@misc{jones1999, title={z}}\n';
  const first = BibliographyFile.parse('/w/e.bib', text, 'bibtex');
  assert.deepEqual(suggestKeys('smith2021', [first], []), ['smith2020', 'smyth2021']);
  const renamed = BibliographyFile.reparse(first, text.replace('smyth2021', 'smith2021x'), 2);
  assert.ok(renamed.edited, 'the edit was re-scanned in a window');
  assert.deepEqual(suggestKeys('smith2021', [renamed], []), ['smith2020', 'smith2021x']);
  const added = BibliographyFile.reparse(renamed, renamed.text.replace('jones1999', 'smith2012'), 3);
  assert.deepEqual(suggestKeys('smith2021', [added], []), ['smith2020', 'smith2021x', 'smith2012']);
});

test('through random edits, the key groups kept from version to version suggest what a fresh parse suggests', () => {
  const random = seededRandom(21);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const stems = ['smith', 'Smith', 'smyth', 'jones', 'JONES', 'li', 'lee', 'müller', 'mueller', 'ISTANBUL', 'İz'];
  const key = () => `${pick(stems)}${pick(['', '2020', '2021', '1999a', 'x'])}`;
  let text = Array.from({ length: 60 }, (_, i) => `@misc{${key()}, title={t${i}}}`).join('\n');
  let file = BibliographyFile.parse('/w/r.bib', text, 'bibtex');
  let version = 1;
  for (let round = 0; round < 60; round++) {
    const lines = text.split('\n');
    const at = Math.floor(random() * lines.length);
    if (random() < 0.5) lines[at] = `@misc{${key()}, title={e${round}}}`;
    else lines.splice(at, random() < 0.5 ? 1 : 0, `@misc{${key()}, title={n${round}}}`);
    text = lines.join('\n');
    file = BibliographyFile.reparse(file, text, ++version);
    const fresh = BibliographyFile.parse('/w/r.bib', text, 'bibtex');
    for (let q = 0; q < 3; q++) {
      const wanted = key();
      assert.deepEqual(suggestKeys(wanted, [file], []), suggestKeys(wanted, [fresh], []), `${wanted} after round ${round}`);
    }
  }
});

test('key groups prepared between requests, in steps of 10,000 keys, suggest what groups made on demand suggest', async () => {
  const text = Array.from({ length: 25_000 }, (_, i) => `@misc{${['smith', 'Smyth', 'jones', 'lee'][i % 4]}${i}, title={t}}`).join('\n');
  const wanted = ['smith1234', 'smyth2001', 'jonse3330', 'lee24999x', 'SMITH20000'];
  const onDemand = BibliographyFile.parse('/w/d.bib', text, 'bibtex');
  const expected = wanted.map((key) => suggestKeys(key, [onDemand], []));
  assert.ok(expected.every((keys) => keys.length > 0));

  const prepared = BibliographyFile.parse('/w/p.bib', text, 'bibtex');
  let pauses = 0;
  await prepareKeySuggestions(prepared, async () => void pauses++);
  assert.equal(pauses, 2, 'a pause between each two steps');
  assert.deepEqual(wanted.map((key) => suggestKeys(key, [prepared], [])), expected);

  // A request that needs the groups while they are being prepared makes them itself, and the answers agree.
  const raced = BibliographyFile.parse('/w/r.bib', text, 'bibtex');
  let during: string[][] = [];
  await prepareKeySuggestions(raced, async () => {
    if (!during.length) during = wanted.map((key) => suggestKeys(key, [raced], []));
  });
  assert.deepEqual(during, expected);
  assert.deepEqual(wanted.map((key) => suggestKeys(key, [raced], [])), expected);
});

test('bit-parallel distances from one key equal the table’s, for any characters, lengths past 32 and limits', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', 'ß', '\u4e00', '\u{1d400}'), maxLength: 40 });
  fc.assert(fc.property(text, text, fc.integer({ min: 0, max: 6 }), (from, to, limit) => {
    const table = Math.min(limit + 1, boundedEditDistance(from, to, limit));
    assert.equal(new EditDistanceFrom(from).bounded(to, limit), table, `${JSON.stringify(from)} → ${JSON.stringify(to)} (${limit})`);
  }), { numRuns: 5000 });
  // The same object answers for many keys (its table of positions is per character, not per call).
  const from = new EditDistanceFrom('gereffi2005');
  assert.deepEqual(['gereffi2005', 'gereffi2005a', 'gerefi2005', 'humphrey2002', 'Gereffi2005'].map((key) => from.bounded(key, 3)), [0, 1, 1, 4, 1]);
});
