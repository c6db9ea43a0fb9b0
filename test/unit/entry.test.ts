// Decoded entries from BibTeX and CSL: names, title, year, container, publisher, links, and author–year labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';
import { parseCslJson } from '../../server/src/syntax/csl/json';
import { parseCslYaml } from '../../server/src/syntax/csl/yaml';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { authorYearLabel, decodeBibtexEntry, decodeCslItem, type DecodedEntry } from '../../server/src/bibliography/entry';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../examples', name), 'utf8');

function decodeBib(text: string): Map<string, DecodedEntry> {
  const file = scanBibtex(text);
  return new Map(file.entries.map((e) => [e.key, decodeBibtexEntry(text, e, file.strings)]));
}
function decodeFixture(name: string): Map<string, DecodedEntry> {
  if (name.endsWith('.bib')) return decodeBib(fixture(name));
  const file = name.endsWith('.json') ? parseCslJson(fixture(name)) : parseCslYaml(fixture(name));
  return new Map(file.items.map((item) => [item.key, decodeCslItem(item)]));
}
const ethics = decodeFixture('ethics.bib');
const geography = decodeFixture('geography.bib');

test('a biblatex article decodes to names, title, year from date, and journaltitle', () => {
  assert.deepEqual(ethics.get('gereffi2005a'), {
    key: 'gereffi2005a',
    type: 'article',
    authors: [
      { family: 'Gereffi', given: 'G.' },
      { family: 'Humphrey', given: 'J.' },
      { family: 'Sturgeon', given: 'T.' },
    ],
    editors: [],
    title: 'The governance of global value chains',
    year: '2005',
    container: 'Review of International Political Economy',
  });
});

test('a chapter has editors, its book as container and its publisher', () => {
  const chapter = ethics.get('gereffi2005');
  assert.deepEqual(chapter?.editors, [
    { family: 'Smelser', given: 'N. J.' },
    { family: 'Swedberg', given: 'R.' },
  ]);
  assert.equal(chapter?.container, 'The handbook of economic sociology');
  assert.equal(chapter?.publisher, 'Princeton University Press');
});

test('titles and publishers lose their braces and escapes', () => {
  assert.equal(ethics.get('greenhouse2013')?.title, 'U.S. Retailers decline to aid factory victims in Bangladesh');
  assert.equal(ethics.get('greenhouse2013')?.year, '2013');
  assert.equal(geography.get('yang2017')?.title, 'Transformation of China’s ‘World Factory’: Production relocation and export evolution of the electronics firms');
  assert.equal(ethics.get('gereffi2013')?.publisher, 'World Trade Organization; Fung Global Institute; Temasek Foundation Centre for Trade & Negotiations');
  assert.equal(geography.get('dicken2003')?.publisher, 'Economic and Social Research Council');
});

test('year comes from year, or from the start of a biblatex date; @string macros and DOIs/URLs are read', () => {
  const decoded = decodeBib(`@string{jeg = "Journal of Economic Geography"}
@article{a, author = "Doe, J.", year = 1999, date = {2020-05-01}, journal = jeg,
  doi = {10.1000/x\\_y--z}, url = {https://example.org/a\\_b~c}}
@misc{b, date = {2021-03}}
@misc{c, date = {2021/2022}, title = {No {Authors}}}`);
  assert.equal(decoded.get('a')?.year, '1999');
  assert.equal(decoded.get('a')?.container, 'Journal of Economic Geography');
  assert.equal(decoded.get('a')?.doi, '10.1000/x_y--z');
  assert.equal(decoded.get('a')?.url, 'https://example.org/a_b~c');
  assert.equal(decoded.get('b')?.year, '2021');
  assert.equal(decoded.get('c')?.year, '2021');
  assert.equal(authorYearLabel(decoded.get('c') as DecodedEntry), 'No Authors (2021)');
});

