// The on-disk index cache: index parts survive bytes exactly, a cached index searches like a built one, and any
// damaged, truncated or mismatching cache file is a miss (deleted), never a wrong index; eviction keeps the newest.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { hasOwnSearchIndex, ownSearchIndexParts, prepareSearchIndex, searchIndexOf } from '../../server/src/bibliography/searchIndex';
import { decodeIndexParts, encodeIndexParts, encodeIndexPartsInSteps, type IndexCacheHeader, type IndexParts } from '../../server/src/bibliography/searchIndexCodec';
import { contentKeyOf, indexCacheDirectory, SearchIndexCache } from '../../server/src/workspace/indexCache';
import { MemoryFileSystem } from '../../server/src/workspace/fileSystem';
import { Workspace } from '../../server/src/workspace/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/config/settings';
import { makeBib } from '../../bench/makeBib';

// Generated with the generator's defaults: malformed entries and duplicate keys included.
const bibText = makeBib(3000).text;
const ethicsJson = readFileSync(path.join(__dirname, '../../examples/ethics.json'), 'utf8');
/** Empty, key prefixes, names, title words, several words, DOIs, an exact key, typos (`abbptt`, `jakobsne`). */
const QUERIES = ['', 'a', 'b', 'ch', 'smi', 'abbott 1999', 'abbott1971', 'journal', 'climate change', 'regional studies', 'mueller', 'gouvernance', '10.1', 'abbptt', 'jakobsne'];

const parse = (name: string, text = bibText, format: 'bibtex' | 'csl-json' = 'bibtex') => BibliographyFile.parse(`/w/${name}`, text, format);
const headerOf = (file: BibliographyFile, contentKey = 'k1'): IndexCacheHeader => ({ contentKey, codeVersion: 'test', format: file.format, entries: file.entries.length });
const made: string[] = [];
const tempDir = () => {
  made.push(mkdtempSync(path.join(tmpdir(), 'citekeys-index-cache-')));
  return made[made.length - 1];
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const results = (file: BibliographyFile) => QUERIES.map((q) => searchIndexOf(file).search(q, 50).hits.map((h) => `${h.entry.key}@${h.entry.range.start}:${h.score}`));

function plain(parts: IndexParts) {
  return {
    order: Array.from(parts.order), sorted: parts.sorted,
    lists: parts.lists.map((list) => ({ words: list.words, wordStart: Array.from(list.wordStart), postings: Array.from(list.postings) })),
  };
}

function builtParts(file: BibliographyFile): IndexParts {
  searchIndexOf(file);
  const parts = ownSearchIndexParts(file);
  assert.ok(parts);
  return parts;
}

test('index parts survive bytes exactly, for BibTeX and CSL-JSON', () => {
  for (const file of [parse('a.bib'), parse('ethics.json', ethicsJson, 'csl-json')]) {
    const parts = builtParts(file);
    const bytes = encodeIndexParts(parts, headerOf(file));
    assert.ok(bytes);
    const decoded = decodeIndexParts(bytes, parse(`again-${file.path}`, file.text, file.format as 'bibtex'), headerOf(file));
    assert.ok(decoded, file.path);
    assert.deepEqual(plain(decoded), plain(parts));
  }
});

test('encoded in steps, with strings joined in stretches of any size, the bytes are the same', () => {
  const file = parse('steps.bib');
  const parts = builtParts(file);
  const whole = encodeIndexParts(parts, headerOf(file));
  assert.ok(whole);
  for (const stretch of [1, 7, 1000, 1_000_000]) {
    const steps = encodeIndexPartsInSteps(parts, headerOf(file), stretch);
    let count = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) count++;
    assert.ok(step.value, `stretch ${stretch}`);
    assert.equal(Buffer.compare(step.value, whole), 0, `stretch ${stretch}`);
    // Every stretch of strings is a step, and every kind's arrays one more.
    const stretches = [parts.sorted, ...parts.lists.map((list) => list.words)].reduce((sum, strings) => sum + Math.max(1, Math.ceil(strings.length / stretch)), 0);
    assert.equal(count, stretches + parts.lists.length, `stretch ${stretch}`);
  }
  // A lone surrogate is found in whichever stretch holds it: such parts are not stored.
  const broken = { ...parts, sorted: parts.sorted.map((key, i) => (i === 500 ? `${key}\ud800` : key)) };
  for (const stretch of [1, 7, 1_000_000]) {
    const steps = encodeIndexPartsInSteps(broken, headerOf(file), stretch);
    let step = steps.next();
    while (!step.done) step = steps.next();
    assert.equal(step.value, undefined, `stretch ${stretch}`);
  }
});

