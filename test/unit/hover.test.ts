// Hover on citation keys and entry keys: the reference in the configured style, links, where it is defined,
// undefined keys with suggestions, and entry text that cannot inject links or commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { provideHover, type HoverResult } from '../../server/src/features/hover';
import { fixture } from './helpers/fixture';
import type { Settings } from '../../server/src/config/settings';

const ETHICS = readFileSync(join(__dirname, '../../examples/ethics.bib'), 'utf8');

async function hover(source: string, settings: Partial<Settings> = {}): Promise<HoverResult | undefined> {
  const f = fixture(source, settings);
  return provideHover(f.workspace, f.file, f.offset, () => false);
}

/** The Markdown as a reader sees it: escapes and emphasis markers removed. */
function rendered(markdown: string): string {
  return markdown.replace(/\*/g, '').replace(/\\(.)/g, '$1');
}

const withEthics = (doc: string): string => `%! paper.md\n${doc}\n%! ethics.bib\n${ETHICS}`;

test('hover on a citation shows the APA reference as printed, and where the entry is defined', async () => {
  const result = await hover(withEthics('As shown [@gereffi2005|a].'));
  assert.ok(result);
  const [reference, place] = result.markdown.split('\n\n');
  assert.equal(
    rendered(reference),
    'Gereffi, G., Humphrey, J., & Sturgeon, T. (2005). The governance of global value chains. Review of International Political Economy, 12(1), 78–104.',
  );
  assert.match(reference, /\*Review of International Political Economy\*, \*12\*\(1\), 78–104\.$/, 'parentheses need no escape');
  assert.equal(place, 'Defined in ethics.bib:330');
  const text = 'As shown [@gereffi2005a].';
  assert.deepEqual(result.range, { start: text.indexOf('gereffi'), end: text.indexOf(']') });
});

test('a name with a typographic apostrophe prints as written', async () => {
  const result = await hover(withEthics('@orourke2003| argues'));
  assert.equal(
    rendered(result?.markdown.split('\n\n')[0] ?? ''),
    'O’Rourke, D. (2003). Outsourcing regulation: Analyzing nongovernmental systems of labor standards and monitoring. Policy Studies Journal, 31(1), 1–29.',
  );
});

test('hover on an undefined key says so and suggests close keys', async () => {
  const result = await hover(withEthics('See [@gerefi2005|a].'));
  assert.ok(result);
  const lines = result.markdown.split('\n\n');
  assert.equal(lines[0], '**Undefined citation key** gerefi2005a');
  assert.equal(lines[1], 'Not found in ethics.bib.');
  assert.match(lines[2], /^Did you mean gereffi2005a(, gereffi2005)?/);
});

test('hover on an undefined key with no bibliography says none was found', async () => {
  const result = await hover('See [@nobody2020|].');
  assert.match(result?.markdown ?? '', /No bibliography was found/);
});

test('hover on an entry key inside a .bib file shows the same reference', async () => {
  const result = await hover(`%! refs.bib
@article{humphrey2002|,
  author = {Humphrey, J. and Schmitz, H.},
  title = {How does insertion in global value chains affect upgrading in industrial clusters?},
  journaltitle = {Regional Studies},
  volume = {36}, number = {9}, pages = {1017--1027},
  date = {2002},
}
`);
  assert.ok(result);
  assert.equal(
    rendered(result.markdown.split('\n\n')[0]),
    'Humphrey, J., & Schmitz, H. (2002). How does insertion in global value chains affect upgrading in industrial clusters? Regional Studies, 36(9), 1017–1027.',
  );
  assert.deepEqual(result.range, { start: '@article{'.length, end: '@article{humphrey2002'.length });
});

test('nothing to show away from keys', async () => {
  assert.equal(await hover(withEthics('Plain| text [@gereffi2005a].')), undefined);
});

test('DOI and http(s) URLs become links; other schemes stay out', async () => {
  const result = await hover(`%! paper.md
[@a|] [@b]
%! refs.bib
@article{a, author = {Doe, J.}, title = {T}, date = {2020}, doi = {10.1000/abc(1)}, url = {https://example.org/x?y=1}}
@article{b, author = {Doe, J.}, title = {U}, date = {2020}, url = {javascript:alert(1)}}
`);
  const lines = result?.markdown.split('\n\n') ?? [];
  assert.equal(lines[1], '[doi:10.1000/abc(1)](https://doi.org/10.1000/abc%281%29) · [https://example.org/x?y=1](https://example.org/x?y=1)');
  const other = await hover(`%! paper.md
[@a] [@b|]
%! refs.bib
@article{b, author = {Doe, J.}, title = {U}, date = {2020}, url = {javascript:alert(1)}}
`);
  assert.doesNotMatch(other?.markdown ?? '', /\]\(javascript:/);
});

test('a key defined in two files lists both places', async () => {
  const result = await hover(`%! paper.md
[@dup|]
%! a.bib
@book{dup, author = {Doe, J.}, title = {One}, date = {2020}}
%! b.bib

@book{dup, author = {Doe, J.}, title = {Two}, date = {2021}}
`);
  const lines = result?.markdown.split('\n\n') ?? [];
  assert.deepEqual(lines.slice(-2), ['Defined in a.bib:1', 'Defined in b.bib:2']);
});

test('entry text cannot inject links, commands or HTML', async () => {
  const result = await hover(`%! paper.md
[@evil|]
%! refs.bib
@article{evil, author = {Doe, J.}, title = {[click](command:workbench.action.quit) <img src=x onerror=alert(1)> &lt;b&gt;}, date = {2020}}
`);
  const markdown = result?.markdown ?? '';
  assert.doesNotMatch(markdown, /(^|[^\\])\]\(/, 'no unescaped link');
  assert.doesNotMatch(markdown, /(^|[^\\])</, 'no unescaped HTML');
  assert.doesNotMatch(markdown, /(^|[^\\])&lt;/, 'no unescaped entity');
  // Sentence case capitalises the first word after the bracket, as pandoc does ("[Click]").
  assert.match(rendered(markdown), /\[Click\]\(command:workbench\.action\.quit\)/, 'the title stays visible as text');
});

test('the style comes from settings, and a document\'s csl: front matter wins', async () => {
  const tiny = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Tiny</title><id>tiny</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text value="TINY: "/><text variable="title"/></layout></bibliography>
</style>`;
  const refs = '%! refs.bib\n@book{doe2020, author = {Doe, Jane}, title = {A book}, date = {2020}}\n';
  const fromSettings = await hover(`%! paper.md\n[@doe2020|]\n%! styles/tiny.csl\n${tiny}\n${refs}`, { style: 'styles/tiny.csl' });
  assert.equal(fromSettings?.markdown.split('\n\n')[0], 'TINY: A book');
  const vancouver = await hover(`%! paper.md\n[@doe2020|]\n${refs}`, { style: 'vancouver' });
  assert.match(vancouver?.markdown ?? '', /^1\\\. Doe J\. A book\. 2020\./, 'Vancouver numbers its list; the number is escaped, not a Markdown list');
  const fromFrontMatter = await hover(`%! paper.md\n---\ncsl: tiny.csl\n---\n[@doe2020|]\n%! tiny.csl\n${tiny}\n${refs}`, { style: 'vancouver' });
  assert.equal(fromFrontMatter?.markdown.split('\n\n')[0], 'TINY: A book');
  const missing = await hover(`%! paper.md\n[@doe2020|]\n${refs}`, { style: 'nope.csl' });
  assert.match(missing?.markdown ?? '', /Style nope\.csl could not be read/);
});
