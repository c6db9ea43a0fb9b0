// Formatting one entry as a reference via citation-js: APA output, user .csl styles, CSL twins, fallbacks, cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';
import { parseCslJson } from '../../server/src/syntax/csl/json';
import { parseCslYaml } from '../../server/src/syntax/csl/yaml';
import { ReferenceFormatter, toCsl, formatReference, formatInput, type BibtexEntrySource, type EntrySource } from '../../server/src/bibliography/format';
import { bibtexEntrySourceText } from '../../server/src/bibliography/bibtexSource';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../examples', name), 'utf8');

function bibSources(text: string): Map<string, EntrySource> {
  const file = scanBibtex(text);
  return new Map(file.entries.map((entry) => [entry.key, { bibtex: { text, entry, strings: file.strings } }]));
}
function cslSources(name: string): Map<string, EntrySource> {
  const file = name.endsWith('.json') ? parseCslJson(fixture(name)) : parseCslYaml(fixture(name));
  return new Map(file.items.map((item) => [item.key, { csl: item }]));
}
const ethics = bibSources(fixture('ethics.bib'));
const source = (key: string): EntrySource => ethics.get(key) as EntrySource;

/** A minimal CSL style: `Family (Year). Title.` */
const TINY_STYLE = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Tiny</title><id>tiny</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <layout suffix=".">
      <names variable="author"><name form="short" and="text" delimiter=", "/></names>
      <date variable="issued" prefix=" (" suffix="). "><date-part name="year"/></date>
      <text variable="title" font-style="italic"/>
    </layout>
  </bibliography>
