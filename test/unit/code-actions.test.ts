// Quick fixes: did-you-mean key changes, copying a missing entry from another bibliography, duplicate entries, and
// keys repeated in one citation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT, type Fixture } from './helpers/fixture';
import { provideCodeActions, type CodeActionSpec, type FindingAtRange } from '../../server/src/features/codeActions';
import { macrosUsed } from '../../server/src/features/entryCopy';
import { checkFiles } from '../../server/src/features/workspaceCheck';
import type { TextEditAt } from '../../server/src/features/locations';

/** Each action as title plus, per changed file, its edits as `start-end:newText`. */
function summary(actions: CodeActionSpec[]) {
  return actions.map((a) => ({
    title: a.title,
    preferred: a.isPreferred ?? false,
    edits: (a.changes ?? []).map((c) => `${path.relative(ROOT, c.file.path)}@${c.version ?? '-'} ` + c.edits.map((e) => `${e.range.start}-${e.range.end}:${e.newText}`).join(' | ')),
    command: a.command && { command: a.command.command, arguments: a.command.arguments },
  }));
}

async function textOf(f: Fixture, name: string): Promise<string> {
  const read = await f.workspace.readText(f.path(name));
  assert.ok(!('error' in read));
  return read.text;
}

async function undefinedAt(f: Fixture, name: string, key: string, suggestions: string[]): Promise<FindingAtRange> {
  const start = (await textOf(f, name)).indexOf(key);
  return { code: 'undefined-citation', range: { start, end: start + key.length }, key, suggestions };
}

test('an undefined citation offers up to three closest keys, the first preferred, each an exact edit', async () => {
  const f = fixture('%! paper.md\n---\nbibliography: refs.bib\n---\nSee [@smiht2020].\n%! refs.bib\n@book{smith2020, title={A}}\n');
  const finding = await undefinedAt(f, 'paper.md', 'smiht2020', ['smith2020', 'smith2021', 'smit2020', 'smith2022']);
  const actions = await provideCodeActions(f.workspace, f.path('paper.md'), finding.range, [finding]);
  assert.deepEqual(summary(actions), [
    { title: 'Change to `smith2020`', preferred: true, edits: ['paper.md@- 37-46:smith2020'], command: undefined },
    { title: 'Change to `smith2021`', preferred: false, edits: ['paper.md@- 37-46:smith2021'], command: undefined },
    { title: 'Change to `smit2020`', preferred: false, edits: ['paper.md@- 37-46:smit2020'], command: undefined },
  ]);
  assert.ok(actions.every((a) => a.kind === 'quickfix' && a.diagnosticCode === 'undefined-citation'));
});

test('a suggestion Pandoc cannot read bare is braced, and an open document gives its version', async () => {
  const f = fixture('%! paper.md\n[@smith]\n');
  f.workspace.openText(f.path('paper.md'), '[@smith]\n', 4);
  const finding = await undefinedAt(f, 'paper.md', 'smith', ['smith.']);
  assert.deepEqual(summary(await provideCodeActions(f.workspace, f.path('paper.md'), finding.range, [finding]))[0].edits, ['paper.md@4 2-7:{smith.}']);
});

test('findings outside the requested range get no actions', async () => {
  const f = fixture('%! paper.md\n[@smiht] and more text\n');
  const finding = await undefinedAt(f, 'paper.md', 'smiht', ['smith']);
  assert.deepEqual(await provideCodeActions(f.workspace, f.path('paper.md'), { start: 15, end: 18 }, [finding]), []);
});

const COPY_PROJECT = `%! paper.md
---
bibliography: refs.bib
---
[@miller2001]
%! refs.bib
@book{smith2020, title={A}}
%! lib/other.bib
@string{jcs = {Journal of Cool Stuff}}
@string{unused = {Nope}}
@string{pub = "Cool " # jcs}

@article{miller2001,
  title = {Things},
  journal = jcs,
  publisher = pub,
  month = jan,
  year = 2001,
}
%! lib/more.json
[{"id": "miller2001", "type": "book"}]
`;

