// The completion warm-up: once per server, between requests, after the first bibliography has its own index, the
// search and item descriptions run on made-up queries, so V8 compiles them before the user's first keystroke.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver/node';
import { provideCompletion, warmUpCompletion } from '../../server/src/features/completion';
import { BackgroundIndexer } from '../../server/src/lsp/backgroundIndexer';
import type { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { fixture } from './helpers/fixture';

const FAMILIES = ['Smith', 'Martin', 'Anders', 'Wang', 'Miller', 'Sato'];
const entries = (prefix: string) => Array.from({ length: 240 }, (_, i) =>
  `@article{${prefix}${FAMILIES[i % 6].toLowerCase()}${2000 + (i % 21)}${i}, author = {${FAMILIES[i % 6]}, Ann and Lee, Bo}, ` +
  `title = {Making sense of ${i} markets}, journal = {Journal ${i % 7}}, year = {${2000 + (i % 21)}}}`).join('\n');

/** Counts `authorYear` calls on one file: each described completion item asks for its author and year. */
function countDescriptions(file: BibliographyFile): { count: number } {
  const counter = { count: 0 };
  const own = file.authorYear.bind(file);
  file.authorYear = (entry) => {
    counter.count++;
    return own(entry);
  };
  return counter;
}

test('the warm-up pauses before each query, describes the hits, and leaves answers as they were', async () => {
  const f = fixture(`%! paper.md\nSee [@ma|]\n%! refs.bib\n${entries('')}\n`);
  const doc = await f.workspace.getDocument(f.file);
  assert.ok(doc);
  const before = await provideCompletion(f.workspace, doc, f.offset, { limit: 50 }, () => false);
  assert.ok(before && before.items.length > 0);
  const file = await f.workspace.getBibliography(f.path('refs.bib'));
  const described = countDescriptions(file);
  const atPause: number[] = [];
  await warmUpCompletion(file, 50, async () => {
    atPause.push(described.count);
  });
  // It starts by letting requests through, and each query's work is done between two pauses (the last query is a
  // typo that may match nothing).
  assert.ok(atPause.length >= 5, `${atPause.length} pauses`);
  assert.equal(atPause[0], 0);
  for (let i = 1; i < atPause.length; i++) assert.ok(atPause[i] > atPause[i - 1], `query ${i} described nothing: ${atPause}`);
  const after = await provideCompletion(f.workspace, doc, f.offset, { limit: 50 }, () => false);
  assert.deepEqual(after, before);
});

test('the background indexer warms completion up once per server, after the first file has its own index', async () => {
  const f = fixture(`%! paper.md\nSee [@ma]\n%! a.bib\n${entries('a')}\n%! b.bib\n${entries('b')}\n`);
  const connection = { console: { info: () => undefined, warn: () => undefined } } as unknown as Connection;
  const indexer = new BackgroundIndexer(connection, f.workspace);
  const a = await f.workspace.getBibliography(f.path('a.bib'));
  const b = await f.workspace.getBibliography(f.path('b.bib'));
  const onA = countDescriptions(a);
  const onB = countDescriptions(b);
  const idle = () => new Promise<void>((resolve) => indexer.later(resolve));
  indexer.enqueue([a]);
  await idle(); // a's index is built; the warm-up was queued after this task
  assert.equal(onA.count, 0, 'building the index describes nothing');
  await idle();
  assert.ok(onA.count >= 50, `${onA.count} items of a.bib described`);
  indexer.enqueue([b]);
  await idle();
  await idle();
  assert.equal(onB.count, 0, 'the second file is not warmed up again');
});