</style>`;

test('APA references for fixture entries read as printed (first call loads citation-js)', async (t) => {
  const formatter = new ReferenceFormatter();
  const started = performance.now();
  const first = await formatter.format(source('gereffi2005a'), { name: 'apa' });
  const firstCall = performance.now() - started;
  assert.deepEqual(first, {
    text: 'Gereffi, G., Humphrey, J., & Sturgeon, T. (2005). The governance of global value chains. Review of International Political Economy, 12(1), 78–104.',
    markdown: 'Gereffi, G., Humphrey, J., & Sturgeon, T. (2005). The governance of global value chains. *Review of International Political Economy*, *12*(1), 78–104.',
    fallback: false,
  });
  assert.equal(
    (await formatter.format(source('kolk2004'), { name: 'apa' })).text,
    'Kolk, A., & van Tulder, R. (2004). Ethics in international business: Multinational approaches to child labor. Journal of World Business, 39(1), 49–60.',
  );
  assert.equal(
    (await formatter.format(source('gereffi2013'), { name: 'apa' })).text,
    'Gereffi, G., & Sturgeon, T. J. (2013). Global value chain-oriented industrial policy: The role of emerging economies. In D. K. Elms & P. Low (Eds.), Global value chains in a changing world (pp. 329–360). World Trade Organization; Fung Global Institute; Temasek Foundation Centre for Trade & Negotiations.',
  );
  const each = performance.now();
  const all = await Promise.all([...ethics.values()].map((s) => formatter.format(s, { name: 'apa' })));
  const perEntry = (performance.now() - each) / all.length;
  assert.equal(all.filter((r) => r.fallback).length, 0);
  t.diagnostic(`first call ${firstCall.toFixed(0)} ms, then ${perEntry.toFixed(1)} ms per entry`);
});

test('CSL-JSON and CSL-YAML twins format exactly like the BibTeX entry', async () => {
  const formatter = new ReferenceFormatter();
  const json = cslSources('ethics.json');
  const yaml = cslSources('ethics.yaml');
  for (const key of ['gereffi2005a', 'bair2001', 'orourke2003', 'puppimdeoliveira2008']) {
    const expected = (await formatter.format(source(key), { name: 'apa' })).text;
    assert.equal((await formatter.format(json.get(key) as EntrySource, { name: 'apa' })).text, expected, `json ${key}`);
    assert.equal((await formatter.format(yaml.get(key) as EntrySource, { name: 'apa' })).text, expected, `yaml ${key}`);
  }
});

test('title case leaves lower case only the words pandoc\'s citeproc does ("between", "out", "through" are capitalised)', () => {
  const bib = '@article{k, author = {Doe, Jane}, title = {T}, journal = {Studies between the wars: out of reach through time}, year = {2000}}';
  const result = formatInput({ bibtex: bib, key: 'k' }, { name: 'apa' });
  assert.ok('text' in result);
  assert.equal(result.text, 'Doe, J. (2000). T. Studies Between the Wars: Out of Reach Through Time.');
});

test('an inline user style is registered by content and used', async () => {
  const formatter = new ReferenceFormatter();
  const style = { name: 'tiny.csl', xml: TINY_STYLE };
  const result = await formatter.format(source('gereffi2005a'), style);
  assert.equal(result.text, 'Gereffi, Humphrey, and Sturgeon (2005). The governance of global value chains.');
  assert.equal(result.markdown, 'Gereffi, Humphrey, and Sturgeon (2005). *The governance of global value chains*.');
  const edited = { name: 'tiny.csl', xml: TINY_STYLE.replace('and="text"', 'and="symbol"') };
  assert.equal((await formatter.format(source('gereffi2005a'), edited)).text, 'Gereffi, Humphrey, & Sturgeon (2005). The governance of global value chains.');
});

const IEEE = '/usr/share/citation-style-language/styles/ieee.csl';
test('an installed .csl file (IEEE) formats a reference', { skip: !existsSync(IEEE) && 'citation-style-language-styles is not installed' }, async () => {
  const result = await new ReferenceFormatter().format(source('gereffi2005a'), { name: 'ieee', xml: readFileSync(IEEE, 'utf8') });
  assert.equal(
    result.text,
    '[1] G. Gereffi, J. Humphrey, and T. Sturgeon, “The governance of global value chains,” Review of International Political Economy, vol. 12, no. 1, pp. 78–104, 2005.',
  );
});

test('@string macros an entry uses travel with it to citation-js', () => {
  const text = '@string{rsj = {Regional Studies}}\n@string{unused = {x}}\n@string{full = rsj # { Journal}}\n@article{k, author = {Doe, J.}, title = {T}, journal = full, date = {2001}}';
  const entries = bibSources(text);
  const k = entries.get('k') as { bibtex: BibtexEntrySource };
  assert.equal(
    bibtexEntrySourceText(k.bibtex),
    '@string{rsj = {Regional Studies}}\n@string{full = rsj # { Journal}}\n@article{k, author = {Doe, J.}, title = {T}, journal = full, date = {2001}}',
  );
  const converted = toCsl(k);
  assert.ok('csl' in converted);
  assert.equal(converted.csl['container-title'], 'Regional Studies Journal');
});

test('when citation-js cannot read or format an entry, a plain fallback says so', async () => {
  const formatter = new ReferenceFormatter();
  const unknownStyle = await formatter.format(source('gereffi2005a'), { name: 'no-such-style' });
  assert.equal(unknownStyle.fallback, true);
  assert.equal(unknownStyle.text, 'Gereffi, Humphrey & Sturgeon (2005). The governance of global value chains. Review of International Political Economy.');
  assert.match(unknownStyle.error ?? '', /no-such-style/);

  const broken = bibSources('@article{cut, author = {Zhu, S. and others}, title = {Unclosed {brace}, date = {2019}\n');
  const result = await formatter.format(broken.get('cut') as EntrySource, { name: 'apa' });
  assert.equal(result.fallback, true);
  assert.ok(result.error);
  assert.match(result.text, /^Zhu et al\. \(n\.d\.\)|^Zhu et al\. \(2019\)/);

  const badStyle = formatReference({ id: 'x', type: 'book', title: 'T' }, { name: 'bad', xml: '<not-csl/>' });
  assert.deepEqual([badStyle.fallback, badStyle.text], [true, '(n.d.). T.']);
});

test('the cache returns the same result for unchanged content and is bounded', async () => {
  const formatter = new ReferenceFormatter(3);
  const first = await formatter.format(source('gereffi2005a'), { name: 'apa' });
  assert.equal(await formatter.format(source('gereffi2005a'), { name: 'apa' }), first);
  assert.notEqual(await formatter.format(source('gereffi2005a'), { name: 'vancouver' }), first);
  for (const key of ['kolk2004', 'gereffi2013', 'bair2001']) await formatter.format(source(key), { name: 'apa' });
  assert.equal(formatter.size, 3);
  const edited = bibSources(fixture('ethics.bib').replace('The governance of global value chains', 'The governance of value chains'));
  assert.match((await formatter.format(edited.get('gereffi2005a') as EntrySource, { name: 'apa' })).text, /The governance of value chains\./);
});

test('a hyphen in an issue number stays a hyphen where the style prints the issue as text, as pandoc prints it', () => {
  const bib = '@article{k, author = {Doe, Jane}, title = {T}, journal = {J}, volume = {12}, number = {3-4}, pages = {5-9}, year = {2000}}';
  const result = formatInput({ bibtex: bib, key: 'k' }, { name: 'apa' });
  assert.ok('text' in result);
  assert.equal(result.text, 'Doe, J. (2000). T. J, 12(3-4), 5–9.');
});

/** A style that prints "In " before a container that may be missing, then the pages, as Chicago does. */
const IN_CONTAINER_STYLE = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>In container</title><id>in-container</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout suffix="."><text variable="title" suffix=", "/><text term="in" text-case="capitalize-first" suffix=" "/>
    <text variable="container-title"/><text variable="page" prefix=", "/></layout></bibliography>
</style>`;

test('a space before a comma where rendered pieces meet is dropped, as pandoc prints it ("In, 38–45")', () => {
  const style = { name: 'in-container', xml: IN_CONTAINER_STYLE };
  const bare = formatInput({ bibtex: '@inproceedings{k, title = {Title}, pages = {38--45}}', key: 'k' }, style);
  assert.ok('text' in bare);
  assert.equal(bare.text, 'Title, In, 38–45.');
  const wait = formatInput({ bibtex: '@inproceedings{k, title = {Wait ... what}, booktitle = {Book}, pages = {38--45}}', key: 'k' }, style);
  assert.ok('text' in wait);
  assert.equal(wait.text, 'Wait ... what, In Book, 38–45.');
});
