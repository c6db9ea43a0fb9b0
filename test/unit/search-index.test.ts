// Fuzzy search over one bibliography: key prefixes, family names, title words, years, containers, DOIs; accents,
// LaTeX escapes, multi-word AND, typos, caps, preferred keys, and the per-file cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { hasOwnSearchIndex, prepareSearchIndex, searchIndexOf, typingSearchIndexOf } from '../../server/src/bibliography/searchIndex';
import { foldText, searchWords, searchWordsText } from '../../server/src/util/fuzzy';

const ethicsText = readFileSync(join(__dirname, '../../examples/ethics.bib'), 'utf8');
const ethics = BibliographyFile.parse('/w/ethics.bib', ethicsText, 'bibtex');

function keys(file: BibliographyFile, query: string, limit = 20, preferred: string[] = []): string[] {
  return searchIndexOf(file).search(query, limit, new Set(preferred)).hits.map((hit) => hit.entry.key);
}

const small = BibliographyFile.parse('/w/small.bib', `
@string{jbe = "Journal of Business Ethics"}
@article{cr2005, author = {Rodr{\\'\\i}guez-Garavito, C. A.}, title = {Global governance and labor rights}, journal = jbe, year = 2005}
@book{mueller1999, author = {M{\\"u}ller, J{\\"u}rgen and {World Bank}}, title = {{COVID-19} and {\\emph{Stra\\ss e}} studies}, year = {1999}, doi = {10.1000/xyz.123}}
@misc{zz, author = {Ann Smith and Bob de Vries}, title = {Upgrading in clusters}, date = {2010-05-01}}
`, 'bibtex');

test('folding drops accents and case but keeps other characters', () => {
  assert.equal(foldText('Rodríguez-Garavito2005'), 'rodriguez-garavito2005');
  assert.equal(foldText('Ærø Łódź Straße'), 'aero lodz strasse');
  assert.equal(foldText('Rodri\u0301guez'), 'rodriguez');
});

test('search words split at punctuation and between letters and digits, and read raw LaTeX', () => {
  assert.deepEqual(searchWords('Gereffi2005a COVID-19'), ['gereffi', '2005', 'a', 'covid', '19']);
  assert.equal(searchWordsText('J{\\"u}rgen Schr{\\"o}dinger, Fran\\c cois and \\emph{Stra\\ss e} {\\o}re', true), 'jurgen schrodinger francois and strasse ore');
  assert.equal(searchWordsText('Politics \\& Society', true), 'politics society');
});

test('an exact key comes first, then keys starting with the query', () => {
  const found = keys(ethics, 'gereffi2005');
  assert.deepEqual(found.slice(0, 2), ['gereffi2005', 'gereffi2005a']);
  const hits = searchIndexOf(ethics).search('gere', 50).hits;
  const keyMatches = hits.filter((hit) => hit.entry.key.startsWith('gere'));
  assert.equal(keyMatches.length, 8, 'ethics.bib has eight gereffi keys');
  assert.ok(hits.length > 8, 'other entries match gere in their fields');
  assert.deepEqual(hits.slice(0, 8), keyMatches, 'key prefix matches come before field matches');
});

test('key prefixes are case-insensitive', () => {
  assert.equal(keys(ethics, 'GEREFFI2005A')[0], 'gereffi2005a');
});

test('a co-author family name finds the entry', () => {
  assert.ok(keys(ethics, 'sturgeon').includes('gereffi2005a'));
});

test('accents do not matter in either direction', () => {
  assert.deepEqual(keys(small, 'rodriguez'), ['cr2005']);
  assert.deepEqual(keys(small, 'garavito'), ['cr2005']);
  assert.deepEqual(keys(small, 'Rodríguez'), ['cr2005']);
  assert.deepEqual(keys(small, 'müller'), ['mueller1999']);
  assert.deepEqual(keys(small, 'muller'), ['mueller1999']);
});

test('every query word must match (AND), each as a word prefix in any field', () => {
  assert.deepEqual(keys(ethics, 'gereffi governance 2005').sort(), ['gereffi2005', 'gereffi2005a']);
  assert.deepEqual(keys(ethics, 'humphrey upgrad'), ['humphrey2002']);
  assert.deepEqual(keys(ethics, 'gereffi upgrad 2005'), []);
});