test('a key found in another .bib of the workspace can be copied in, with the @string macros it needs', async () => {
  const f = fixture(COPY_PROJECT);
  const finding = await undefinedAt(f, 'paper.md', 'miller2001', []);
  const actions = await provideCodeActions(f.workspace, f.path('paper.md'), finding.range, [finding]);
  assert.equal(actions.length, 1, 'no action copies from the CSL-JSON file into a .bib');
  const refs = await textOf(f, 'refs.bib');
  assert.deepEqual(summary(actions), [
    {
      title: 'Add entry `miller2001` from `lib/other.bib`',
      preferred: false,
      edits: [
        `refs.bib@- ${refs.length}-${refs.length}:\n@string{jcs = {Journal of Cool Stuff}}\n@string{pub = "Cool " # jcs}\n\n` +
          '@article{miller2001,\n  title = {Things},\n  journal = jcs,\n  publisher = pub,\n  month = jan,\n  year = 2001,\n}\n',
      ],
      command: undefined,
    },
  ]);
});

test('macros the target already defines are not copied again', async () => {
  const f = fixture(COPY_PROJECT.replace('@book{smith2020, title={A}}', '@string{JCS = {J. Cool Stuff}}\n@string{pub = {P}}\n@book{smith2020, title={A}}'));
  const finding = await undefinedAt(f, 'paper.md', 'miller2001', []);
  const [action] = await provideCodeActions(f.workspace, f.path('paper.md'), finding.range, [finding]);
  assert.ok(action.changes?.[0].edits[0].newText.startsWith('\n@article{miller2001,'));
});

test('a CSL-JSON bibliography gets missing items copied from another CSL-JSON file, into its array', async () => {
  const f = fixture(`%! paper.md
---
bibliography: refs.json
---
[@doe]
%! refs.json
[
  {"id": "a", "type": "book"}
]
%! lib/more.json
[{"id": "doe", "type": "book", "title": "D"}]
`);
  const finding = await undefinedAt(f, 'paper.md', 'doe', []);
  const [action] = await provideCodeActions(f.workspace, f.path('paper.md'), finding.range, [finding]);
  const edit = action.changes?.[0].edits[0];
  assert.ok(edit);
  const refs = await textOf(f, 'refs.json');
  const result = refs.slice(0, edit.range.start) + edit.newText + refs.slice(edit.range.end);
  assert.equal(result, '[\n  {"id": "a", "type": "book"},\n  {"id": "doe", "type": "book", "title": "D"}\n]\n');
});

const DUPLICATES = `@book{twin,
  title = {Same},
  year = 2001,
}
@book{twin, title={Same}, year=2001}
@book{twin, title = {Different}}
`;

test('a duplicate entry offers to go to each other definition, and to remove itself when it is an exact copy', async () => {
  const f = fixture(`%! refs.bib\n${DUPLICATES}`);
  const second = DUPLICATES.indexOf('twin', 10);
  const finding: FindingAtRange = { code: 'duplicate-entry', range: { start: second, end: second + 4 }, key: 'twin' };
  const actions = await provideCodeActions(f.workspace, f.path('refs.bib'), finding.range, [finding]);
  const third = DUPLICATES.lastIndexOf('twin');
  const entryStart = DUPLICATES.indexOf('@book{twin, title={Same}');
  assert.deepEqual(summary(actions), [
    {
      title: 'Go to other definition (line 1)',
      preferred: false,
      edits: [],
      command: { command: 'citekeys.openLocation', arguments: [{ path: f.path('refs.bib'), range: { start: 6, end: 10 } }] },
    },
    {
      title: 'Go to other definition (line 6)',
      preferred: false,
      edits: [],
      command: { command: 'citekeys.openLocation', arguments: [{ path: f.path('refs.bib'), range: { start: third, end: third + 4 } }] },
    },
    { title: 'Remove this duplicate', preferred: true, edits: [`refs.bib@- ${entryStart}-${DUPLICATES.indexOf('@book{twin, title = {Diff')}:`], command: undefined },
  ]);
});

