// The diagnostic rules: each code, its message, its range and its level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT } from './helpers/fixture';
import { checkFiles } from '../../server/src/features/workspaceCheck';
import { applyLevels } from '../../server/src/features/rules';
import type { Settings } from '../../server/src/config/settings';

/** Runs a check over every file of the fixture; returns `file:code:text-under-range` lines. */
async function check(source: string, settings: Partial<Settings> = {}) {
  const f = fixture(source, settings);
  const listing = await f.workspace.listFolder(ROOT);
  const result = await checkFiles(f.workspace, { documents: listing.documents, bibliographies: listing.bibliographies, extraBibliographies: [] });
  const leveled = applyLevels(result.findings, f.workspace.settings);
  const lines = leveled.map((d) => `${path.relative(ROOT, d.file.path)}:${d.code}:${d.file.text.slice(d.range.start, d.range.end)}`);
  return { lines, findings: leveled };
}

const REFS = `%! refs.bib
@article{gereffi2005,
  author = {Gereffi, Gary and Humphrey, John and Sturgeon, Timothy},
  title = {The governance of global value chains},
  journal = {Review of International Political Economy},
  year = {2005},
  doi = {10.1080/09692290500049805}
}
@book{porter1990, author = {Porter, Michael E.}, title = {The Competitive Advantage of Nations}, year = {1990}}
`;

test('an undefined citation is flagged at the key, naming the files searched and close keys', async () => {
  const { lines, findings } = await check(`%! paper.md\n---\nbibliography: refs.bib\n---\nAs shown [@gerefi2005; @porter1990].\n${REFS}`);
  assert.deepEqual(lines, ['paper.md:undefined-citation:gerefi2005']);
  assert.match(findings[0].message, /not in refs\.bib/);
  assert.match(findings[0].message, /Did you mean `gereffi2005`\?/);
  assert.deepEqual(findings[0].suggestions, ['gereffi2005']);
  assert.equal(findings[0].level, 'warning');
});

test('defined keys, emails, code and cross-references raise nothing', async () => {
  const { lines } = await check(
    `%! paper.md\n---\nbibliography: refs.bib\n---\n@gereffi2005 wrote to me@example.org; see @fig-one.\n\n\`@nope\`\n${REFS}`,
  );
  assert.deepEqual(lines, []);
});

test('an empty citation is flagged', async () => {
  const { lines } = await check(`%! paper.tex\n\\cite{}\n\\bibliography{refs}\n${REFS}`);
  assert.deepEqual(lines, ['paper.tex:empty-citation:{}']);
});

test('a missing bibliography is an error on its declaration', async () => {
  const { lines, findings } = await check(`%! paper.md\n---\nbibliography: [refs.bib, gone.bib]\n---\n@porter1990\n${REFS}`);
  assert.deepEqual(lines, ['paper.md:missing-bibliography:gone.bib']);
  assert.equal(findings[0].level, 'error');
});

test('a key defined twice in one file is a duplicate at both definitions, each pointing at the other', async () => {
  const { lines, findings } = await check(`%! refs.bib\n@book{a, title={One}}\n@book{a, title={Two}}\n@book{b, title={Three}}\n`);
  assert.deepEqual(lines, ['refs.bib:duplicate-entry:a', 'refs.bib:duplicate-entry:a']);
  assert.equal(findings[0].related?.length, 1);
  assert.match(findings[0].message, /also defined at line 2 of this file/);
});

test('a key defined in two files that one document uses is a duplicate in both files', async () => {
  const { lines, findings } = await check(
    `%! paper.md\n---\nbibliography: [one.bib, two.bib]\n---\n@a\n%! one.bib\n@book{a, title={One}}\n%! two.bib\n@book{a, title={Two}}\n`,
  );
  assert.deepEqual(lines, ['one.bib:duplicate-entry:a', 'two.bib:duplicate-entry:a']);
  assert.match(findings[0].message, /this definition wins/);
  assert.match(findings[1].message, /this one is ignored/);
});

