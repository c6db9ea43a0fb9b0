// The live Zotero connection against a loopback fake of Better BibTeX's JSON-RPC (test/unit/helpers/fakeBetterBibtex.ts,
// which follows retorquere/zotero-better-bibtex content/json-rpc.ts): detection and retries, search, export, failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoteroConnection, type ZoteroOptions, type ZoteroStatus } from '../../server/src/workspace/zotero';
import { callJsonRpc } from '../../server/src/workspace/zoteroHttp';
import { FakeBetterBibtex } from './helpers/fakeBetterBibtex';

/** A scheduler whose timers run only when the test fires them, and a log that keeps its lines. */
function harness(url: string, extra: Partial<ZoteroOptions> = {}) {
  const timers: { callback: () => void; ms: number; cancelled: boolean }[] = [];
  const log: string[] = [];
  const statuses: ZoteroStatus[] = [];
  const connection = new ZoteroConnection({
    enabled: true, url, log: (m) => log.push(m),
    schedule: (callback, ms) => {
      const timer = { callback, ms, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
    ...extra,
  });
  connection.onDidChangeStatus((s) => statuses.push(s));
  const pending = () => timers.filter((t) => !t.cancelled);
  /** Runs the one pending retry, as a minute passing would. */
  const fireRetry = async (): Promise<void> => {
    const [timer] = pending();
    assert.ok(timer, 'a retry is scheduled');
    timer.cancelled = true;
    timer.callback();
    await connection.start();
  };
  return { connection, log, statuses, pending, fireRetry };
}

async function withFake(run: (fake: FakeBetterBibtex, url: string) => Promise<void>): Promise<void> {
  const fake = new FakeBetterBibtex();
  const url = await fake.listen();
  try {
    await run(fake, url);
  } finally {
    await fake.close();
  }
}

/** A loopback URL where nothing listens: connection refused. */
async function closedPort(): Promise<{ url: string; port: number }> {
  const probe = new FakeBetterBibtex();
  const url = await probe.listen();
  await probe.close();
  return { url, port: Number(new URL(url).port) };
}

test('a running Better BibTeX is found with one api.ready at start-up, and the status says connected', async () => {
  await withFake(async (fake, url) => {
    const { connection, log, statuses, pending } = harness(url);
    assert.equal(connection.status, 'unavailable');
    assert.equal(await connection.start(), 'connected');
    await connection.start();
    assert.equal(fake.calls('api.ready'), 1, 'detected once');
    // NSAPI.ready answers { zotero, betterbibtex } versions.
    assert.deepEqual(fake.requests[0].params, []);
    assert.deepEqual(statuses, ['connected']);
    assert.equal(connection.backend, 'better-bibtex');
    assert.match(log.join('\n'), /Zotero 7\.0\.15 with Better BibTeX 7\.0\.40/);
    assert.equal(pending().length, 0, 'no retry while connected');
  });
});

test('a Zotero that is down is retried once a minute, told once, and found when it starts', async () => {
  const { url, port } = await closedPort();
  const { connection, log, statuses, pending, fireRetry } = harness(url);
  assert.equal(await connection.start(), 'unavailable');
  assert.deepEqual(pending().map((t) => t.ms), [60_000]);
  assert.equal(log.length, 1);
  assert.match(log[0], /ECONNREFUSED/);
  const started = Date.now();
  assert.deepEqual(await connection.searchWithin('zotero', 150), { items: [], complete: true }, 'nothing to wait for');
  assert.ok(Date.now() - started < 100, 'an unavailable Zotero is not asked');
  await fireRetry();
  assert.equal(connection.status, 'unavailable');
  assert.deepEqual(pending().map((t) => t.ms), [60_000], 'one retry at a time, a minute apart');
  assert.equal(log.length, 1, 'the same failure is not told again');
  const fake = new FakeBetterBibtex();
  await fake.listen(port);
  try {
    await fireRetry();
    assert.equal(connection.status, 'connected');
    assert.deepEqual(statuses, ['connected']);
    assert.equal(pending().length, 0);
    assert.equal(fake.calls('api.ready'), 1);
  } finally {
    await fake.close();
  }
});

test('search finds items by title, by citation key and by creator, as CSL-JSON with the key as id', async () => {
  await withFake(async (fake, url) => {
    const { connection } = harness(url);
    const byTitle = await connection.searchWithin('research tool', 5_000);
    assert.equal(byTitle.complete, true);
    assert.deepEqual(byTitle.items.map((i) => i.key), ['smith2020zotero']);
    const [item] = byTitle.items;
    // NSItem.search: itemToCSLJSON (id = item URI) + library + citekey; the connection makes the key the id.
    assert.equal(item.csl.id, 'smith2020zotero');
    assert.equal(item.csl.type, 'article-journal');
    assert.equal(item.csl.title, 'Zotero as a research tool');
    assert.equal(item.csl['container-title'], 'Journal of Tools');
    assert.equal(item.csl.DOI, '10.1000/zot');
    assert.deepEqual(item.csl.author, [{ family: 'Smith', given: 'John' }, { family: 'Doe', given: 'Jane' }]);
    assert.deepEqual(item.csl.issued, { 'date-parts': [[2020, 5]] });
    assert.equal(item.library, 'My Library');
    assert.equal(item.stableKey, true);
    assert.deepEqual((await connection.searchWithin('miller2019', 5_000)).items.map((i) => i.key), ['miller2019reference']);
    assert.deepEqual((await connection.searchWithin('Doe', 5_000)).items.map((i) => i.key), ['smith2020zotero'], 'a second author');
    assert.deepEqual((await connection.searchWithin('Luis Garcia', 5_000)).items.map((i) => i.key), ['garcia2021citations']);
    assert.deepEqual((await connection.searchWithin('smith 2020', 5_000)).items.map((i) => i.key), ['smith2020zotero'], 'the attachment "Smith full text PDF" is left out');
    // Sent as condition tuples (NSItem.search's array form), one positional parameter.
    const sent = fake.requests.filter((r) => r.method === 'item.search').map((r) => r.params as unknown[][][]);
    assert.ok(sent.every((params) => params.length === 1));
    assert.ok(sent.some(([terms]) => terms.some((t) => t[0] === 'quicksearch-titleCreatorYear' && t[2] === 'Doe')));
    // Why tuples: BBT's string term searches title, year and citation key, not creators.
    const plain = await callJsonRpc(url, 'item.search', ['Doe'], 5_000);
    assert.deepEqual(plain, { ok: true, value: [] });
  });
});

test('queries shorter than three characters are not sent', async () => {
  await withFake(async (fake, url) => {
    const { connection } = harness(url);
    assert.deepEqual(await connection.searchWithin('sm', 5_000), { items: [], complete: true });
    assert.equal(fake.calls('item.search'), 0);
  });
});

test('export gives one or several entries as BibLaTeX, BibTeX and CSL-JSON through BBT translators', async () => {
  await withFake(async (fake, url) => {
    const { connection } = harness(url);
    const one = await connection.exportEntries(['smith2020zotero'], 'biblatex');
    assert.ok(one.ok);
    assert.match(one.text, /^@article\{smith2020zotero,\n/);
    assert.match(one.text, /date = \{2020-05\}/);
    const two = await connection.exportEntries(['smith2020zotero', 'miller2019reference'], 'bibtex');
    assert.ok(two.ok);
    assert.match(two.text, /@article\{smith2020zotero,[^@]*year = \{2020\}/);
    assert.match(two.text, /@book\{miller2019reference,/);
    const csl = await connection.exportEntries(['smith2020zotero', 'garcia2021citations'], 'csl-json');
    assert.ok(csl.ok);
    // translators/csl/csl.ts sets id and citation-key to the key; json.ts writes a JSON array.
    assert.deepEqual((JSON.parse(csl.text) as { id: string }[]).map((i) => i.id), ['smith2020zotero', 'garcia2021citations']);
    // NSItem.export(citekeys, translator) with BBT's translator labels (translators/*.json).
    const translators = fake.requests.filter((r) => r.method === 'item.export').map((r) => (r.params as unknown[])[1]);
    assert.deepEqual(translators, ['Better BibLaTeX', 'Better BibTeX', 'Better CSL JSON']);
  });
});

test('an unknown key is refused with JSON-RPC -32602, told once, and nothing throws', async () => {
  await withFake(async (_fake, url) => {
    const { connection, log } = harness(url);
    const answer = await connection.exportEntries(['smith2020zotero', 'nobody1999'], 'biblatex');
    assert.deepEqual(answer, { ok: false, message: 'item.export failed (JSON-RPC -32602): not found: nobody1999' });
    await connection.exportEntries(['smith2020zotero', 'nobody1999'], 'biblatex');
    assert.equal(log.filter((l) => l.includes('-32602')).length, 1);
  });
});

test('the fake keeps BBT envelope rules: unknown method, named and unknown parameters, parse errors', async () => {
  await withFake(async (_fake, url) => {
    assert.deepEqual(await callJsonRpc(url, 'item.fly', [], 5_000), { ok: false, failure: { kind: 'rpc', code: -32601, message: 'item.fly failed (JSON-RPC -32601): Method not found: item.fly' } });
    const post = async (body: string): Promise<unknown> => (await fetch(`${url}/better-bibtex/json-rpc`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })).json();
    // Named parameters are mapped by the schema's parameter names (API.handle).
    const named = await post(JSON.stringify({ jsonrpc: '2.0', method: 'item.export', params: { citekeys: ['miller2019reference'], translator: 'bibtex' }, id: 7 })) as { result: string; id: number };
    assert.match(named.result, /@book\{miller2019reference,/);
    assert.equal(named.id, 7);
    assert.deepEqual(await post(JSON.stringify({ jsonrpc: '2.0', method: 'item.export', params: { keys: [] }, id: 8 })), { jsonrpc: '2.0', error: { code: -32602, message: 'unsupported argument keys for item.export' }, id: null });
    assert.deepEqual(await post(JSON.stringify({ jsonrpc: '2.0', method: 'item.export', params: [['a']], id: 9 })), { jsonrpc: '2.0', error: { code: -32602, message: '["required argument translator missing"]' }, id: null });
    assert.equal(((await post('{nope')) as { error: { code: number } }).error.code, -32700);
    assert.deepEqual(await callJsonRpc(url, 'item.export', [['miller2019reference'], 'Refer/BibIX'], 5_000), { ok: false, failure: { kind: 'rpc', code: -32603, message: 'item.export failed (JSON-RPC -32603): Error: getTranslatorId: "Refer/BibIX" could not be resolved to a translator' } });
  });
});

test('a slow Zotero gets an incomplete answer at once, and the next call for the query has the full one', async () => {
  await withFake(async (fake, url) => {
    const { connection } = harness(url);
    await connection.start();
    const release = fake.hold('item.search');
    const started = Date.now();
    assert.deepEqual(await connection.searchWithin('reference', 50), { items: [], complete: false });
    assert.ok(Date.now() - started < 1_000, `answered after ${Date.now() - started} ms`);
    assert.deepEqual(await connection.searchWithin('reference', 50), { items: [], complete: false }, 'the same request keeps running');
    assert.equal(fake.calls('item.search'), 1);
    release();
    await connection.search('reference'); // joins the request under way
    const next = await connection.searchWithin('reference', 50);
    assert.deepEqual([next.complete, next.items.map((i) => i.key)], [true, ['miller2019reference']]);
    assert.equal(fake.calls('item.search'), 1, 'answered from the cache');
    // A longer query answers what the shorter one found, narrowed, while its own request runs.
    const again = fake.hold('item.search');
    const longer = await connection.searchWithin('reference managers', 50);
    assert.deepEqual([longer.complete, longer.items.map((i) => i.key)], [false, ['miller2019reference']]);
    const narrowedOut = await connection.searchWithin('reference xyz', 50);
    assert.deepEqual([narrowedOut.complete, narrowedOut.items], [false, []]);
    again();
    await connection.search('reference managers');
    await connection.search('reference xyz');
  });
});

test('an erroring Zotero (HTTP 500, malformed JSON, JSON-RPC error) answers promptly and is told once per failure', async () => {
  await withFake(async (fake, url) => {
    const { connection, log } = harness(url);
    await connection.start();
    log.length = 0;
    const expected = { 'http-500': /HTTP 500 from item\.search/, 'malformed-json': /not JSON/, 'rpc-error': /-32603\): Error: database is locked/ } as const;
    for (const [fault, message] of Object.entries(expected)) {
      fake.faults.set('item.search', fault as keyof typeof expected);
      assert.deepEqual(await connection.searchWithin(`zotero ${fault}`, 5_000), { items: [], complete: true });
      assert.deepEqual(await connection.searchWithin(`zotero ${fault} again`, 5_000), { items: [], complete: true });
      assert.equal(log.filter((l) => message.test(l)).length, 1, `${fault} told once: ${log.join(' | ')}`);
    }
    assert.equal(connection.status, 'connected', 'Zotero is there, only its answers fail');
    fake.faults.clear();
    assert.deepEqual((await connection.searchWithin('zotero', 5_000)).items.map((i) => i.key), ['smith2020zotero']);
    assert.equal(log[log.length - 1], 'Zotero answers again');
  });
});

test('a Zotero that quits while connected becomes unavailable and is retried', async () => {
  const fake = new FakeBetterBibtex();
  const url = await fake.listen();
  const { connection, statuses, pending } = harness(url);
  await connection.start();
  await fake.close();
  assert.deepEqual(await connection.searchWithin('zotero', 5_000), { items: [], complete: true });
  assert.deepEqual(statuses, ['connected', 'unavailable']);
  assert.deepEqual(pending().map((t) => t.ms), [60_000]);
});

test('disabled by the setting, nothing is contacted at all', async () => {
  await withFake(async (fake, url) => {
    const { connection, pending } = harness(url, { enabled: false });
    assert.equal(await connection.start(), 'disabled');
    assert.deepEqual(await connection.searchWithin('zotero', 150), { items: [], complete: true });
    assert.deepEqual(await connection.search('zotero'), []);
    assert.equal((await connection.exportEntries(['smith2020zotero'], 'bibtex')).ok, false);
    assert.equal(connection.status, 'disabled');
    assert.deepEqual(fake.requests, []);
    assert.equal(pending().length, 0);
  });
});

test('without Better BibTeX, the local API is the fallback and its made-up keys say they are unstable', async () => {
  await withFake(async (fake, url) => {
    fake.betterBibtex = false;
    fake.localApi = true;
    const { connection } = harness(url);
    assert.equal(await connection.start(), 'connected');
    assert.equal(connection.backend, 'local-api');
    const { items } = await connection.searchWithin('Garcia', 5_000);
    assert.deepEqual(items.map((i) => [i.key, i.stableKey, i.csl.id]), [['garcia_citations_2021', false, 'garcia_citations_2021']]);
    const bib = await connection.exportEntries(['garcia_citations_2021'], 'biblatex');
    assert.ok(bib.ok);
    assert.match(bib.text, /^@inproceedings\{garcia_citations_2021,/);
    const csl = await connection.exportEntries(['garcia_citations_2021'], 'csl-json');
    assert.ok(csl.ok);
    assert.deepEqual((JSON.parse(csl.text) as { id: string }[]).map((i) => i.id), ['garcia_citations_2021']);
    assert.equal((await connection.exportEntries(['never_seen_2000'], 'bibtex')).ok, false);
  });
});

test('Zotero without Better BibTeX and with its local API off is unavailable, and says how to turn it on', async () => {
  await withFake(async (fake, url) => {
    fake.betterBibtex = false;
    const { connection, log } = harness(url);
    assert.equal(await connection.start(), 'unavailable');
    assert.match(log.join('\n'), /without Better BibTeX, and its local API is off/);
  });
});

test('disposing abandons a search under way quietly: it answers, nothing more is told or retried', async () => {
  await withFake(async (fake, url) => {
    const { connection, log, pending } = harness(url);
    await connection.start();
    const release = fake.hold('item.search');
    const search = connection.search('zotero');
    const told = log.length;
    connection.dispose();
    assert.deepEqual(await search, []);
    assert.equal(log.length, told);
    assert.equal(pending().length, 0);
    release();
  });
});
