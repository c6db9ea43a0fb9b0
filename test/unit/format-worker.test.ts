// citation-js in the server's worker thread: the same references as in the calling thread, the calling thread free
// while a style engine is built, and formatting carried on in the calling thread when the worker fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';
import { formatInputOf, inThreadEngine, ReferenceFormatter, type EntrySource } from '../../server/src/bibliography/format';
import { WorkerFormatEngine } from '../../server/src/lsp/workerFormatEngine';

/** Built by `npm test` before the tests run (esbuild.mjs). */
const WORKER = resolve('dist/formatWorker.js');
const text = readFileSync('examples/ethics.bib', 'utf8');
const file = scanBibtex(text);
const source = (key: string): EntrySource => ({ bibtex: { text, entry: file.entries.find((e) => e.key === key)!, strings: file.strings } });

function script(body: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'citekeys-worker-')), 'worker.js');
  writeFileSync(path, body);
  return path;
}

/** How many 1 ms timer ticks the calling thread runs while `work` is under way. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

test('the worker formats exactly as the calling thread does', async () => {
  const engine = new WorkerFormatEngine(WORKER);
  try {
    for (const key of ['gereffi2005a', 'kolk2004', 'gereffi2013']) {
      const input = formatInputOf(source(key));
      assert.deepEqual(await engine.format(input, { name: 'apa' }), await inThreadEngine.format(input, { name: 'apa' }), key);
    }
    const formatter = new ReferenceFormatter(100, engine);
    assert.match((await formatter.format(source('gereffi2005a'), { name: 'vancouver' })).text, /^1\. Gereffi G, Humphrey J, Sturgeon T\./);
    assert.equal(engine.usesWorker, true);
  } finally {
    engine.dispose();
  }
});

test('building a style engine in the worker leaves the calling thread running', async () => {
  const engine = new WorkerFormatEngine(WORKER);
  try {
    // A first warm-up loads citation-js and builds Chicago's engine in the worker (hundreds of milliseconds);
    // meanwhile this thread keeps running its timers.
    const ticks = await ticksDuring(() => engine.warmUp({ name: 'chicago' }));
    assert.ok(ticks >= 20, `${ticks} timer ticks while the worker built the engine`);
  } finally {
    engine.dispose();
  }
});

test('a worker that cannot start, dies or hangs: the reference is formatted in the calling thread', async () => {
  const expected = await inThreadEngine.format(formatInputOf(source('bair2001')), { name: 'apa' });
  const problems: string[] = [];
  const missing = new WorkerFormatEngine('/nonexistent/formatWorker.js', (message) => problems.push(message));
  assert.deepEqual(await missing.format(formatInputOf(source('bair2001')), { name: 'apa' }), expected);
  assert.ok(problems.length >= 1);

  const dying = new WorkerFormatEngine(script("require('node:worker_threads').parentPort.on('message', () => process.exit(3));"));
  for (let i = 0; i < 4; i++) assert.deepEqual(await dying.format(formatInputOf(source('bair2001')), { name: 'apa' }), expected);
  assert.equal(dying.usesWorker, false, 'gives up on workers after three deaths');

  const hanging = new WorkerFormatEngine(script("require('node:worker_threads').parentPort.on('message', () => {});"), () => undefined, 300);
  try {
    assert.deepEqual(await hanging.format(formatInputOf(source('bair2001')), { name: 'apa' }), expected);
  } finally {
    hanging.dispose();
  }
});

test('a worker idle for its quiet spell exits, and the next reference starts a new one', async () => {
  const engine = new WorkerFormatEngine(WORKER, () => undefined, 20_000, inThreadEngine, 200);
  try {
    const input = formatInputOf(source('kolk2004'));
    const expected = await inThreadEngine.format(input, { name: 'apa' });
    const exited = engine.nextQuietExit();
    assert.deepEqual(await engine.format(input, { name: 'apa' }), expected);
    assert.equal(engine.hasWorker, true);
    await exited;
    assert.equal(engine.hasWorker, false, 'the idle worker exited');
    assert.deepEqual(await engine.format(input, { name: 'apa' }), expected);
    assert.equal(engine.hasWorker, true, 'a new worker formats the next reference');
    assert.equal(engine.usesWorker, true, 'a quiet exit is not a failure');
  } finally {
    engine.dispose();
  }
});
