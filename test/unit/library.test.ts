// The user's libraries (`citekeys.libraries`): completion offers their entries after the document's own, accepting
// one copies it into the document's bibliography (converted between BibTeX and CSL), an undefined key a library
// has says so and offers a quick fix, and a document without a bibliography gets one created and declared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, ROOT } from './helpers/fixture';
import { COPY_ENTRY_COMMAND, provideCompletion } from '../../server/src/features/completion';
import { acceptEntry } from '../../server/src/features/entryAccept';
import { provideCodeActions } from '../../server/src/features/codeActions';
import { checkedFilesOfFolder, checkFiles } from '../../server/src/features/workspaceCheck';
import { provideHover } from '../../server/src/features/hover';
import { provideDefinition } from '../../server/src/features/definition';
import { provideRename } from '../../server/src/features/rename';
import type { FileEdits } from '../../server/src/features/locations';
import type { Settings } from '../../server/src/config/settings';

const LIBRARY = `%! ../home/user/library.bib
@article{gereffi2005, author = {Gereffi, Gary and Humphrey, John}, title = {The governance of global value chains}, journal = {Review of International Political Economy}, year = {2005}}
@book{porter1990, author = {Porter, Michael E.}, title = {The Competitive Advantage of Nations}, year = {1990}}
@string{ripe = {Review of International Political Economy}}
@article{bair2005, author = {Bair, Jennifer}, title = {Global capitalism and commodity chains}, journal = ripe, year = {2005}}
`;
/** The library lies outside the workspace, in the home folder, as users keep it. */
const SETTINGS: Partial<Settings> = { libraries: ['~/library.bib'] };

function apply(text: string, edits: { range: { start: number; end: number }; newText: string }[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.range.start - a.range.start)) out = out.slice(0, edit.range.start) + edit.newText + out.slice(edit.range.end);
  return out;
}

async function complete(source: string, settings = SETTINGS) {
  const f = fixture(source, settings);
  const doc = await f.workspace.getDocument(f.file);
  return { f, result: await provideCompletion(f.workspace, doc!, f.offset, { limit: 50 }, () => false) };
}

test('completion offers the document’s own entries first, then library entries it lacks, naming the library', async () => {
  const { result } = await complete(`%! paper.md\n---\nbibliography: refs.bib\n---\n[@gere|]\n%! refs.bib\n@book{gereffi1994, author = {Gereffi, Gary}, title = {Commodity chains}, year = {1994}}\n${LIBRARY}`);
  assert.deepEqual(result?.items.map((i) => i.key), ['gereffi1994', 'gereffi2005']);
  assert.equal(result?.items[0].library, undefined);
  assert.equal(result?.items[1].library?.name, 'library.bib');
  assert.equal(result?.items[1].library?.command.command, COPY_ENTRY_COMMAND);
});

test('a key the document’s bibliography has is not offered again from the library', async () => {
  const { result } = await complete(`%! paper.md\n---\nbibliography: refs.bib\n---\n[@porter|]\n%! refs.bib\n@book{porter1990, title = {Mine}}\n${LIBRARY}`);
  assert.deepEqual(result?.items.map((i) => [i.key, i.library?.name]), [['porter1990', undefined]]);
});

test('accepting a library entry appends it byte for byte, with the @string it uses, to the document’s .bib', async () => {
  const f = fixture(`%! paper.md\n---\nbibliography: refs.bib\n---\n[@bair2005]\n%! refs.bib\n@book{a, title = {A}}\n${LIBRARY}`, SETTINGS);
  const result = await acceptEntry(f.workspace, { documentPath: f.path('paper.md'), key: 'bair2005', from: '/home/user/library.bib' });
  assert.ok(!('message' in result));
  const [change] = result.changes as FileEdits[];
  assert.equal(path.basename(change.file.path), 'refs.bib');
  const after = apply(change.file.text, change.edits);
  assert.match(after, /@string\{ripe = \{Review of International Political Economy\}\}\n\n@article\{bair2005, author = \{Bair, Jennifer\}, title = \{Global capitalism and commodity chains\}, journal = ripe, year = \{2005\}\}\n$/);
  const again = await acceptEntry(f.workspace, { documentPath: f.path('paper.md'), key: 'a', from: f.path('refs.bib') });
  assert.match('message' in again ? again.message : '', /already has `a`/);
});