test('words of titles, years from date fields, containers from @string macros, and DOIs are searchable', () => {
  assert.deepEqual(keys(small, 'covid'), ['mueller1999']);
  assert.deepEqual(keys(small, 'strasse'), ['mueller1999']);
  assert.deepEqual(keys(small, 'smith 2010'), ['zz']);
  assert.deepEqual(keys(small, 'business ethics'), ['cr2005']);
  assert.deepEqual(keys(small, '10.1000/xyz'), ['mueller1999']);
  assert.deepEqual(keys(small, 'world bank'), ['mueller1999']);
});

test('given names are not searched, family names are', () => {
  assert.deepEqual(keys(small, 'ann'), []);
  assert.deepEqual(keys(small, 'vries'), ['zz']);
});

test('"others" in a name list is skipped in any case, a family name like Othersen is not; year wins over date; journaltitle over journal', () => {
  const file = BibliographyFile.parse('/w/o.bib', `
@article{a1, author = {Smith, Ann and  OTHERS }, journal = {Plain Journal}, journaltitle = {Fancy Title}, date = {1990-01-01}, year = {c. 2001}}
@article{a2, author = {Jones, Bob and Othersen, Cy}, date = {2012-03-04}}
`, 'bibtex');
  assert.deepEqual(keys(file, 'others'), ['a2']);
  assert.deepEqual(keys(file, 'smith 2001'), ['a1']);
  assert.deepEqual(keys(file, 'smith 1990'), []);
  assert.deepEqual(keys(file, 'fancy'), ['a1']);
  assert.deepEqual(keys(file, 'plain'), []);
  assert.deepEqual(keys(file, 'othersen 2012'), ['a2']);
});

test('a typo in a long word still finds the entry when nothing matches exactly', () => {
  assert.ok(keys(ethics, 'govrenance').includes('gereffi2005a'));
  assert.deepEqual(keys(small, 'garavtio'), ['cr2005']);
  assert.deepEqual(keys(small, 'xyzzy'), []);
});

test('family names rank above title words', () => {
  const file = BibliographyFile.parse('/w/r.bib', `
@article{a1, author = {Doe, J.}, title = {Stories of Porter}}
@article{b1, author = {Porter, M.}, title = {Competition}}
`, 'bibtex');
  assert.deepEqual(keys(file, 'porter'), ['b1', 'a1']);
});

test('results are capped at the limit and say so', () => {
  const result = searchIndexOf(ethics).search('g', 3);
  assert.equal(result.hits.length, 3);
  assert.equal(result.capped, true);
  assert.equal(searchIndexOf(ethics).search('gereffi2005a', 3).capped, false);
});

test('preferred keys come first within their tier', () => {
  assert.equal(keys(ethics, 'gereffi', 20, ['gereffi2012'])[0], 'gereffi2012');
  assert.equal(keys(ethics, 'gereffi', 20)[0], 'gereffi1994');
});

test('CSL-JSON items are searchable by family name, title and year', () => {
  const file = BibliographyFile.parse('/w/refs.json', JSON.stringify([
    { id: 'x1', type: 'book', author: [{ family: 'Rodríguez-Garavito', given: 'C.' }], title: 'Codes of conduct', issued: { 'date-parts': [[2005]] } },
    { id: 'x2', type: 'book', author: [{ literal: 'World Bank' }], title: 'Other', issued: { 'date-parts': [[2010]] } },
  ]), 'csl-json');
  assert.deepEqual(keys(file, 'rodriguez codes 2005'), ['x1']);
  assert.deepEqual(keys(file, 'bank'), ['x2']);
});

test('the index is built once per parsed file and again for a re-parsed one', () => {
  const first = searchIndexOf(small);
  assert.equal(searchIndexOf(small), first);
  const reparsed = BibliographyFile.parse(small.path, small.text, 'bibtex');
  assert.notEqual(searchIndexOf(reparsed), first);
});

test('searchText holds the folded words of key, names, year, title, container and DOI', () => {
  const entry = small.definitions('cr2005')[0];
  assert.equal(searchIndexOf(small).searchText(entry), 'cr 2005 rodriguez garavito 2005 global governance and labor rights journal of business ethics');
});

