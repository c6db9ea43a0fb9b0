// Agreement with the Typst compiler (typst-ts-node-compiler 0.7.0 = Typst 0.14), run offline: per document, the
// keys it cites (a multiset, from `query('cite')`) and the keys it calls missing (a set) must match citekeys'.
//
// Intended differences from Typst (fixtures that show one say so in `expected`):
// - Code is not evaluated: a citation in a branch that does not run (`#if false [@a]`) or in a function nobody
//   calls is found. Typst reports only what ends up in the document.
// - A loop's body is read once: `#for x in (1, 2) [@a]` is one citation of `a` here, two in Typst.
// - Citations Typst computes (`#cite(label("k" + "ey"))`, `#let k = <a>; #cite(k)`) are not found.
// - A document calling a template function from a package reads its `bibliography(…)` argument, but not a
//   bibliography the package itself might load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { compare, offlineByNamespace, runTypst, type CitationFindings, type ExpectedDifferences, type TypstDocument } from './typstAgreement';
import { dialectFindings } from './dialectSide';
import { parseTypstDocument } from '../../server/src/syntax/citations/typst';
import { corpusPath, withoutCorpus } from '../unit/helpers/corpus';

/** The citekeys side under test: the Typst dialect, through the workspace and the diagnostics assembly. */
async function citekeys(folder: string, mainPath: string): Promise<CitationFindings> {
  const found = (await dialectFindings(folder, [mainPath])).get(mainPath);
  assert.equal(found?.dialect, 'typst', `${mainPath} is read as Typst`);
  return found;
}

const BIB = `@book{a, title = {A}, author = {Doe, Jane}, year = 2020}
@book{b, title = {B}, author = {Doe, Jane}, year = 2021}
@book{c.d, title = {CD}, author = {Doe, Jane}, year = 2021}
@book{example.com, title = {Mail}, author = {Doe, Jane}, year = 2021}
`;
const HAYAGRIVA = `"odd key!":
  type: book
  title: Odd
müller2020:
  type: article
  title: Umlaut
  parent: { type: periodical, title: J }
h:
  type: web
  title: H
  url: https://example.org
`;

interface Fixture extends ExpectedDifferences {
  name: string;
  files: Record<string, string>;
}

const FIXTURES: Fixture[] = [
  { name: 'references, cite calls and supplements', files: { 'main.typ': '@a and @b[p. 7], #cite(<a>, form: "prose", supplement: [see [2]]) @a[see @b]\n#bibliography("refs.bib")\n' } },
  { name: 'trailing punctuation ends a key', files: { 'main.typ': 'End @a. Then @b: and @c.d.\n#bibliography("refs.bib")\n' } },
  { name: 'labels make references cross-references', files: { 'main.typ': '#set heading(numbering: "1.")\n= Intro <intro>\nSee @intro and @a.\n#figure([x], caption: [X]) <fig>\n@fig\n#bibliography("refs.bib")\n' } },
  { name: 'raw text, comments, strings and math hold no citations', files: { 'main.typ': '`@a` ```\n#cite(<b>)\n``` // @b\n/* @b /* @b */ @b */ #let s = "@b"\n$ x @b $ #s\n@a\n#bibliography("refs.bib")\n' } },
  { name: 'escapes and e-mail addresses', files: { 'main.typ': '\\@a is not cited, me@example.com is.\n#bibliography("refs.bib")\n' } },
  { name: 'label("…") keys and a Hayagriva bibliography', files: { 'main.typ': '#cite(label("odd key!")) @müller2020 @h\n#bibliography("refs.yml")\n' } },
  { name: 'cite in code blocks, let bindings and math', files: { 'main.typ': '#{ cite(<a>) }\n#let c = cite(<b>)\n#c\n$ x #cite(<a>) $\n#ref(<b>)\n#bibliography("refs.bib")\n' } },
  { name: 'undefined keys by reference and by cite call', files: { 'main.typ': '@a @nokey #cite(<missing>) @nokey\n#bibliography("refs.bib")\n' } },
  { name: 'included chapters cite and define labels', files: {
    'main.typ': '#set heading(numbering: "1.")\n#include "chapters/one.typ"\nSee @sec and @b.\n#bibliography("refs.bib")\n',
    'chapters/one.typ': '= One <sec>\nThe chapter cites @a and #cite(<c.d>).\n',
  } },
  { name: 'two bibliography files in one call', files: { 'main.typ': '@a @h\n#bibliography(("refs.bib", "refs.yml"))\n' } },
  { name: 'embedded expressions give back to markup', typstOnly: ['a'], citekeysOnly: ['c.d'],
    why: 'code is not evaluated: the loop body cites twice, the else branch never', files: { 'main.typ': '#emph[@a] #h(1em)@b #if true [@a] else [@c.d] @b\n#for x in (1, 2) { [@a] }\n#bibliography("refs.bib")\n' } },
  { name: 'a branch that does not run', typstOnly: [], citekeysOnly: ['b'], why: 'code is not evaluated',
    files: { 'main.typ': '@a #if false [@b]\n#bibliography("refs.bib")\n' } },
];

