// Checks that citekeys finds the citations mystmd finds in MyST pages, and calls the same keys undefined: on tricky
// pages of our own and on the real projects of ../shared/corpus/myst (skipped without it), each run in a temp folder.
//
// Intended differences from mystmd 1.8.3 (the README quotes this list):
// - `{footcite}`…``, `{footcite:p}`…`` and the other footcite roles, `{cite:empty}`, `{cite:cauthorpar(s)}`: Jupyter
//   Book 1 (sphinxcontrib-bibtex) cites with them; mystmd reports "unknown role" and cites nothing. We read them.
// - A key with a letter outside ASCII after `@` (`[@müller2020]`, `@müller2020`): mystmd's key pattern is ASCII
//   (`\w`), so it cites `m`. We read the key as Pandoc does, `müller2020`. (In a role, `{cite}`müller2020``, both agree.)
// - `[@doe2020.]`: mystmd keeps trailing punctuation in a bracketed key (`doe2020.`); we drop it as Pandoc does.
// - `{cite:p}`{see} doe2020``: mystmd looks up the label with the blank after the prefix (" doe2020"), which can never
//   be found; we read `doe2020`.
// - `{cite}`a,,b``, `{cite}`a,``: mystmd cites an empty label and warns it cannot link it; we report an empty citation.
// - mystmd turns `@label` into a cross-reference when any page of the project has that target; we know the targets of
//   the page itself (`(label)=`, `:label:`, `:name:`).
// - A page's own `bibliography:` front matter: mystmd's site build ignores it (it looks keys up in the project's
//   bibliography only, using page front matter for exports); citekeys reads the declaration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import {
  comparePages, copyProject, makeProject, markdownPages, removeProject, runMyst, writeMystConfig, type CitekeysSide,
  type PageDifference,
} from './mystAgreement';
import { dialectFindings } from './dialectSide';
import { parseJupyterBookConfig } from '../../server/src/syntax/mystProject';
import { corpusPath, withoutCorpus } from '../unit/helpers/corpus';

const BIB = `@article{doe2020, author={Doe, Jane}, title={A}, journal={J}, year={2020}}
@book{roe:2019, author={Roe, R}, title={B}, publisher={P}, year={2019}}
@misc{a.b/c+d-e, title={C}, year={2021}}
@misc{Case2020, title={D}, year={2020}}
`;

/** Tricky pages: each a case where a reader could go wrong. */
const PAGES: Record<string, string> = {
  'roles.md': [
    '# Roles',
    '',
    '{cite:p}`doe2020, roe:2019;a.b/c+d-e` and {cite}`missing1`.',
    '{cite:t}`doe2020`',
    'End {cite:ps}`roe:2019`',
    '({cite:alp}`doe2020`), {cite:year}`doe2020`; {cite:authorpar}`roe:2019`.',
    '',
  ].join('\n'),
  'names.md':
    '{cite:ts}`doe2020` {cite:ct}`doe2020` {cite:cts}`doe2020` {cite:alps}`doe2020` {cite:label}`doe2020` ' +
    '{cite:labelpar}`doe2020` {cite:yearpar}`doe2020` {cite:author}`doe2020` {cite:authors}`doe2020` ' +
    '{cite:authorpars}`doe2020` {cite:cauthor}`doe2020` {cite:cauthors}`doe2020`\n',
  'code.md': [
    'A span `` {cite}`incode` `` and {cite}``dbl`` and \\{cite}`escaped` and \\`{cite}`afterescape`.',
    '',
    '```',
    '{cite}`fenced`',
    '```',
    '',
    '~~~',
    '[@fenced2]',
    '~~~',
    '',
    '```{code-cell} python',
    '{cite}`cell`',
    '```',
    '',
    '    {cite}`indented`',
    '',
  ].join('\n'),
  'directives.md': [
    '```{note}',
    ':class: dropdown',
    'In a note {cite}`doe2020` and [@roe:2019].',
    '```',
    '',
    ':::{tip}',
    'Tip {cite}`missing2`',
    ':::',
    '',
    '````{admonition} Title',
    '```{code-cell}',
    '{cite}`nocell`',
    '```',
    'after {cite:p}`roe:2019`',
    '````',
    '',
    ':::{figure} img.png',
    ':label: fig-one',
    'Caption {cite}`doe2020`.',
    ':::',
    '',
  ].join('\n'),
  'pandoc.md': '[@doe2020; @roe:2019, p. 5] and @doe2020 and [see @missing3] and [-@doe2020].\nMail me@example.com and @roe:2019.\n',
  'comments.md': '% {cite}`commented`\nText {cite}`doe2020`\n% [@commented2]\n\n+++\n\nMore.\n',
  'targets.md': '(sec-one)=\n## Section\n\nSee [@sec-one] and @sec-one and {cite}`doe2020`.\n',
  'case.md': '{cite}`case2020` and {cite}`Case2020`\n',
  'unicode.md': '[@müller2020] and @müller2020 and {cite}`müller2020`.\n',
  'foot.md': '{footcite}`doe2020` and {footcite:t}`roe:2019` and {cite:empty}`doe2020` and {cite:cauthorpar}`doe2020`.\n',
  'prefix.md': '{cite:p}`{see}doe2020{p. 5}` and {cite:p}`{see} roe:2019` and {cite}`doe2020,,roe:2019,`.\n',
  'links.md': '[see @doe2020](https://x.org) and https://example.org/@roe:2019 and www.x.org/@a and <https://x.org/@doe2020>.\n',
  'frontmatter.md': '---\ntitle: FM\nbibliography: other.bib\n---\n[@doe2020]\n',
  'punct.md': '(@doe2020) and @doe2020, @roe:2019. End [@doe2020.] x\n',
  'edges.md': '{cite}`doe2020`\n\nword{cite}`roe:2019`, {cite}`doe2020`.\n{cite:p}`\ndoe2020,\nroe:2019`\n',
};