test('an edited file borrows its predecessor’s index, matching the edited entries directly, until its own is built', async () => {
  const before = '@book{knuth1984, title = {The TeXbook}, year = {1984}}\n@book{lamport1994, title = {LaTeX}, year = {1994}}\n';
  const first = BibliographyFile.parse('/w/refs.bib', before, 'bibtex', 1);
  searchIndexOf(first);
  const edited = BibliographyFile.reparse(first, before.replace('The TeXbook', 'Computers and Typesetting'), 2);
  const borrowed = searchIndexOf(edited);
  assert.equal(hasOwnSearchIndex(edited), false);
  assert.equal(borrowed.search('knuth', 10).hits[0].entry.file, edited, 'hits are entries of the edited file');
  assert.deepEqual(borrowed.search('computers', 10).hits.map((h) => h.entry.key), ['knuth1984'], 'the new words are found');
  assert.deepEqual(borrowed.search('texbook', 10).hits.map((h) => h.entry.key), [], 'the old words are gone');

  const renamed = BibliographyFile.reparse(edited, edited.text.replace('lamport1994', 'lamport1994latex'), 3);
  const chained = searchIndexOf(renamed);
  assert.equal(hasOwnSearchIndex(renamed), false);
  assert.deepEqual(chained.search('lamport1994l', 10).hits.map((h) => h.entry.key), ['lamport1994latex']);
  assert.deepEqual(chained.search('computers', 10).hits.map((h) => h.entry.key), ['knuth1984'], 'earlier edits stay matched');

  let pauses = 0;
  await prepareSearchIndex(renamed, async () => void pauses++, 1);
  assert.ok(hasOwnSearchIndex(renamed));
  assert.ok(pauses >= 2, `yielded ${pauses} times`);
  assert.deepEqual(searchIndexOf(renamed).search('computers', 10).hits.map((h) => h.entry.key), ['knuth1984']);
});

test('an edit that adds an entry gets a fresh index (positions moved)', () => {
  const before = '@book{a1, title = {One}}\n@book{b2, title = {Two}}\n';
  const first = BibliographyFile.parse('/w/refs.bib', before, 'bibtex', 1);
  searchIndexOf(first);
  const added = BibliographyFile.reparse(first, before + '@book{c3, title = {Three}}\n', 2);
  assert.deepEqual(searchIndexOf(added).search('three', 10).hits.map((h) => h.entry.key), ['c3']);
  assert.ok(hasOwnSearchIndex(added));
});

test('a first author whose family name is the query ranks above keys that merely start with it', () => {
  const file = BibliographyFile.parse('/w/mill.bib', `
@article{Mill07, author = {Miller, A. and Mill, J. S.}, title = {Markets}, year = 2007}
@article{Mill10, author = {Miller, A.}, title = {Mills and factories}, year = 2010}
@article{Mill12, author = {Millikan, R.}, title = {Oil drops}, year = 2012}
@book{Mill59, author = {Mill, John Stuart}, title = {On Liberty}, year = 1859}
@book{JSM1848, author = {John Stuart Mill and Harriet Taylor Mill}, title = {Principles of Political Economy}, year = 1848}
@article{mill, author = {Stuart, J.}, title = {A key that is the query}, year = 2000}
`, 'bibtex');
  assert.deepEqual(keys(file, 'mill'), ['mill', 'JSM1848', 'Mill59', 'Mill07', 'Mill10', 'Mill12'],
    'the exact key, then Mill as first author (key order), then the other keys starting with mill');
  assert.deepEqual(keys(file, 'Mill'), keys(file, 'mill'));
  assert.deepEqual(keys(file, 'mill', 20, ['Mill59']).slice(0, 3), ['mill', 'Mill59', 'JSM1848'], 'a cited key comes first in its tier');
  assert.deepEqual(keys(file, 'mill', 20, ['Mill12']).slice(0, 4), ['mill', 'JSM1848', 'Mill59', 'Mill12'],
    'a cited key starting with the query comes first among the key prefixes, after the family name');
  assert.deepEqual(keys(file, 'mill 1859'), ['Mill59'], 'family + year');
  assert.deepEqual(keys(file, 'mill 2007'), ['Mill07']);
  assert.deepEqual(keys(file, 'mill07'), ['Mill07'], 'a key typed in full');
  assert.deepEqual(keys(file, 'mill1').slice(0, 2), ['Mill10', 'Mill12'], 'a key prefix with digits is not a family name');
  assert.deepEqual(keys(file, 'mille'), ['Mill07', 'Mill10'], 'a prefix of a family name is no whole word');
  assert.deepEqual(keys(file, 'liberty'), ['Mill59'], 'title words');

  const edited = BibliographyFile.reparse(file, file.text.replace('Millikan, R.', 'Mill, H.'), 2);
  const found = keys(edited, 'mill');
  assert.equal(hasOwnSearchIndex(edited), false, 'the edited file borrows the index');
  assert.ok(found.indexOf('Mill12') < found.indexOf('Mill07'), `an edited entry ranks by its new first author: ${found.join(' ')}`);
});