test('the cache encodes between pauses when given one, and what it wrote loads', async () => {
  const dir = tempDir();
  const file = parse('paused.bib');
  const key = (await contentKeyOf(new TextEncoder().encode(file.text)))!;
  let pauses = 0;
  assert.equal(await new SearchIndexCache(dir, 'test', { minEntries: 10 }).save(file, key, builtParts(file), async () => void pauses++), true);
  assert.ok(pauses > builtParts(file).lists.length, `${pauses} pauses`);
  const loaded = await new SearchIndexCache(dir, 'test', { minEntries: 10 }).load(parse('paused-again.bib'), key);
  assert.ok(loaded);
  assert.deepEqual(plain(loaded), plain(builtParts(file)));
});

test('an index taken from the cache answers every query as one built from the file', async () => {
  const built = parse('built.bib');
  const bytes = encodeIndexParts(builtParts(built), headerOf(built))!;
  const file = parse('cached.bib');
  const outcome = await prepareSearchIndex(file, async () => undefined, 500, () => true, async () => decodeIndexParts(bytes, file, headerOf(file)));
  assert.equal(outcome, 'cache');
  assert.ok(results(built).every((hits) => hits.length > 0), 'every query finds something');
  assert.deepEqual(results(file), results(built));
});

test('bytes that do not belong to the file or its header decode to nothing', () => {
  const file = parse('own.bib');
  const bytes = encodeIndexParts(builtParts(file), headerOf(file))!;
  const other = parse('other.bib', bibText.replace(/@(\w+)\{([^,\s]+),/, '@$1{$2x,'));
  assert.equal(other.entries.length, file.entries.length);
  assert.equal(decodeIndexParts(bytes, other, headerOf(other)), undefined, 'one key differs');
  const fewer = parse('fewer.bib', bibText.slice(0, file.entries[file.entries.length - 1].range.start));
  assert.equal(fewer.entries.length, file.entries.length - 1);
  assert.equal(decodeIndexParts(bytes, fewer, headerOf(fewer)), undefined, 'one entry fewer');
  assert.equal(decodeIndexParts(bytes, file, headerOf(file, 'k2')), undefined, 'another content key');
  assert.equal(decodeIndexParts(bytes, file, { ...headerOf(file), codeVersion: 'other' }), undefined, 'another code version');
  assert.equal(decodeIndexParts(bytes, file, { ...headerOf(file), format: 'csl-json' }), undefined, 'read as another format');
  for (const cut of [0, 3, 12, 100, bytes.length >> 1, bytes.length - 1]) assert.equal(decodeIndexParts(bytes.subarray(0, cut), file, headerOf(file)), undefined, `cut at ${cut}`);
  const longer = new Uint8Array(bytes.length + 4);
  longer.set(bytes);
  assert.equal(decodeIndexParts(longer, file, headerOf(file)), undefined, 'bytes left over');
  // A posting past the last entry, a word out of order: caught even where a digest would not look.
  const postings = bytes.slice();
  new DataView(postings.buffer).setInt32(postings.length - 4, file.entries.length, true);
  assert.equal(decodeIndexParts(postings, file, headerOf(file)), undefined, 'posting out of range');
});

test('the cache stores an index and reads it back for the same content, and misses for other content', async () => {
  const dir = tempDir();
  const cache = new SearchIndexCache(dir, 'test', { minEntries: 10 });
  const file = parse('stored.bib');
  const key = (await contentKeyOf(new TextEncoder().encode(file.text)))!;
  assert.equal(key, createHash('sha1').update(file.text).digest('hex'));
  assert.equal(cache.qualifies(file), true);
  assert.equal(new SearchIndexCache(dir, 'test').qualifies(file), false, 'under 20,000 entries by default');
  assert.equal(await cache.save(file, key, builtParts(file)), true);
  assert.equal(await cache.save(file, key, builtParts(file)), false, 'written once per content key');
  assert.deepEqual(readdirSync(dir), [`${key}-f1-test.ckidx`]);

  const again = parse('stored-again.bib');
  const loaded = await new SearchIndexCache(dir, 'test', { minEntries: 10 }).load(again, key);
  assert.ok(loaded);
  assert.deepEqual(plain(loaded), plain(builtParts(file)));
  assert.equal(await cache.load(again, 'f'.repeat(40)), undefined, 'other content');
  assert.equal(await new SearchIndexCache(dir, 'next').load(again, key), undefined, 'another citekeys version');
  assert.deepEqual(readdirSync(dir).length, 1);
});

test('a damaged, truncated or mismatching cache file is ignored and deleted', async () => {
  const dir = tempDir();
  const log: string[] = [];
  const cache = new SearchIndexCache(dir, 'test', { minEntries: 10, log: (m) => log.push(m) });
  const file = parse('damaged.bib');
  const key = (await contentKeyOf(new TextEncoder().encode(file.text)))!;
  const cacheFile = () => path.join(dir, `${key}-f1-test.ckidx`);
  assert.equal(await new SearchIndexCache(dir, 'test', { minEntries: 10 }).save(file, key, builtParts(file)), true);
  const whole = readFileSync(cacheFile());
  const damages: [string, (bytes: Buffer) => Uint8Array][] = [
    ['one bit flipped in the postings', (b) => { const c = Buffer.from(b); c[c.length - 100] ^= 1; return c; }],
    ['truncated', (b) => b.subarray(0, b.length >> 1)],
    ['empty', () => new Uint8Array(0)],
    ['the digest alone', (b) => b.subarray(b.length - 32)],
  ];
  for (const [what, damage] of damages) {
    writeFileSync(cacheFile(), damage(whole));
    assert.equal(await cache.load(parse('damaged-again.bib'), key), undefined, what);
    assert.deepEqual(readdirSync(dir), [], `${what}: deleted`);
  }
  // A whole cache file under the name of other content (its digest is right, its header is not).
  const other = parse('other.bib', bibText.replace(/@(\w+)\{([^,\s]+),/, '@$1{$2x,'));
  const otherKey = (await contentKeyOf(new TextEncoder().encode(other.text)))!;
  writeFileSync(path.join(dir, `${otherKey}-f1-test.ckidx`), whole);
  assert.equal(await cache.load(other, otherKey), undefined);
  assert.deepEqual(readdirSync(dir), []);
  assert.ok(log.some((m) => m.includes('is damaged')) && log.some((m) => m.includes('does not match')), log.join('\n'));
  // After all that, a build and a save still work.
  assert.equal(await cache.save(other, otherKey, builtParts(other)), true);
});

test('eviction keeps the most recently used cache files', async () => {
  const dir = tempDir();
  const cache = new SearchIndexCache(dir, 'test', { minEntries: 10, maxFiles: 2 });
  const files = ['a', 'b', 'c'].map((name) => parse(`${name}.bib`, bibText.replace(/@(\w+)\{([^,\s]+),/, `@$1{$2${name},`)));
  const keys = files.map((file) => createHash('sha1').update(file.text).digest('hex'));
  await cache.save(files[0], keys[0], builtParts(files[0]));
  await cache.save(files[1], keys[1], builtParts(files[1]));
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
  utimesSync(path.join(dir, `${keys[0]}-f1-test.ckidx`), hoursAgo(3), hoursAgo(3));
  utimesSync(path.join(dir, `${keys[1]}-f1-test.ckidx`), hoursAgo(2), hoursAgo(2));
  assert.ok(await cache.load(parse('a-again.bib', files[0].text), keys[0]), 'a used again: now the most recent');
  // The load marks the file used without waiting for it; the mark is awaited here as it shows on disk.
  while (statSync(path.join(dir, `${keys[0]}-f1-test.ckidx`)).mtimeMs < hoursAgo(1).getTime()) await new Promise(setImmediate);
  await cache.save(files[2], keys[2], builtParts(files[2]));
  assert.deepEqual(readdirSync(dir).sort(), [keys[0], keys[2]].map((k) => `${k}-f1-test.ckidx`).sort());

  // A byte budget smaller than two files keeps the newest one; a temporary file abandoned long ago goes too.
  const abandoned = path.join(dir, 'x.ckidx.1.tmp');
  writeFileSync(abandoned, 'partial');
  utimesSync(abandoned, hoursAgo(2), hoursAgo(2));
  await new SearchIndexCache(dir, 'test', { maxBytes: 1 }).evict();
  assert.deepEqual(readdirSync(dir), [`${keys[2]}-f1-test.ckidx`]);
});

test('the workspace digests the bytes of bibliographies it reads from disk, and only while the cache is in use', async () => {
  const fs = new MemoryFileSystem({ '/w/refs.bib': bibText, '/w/open.bib': bibText, '/w/small.bib': bibText.slice(0, 20_000) });
  const workspace = new Workspace(fs, { ...DEFAULT_SETTINGS }, ['/w']);
  // 3,000 entries: a cached file from 1,000 entries on, so files from 100,000 bytes on are looked up.
  const cache = new SearchIndexCache(tempDir(), 'test', { minEntries: 1000 });
  assert.equal(cache.smallestCachedBytes, 100_000);
  const reload = async () => {
    fs.write('/w/refs.bib', bibText);
    workspace.fileChanged('/w/refs.bib', true);
    return workspace.getBibliography('/w/refs.bib');
  };
  assert.equal(cache.contentKeyOf(await workspace.getBibliography('/w/refs.bib')), undefined, 'no cache configured');
  workspace.indexCache = cache;
  const read = await reload();
  assert.equal(await cache.contentKeyOf(read), createHash('sha1').update(bibText).digest('hex'));
  assert.equal(cache.contentKeyOf(await workspace.getBibliography('/w/small.bib')), undefined, 'too small to be cached: not hashed');
  // Hashed (large enough in bytes), but fewer entries than cached files have: nothing kept to look at.
  workspace.indexCache = new SearchIndexCache(tempDir(), 'test', { minEntries: 5000 });
  const fewer = await reload();
  assert.ok(await workspace.indexCache.contentKeyOf(fewer));
  assert.equal(workspace.indexCache.storedIndexOf(fewer), undefined);
  workspace.indexCache = cache;
  workspace.openText('/w/open.bib', bibText, 1);
  assert.equal(cache.contentKeyOf(await workspace.getBibliography('/w/open.bib')), undefined, 'an editor\'s text is not cached');
  workspace.settings = { ...DEFAULT_SETTINGS, indexCache: false };
  assert.equal(cache.contentKeyOf(await reload()), undefined, 'citekeys.indexCache off');
});

test('the workspace reads a large file\'s stored index while it parses the file, and hands it over once', async () => {
  const dir = tempDir();
  const first = parse('refs.bib');
  const key = createHash('sha1').update(bibText).digest('hex');
  assert.equal(await new SearchIndexCache(dir, 'test', { minEntries: 10 }).save(first, key, builtParts(first)), true);
  const workspace = new Workspace(new MemoryFileSystem({ '/w/refs.bib': bibText }), { ...DEFAULT_SETTINGS }, ['/w']);
  const cache = new SearchIndexCache(dir, 'test', { minEntries: 10 });
  workspace.indexCache = cache;
  const file = await workspace.getBibliography('/w/refs.bib');
  // Installed before the file was handed out when the stored bytes were read by then, else left for the indexer.
  const left = cache.storedIndexOf(file);
  if (left) {
    assert.equal(hasOwnSearchIndex(file), false);
    assert.deepEqual(plain(await left as IndexParts), plain(builtParts(first)));
  } else {
    assert.equal(hasOwnSearchIndex(file), true);
    assert.deepEqual(plain(ownSearchIndexParts(file) as IndexParts), plain(builtParts(first)));
  }
  assert.equal(cache.storedIndexOf(file), undefined, 'taken once');
});

test('a stored index at hand when the file is parsed is installed at once; one still being read is left for the indexer', async () => {
  const dir = tempDir();
  const key = createHash('sha1').update(bibText).digest('hex');
  const cache = new SearchIndexCache(dir, 'test', { minEntries: 10 });
  assert.equal(await cache.save(parse('refs.bib'), key, builtParts(parse('refs.bib'))), true);
  // At hand: read ahead and finished before the parse is done.
  const ready = cache.readAhead(Promise.resolve(key));
  await ready.stored;
  const file = parse('refs.bib');
  cache.readFor(file, ready);
  assert.equal(await cache.installIfAtHand(file), true);
  assert.equal(hasOwnSearchIndex(file), true);
  assert.equal(cache.storedIndexOf(file), undefined);
  const keysOf = (f: BibliographyFile) => searchIndexOf(f).search('smi', 30).hits.map((hit) => `${hit.entry.key} ${hit.score}`);
  assert.deepEqual(keysOf(file), keysOf(parse('refs.bib')));
  // Not at hand: the content key is still being computed.
  let giveKey: (value: string) => void = () => undefined;
  const later = cache.readAhead(new Promise<string>((resolve) => { giveKey = resolve; }));
  const other = parse('refs.bib');
  cache.readFor(other, later);
  assert.equal(await cache.installIfAtHand(other), false);
  assert.equal(hasOwnSearchIndex(other), false);
  const left = cache.storedIndexOf(other);
  giveKey(key);
  assert.deepEqual(plain(await left as IndexParts), plain(builtParts(other)));
});

test('the cache folder: CITEKEYS_CACHE_DIR, else the client\'s folder, else XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(indexCacheDirectory({ CITEKEYS_CACHE_DIR: '/t/c', XDG_CACHE_HOME: '/x' }, '/vscode/storage', '/home/u'), '/t/c');
  assert.equal(indexCacheDirectory({ XDG_CACHE_HOME: '/x' }, '/vscode/storage', '/home/u'), '/vscode/storage');
  assert.equal(indexCacheDirectory({ XDG_CACHE_HOME: '/x' }, 42, '/home/u'), '/x/citekeys');
  assert.equal(indexCacheDirectory({}, undefined, '/home/u'), '/home/u/.cache/citekeys');
  assert.equal(indexCacheDirectory({}, undefined, undefined), undefined);
});

test('a large file\'s bytes are moved to another thread to be hashed (no copy), a small file\'s hashed at once', async () => {
  const large = new Uint8Array(3 << 20).map((_, i) => (i * 31) & 0xff);
  const expected = createHash('sha1').update(large).digest('hex');
  const keyOfLarge = contentKeyOf(large);
  // Moved, not copied: this thread no longer holds the 3 MB.
  assert.equal(large.byteLength, 0);
  assert.equal(await keyOfLarge, expected);
  const small = new TextEncoder().encode('@book{a, title = {A}}');
  assert.equal(await contentKeyOf(small), createHash('sha1').update(small).digest('hex'));
  assert.equal(small.byteLength, 21);
  // A view into a larger buffer is not the caller's to give away: hashed here, left as it was.
  const shared = new Uint8Array(4 << 20).fill(7);
  const view = shared.subarray(1, 2 << 20);
  assert.equal(await contentKeyOf(view), createHash('sha1').update(view).digest('hex'));
  assert.equal(shared.byteLength, 4 << 20);
});