test('a duplicate that differs from every other definition cannot be removed by a quick fix', async () => {
  const f = fixture(`%! refs.bib\n${DUPLICATES}`);
  const third = DUPLICATES.lastIndexOf('twin');
  const finding: FindingAtRange = { code: 'duplicate-entry', range: { start: third, end: third + 4 }, key: 'twin' };
  const titles = (await provideCodeActions(f.workspace, f.path('refs.bib'), finding.range, [finding])).map((a) => a.title);
  assert.deepEqual(titles, ['Go to other definition (line 1)', 'Go to other definition (line 5)']);
});

test('a duplicate in another bibliography file is named by file and line', async () => {
  const f = fixture('%! refs.bib\n@book{twin, title={A}}\n%! more.bib\n\n@book{twin, title={A}}\n');
  const finding: FindingAtRange = { code: 'duplicate-entry', range: { start: 6, end: 10 }, key: 'twin' };
  const actions = await provideCodeActions(f.workspace, f.path('refs.bib'), finding.range, [finding]);
  assert.deepEqual(summary(actions).map((a) => a.title), ['Go to other definition (more.bib:2)', 'Remove this duplicate']);
  assert.deepEqual(actions[1].changes?.[0].edits, [{ range: { start: 0, end: 23 }, newText: '' }]);
});

test('macro names are read from value expressions, skipping braces, quotes and numbers', () => {
  const text = 'jan # " 1" # {x # y} # Name_2 # 2001';
  assert.deepEqual(macrosUsed(text, 0, text.length), ['jan', 'name_2']);
});

test('entries whose words differ only by a missing space are not exact copies', async () => {
  const f = fixture('%! refs.bib\n@book{twin, publisher = {New York}}\n@book{twin, publisher = {NewYork}}\n');
  const finding: FindingAtRange = { code: 'duplicate-entry', range: { start: 6, end: 10 }, key: 'twin' };
  const titles = (await provideCodeActions(f.workspace, f.path('refs.bib'), finding.range, [finding])).map((a) => a.title);
  assert.deepEqual(titles, ['Go to other definition (line 2)']);
});

/** Applies every `duplicate-citation` quick fix of a one-file fixture at once; returns the text and the titles. */
async function withoutRepeats(name: string, text: string): Promise<{ text: string; titles: string[]; flagged: number }> {
  const f = fixture(`%! ${name}\n${text}`);
  const file = f.path(name);
  const result = await checkFiles(f.workspace, { documents: [file], bibliographies: [], extraBibliographies: [] });
  const findings = result.findings.filter((d) => d.code === 'duplicate-citation');
  const titles: string[] = [];
  const edits: TextEditAt[] = [];
  for (const finding of findings) {
    for (const action of await provideCodeActions(f.workspace, file, finding.range, [finding])) {
      assert.equal(action.diagnosticCode, 'duplicate-citation');
      assert.equal(action.isPreferred, true);
      titles.push(action.title);
      for (const change of action.changes ?? []) edits.push(...change.edits);
    }
  }
  edits.sort((a, b) => b.range.start - a.range.start);
  let fixed = (await textOf(f, name));
  for (const edit of edits) fixed = fixed.slice(0, edit.range.start) + edit.newText + fixed.slice(edit.range.end);
  return { text: fixed, titles, flagged: findings.length };
}

