// The one-entry form of a CSL style (citationJs.ts): hovers print exactly what the whole style prints, for every
// example entry in the built-in styles, the installed Debian styles and a sample of the real-world corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { citationJs, contentHash, oneEntryBibliographyStyle, templateName } from '../../server/src/bibliography/citationJs';
import { toCsl, type CslData, type EntrySource } from '../../server/src/bibliography/format';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';
import { parseCslJson } from '../../server/src/syntax/csl/json';
import { parseCslYaml } from '../../server/src/syntax/csl/yaml';
import { corpusPath, withoutCorpus } from './helpers/corpus';

const EXAMPLES = join(__dirname, '../../examples');
const DEBIAN_STYLES = '/usr/share/citation-style-language/styles';

function sourcesOf(path: string): EntrySource[] {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.bib')) {
    const file = scanBibtex(text);
    return file.entries.map((entry) => ({ bibtex: { text, entry, strings: file.strings } }));
  }
  const file = path.endsWith('.json') ? parseCslJson(text) : parseCslYaml(text);
  return file.items.map((item) => ({ csl: item }));
}

function cslItems(paths: string[]): CslData[] {
  const out: CslData[] = [];
  for (const path of paths) {
    for (const source of sourcesOf(path)) {
      const converted = toCsl(source);
      if ('csl' in converted) out.push(converted.csl);
    }
  }
  return out;
}

/** The bibliography of one item in a registered template, as citation-js prints it (HTML, or the error). */
function printed(template: string, item: CslData): string {
  try {
    return String(citationJs().plugins.output.format('bibliography', [item], { format: 'html', template, lang: 'en-US' }));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** Every item printed with the whole style and with the one-entry form citekeys formats with; the differences. */
function differences(xml: string, items: CslData[]): string[] {
  const styles = citationJs().plugins.config.get('@csl').styles;
  const whole = `whole-${contentHash(xml)}`;
  if (!styles.has(whole)) styles.add(whole, xml);
  const ours = templateName({ name: 'under test', xml }) as string;
  assert.notEqual(styles.get(ours), xml, 'the style was used as it is, not in its one-entry form');
  const out: string[] = [];
  for (const item of items) {
    const a = printed(whole, item);
    const b = printed(ours, item);
    if (a !== b) out.push(`${String(item.id)}:\n  whole: ${a}\n  ours:  ${b}`);
  }
  return out;
}

const exampleFiles = readdirSync(EXAMPLES).filter((name) => /\.(bib|json|yaml)$/.test(name)).map((name) => join(EXAMPLES, name));

test('the one-entry form of APA, Vancouver and Harvard prints every example entry exactly as the whole style does', () => {
  const items = cslItems(exampleFiles);
  assert.ok(items.length > 50, `only ${items.length} example entries`);
  for (const name of ['apa', 'vancouver', 'harvard1']) {
    const xml = citationJs().plugins.config.get('@csl').styles.get(name);
    assert.deepEqual(differences(xml, items), [], name);
  }
});

const installed = ['apa', 'chicago-author-date', 'ieee', 'modern-language-association', 'nature'].map((name) => join(DEBIAN_STYLES, `${name}.csl`)).filter(existsSync);

test('the one-entry form of installed styles (Chicago, IEEE, MLA, Nature) prints every example entry as the whole style does',
  { skip: installed.length === 0 && 'citation-style-language-styles is not installed' }, () => {
    const items = cslItems(exampleFiles);
    for (const path of installed) assert.deepEqual(differences(readFileSync(path, 'utf8'), items), [], path);
  });

test('the one-entry form of APA prints 400 real-world entries of the corpus as the whole style does', { skip: withoutCorpus('bib') }, () => {
  const files = readdirSync(corpusPath('bib')).filter((name) => name.endsWith('.bib')).sort().map((name) => corpusPath('bib', name));
  const items = cslItems(files).filter((_, i) => i % 7 === 0).slice(0, 400);
  assert.equal(items.length, 400);
  const xml = citationJs().plugins.config.get('@csl').styles.get('apa');
  assert.deepEqual(differences(xml, items), []);
});

test('the one-entry form drops the bibliography sort and the citation layout, and leaves the rest of the style alone', () => {
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <!-- <citation> in a comment is not the element -->
  <macro name="author"><names variable="author"/></macro>
  <citation et-al-min="3" disambiguate-add-year-suffix="true">
    <sort><key macro="author"/></sort>
    <layout><text macro="author"/></layout>
  </citation>
  <bibliography hanging-indent="true">
    <sort><key macro="author"/><key variable="issued"/></sort>
    <layout><text macro="author"/><text variable="citation-number"/></layout>
  </bibliography>
</style>`;
  const out = oneEntryBibliographyStyle(xml);
  assert.match(out, /<citation><layout><text variable="title"\/><\/layout><\/citation>/);
  assert.doesNotMatch(out, /<sort>/);
  assert.match(out, /<bibliography hanging-indent="true">\s*<layout><text macro="author"\/><text variable="citation-number"\/><\/layout>/);
  assert.match(out, /<macro name="author"><names variable="author"\/><\/macro>/);
  // No citation element, or no bibliography: nothing to gain, the style stays as it is.
  const noCitation = xml.replace(/<citation [\s\S]*<\/citation>/, '');
  assert.equal(oneEntryBibliographyStyle(noCitation), noCitation);
  const noBibliography = xml.replace(/<bibliography[\s\S]*<\/bibliography>/, '');
  assert.equal(oneEntryBibliographyStyle(noBibliography), noBibliography);
});
