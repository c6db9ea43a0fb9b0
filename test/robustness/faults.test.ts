// Faults injected into a real server over stdio in a temp folder: bibliographies deleted, renamed, replaced
// atomically, rewritten while being read; a watcher storm; versioned quick fixes; a killed server; the CLI killed
// or writing into a closed pipe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants as fsConstants, mkdtempSync, renameSync, rmSync, writeFileSync, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CompletionRequest, DidChangeWatchedFilesNotification, FileChangeType, type CompletionList, type PublishDiagnosticsParams, type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { LspTestClient, undefinedKeys, uriOf } from '../protocol/lspClient';
import { CLEAN, makeBib } from '../../bench/makeBib';

let folder: string;
let client: LspTestClient;
let paperUri: string;
const PAPER = '---\nbibliography: refs.bib\n---\n\nAs shown [@alpha], and [@\n';
const entry = (key: string) => `@book{${key}, title = {Title of ${key}}, author = {Doe, Jane}, year = {2020}}\n`;

const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${d.code}:${typeof d.message === 'string' ? d.message : ''}`);

async function changed(...files: [string, FileChangeType][]): Promise<void> {
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
    changes: files.map(([file, type]) => ({ uri: uriOf(path.join(folder, file)), type })),
  });
}

/** The keys completion offers after `[@` at the end of the paper. */
async function completionKeys(): Promise<string[]> {
  const lines = PAPER.split('\n');
  const list = (await client.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri: paperUri },
    position: { line: lines.length - 2, character: lines[lines.length - 2].length },
  })) as CompletionList | null;
  return (list?.items ?? []).map((i) => i.label).sort();
}

before(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'citekeys-faults-'));
  writeFileSync(path.join(folder, 'paper.md'), PAPER);
  writeFileSync(path.join(folder, 'refs.bib'), entry('alpha') + entry('beta'));
  client = new LspTestClient();
  await client.initialize(folder);
  paperUri = await client.open(path.join(folder, 'paper.md'), 'markdown', PAPER);
  await client.waitForDiagnostics(paperUri, (p) => undefinedKeys(p).length === 0 && !codes(p).some((c) => c.startsWith('missing')));
});

after(async () => {
  await client?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a deleted bibliography becomes a missing-bibliography error and its entries disappear', async () => {
  rmSync(path.join(folder, 'refs.bib'));
  await changed(['refs.bib', FileChangeType.Deleted]);
  const published = await client.waitForDiagnostics(paperUri, (p) => codes(p).some((c) => c.startsWith('missing-bibliography')));
  assert.ok(published.diagnostics.some((d) => d.code === 'missing-bibliography'));
  assert.deepEqual(await completionKeys(), []);
});

test('a bibliography replaced atomically (written to a temp file, renamed over) is read in its final state', async () => {
  writeFileSync(path.join(folder, '.refs.bib.tmp'), entry('gamma') + entry('delta'));
  renameSync(path.join(folder, '.refs.bib.tmp'), path.join(folder, 'refs.bib'));
  await changed(['.refs.bib.tmp', FileChangeType.Created], ['.refs.bib.tmp', FileChangeType.Deleted], ['refs.bib', FileChangeType.Created]);
  const published = await client.waitForDiagnostics(paperUri, (p) => undefinedKeys(p).join() === 'alpha' && !codes(p).some((c) => c.startsWith('missing')));
  assert.deepEqual(published.diagnostics.map((d) => d.code), ['undefined-citation']);
  assert.deepEqual(await completionKeys(), ['delta', 'gamma']);
});

test('a bibliography renamed away, then back, follows the file', async () => {
  renameSync(path.join(folder, 'refs.bib'), path.join(folder, 'old.bib'));
  await changed(['refs.bib', FileChangeType.Deleted], ['old.bib', FileChangeType.Created]);
  await client.waitForDiagnostics(paperUri, (p) => codes(p).some((c) => c.startsWith('missing-bibliography')));
  renameSync(path.join(folder, 'old.bib'), path.join(folder, 'refs.bib'));
  await changed(['old.bib', FileChangeType.Deleted], ['refs.bib', FileChangeType.Created]);
  await client.waitForDiagnostics(paperUri, (p) => undefinedKeys(p).join() === 'alpha' && !codes(p).some((c) => c.startsWith('missing')));
  assert.deepEqual(await completionKeys(), ['delta', 'gamma']);
});

test('a large bibliography rewritten again and again while being read converges to its last version', async () => {
  const filler = makeBib(20000, CLEAN).text;
  const target = path.join(folder, 'refs.bib');
  for (let version = 1; version <= 6; version++) {
    // No waiting between rewrites: each lands while the server may still be reading the one before.
    await fsp.writeFile(target, entry(`v${version}only`) + filler);
    await changed(['refs.bib', FileChangeType.Changed]);
  }
  await fsp.writeFile(target, entry('alpha') + entry('final') + filler);
  await changed(['refs.bib', FileChangeType.Changed]);
  await client.waitForDiagnostics(paperUri, (p) => undefinedKeys(p).length === 0 && !codes(p).some((c) => c.startsWith('missing')), 60_000);
  const offered = await completionKeys();
  assert.ok(offered.length > 0);
  const keys = (await client.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri: paperUri },
    position: { line: 4, character: PAPER.split('\n')[4].length },
  })) as CompletionList;
  assert.ok(keys.items.length > 0);
  // Stale versions leave nothing behind: search every key the server knows that starts with `v`.
  const stale = (await client.connection.sendRequest('citekeys/searchEntries', { query: 'only', uri: paperUri, limit: 50 })) as { items: { key: string }[] };
  assert.deepEqual(stale.items.map((i) => i.key).filter((k) => /^v\donly$/.test(k)), []);
  // Back to the small file for the tests that follow.
  writeFileSync(target, entry('alpha') + entry('beta'));
  await changed(['refs.bib', FileChangeType.Changed]);
  await client.waitForDiagnostics(paperUri, (p) => undefinedKeys(p).length === 0);
});

test('a storm of 1,000 watcher events in a second coalesces into a few passes', async () => {
  // Each diagnostics pass publishes the open paper once: count them (the test client records every publication).
  let passes = 0;
  const record = client.diagnostics.set.bind(client.diagnostics);
  client.diagnostics.set = (uri: string, params: PublishDiagnosticsParams) => {
    if (uri === paperUri) passes++;
    return record(uri, params);
  };
  const started = Date.now();
  for (let i = 0; i < 1_000; i++) {
    if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5)); // 1,000 events spread over most of a second
    if (i === 999) writeFileSync(path.join(folder, 'refs.bib'), entry('alpho'));
    await changed(['refs.bib', FileChangeType.Changed]);
  }
  const stormMs = Date.now() - started;
  await client.waitForDiagnostics(paperUri, (p) => undefinedKeys(p).join() === 'alpha', 30_000);
  client.diagnostics.set = record;
  if (process.env.CITEKEYS_REPORT) console.log(`storm: ${passes} passes, sent in ${stormMs} ms`);
  assert.ok(stormMs < 5_000, `the storm took ${stormMs} ms to send`);
  // The server recomputes after a short quiet spell (debounced), and never runs two passes at once: the work is bounded
  // by the quiet spells in the storm, not by its events. A pass per event would be 1,000; here it is 1 on an idle machine.
  assert.ok(passes >= 1 && passes <= 25, `${passes} diagnostic passes for 1,000 events`);
  assert.deepEqual(await completionKeys(), ['alpho']);
});

test('a quick fix carries the version of the document it was computed for', async () => {
  // After the storm, wait for the final state: `alpha` undefined with `alpho` suggested (a pass that read refs.bib
  // while the storm rewrote it may have published `alpha` undefined against an empty file first).
  const suggests = (p: PublishDiagnosticsParams) =>
    p.diagnostics.some((d) => d.code === 'undefined-citation' && ((d.data ?? {}) as { suggestions?: string[] }).suggestions?.includes('alpho'));
  const published = await client.waitForDiagnostics(paperUri, (p) => undefinedKeys(p).join() === 'alpha' && suggests(p));
  const diagnostic = published.diagnostics.find((d) => d.code === 'undefined-citation')!;
  const actions = await client.codeActionsFor(paperUri, diagnostic);
  const edits = actions.flatMap((a) => (a.edit?.documentChanges ?? []) as TextDocumentEdit[]);
  assert.ok(edits.length > 0, JSON.stringify(actions));
  for (const edit of edits.filter((e) => e.textDocument.uri === paperUri)) assert.equal(edit.textDocument.version, 1);
  assert.ok(!actions.some((a) => a.edit?.changes), 'unversioned `changes` would let a stale edit through');
});

test('a server killed mid-session is replaced by one that rebuilds the same state from disk', async () => {
  const doomed = new LspTestClient();
  await doomed.initialize(folder);
  const uri = await doomed.open(path.join(folder, 'paper.md'), 'markdown', PAPER);
  const before = await doomed.waitForDiagnostics(uri, (p) => undefinedKeys(p).join() === 'alpha');
  const child = (doomed as unknown as { process: ChildProcess }).process;
  const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  await doomed.stop();
  // What the VS Code client does after a crash (its CrashPolicy allows 4 restarts in 3 minutes): a new server, same documents.
  const fresh = new LspTestClient();
  try {
    await fresh.initialize(folder);
    const again = await fresh.waitForDiagnostics(await fresh.open(path.join(folder, 'paper.md'), 'markdown', PAPER), (p) => undefinedKeys(p).join() === 'alpha');
    assert.deepEqual(codes(again), codes(before));
  } finally {
    await fresh.stop();
  }
});

// ---------------------------------------------------------------------------------------------
// The CLI

test('the CLI writing into a closed pipe (`| head -1`) exits non-zero with a message', async () => {
  const big = path.join(folder, 'big.bib');
  writeFileSync(big, makeBib(20000, CLEAN).text);
  const cli = spawn(process.execPath, [path.resolve('dist/cli.js'), 'keys', big], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  cli.stderr.on('data', (chunk) => (stderr += String(chunk)));
  cli.stdout.once('data', () => cli.stdout.destroy()); // like `head -1`: read a little, then close the pipe
  const status = await new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
  assert.equal(status, 2, stderr);
  assert.match(stderr, /citekeys: output closed before everything was written/);
  rmSync(big);
});

test('the CLI killed while it works exits non-zero and says it was interrupted', { timeout: 60_000 }, async () => {
  const fifo = path.join(folder, 'stuck.bib');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no FIFOs here: nothing to hold the CLI mid-work
  const cli = spawn(process.execPath, [path.resolve('dist/cli.js'), 'keys', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  cli.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => cli.once('exit', (code, signal) => resolve({ code, signal })));
  // Opening a FIFO for writing waits until the CLI opens it for reading: then it is mid-work, handlers installed.
  const opening = fsp.open(fifo, 'w');
  const first = await Promise.race([opening.then(() => 'opened' as const), exit.then(() => 'exited' as const)]);
  if (first === 'exited') {
    // The CLI never read the FIFO: open its read end ourselves so the pending writer (and this process) can finish.
    const reader = await fsp.open(fifo, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    await (await opening).close();
    await reader.close();
    rmSync(fifo);
    assert.fail(`the CLI exited before reading the FIFO: ${stderr}`);
  }
  const writer = await opening;
  cli.kill('SIGTERM');
  const { code, signal } = await exit;
  await writer.close();
  rmSync(fifo);
  // It reports, then dies of the signal (a shell shows status 143), even though a file read is still blocked.
  assert.equal(code, null);
  assert.equal(signal, 'SIGTERM');
  assert.match(stderr, /citekeys: interrupted \(SIGTERM\)/);
});
