// Citation key completion in Markdown and LaTeX: where it triggers, what it replaces, how it ranks and dedupes,
// capping, recently cited keys, and the documentation of a chosen item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { provideCompletion, resolveCompletion, type CompletionResult } from '../../server/src/features/completion';
import { fixture } from './helpers/fixture';
import type { Settings } from '../../server/src/config/settings';

const REFS = `%! refs.bib
@article{gereffi2005a,
  author = {Gereffi, G. and Humphrey, J. and Sturgeon, T.},
  title = {The governance of global value chains},
  journaltitle = {Review of International Political Economy},
  volume = {12}, number = {1}, pages = {78--104},
  date = {2005},
}
@incollection{gereffi2005,
  author = {Gereffi, G.},
  title = {The global economy: Organization, governance, and development},
  booktitle = {The handbook of economic sociology},
  date = {2005},
}
@article{humphrey2002,
  author = {Humphrey, J. and Schmitz, H.},
  title = {How does insertion in global value chains affect upgrading in industrial clusters?},
  journaltitle = {Regional Studies},
  date = {2002},
  doi = {10.1080/0034340022000022198},
}
@article{rodriguezgaravito2005,
  author = {Rodr{\\'\\i}guez-Garavito, C. A.},
  title = {Global governance and labor rights},
  date = {2005},
}
`;

/** Completion at the `|` in the first section; the bibliography sections follow. */
async function complete(source: string, options: { limit?: number; settings?: Partial<Settings> } = {}): Promise<CompletionResult | undefined> {
  const f = fixture(source, options.settings);
  const doc = await f.workspace.getDocument(f.file);
  assert.ok(doc, `no document at ${f.file}`);
  return provideCompletion(f.workspace, doc, f.offset, { limit: options.limit ?? 100 }, () => false);
}

async function keys(source: string): Promise<string[] | undefined> {
  return (await complete(source))?.items.map((item) => item.key);
}

const md = (text: string): string => `%! paper.md\n${text}\n${REFS}`;
const tex = (text: string): string => `%! paper.tex\n${text}\n${REFS}`;

test('completes inside a bracketed Markdown citation', async () => {
  const result = await complete(md('See [@gere|].'));
  assert.deepEqual(result?.items.map((i) => i.key), ['gereffi2005', 'gereffi2005a']);
  const text = 'See [@gere].';
  assert.deepEqual(result?.items[0].replaceRange, { start: text.indexOf('gere'), end: text.indexOf('gere') + 4 });
  assert.equal(result?.items[0].detail, 'Gereffi (2005)');
  assert.equal(result?.items[1].detail, 'Gereffi et al. (2005)');
  assert.equal(result?.isIncomplete, false);
});

test('completes an in-text @key in the middle of a sentence', async () => {
  assert.deepEqual(await keys(md('As @gere| argues, chains matter.')), ['gereffi2005', 'gereffi2005a']);
});

test('completes the second key of a citation group, after suppress-author and in braces', async () => {
  assert.deepEqual(await keys(md('See [@humphrey2002; @gere|')), ['gereffi2005', 'gereffi2005a']);
  assert.deepEqual(await keys(md('See [-@gere|]')), ['gereffi2005', 'gereffi2005a']);
  assert.deepEqual(await keys(md('See @{gere|}')), ['gereffi2005', 'gereffi2005a']);
});

test('in the middle of a key the whole key is replaced and the typed part is the query', async () => {
  const result = await complete(md('See [@ger|effi2005].'));
  const text = 'See [@gereffi2005].';
  assert.deepEqual(result?.items[0].replaceRange, { start: text.indexOf('gereffi'), end: text.indexOf(']') });
  assert.ok(result?.items.every((item) => item.filterText.startsWith('ger ')), 'filterText starts with what was typed');
});

test('completes in LaTeX \\cite, after optional arguments and commas, and in multicite groups', async () => {
  assert.deepEqual(await keys(tex('\\cite{gere|}')), ['gereffi2005', 'gereffi2005a']);
  const result = await complete(tex('\\citep[p.~3]{a, gere|}'));
  assert.deepEqual(result?.items.map((i) => i.key), ['gereffi2005', 'gereffi2005a']);
  const text = '\\citep[p.~3]{a, gere}';
  assert.deepEqual(result?.items[0].replaceRange, { start: text.indexOf('gere'), end: text.indexOf('gere') + 4 });
  assert.deepEqual(await keys(tex('\\cites[see][]{a}[p. 3]{gere|}')), ['gereffi2005', 'gereffi2005a']);
  assert.deepEqual(await keys(tex('\\textcite*{gere|}')), ['gereffi2005', 'gereffi2005a']);
});

test('completes in the cite commands of apacite, harvard, chicago, abntex2cite and biblatex\'s volcites', async () => {
  for (const source of ['\\cite<e.g.,>[p.~11]{a,gere|}', '\\citeasnoun{gere|}', '\\citeN{gere|}', '\\apud{a}{gere|}',
    '\\pvolcites(see)(){1}{a}{2}{gere|}', '\\cite{{gere|}}']) {
    assert.deepEqual(await keys(tex(source)), ['gereffi2005', 'gereffi2005a'], source);
  }
  assert.equal(await complete(tex('\\citep<e.g.,>{gere|}')), undefined);
});