/** The intended differences of the tricky pages (see the list above), exactly: any other difference fails. */
const INTENDED: PageDifference[] = [
  {
    page: 'foot.md',
    myst: { citations: [], undefined: [] },
    ours: { citations: ['doe2020', 'roe:2019', 'doe2020', 'doe2020'], undefined: [] },
  },
  {
    page: 'prefix.md',
    myst: { citations: ['', '', ' roe:2019', 'doe2020', 'doe2020', 'roe:2019'], undefined: ['', ' roe:2019'] },
    ours: { citations: ['doe2020', 'roe:2019', 'doe2020', 'roe:2019'], undefined: [] },
  },
  {
    page: 'punct.md',
    myst: { citations: ['doe2020', 'doe2020', 'doe2020.', 'roe:2019'], undefined: ['doe2020.'] },
    ours: { citations: ['doe2020', 'roe:2019', 'doe2020'], undefined: [] },
  },
  {
    page: 'unicode.md',
    myst: { citations: ['m', 'm', 'müller2020'], undefined: ['m', 'müller2020'] },
    ours: { citations: ['müller2020', 'müller2020', 'müller2020'], undefined: ['müller2020'] },
  },
];

/** The citekeys side: each page read in the MyST dialect, through the workspace and the diagnostics assembly. */
async function citekeysSide(folder: string, pages: string[]): Promise<CitekeysSide> {
  const found = await dialectFindings(folder, pages.map((page) => join(folder, page)));
  return (docPath) => {
    const page = found.get(docPath);
    assert.equal(page?.dialect, 'myst', `${docPath} is read as MyST`);
    return { citations: page.citations, undefined: page.undefined };
  };
}

function report(differences: PageDifference[]): string {
  return differences.map((d) => `${d.page}\n  mystmd: ${JSON.stringify(d.myst)}\n  ours:   ${JSON.stringify(d.ours)}`).join('\n');
}

test('tricky MyST pages give the citations and undefined keys mystmd gives, but for the intended differences', { timeout: 120_000 }, async (t) => {
  const folder = makeProject({ ...PAGES, 'refs.bib': BIB });
  try {
    const outcome = await runMyst(folder);
    t.diagnostic(`mystmd took ${outcome.seconds.toFixed(1)} s`);
    assert.equal(outcome.exitCode, 0, outcome.output);
    assert.ok(outcome.pages.size >= Object.keys(PAGES).length, `mystmd wrote ${outcome.pages.size} pages:\n${outcome.output}`);
    const differences = comparePages(folder, outcome, await citekeysSide(folder, markdownPages(folder)), markdownPages(folder));
    assert.deepEqual(differences, INTENDED, `differences from mystmd:\n${report(differences)}`);
  } finally {
    removeProject(folder);
  }
});

/** The corpus project's own myst.yml, reduced to what decides citations: its table of contents and bibliography. */
function reduceMystYml(folder: string): void {
  const original = parseDocument(readFileSync(join(folder, 'myst.yml'), 'utf8'));
  const project = original.get('project', true);
  const kept: Record<string, unknown> = { title: 'corpus' };
  if (isMap(project)) {
    for (const key of ['toc', 'bibliography']) if (project.has(key)) kept[key] = (project.toJSON() as Record<string, unknown>)[key];
  }
  const lines = parseDocument('').createNode(kept).toString().trimEnd().split('\n');
  writeMystConfig(folder, lines.map((line) => `  ${line}\n`).join(''));
}

async function compareCorpusProject(t: { diagnostic(message: string): void }, folder: string): Promise<void> {
  const outcome = await runMyst(folder);
  const pages = markdownPages(folder);
  const differences = comparePages(folder, outcome, await citekeysSide(folder, pages), pages);
  const cited = pages.filter((page) => (outcome.pages.get(page)?.citations.length ?? 0) > 0).length;
  t.diagnostic(`${pages.length - differences.length} of ${pages.length} pages agree (${cited} with citations); mystmd took ${outcome.seconds.toFixed(1)} s`);
  assert.ok(outcome.pages.size > 0, `mystmd wrote no pages:\n${outcome.output}`);
  assert.deepEqual(differences, [], `differences from mystmd:\n${report(differences)}`);
}

test(
  'the Jupyter Book 2 workshop template gives the citations mystmd gives',
  { skip: withoutCorpus('myst', 'jupyter-book--workshop-template'), timeout: 120_000 },
  async (t) => {
    const folder = copyProject(corpusPath('myst', 'jupyter-book--workshop-template'));
    try {
      reduceMystYml(folder);
      await compareCorpusProject(t, folder);
    } finally {
      removeProject(folder);
    }
  },
);

test(
  'the Jupyter Book 1 example gives the citations mystmd gives, with its bibtex_bibfiles as the bibliography',
  { skip: withoutCorpus('myst', 'rtd--example-jupyter-book'), timeout: 120_000 },
  async (t) => {
    const folder = copyProject(corpusPath('myst', 'rtd--example-jupyter-book', 'docs'));
    try {
      const config = parseJupyterBookConfig(readFileSync(join(folder, '_config.yml'), 'utf8'));
      assert.deepEqual(config.bibliography.map((b) => b.path), ['references.bib']);
      writeFileSync(join(folder, '_toc.yml'), ''); // mystmd would turn the legacy TOC into a myst.yml of its own
      writeMystConfig(folder, `  title: corpus\n  bibliography:\n${config.bibliography.map((b) => `    - ${b.path}\n`).join('')}`);
      await compareCorpusProject(t, folder);
    } finally {
      removeProject(folder);
    }
  },
);