test('a BibTeX library entry accepted into a CSL-JSON bibliography is converted, and the reverse', async () => {
  const f = fixture(`%! paper.md\n---\nbibliography: refs.json\n---\n[@gereffi2005]\n%! refs.json\n[\n  {"id": "a", "type": "book", "title": "A"}\n]\n${LIBRARY}`, SETTINGS);
  const result = await acceptEntry(f.workspace, { documentPath: f.path('paper.md'), key: 'gereffi2005', from: '/home/user/library.bib' });
  const [change] = result.changes as FileEdits[];
  const items = JSON.parse(apply(change.file.text, change.edits)) as { id: string; type: string; author: { family: string }[]; 'container-title': string }[];
  assert.deepEqual(items.map((i) => i.id), ['a', 'gereffi2005']);
  assert.equal(items[1].type, 'article-journal');
  assert.deepEqual(items[1].author.map((a) => a.family), ['Gereffi', 'Humphrey']);
  assert.equal(items[1]['container-title'], 'Review of International Political Economy');

  const g = fixture(`%! paper.tex\n\\cite{doe2020}\n\\bibliography{refs}\n%! refs.bib\n@book{a, title = {A}}\n%! lib/library.json\n[{"id": "doe2020", "type": "article-journal", "title": "A study", "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]}, "container-title": "Nature"}]\n`, { libraries: ['lib/library.json'] });
  const back = await acceptEntry(g.workspace, { documentPath: g.path('paper.tex'), key: 'doe2020', from: g.path('lib/library.json') });
  const [bib] = back.changes as FileEdits[];
  const text = apply(bib.file.text, bib.edits);
  assert.match(text, /@article\{doe2020,\n\s+author = \{Doe, Jane\},/);
  assert.match(text, /journal = \{Nature\}/);
});

test('nothing is written when the document declares no bibliography; the message says what to do', async () => {
  const f = fixture(`%! paper.md\n[@porter1990]\n${LIBRARY}`, SETTINGS);
  const result = await acceptEntry(f.workspace, { documentPath: f.path('paper.md'), key: 'porter1990', from: '/home/user/library.bib' });
  assert.deepEqual(result.changes, []);
  assert.match('message' in result ? result.message : '', /declares no bibliography/);
});

async function findings(f: ReturnType<typeof fixture>) {
  const files = await checkedFilesOfFolder(f.workspace, ROOT);
  return (await checkFiles(f.workspace, { ...files, extraBibliographies: [] })).findings.filter((x) => x.code === 'undefined-citation');
}

test('a key only a library has is still undefined; the message names the library and a quick fix copies it', async () => {
  const f = fixture(`%! paper.md\n---\nbibliography: refs.bib\n---\nSee [@porter1990].\n%! refs.bib\n@book{a, title = {A}}\n${LIBRARY}`, SETTINGS);
  const [finding] = await findings(f);
  assert.equal(finding.key, 'porter1990');
  assert.match(finding.message, /library\.bib has it/);
  const actions = await provideCodeActions(f.workspace, f.path('paper.md'), finding.range, [{ code: finding.code, range: finding.range, key: finding.key }]);
  const copy = actions.find((a) => a.title.startsWith('Copy `porter1990` from library.bib into refs.bib'));
  assert.ok(copy, actions.map((a) => a.title).join('; '));
  const [change] = copy.changes!;
  assert.match(apply(change.file.text, change.edits), /@book\{porter1990,/);
});

test('without a bibliography, the quick fix creates references.bib with the entry and declares it (Markdown, LaTeX, Typst)', async () => {
  const cases: [string, string, RegExp][] = [
    ['paper.md', '# Title\n\n[@porter1990]\n', /^---\nbibliography: references\.bib\n---\n\n# Title/],
    ['notes.md', '---\ntitle: Notes\n---\n[@porter1990]\n', /^---\nbibliography: references\.bib\ntitle: Notes\n---/],
    ['paper.tex', '\\documentclass{article}\n\\usepackage[style=apa]{biblatex}\n\\begin{document}\\cite{porter1990}\\end{document}\n', /\\usepackage\[style=apa\]\{biblatex\}\n\\addbibresource\{references\.bib\}\n\\begin\{document\}/],
    ['old.tex', '\\documentclass{article}\n\\begin{document}\\cite{porter1990}\n\\end{document}\n', /\\cite\{porter1990\}\n\\bibliographystyle\{plain\}\n\\bibliography\{references\}\n\\end\{document\}/],
    ['paper.typ', 'As @porter1990 shows.\n', /shows\.\n\n#bibliography\("references\.bib"\)\n$/],
  ];
  for (const [name, text, declared] of cases) {
    const f = fixture(`%! ${name}\n${text}${LIBRARY}`, SETTINGS);
    const [finding] = await findings(f);
    assert.equal(finding?.key, 'porter1990', name);
    const actions = await provideCodeActions(f.workspace, f.path(name), finding.range, [{ code: finding.code, range: finding.range, key: finding.key }]);
    const create = actions.find((a) => a.title.startsWith('Create references.bib'));
    assert.ok(create, `${name}: ${actions.map((a) => a.title).join('; ')}`);
    const [bib, doc] = create.changes!;
    assert.equal(bib.create, true);
    assert.equal(bib.file.path, path.join(ROOT, 'references.bib'));
    assert.match(bib.edits[0].newText, /^@book\{porter1990, author = \{Porter, Michael E\.\}/);
    assert.match(apply(doc.file.text, doc.edits), declared, name);
  }
});

test('hover on a key only the library has shows the reference and says it is not in the bibliography yet', async () => {
  const f = fixture(`%! paper.md\n---\nbibliography: refs.bib\n---\n[@port|er1990]\n%! refs.bib\n@book{a, title = {A}}\n${LIBRARY}`, SETTINGS);
  const hover = await provideHover(f.workspace, f.file, f.offset, () => false);
  assert.match(hover?.markdown ?? '', /Porter, M\. E\. \(1990\)/);
  assert.match(hover?.markdown ?? '', /Not in the document’s bibliography yet/);
});

test('go to definition of a key only the library has opens the library entry; rename leaves the library alone', async () => {
  const f = fixture(`%! paper.md\n---\nbibliography: refs.bib\n---\n[@port|er1990]\n%! refs.bib\n@book{a, title = {A}}\n${LIBRARY}`, SETTINGS);
  const [target] = await provideDefinition(f.workspace, f.file, f.offset);
  assert.equal(target?.file.path, '/home/user/library.bib');
  assert.equal(target.file.text.slice(target.range.start, target.range.end), 'porter1990');
  const renamed = await provideRename(f.workspace, f.file, f.offset, 'porter-1990');
  assert.ok('error' in renamed, 'a key the document’s bibliographies lack is not renamed, in the library or elsewhere');
});

test('the copy command copies only from a listed library: its arguments cannot make the server read another file', async () => {
  const f = fixture(`%! paper.md\n---\nbibliography: refs.bib\n---\n[@secret]\n%! refs.bib\n@book{a, title = {A}}\n%! private/other.bib\n@book{secret, title = {Not a library}}\n${LIBRARY}`, SETTINGS);
  const result = await acceptEntry(f.workspace, { documentPath: f.path('paper.md'), key: 'secret', from: f.path('private/other.bib') });
  assert.deepEqual(result.changes, []);
  assert.match('message' in result ? result.message : '', /not one of your libraries/);
});