function writeFixture(fixture: Fixture, root: string): TypstDocument {
  const folder = join(root, fixture.name.replace(/[^a-z0-9]+/gi, '-'));
  const files = { 'refs.bib': BIB, 'refs.yml': HAYAGRIVA, ...fixture.files };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  return { name: fixture.name, folder, mainFile: 'main.typ' };
}

const root = mkdtempSync(join(tmpdir(), 'citekeys-typst-fixtures-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

test('the compiler runs without a network', (t) => {
  t.diagnostic(offlineByNamespace ? 'in a network namespace of its own (unshare -rn)' : 'unshare is not available: proxies point at a dead loopback port');
  const document = writeFixture({ name: 'package import', files: { 'main.typ': '#import "@preview/example:0.1.0": add\n@a\n#bibliography("refs.bib")\n' } }, root);
  const outcome = runTypst(document);
  assert.match(outcome.failure ?? '', /package|download|network|connect|resolve/i);
});

for (const fixture of FIXTURES) {
  test(`Typst and citekeys agree: ${fixture.name}`, async () => {
    const document = writeFixture(fixture, root);
    const typst = runTypst(document);
    assert.equal(typst.failure, undefined, `${fixture.name}: does not compile: ${typst.failure}`);
    const problems = compare(typst, await citekeys(document.folder, join(document.folder, document.mainFile)), fixture);
    if (problems.length) assert.fail(`${fixture.name}:\n  ${problems.join('\n  ')}`);
  });
}

/** Every .typ file of the corpus that declares a bibliography, with the package its folder holds (a template's own). */
function corpusDocuments(): TypstDocument[] {
  const base = corpusPath('typst');
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap((entry) => {
    const folder = join(base, entry.name);
    const files = (readdirSync(folder, { recursive: true }) as string[]).filter((file) => file.endsWith('.typ'));
    return files
      .filter((file) => parseTypstDocument(readFileSync(join(folder, file), 'utf8')).bibliographies.length > 0)
      .map((mainFile) => {
        const text = readFileSync(join(folder, mainFile), 'utf8');
        const localPackages = [...text.matchAll(/#import "@preview\/([\w-]+):([\d.]+)"/g)]
          .filter((match) => entry.name.endsWith(`--${match[1]}`) && existsSync(join(folder, 'lib.typ')))
          .map((match) => ({ name: match[1], version: match[2], folder }));
        return { name: `${entry.name}/${mainFile}`, folder, mainFile, localPackages };
      });
  });
}

test('Typst and citekeys agree on the corpus documents that declare a bibliography', { skip: withoutCorpus('typst') }, async (t) => {
  const documents = corpusDocuments();
  const agreeing: string[] = [];
  const disagreeing: string[] = [];
  const notCompiled: string[] = [];
  for (const document of documents) {
    const typst = runTypst(document);
    if (typst.failure) { notCompiled.push(`${document.name}: does not compile offline: ${typst.failure}`); continue; }
    const problems = compare(typst, await citekeys(document.folder, join(document.folder, document.mainFile)));
    if (problems.length) disagreeing.push(`${document.name}: ${problems.join('; ')}`);
    else agreeing.push(`${document.name} (${typst.citations.length} citations, ${typst.undefined.length} undefined)`);
  }
  t.diagnostic(`corpus: ${agreeing.length} of ${agreeing.length + disagreeing.length} compiled documents agree; ${notCompiled.length} do not compile offline`);
  for (const line of agreeing) t.diagnostic(`agrees: ${line}`);
  for (const line of notCompiled) t.diagnostic(`skipped: ${line}`);
  assert.ok(documents.length > 0, `no document with a bibliography under ${relative(process.cwd(), corpusPath('typst'))}`);
  assert.deepEqual(disagreeing, []);
});