test('author–year labels follow the number of authors', () => {
  assert.equal(authorYearLabel(ethics.get('gereffi2005a') as DecodedEntry), 'Gereffi et al. (2005)');
  assert.equal(authorYearLabel(ethics.get('gereffi2005') as DecodedEntry), 'Gereffi (2005)');
  assert.equal(authorYearLabel(ethics.get('gereffi2013') as DecodedEntry), 'Gereffi & Sturgeon (2013)');
  assert.equal(authorYearLabel(ethics.get('ec2011') as DecodedEntry), 'European Commission (2011)');
  assert.equal(authorYearLabel(geography.get('porter1995') as DecodedEntry), 'Porter & van der Linde (1995)');
  assert.equal(authorYearLabel(geography.get('zhu2019') as DecodedEntry), 'Zhu et al. (2019)');
  assert.equal(authorYearLabel(decodeBib('@misc{k, author = {Solo, A. and others}}').get('k') as DecodedEntry), 'Solo et al. (n.d.)');
  assert.equal(authorYearLabel(decodeBib('@book{k, editor = {Ed, A.}, year = 2001}').get('k') as DecodedEntry), 'Ed (2001)');
});

test('CSL items decode like their BibTeX twins: JSON and YAML', () => {
  for (const twin of ['ethics.json', 'ethics.yaml', 'geography.json', 'geography.yaml']) {
    const bib = twin.startsWith('ethics') ? ethics : geography;
    // Pandoc's YAML is Markdown, where a straight ' stands for ’.
    const asWritten = (label: string): string => (twin.endsWith('.yaml') ? label.replace(/’/g, "'") : label);
    for (const [key, decoded] of decodeFixture(twin)) {
      assert.equal(authorYearLabel(decoded), asWritten(authorYearLabel(bib.get(key) as DecodedEntry)), `${twin} ${key}`);
    }
  }
  const json = decodeFixture('ethics.json');
  assert.equal(json.get('gereffi2005a')?.title, 'The governance of global value chains');
  assert.equal(json.get('gereffi2005a')?.container, 'Review of International Political Economy');
  assert.equal(json.get('gereffi2005a')?.type, 'article-journal');
  assert.deepEqual(decodeFixture('geography.json').get('zhu2019')?.authors.at(-1), { literal: 'others', others: true });
  assert.equal(decodeFixture('ethics.yaml').get('bair2001')?.title?.includes('{.nocase}'), false);
});

test('CSL particles, literals and odd values are handled', () => {
  const decoded = decodeCslItem({
    key: 'x',
    keyRange: { start: 0, end: 0 },
    range: { start: 0, end: 0 },
    data: {
      id: 'x',
      type: 'book',
      author: [{ family: 'Tulder', 'non-dropping-particle': 'van', given: 'R.' }, { literal: 'World Bank' }, 'junk', null],
      title: 'A <i>rich</i> title',
      issued: { raw: '2009-04' },
      publisher: ['A', 'B'],
      DOI: '10.1/x',
    },
  });
  assert.deepEqual(decoded.authors, [{ family: 'Tulder', particle: 'van', given: 'R.' }, { literal: 'World Bank' }]);
  assert.equal(decoded.title, 'A rich title');
  assert.equal(decoded.year, '2009');
  assert.equal(decoded.publisher, 'A; B');
  assert.equal(decoded.doi, '10.1/x');
  assert.equal(authorYearLabel(decoded), 'van Tulder & World Bank (2009)');
});

test('the completion label from names and year alone is the label of the fully decoded entry', () => {
  const text = `${fixture('ethics.bib')}\n@misc{untitledless, title = {Only a {Title}}, year = 2001}\n@misc{bare, note = {nothing}}\n`;
  const light = BibliographyFile.parse('/w/a.bib', text, 'bibtex');
  const full = BibliographyFile.parse('/w/b.bib', text, 'bibtex');
  assert.ok(light.entries.length > 10);
  for (let i = 0; i < light.entries.length; i++) {
    assert.equal(light.authorYear(light.entries[i]), authorYearLabel(full.decoded(full.entries[i])), light.entries[i].key);
  }
  assert.equal(light.authorYear(light.entries[light.entries.length - 2]), 'Only a Title (2001)');
});
