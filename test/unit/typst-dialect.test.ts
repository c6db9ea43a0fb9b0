// Typst documents through the features: completion after `@` and in `#cite(<…>)`, hover, definition, rename and
// diagnostics, with bibliographies declared by the document or by the main file that includes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT } from './helpers/fixture';
import { provideCompletion } from '../../server/src/features/completion';
import { provideHover } from '../../server/src/features/hover';
import { provideDefinition } from '../../server/src/features/definition';
import { provideRename } from '../../server/src/features/rename';
import { checkedFilesOfFolder, checkFiles } from '../../server/src/features/workspaceCheck';
import { applyLevels } from '../../server/src/features/rules';

const BIB = `%! refs.bib
@article{gereffi2005, author = {Gereffi, Gary}, title = {The governance of global value chains}, journal = {RIPE}, year = {2005}}
@book{porter1990, author = {Porter, Michael E.}, title = {The Competitive Advantage of Nations}, year = {1990}}
@misc{odd:key., author = {Odd, Oscar}, title = {Trailing dot}, year = {2001}}
`;

async function complete(source: string) {
  const f = fixture(source);
  const doc = await f.workspace.getDocument(f.file);
  assert.ok(doc, 'the .typ file is a document');
  return { f, result: await provideCompletion(f.workspace, doc, f.offset, { limit: 50 }, () => false) };
}

async function check(source: string) {
  const f = fixture(source);
  const files = await checkedFilesOfFolder(f.workspace, ROOT);
  const result = await checkFiles(f.workspace, { ...files, extraBibliographies: [] });
  return applyLevels(result.findings, f.workspace.settings).map((d) => `${path.relative(ROOT, d.file.path)}:${d.code}:${d.file.text.slice(d.range.start, d.range.end)}`);
}

test('typing after @ in a Typst paper completes keys from its #bibliography, searching authors', async () => {
  const { result } = await complete(`%! paper.typ\nAs @gere| shows.\n#bibliography("refs.bib")\n${BIB}`);
  assert.deepEqual(result?.items.map((i) => i.key), ['gereffi2005']);
  const { result: byAuthor } = await complete(`%! paper.typ\nSee @porter|.\n#bibliography("refs.bib")\n${BIB}`);
  assert.equal(byAuthor?.items[0].key, 'porter1990');
});

test('completion works inside #cite(<…>) and label("…")', async () => {
  const { result } = await complete(`%! paper.typ\n#cite(<gere|>)\n#bibliography("refs.bib")\n${BIB}`);
  assert.deepEqual(result?.items.map((i) => i.key), ['gereffi2005']);
  const { result: inLabel } = await complete(`%! paper.typ\n#cite(label("port|"))\n#bibliography("refs.bib")\n${BIB}`);
  assert.deepEqual(inLabel?.items.map((i) => i.key), ['porter1990']);
});

test('a key @ cannot carry is inserted as #cite(label("…")), replacing the @', async () => {
  const { f, result } = await complete(`%! paper.typ\nSee @odd|.\n#bibliography("refs.bib")\n${BIB}`);
  const item = result?.items.find((i) => i.key === 'odd:key.');
  assert.equal(item?.insertText, '#cite(label("odd:key."))');
  const text = (await f.workspace.getDocument(f.file))!.text;
  assert.equal(text.slice(item!.replaceRange.start, item!.replaceRange.end), '@odd');
});

test('no completion in comments or raw text', async () => {
  assert.equal((await complete(`%! paper.typ\n// see @gere|\n#bibliography("refs.bib")\n${BIB}`)).result, undefined);
});

test('undefined keys are flagged; labels, trailing punctuation and code are not citations', async () => {
  const lines = await check(`%! paper.typ
= Intro <intro>
As @gereffi2005. shows, and @intro says, @porter1990: yes. @missing2020 and #cite(<nokey>).
\`@notinraw\` // @notincomment
#bibliography("refs.bib")
${BIB}`);
  assert.deepEqual(lines, ['paper.typ:undefined-citation:missing2020', 'paper.typ:undefined-citation:nokey']);
});