test('a multi-word family name ranks first when every query word is one of its words', () => {
  const file = BibliographyFile.parse('/w/dm.bib', `
@article{dem2016, author = {Demarchi, L.}, title = {One}}
@article{x1, author = {{De Marchi}, V. and Di Maria, E.}, title = {Two}}
@article{x2, author = {Di Maria, E. and De Marchi, V.}, title = {Three}}
`, 'bibtex');
  assert.deepEqual(keys(file, 'marchi'), ['x1', 'x2']);
  assert.deepEqual(keys(file, 'de-marchi'), ['x1', 'x2']);
  assert.deepEqual(keys(file, 'de'), ['x1', 'dem2016', 'x2'], 'first author De Marchi, then the key prefix');
});

test('while its index is being built, typing searches the keys alone and says the answer is incomplete', async () => {
  const file = BibliographyFile.parse('/w/building.bib', small.text, 'bibtex');
  let release: () => void = () => undefined;
  let paused = false;
  const building = prepareSearchIndex(file, () => new Promise<void>((resolve) => {
    paused = true;
    release = resolve;
  }), 1);
  assert.ok(paused, 'the build is waiting at its first pause');
  const meanwhile = typingSearchIndexOf(file);
  assert.equal(meanwhile.partial, true);
  assert.equal(hasOwnSearchIndex(file), false, 'the stand-in is not the file\'s index');
  const byKey = meanwhile.search('muell', 10);
  assert.deepEqual(byKey.hits.map((h) => h.entry.key), ['mueller1999']);
  assert.equal(byKey.capped, true);
  assert.deepEqual(meanwhile.search('garavito', 10).hits, [], 'field words wait for the whole index');
  while (!hasOwnSearchIndex(file)) {
    release();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await building;
  const whole = typingSearchIndexOf(file);
  assert.equal(whole.partial, false);
  assert.deepEqual(whole.search('garavito', 10).hits.map((h) => h.entry.key), ['cr2005']);
  assert.equal(whole.search('mueller1999', 10).capped, false);
});

test('typing in a file nobody is indexing builds its whole index at once', () => {
  const file = BibliographyFile.parse('/w/direct.bib', small.text, 'bibtex');
  const index = typingSearchIndexOf(file);
  assert.equal(index.partial, false);
  assert.deepEqual(index.search('garavito', 10).hits.map((h) => h.entry.key), ['cr2005']);
});

test('an index built while a keys-only stand-in answered ranks keys as one built at once (it reuses the sorted keys)', async () => {
  const prefixes = ['', 'a', 'b', 'ca', 'd', 'ha', 'k', 'm', 's', 'w', 'zz'];
  const direct = BibliographyFile.parse('/w/ethics-direct.bib', ethicsText, 'bibtex');
  const expected = prefixes.map((q) => searchIndexOf(direct).search(q, 50).hits.map((h) => h.entry.key));
  const file = BibliographyFile.parse('/w/ethics-building.bib', ethicsText, 'bibtex');
  let standIn: ReturnType<typeof typingSearchIndexOf> | undefined;
  await prepareSearchIndex(file, async () => {
    standIn ??= typingSearchIndexOf(file);
  }, 5);
  assert.equal(standIn?.partial, true, 'a stand-in answered while the index was built');
  const built = typingSearchIndexOf(file);
  assert.equal(built.partial, false);
  assert.deepEqual(prefixes.map((q) => built.search(q, 50).hits.map((h) => h.entry.key)), expected);
});
