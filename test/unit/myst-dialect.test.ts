// MyST projects through the features: a `.md` inside a mystmd or Jupyter Book project reads `{cite}` roles, completes
// inside them and checks keys against the project's bibliographies; elsewhere `.md` stays Pandoc Markdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT } from './helpers/fixture';
import { provideCompletion } from '../../server/src/features/completion';
import { provideHover } from '../../server/src/features/hover';
import { provideRename } from '../../server/src/features/rename';
import { checkedFilesOfFolder, checkFiles } from '../../server/src/features/workspaceCheck';
import { applyLevels } from '../../server/src/features/rules';
import type { Settings } from '../../server/src/config/settings';

const BIB = `@article{gereffi2005, author = {Gereffi, Gary}, title = {The governance of global value chains}, journal = {RIPE}, year = {2005}}
@book{porter1990, author = {Porter, Michael E.}, title = {The Competitive Advantage of Nations}, year = {1990}}
`;

async function check(source: string, settings: Partial<Settings> = {}) {
  const f = fixture(source, settings);
  const files = await checkedFilesOfFolder(f.workspace, ROOT);
  const result = await checkFiles(f.workspace, { ...files, extraBibliographies: [] });
  return applyLevels(result.findings, f.workspace.settings).map((d) => `${path.relative(ROOT, d.file.path)}:${d.code}:${d.file.text.slice(d.range.start, d.range.end)}`);
}

async function complete(source: string, settings: Partial<Settings> = {}) {
  const f = fixture(source, settings);
  const doc = await f.workspace.getDocument(f.file);
  assert.ok(doc);
  return { doc, result: await provideCompletion(f.workspace, doc, f.offset, { limit: 50 }, () => false) };
}

test('a page of a mystmd project reads {cite} roles against the bibliography myst.yml names', async () => {
  const lines = await check(`%! myst.yml\nversion: 1\nproject:\n  bibliography:\n    - refs.bib\n%! content/page.md\nAs {cite:p}\`gereffi2005, missing1\` and [@porter1990] show; {cite:t}\`missing2\`.\n%! refs.bib\n${BIB}%! other.bib\n@book{missing1, title={Not named by myst.yml}}\n`);
  assert.deepEqual(lines, ['content/page.md:undefined-citation:missing1', 'content/page.md:undefined-citation:missing2']);
});

test('without bibliography: in myst.yml, every .bib of the project counts, as mystmd does', async () => {
  const lines = await check(`%! myst.yml\nversion: 1\nproject:\n  title: X\n%! page.md\n{cite}\`gereffi2005\` {cite}\`extra2001\` {cite}\`nowhere\`\n%! refs.bib\n${BIB}%! more/extra.bib\n@book{extra2001, title={Extra}}\n`);
  assert.deepEqual(lines, ['page.md:undefined-citation:nowhere']);
});

test('a Jupyter Book 1 project reads bibtex_bibfiles from _config.yml', async () => {
  const lines = await check(`%! _config.yml\ntitle: Book\nbibtex_bibfiles:\n  - refs.bib\n%! _toc.yml\nroot: intro\n%! intro.md\n{cite:ps}\`porter1990;gone\`\n%! refs.bib\n${BIB}`);
  assert.deepEqual(lines, ['intro.md:undefined-citation:gone']);
});

test('a Jekyll _config.yml does not make Markdown MyST; roles are not citations there', async () => {
  const lines = await check(`%! _config.yml\ntheme: minima\n%! post.md\n---\nbibliography: refs.bib\n---\n{cite}\`nothere\` and [@gereffi2005].\n%! refs.bib\n${BIB}`);
  assert.deepEqual(lines, []);
});

test('citekeys.markdown.flavor reads every .md as MyST or as Pandoc', async () => {
  const source = `%! post.md\n---\nbibliography: refs.bib\n---\n{cite}\`nothere\`\n%! refs.bib\n${BIB}`;
  assert.deepEqual(await check(source, { markdownFlavor: 'myst' }), ['post.md:undefined-citation:nothere']);
  assert.deepEqual(await check(`%! myst.yml\nversion: 1\n${source}`, { markdownFlavor: 'pandoc' }), []);
});

test('completion works inside a role’s backticks, after a comma, and after @', async () => {
  const project = `%! myst.yml\nversion: 1\nproject:\n  bibliography: [refs.bib]\n%! refs.bib\n${BIB}`;
  for (const page of ['{cite:p}`gere|`', '{cite:p}`porter1990, gere|`', 'See [@gere|].']) {
    const { doc, result } = await complete(`%! page.md\n${page}\n${project}`);
    assert.equal(doc.dialect.name, 'myst');
    assert.deepEqual(result?.items.map((i) => i.key), ['gereffi2005'], page);
  }
  const { result } = await complete(`%! page.md\n{note}\`gere|\`\n${project}`);
  assert.equal(result, undefined, 'a role that does not cite completes nothing');
});

test('hover and rename work on keys in roles', async () => {
  const f = fixture(`%! page.md\n{cite:p}\`gere|ffi2005\` and @gereffi2005\n%! myst.yml\nversion: 1\n%! refs.bib\n${BIB}`);
  const hover = await provideHover(f.workspace, f.file, f.offset, () => false);
  assert.match(hover?.markdown ?? '', /Gereffi, G\. \(2005\)/);
  const rename = await provideRename(f.workspace, f.file, f.offset, 'gereffi-2005', () => false);
  assert.ok('changes' in rename);
  const edits = rename.changes.flatMap((change) => change.edits.map((edit) => `${path.basename(change.file.path)}:${change.file.text.slice(edit.range.start, edit.range.end)}→${edit.newText}`));
  assert.deepEqual(edits.sort(), ['page.md:gereffi2005→gereffi-2005', 'page.md:gereffi2005→gereffi-2005', 'refs.bib:gereffi2005→gereffi-2005']);
});

test('a Jupyter Book _config.yml whose first key holds a mapping is not taken for a Hayagriva bibliography', async () => {
  // No bibtex_bibfiles: the folder's bibliographies count, and the project file must not be one of them.
  const lines = await check(`%! _config.yml\nparse:\n  myst_enable_extensions:\n    - dollarmath\n%! _toc.yml\nroot: intro\n%! intro.md\n{cite}\`porter1990\` {cite}\`parse\`\n%! refs.bib\n${BIB}`);
  assert.deepEqual(lines, ['intro.md:undefined-citation:parse']);
});