test('LaTeX commands from settings.extraCiteCommands take keys too', async () => {
  const source = tex('\\keylist{gere|}');
  assert.equal(await complete(source), undefined);
  const result = await complete(source, { settings: { extraCiteCommands: ['keylist'] } });
  assert.deepEqual(result?.items.map((i) => i.key), ['gereffi2005', 'gereffi2005a']);
});

test('a LaTeX query may hold several words', async () => {
  assert.deepEqual(await keys(tex('\\cite{humphrey upgrad|}')), ['humphrey2002']);
});

test('no completion outside citation positions', async () => {
  assert.equal(await complete(md('Write to me@gere|')), undefined);
  assert.equal(await complete(md('```\n@gere|\n```')), undefined);
  assert.equal(await complete(md('Use `x = @gere|` here')), undefined);
  assert.equal(await complete(md('Plain gere|')), undefined);
  assert.equal(await complete(md('See @fig-|')), undefined);
  assert.equal(await complete(tex('\\textbf{gere|}')), undefined);
  assert.equal(await complete(tex('% \\cite{gere|}')), undefined);
  assert.equal(await complete(tex('\\cite{a} gere|')), undefined);
});

test('after a closed code fence completion works again', async () => {
  assert.deepEqual(await keys(md('```\ncode\n```\n\nSee @gere|')), ['gereffi2005', 'gereffi2005a']);
});

test('searches family names, title words and years, ignoring accents', async () => {
  assert.deepEqual(await keys(md('@sturg|')), ['gereffi2005a']);
  assert.deepEqual(await keys(md('@garavito|')), ['rodriguezgaravito2005']);
  assert.deepEqual(await keys(md('@{Rodríguez|}')), ['rodriguezgaravito2005']);
  assert.deepEqual(await keys(md('@upgrading|')), ['humphrey2002']);
  assert.deepEqual(await keys(md('@2002|')), ['humphrey2002']);
  assert.deepEqual(await keys(md('@govrnance|')), ['gereffi2005', 'gereffi2005a', 'rodriguezgaravito2005']);
});

test('filterText starts with the typed query and holds the key and searchable words', async () => {
  const result = await complete(md('@sturg|'));
  assert.match(result?.items[0].filterText ?? '', /^sturg gereffi2005a .*sturgeon/);
});

test('an entry defined in several files appears once, listing every file', async () => {
  const source = md('[@gereffi2005a|]') + `%! more.bib
@article{gereffi2005a, author = {Gereffi, G.}, title = {Duplicate}, date = {2005}}
@book{other, title = {Other}}
`;
  const result = await complete(source);
  const items = result?.items.filter((item) => item.key === 'gereffi2005a') ?? [];
  assert.equal(items.length, 1);
  assert.deepEqual(items[0].sources, ['/w/more.bib', '/w/refs.bib']);
});

test('the list is capped at the limit and then marked incomplete', async () => {
  const capped = await complete(md('@|'), { limit: 2 });
  assert.equal(capped?.items.length, 2);
  assert.equal(capped?.isIncomplete, true);
  const all = await complete(md('@|'), { limit: 10 });
  assert.equal(all?.items.length, 4);
  assert.equal(all?.isIncomplete, false);
});

test('on an empty query, keys already cited come first, nearest before the cursor first', async () => {
  const result = await complete(md('[@humphrey2002] and [@rodriguezgaravito2005]. Now [@|]'));
  assert.deepEqual(result?.items.map((i) => i.key), ['rodriguezgaravito2005', 'humphrey2002', 'gereffi2005', 'gereffi2005a']);
  assert.deepEqual(result?.items.map((i) => i.sortText), ['000000', '000001', '000002', '000003']);
});

test('a key that Markdown cannot write bare is inserted in braces', async () => {
  const result = await complete(`%! paper.md\n@smi|\n%! refs.bib\n@book{smith., title = {Dot}}\n`);
  assert.equal(result?.items[0].key, 'smith.');
  assert.equal(result?.items[0].insertText, '{smith.}');
});

test('resolving an item documents the formatted reference, DOI link and where it is defined', async () => {
  const f = fixture(md('[@hum|]'));
  const docs = await resolveCompletion(f.workspace, { key: 'humphrey2002', path: f.path('refs.bib') });
  assert.ok(docs);
  const [reference, links, place] = docs.split('\n\n');
  assert.equal(
    reference,
    'Humphrey, J., & Schmitz, H. (2002). How does insertion in global value chains affect upgrading in industrial clusters? *Regional Studies*. https://doi.org/10.1080/0034340022000022198',
  );
  assert.equal(links, '[doi:10.1080/0034340022000022198](https://doi.org/10.1080/0034340022000022198)');
  assert.equal(place, 'Defined in refs.bib:14');
  assert.equal(await resolveCompletion(f.workspace, { key: 'nope', path: f.path('refs.bib') }), undefined);
});