test('two files with the same key are fine when no document uses both', async () => {
  const { lines } = await check(
    `%! a.md\n---\nbibliography: one.bib\n---\n@a\n%! b.md\n---\nbibliography: two.bib\n---\n@a\n%! one.bib\n@book{a, title={One}}\n%! two.bib\n@book{a, title={Two}}\n`,
  );
  assert.deepEqual(lines, []);
});

test('a malformed entry is a bib-syntax error and the entries after it still count', async () => {
  const { lines } = await check(
    `%! paper.md\n---\nbibliography: refs.bib\n---\n[@after]\n%! refs.bib\n@book{broken, title = {no closing brace\n\n@book{after, title={Fine}}\n`,
  );
  assert.equal(lines.filter((l) => l.startsWith('refs.bib:bib-syntax')).length, 1);
  assert.ok(!lines.some((l) => l.includes('undefined-citation')), lines.join('\n'));
});

test('entries with the same DOI under different keys are likely duplicates', async () => {
  const { lines } = await check(
    `%! refs.bib\n@article{x1, title={One}, doi={10.1/ABC}}\n@article{x2, title={Other}, doi={https://doi.org/10.1/abc}}\n@article{x3, title={Same Title Here}, year={2001}}\n@article{x4, title={Same title, here}, year={2001}}\n`,
  );
  assert.deepEqual(lines, ['refs.bib:likely-duplicate:x2', 'refs.bib:likely-duplicate:x4']);
});

test('levels come from settings: a rule can be raised, lowered or ignored', async () => {
  const source = `%! paper.md\n---\nbibliography: refs.bib\n---\n@nope and [@]\n${REFS}`;
  const raised = await check(source, { diagnosticLevels: { 'undefined-citation': 'error', 'empty-citation': 'ignore' } });
  assert.deepEqual(raised.findings.map((f) => `${f.code}:${f.level}`), ['undefined-citation:error']);
});

test('with BibTeX, keys match case-insensitively; with biber they must match exactly', async () => {
  const bibtex = await check(`%! paper.tex\n\\usepackage{natbib}\n\\cite{Porter1990}\n\\bibliography{refs}\n${REFS}`);
  assert.deepEqual(bibtex.lines, []);
  const biber = await check(`%! paper.tex\n\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n\\cite{Porter1990}\n${REFS}`);
  assert.deepEqual(biber.lines, ['paper.tex:undefined-citation:Porter1990']);
});

test('\\bibitem entries in thebibliography define keys', async () => {
  const { lines } = await check(`%! paper.tex\n\\cite{knuth}\n\\begin{thebibliography}{9}\n\\bibitem{knuth} D. Knuth.\n\\end{thebibliography}\n`);
  assert.deepEqual(lines, []);
});

test('bibliographies guessed from the folder do not make cross-file duplicates', async () => {
  const { lines } = await check(`%! paper.md\n@a\n%! one.bib\n@book{a, title={One}}\n%! two.bib\n@book{a, title={Two}}\n`);
  assert.deepEqual(lines, []);
});

test('a document with no bibliography at all says how to declare one', async () => {
  const { findings } = await check(`%! paper.tex\n\\cite{knuth}\n`);
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /the document has no bibliography; declare one \(`\\bibliography\{\}` or `\\addbibresource\{\}`\)/);
});

test('unused entries are reported only when the rule is switched on, and not when a document cites everything', async () => {
  const source = `%! paper.md\n---\nbibliography: refs.bib\n---\n@gereffi2005\n${REFS}`;
  assert.deepEqual((await check(source)).lines, []);
  const on = await check(source, { diagnosticLevels: { 'unused-entry': 'info' } });
  assert.deepEqual(on.lines, ['refs.bib:unused-entry:porter1990']);
  const all = await check(`%! paper.tex\n\\nocite{*}\n\\bibliography{refs}\n${REFS}`, { diagnosticLevels: { 'unused-entry': 'info' } });
  assert.deepEqual(all.lines, []);
});