test('the quick fix for a repeated Markdown citation removes it with its `;`, wherever it stands', async () => {
  const cases: [string, string][] = [
    ['[@a; @b; @a]', '[@a; @b]'],
    ['[@a; @a; @b]', '[@a; @b]'],
    ['[@a;@a]', '[@a]'],
    ['[@a; @b; @a ]', '[@a; @b]'],
    ['[@a ; @b ; @a]', '[@a ; @b]'],
    ['[-@a; @a]', '[-@a]'],
    ['[@a; @{a}]', '[@a]'],
    ['[@a; @a; @a]', '[@a]'],
    ['[@a;\n@a; @b]', '[@a; @b]'],
    ['[@a, p. 3; @a]', '[@a, p. 3]'],
    ['[@a; see @a, p. 5; @b]', '[@a; @b]'],
    ['[see @a, p. 3; @a; @b]', '[see @a, p. 3; @b]'],
  ];
  for (const [before, after] of cases) {
    const fixed = await withoutRepeats('paper.md', `${before}\n`);
    assert.equal(fixed.text, `${after}\n`, before);
  }
});

test('the quick fix for a repeated LaTeX citation removes it with its comma, or its whole group of a \\cites', async () => {
  const cases: [string, string][] = [
    [String.raw`\cite{a,b,a}`, String.raw`\cite{a,b}`],
    [String.raw`\cite{a, a, b}`, String.raw`\cite{a, b}`],
    [String.raw`\citep[see][p.~2]{a , b , a}`, String.raw`\citep[see][p.~2]{a , b}`],
    ['\\cite{a,% the first, with a comma\n  b,\n  a}', '\\cite{a,% the first, with a comma\n  b}'],
    [String.raw`\cite{{a},b,{a}}`, String.raw`\cite{{a},b}`],
    [String.raw`\cites{a}{a}`, String.raw`\cites{a}`],
    [String.raw`\cites[see][p. 1]{a} {a}`, String.raw`\cites[see][p. 1]{a}`],
    [String.raw`\cites{a} [p. 2]{a}`, String.raw`\cites{a}`],
    [String.raw`\textcites(all)(){a}{b}{a}`, String.raw`\textcites(all)(){a}{b}`],
    [String.raw`\cites{a}{a, b}`, String.raw`\cites{a}{b}`],
    [String.raw`\cites{{a}}{{a},b}`, String.raw`\cites{{a}}{b}`],
    [String.raw`\cites{a}{b,a}`, String.raw`\cites{a}{b}`],
  ];
  for (const [before, after] of cases) {
    const fixed = await withoutRepeats('paper.tex', `${before}\n`);
    assert.equal(fixed.text, `${after}\n`, before);
  }
});

test('the quick fix names the notes it removes with the repeat, and is not offered without a separator of its own', async () => {
  assert.deepEqual((await withoutRepeats('paper.md', '[@a; @b; @a]\n')).titles, ['Remove the repeated `a`']);
  assert.deepEqual((await withoutRepeats('paper.tex', '\\cites{a}[p. 2]{a}\n')).titles, ['Remove the repeated `a` with its notes: `[p. 2]{a}`']);
  assert.deepEqual((await withoutRepeats('paper.md', '[@a; see @a, p. 5]\n')).titles, ['Remove the repeated `a` with its notes: `see @a, p. 5`']);
  // Pandoc reads `[@a and @a]` as one key with `and @a` in its suffix: flagged, but there is no clean cut.
  const shared = await withoutRepeats('paper.md', '[@a and @a]\n');
  assert.deepEqual([shared.flagged, shared.titles], [1, []]);
});

test('the quick fix for a repeated citation is not offered once the document no longer has it there', async () => {
  const f = fixture('%! paper.md\n[@a; @b; @a]\n');
  const finding: FindingAtRange = { code: 'duplicate-citation', range: { start: 10, end: 11 }, key: 'a' };
  assert.equal((await provideCodeActions(f.workspace, f.path('paper.md'), finding.range, [finding])).length, 1);
  f.workspace.openText(f.path('paper.md'), '[@a; @b; @c]\n', 2);
  assert.deepEqual(await provideCodeActions(f.workspace, f.path('paper.md'), finding.range, [finding]), []);
});