test('a chapter included by the main file cites from the main file’s bibliography, and its labels count', async () => {
  const lines = await check(`%! main.typ
#include "chapters/one.typ"
#include "chapters/two.typ"
#bibliography("refs.bib")
%! chapters/one.typ
= One <sec-one>
As @gereffi2005 shows; see @sec-two. Not @nobody.
%! chapters/two.typ
= Two <sec-two>
Back to @sec-one and @porter1990.
${BIB}`);
  assert.deepEqual(lines, ['chapters/one.typ:undefined-citation:nobody']);
});

test('a chapter completes from the main file’s bibliography', async () => {
  const { result } = await complete(`%! chapters/one.typ\nSee @gere|.\n%! main.typ\n#include "chapters/one.typ"\n#bibliography("../refs.bib")\n%! refs.bib\n@book{gereffi1994, title={Commodity chains}}\n`);
  assert.deepEqual(result?.items.map((i) => i.key), []);
  const { result: right } = await complete(`%! chapters/one.typ\nSee @gere|.\n%! main.typ\n#include "chapters/one.typ"\n#bibliography("refs.bib")\n%! refs.bib\n@book{gereffi1994, title={Commodity chains}}\n`);
  assert.deepEqual(right?.items.map((i) => i.key), ['gereffi1994']);
});

test('a missing #bibliography file is reported on its path', async () => {
  assert.deepEqual(await check(`%! paper.typ\n@a\n#bibliography(("refs.bib", "gone.yml"))\n%! refs.bib\n@book{a, title={A}}\n`), ['paper.typ:missing-bibliography:gone.yml']);
});

test('hover on @key shows the formatted reference; definition goes to the entry', async () => {
  const f = fixture(`%! paper.typ\nAs @gere|ffi2005 shows.\n#bibliography("refs.bib")\n${BIB}`);
  const hover = await provideHover(f.workspace, f.file, f.offset, () => false);
  assert.match(hover?.markdown ?? '', /Gereffi, G\. \(2005\)\. The governance of global value chains/);
  const [target] = await provideDefinition(f.workspace, f.file, f.offset);
  assert.equal(path.basename(target.file.path), 'refs.bib');
  assert.equal(target.file.text.slice(target.range.start, target.range.end), 'gereffi2005');
});

test('Hayagriva YAML bibliographies are read, hovered and renamed', async () => {
  const source = `%! paper.typ\nAs @harr|y shows, and #cite(label("harry")).\n#bibliography("works.yml")\n%! works.yml\nharry:\n  type: book\n  title: Harry Potter and the Order of the Phoenix\n  author: Rowling, J. K.\n  date: 2003\n  publisher: Bloomsbury\n`;
  const f = fixture(source);
  const hover = await provideHover(f.workspace, f.file, f.offset, () => false);
  assert.match(hover?.markdown ?? '', /Rowling, J\. K\. \(2003\)\. \*?Harry Potter and the order of the phoenix|Rowling, J\. K\. \(2003\)/);
  const rename = await provideRename(f.workspace, f.file, f.offset, 'rowling2003', () => false);
  assert.ok('changes' in rename, 'error' in rename ? rename.error : 'no changes');
  const edits = rename.changes.flatMap((change) => change.edits.map((edit) => `${path.basename(change.file.path)}:${change.file.text.slice(edit.range.start, edit.range.end)}→${edit.newText}`));
  assert.deepEqual(edits.sort(), ['paper.typ:harry→rowling2003', 'paper.typ:harry→rowling2003', 'works.yml:harry→rowling2003']);
  assert.deepEqual(await check(source.replace('|', '')), []);
});

test('rename refuses a key that Typst cannot write as @key', async () => {
  const f = fixture(`%! paper.typ\nAs @gere|ffi2005 shows.\n#bibliography("refs.bib")\n${BIB}`);
  const rename = await provideRename(f.workspace, f.file, f.offset, 'gereffi 2005', () => false);
  assert.ok('error' in rename);
});
