// While a large bibliography is being edited, only the current version and the one it was re-parsed from may stay
// in memory: each version holds the whole text, so anything that keeps every version (a timer per version, a key
// sliced from the text) would grow the server by the file's size on every keystroke.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Connection } from 'vscode-languageserver/node';
import { BackgroundIndexer } from '../../server/src/lsp/backgroundIndexer';
import { fullCollector, MemoryKeeper } from '../../server/src/lsp/memoryKeeper';
import { noteActivity } from '../../server/src/lsp/activity';
import type { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { fixture } from './helpers/fixture';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function collected(refs: WeakRef<object>[]): Promise<boolean[]> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  return refs.map((ref) => ref.deref() === undefined);
}

test('versions of an edited bibliography queued for indexing are freed once replaced', async () => {
  const entries = Array.from({ length: 300 }, (_, i) => `@book{key${i}, title = {Title number ${i} of a long list}}`).join('\n');
  const f = fixture(`%! refs.bib\n${entries}\n`);
  const connection = { console: { warn: () => undefined } } as unknown as Connection;
  const indexer = new BackgroundIndexer(connection, f.workspace);
  const versions: WeakRef<BibliographyFile>[] = [];
  let text = entries;
  for (let version = 1; version <= 8; version++) {
    text = text.replace(`key${version * 10},`, `key${version * 10}x,`);
    f.workspace.openText(f.path('refs.bib'), text, version);
    const file = await f.workspace.getBibliography(f.path('refs.bib'));
    indexer.enqueue([file]); // as each diagnostics pass does
    versions.push(new WeakRef(file));
  }
  const freed = await collected(versions);
  // The last version is current; the one before it is its `previous` (for the borrowed search index).
  assert.deepEqual(freed, [true, true, true, true, true, true, false, false]);
});

test('after edits of a large open text, one full collection runs once the user pauses; small texts never ask', async () => {
  let collections = 0;
  let collected!: () => void;
  const done = new Promise<void>((resolve) => (collected = resolve));
  const keeper = new MemoryKeeper(() => {
    collections++;
    collected();
  }, 30);
  keeper.textChanged(1000);
  for (let i = 0; i < 5; i++) {
    noteActivity();
    keeper.textChanged(60 * 1024 * 1024);
  }
  assert.equal(collections, 0, 'nothing while the user is typing');
  const keepAlive = setTimeout(() => undefined, 60_000); // the keeper's own timer does not hold the process open
  await done;
  clearTimeout(keepAlive);
  assert.equal(collections, 1);
  assert.equal(typeof fullCollector(), 'function', "V8's full collection is reachable in this Node");
});
