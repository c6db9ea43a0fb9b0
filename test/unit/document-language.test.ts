// Which language a document is read in: a known extension decides over the editor's languageId (eglot sends one
// languageId for every file of a server); the languageId counts only for other file names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectNameOf as documentLanguageOf } from '../../server/src/syntax/documentLanguages';
import { provideCompletion } from '../../server/src/features/completion';
import { fixture } from './helpers/fixture';

test('a known extension wins over a languageId that contradicts it', () => {
  assert.equal(documentLanguageOf('/w/paper.tex', 'markdown'), 'latex');
  assert.equal(documentLanguageOf('/w/paper.md', 'latex'), 'markdown');
  assert.equal(documentLanguageOf('/w/notes.Rmd', 'tex'), 'markdown');
  assert.equal(documentLanguageOf('/w/refs.bib', 'markdown'), undefined);
});

test('the languageId decides for a file whose extension says nothing', () => {
  assert.equal(documentLanguageOf('/w/notes.txt', 'markdown'), 'markdown');
  assert.equal(documentLanguageOf('/w/Untitled-1', 'latex'), 'latex');
  assert.equal(documentLanguageOf('/w/notes.txt', 'plaintext'), undefined);
  assert.equal(documentLanguageOf('/w/notes.txt'), undefined);
});

test('a .tex opened as "markdown" completes \\cite{gere from its \\bibliography', async () => {
  const f = fixture('%! paper.tex\n\\cite{gere|}\n\\bibliography{refs}\n%! refs.bib\n@book{gereffi1994, title={Commodity chains}}\n');
  f.workspace.openText(f.file, '\\cite{gere}\n\\bibliography{refs}\n', 2, 'markdown');
  const doc = await f.workspace.getDocument(f.file);
  assert.equal(doc?.dialect.name, 'latex');
  const result = await provideCompletion(f.workspace, doc!, f.offset, { limit: 100 }, () => false);
  assert.deepEqual(result?.items.map((item) => item.key), ['gereffi1994']);
});

test('a .bib opened as "markdown" stays a bibliography, not a document', async () => {
  const f = fixture('%! refs.bib\n@book{gereffi1994, title={Commodity chains}}\n');
  f.workspace.openText(f.file, '@book{gereffi1994, title={Commodity chains}}\n', 2, 'markdown');
  assert.equal(await f.workspace.getDocument(f.file), undefined);
});