test('a _quarto.yml that is not valid YAML is flagged once, on the project file, however many chapters use it', async () => {
  const { lines, findings } = await check(`%! _quarto.yml\nproject:\n  type: book\nbibliography: refs.bib\nbook: [chapters: a\n%! ch1.md\nSee [@porter1990].\n%! ch2.md\nSee [@gereffi2005].\n${REFS}`);
  const project = findings.filter((f) => f.code === 'project-syntax');
  assert.equal(project.length, 1, lines.join('\n'));
  assert.equal(path.basename(project[0].file.path), '_quarto.yml');
  assert.equal(project[0].level, 'error');
  assert.match(project[0].message, /^_quarto\.yml is not valid YAML \(.+\); bibliographies it declares may be missed\.$/);
  // The declaration before the broken line still counts: both chapters' citations are found.
  assert.deepEqual(lines.filter((l) => l.includes('undefined-citation')), []);
});

test('with a filecontents bibliography, its keys are defined and its broken entries are flagged in the document', async () => {
  const { lines } = await check('%! main.tex\n\\begin{filecontents}{\\jobname.bib}\n@book{knuth1984, title = {The TeXbook}}\n@book{broken title = {x}}\n\\end{filecontents}\n\\addbibresource{\\jobname.bib}\n\\cite{knuth1984} \\cite{lamport1994}\n');
  assert.deepEqual(lines.filter((l) => !l.includes('bib-syntax')), ['main.tex:undefined-citation:lamport1994']);
  assert.ok(lines.some((l) => l.startsWith('main.tex:bib-syntax:')), lines.join('\n'));
});

test('a key cited twice in one citation is flagged at each repeat, in Markdown, LaTeX and multi-cites', async () => {
  const { lines, findings } = await check(String.raw`%! paper.md
---
bibliography: refs.bib
---
Both [@gereffi2005; @porter1990; @gereffi2005; @gereffi2005] and [see @porter1990, p. 3; -@porter1990].
%! paper.tex
\cite{gereffi2005,porter1990,gereffi2005} \cites{porter1990}[p. 2]{porter1990}
\bibliography{refs}
${REFS}`);
  assert.deepEqual(lines, [
    'paper.md:duplicate-citation:gereffi2005',
    'paper.md:duplicate-citation:gereffi2005',
    'paper.md:duplicate-citation:porter1990',
    'paper.tex:duplicate-citation:gereffi2005',
    'paper.tex:duplicate-citation:porter1990',
  ]);
  const [first] = findings;
  assert.equal(first.level, 'warning');
  assert.equal(first.key, 'gereffi2005');
  assert.equal(first.message, 'Duplicate citation `gereffi2005`: this citation already cites it, so the reference may be printed twice. Remove the repeat.');
  // The repeat points at the key's first occurrence in the same citation.
  assert.deepEqual(first.related?.map((r) => r.range.start), [first.file.text.indexOf('gereffi2005')]);
  // Each repeat is flagged, not the first: the last Markdown one is the third `@gereffi2005`.
  assert.equal(findings[1].range.start, first.file.text.lastIndexOf('gereffi2005]'));
});

test('the same key in two citations, in \\nocite, in an image, an unclosed bracket, or with notes of its own each time is no duplicate citation', async () => {
  const { lines } = await check(String.raw`%! paper.md
---
bibliography: refs.bib
nocite: "@porter1990, @porter1990"
---
[@porter1990] and @porter1990 [p. 2], [@porter1990; @gereffi2005]; ![@porter1990; @porter1990](x.png)
[@porter1990; @porter1990

Pages apart: [@porter1990, p. 3; see @porter1990, p. 50].

%! paper.tex
\cite{porter1990} \citep{porter1990} \nocite{porter1990,porter1990} \cite{porter1990,gereffi2005}
\cites[p. 3]{porter1990}[p. 50]{porter1990}
\bibliography{refs}
${REFS}`);
  assert.deepEqual(lines, []);
});

test('duplicate-citation has its own level setting', async () => {
  const source = `%! paper.md\n---\nbibliography: refs.bib\n---\n[@porter1990; @porter1990]\n${REFS}`;
  assert.deepEqual((await check(source, { diagnosticLevels: { 'duplicate-citation': 'ignore' } })).lines, []);
  assert.equal((await check(source, { diagnosticLevels: { 'duplicate-citation': 'error' } })).findings[0].level, 'error');
});
