// The npm package: `npm pack` ships only the bundles the two commands need and the docs, installs offline with no
// dependencies, and the installed `citekeys check` and `citekeys-ls` work from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { repoRoot, skipUnlessAvailable } from '../editor/support/tools';

// npm always adds the manifest's `main` (dist/client.js, the VS Code client), so it is listed here too.
const expectedFiles = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/cli.js',
  'dist/client.js',
  'dist/formatWorker.js',
  'dist/THIRD-PARTY-NOTICES.txt',
  'dist/server.js',
  'package.json',
];

function missingBundles(): string | undefined {
  const missing = ['cli.js', 'server.js', 'formatWorker.js', 'client.js'].filter((name) => !existsSync(join(repoRoot, 'dist', name)));
  return missing.length ? `dist/${missing.join(', dist/')} missing (npm run build)` : undefined;
}

/** Runs npm in the repo (scripts off: the tests use the dist/ that `npm test` built) and fails with its output. */
function npm(args: string[], cwd = repoRoot): string {
  const result = spawnSync('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

test('npm pack ships only the bundles of citekeys and citekeys-ls, and the docs', { skip: skipUnlessAvailable(missingBundles()), timeout: 120_000 }, () => {
  const [pack] = JSON.parse(npm(['pack', '--dry-run', '--json'])) as { files: { path: string }[]; size: number }[];
  assert.deepEqual(pack.files.map((file) => file.path).sort(), [...expectedFiles].sort());
  assert.ok(pack.size < 2_000_000, `the tarball is ${pack.size} bytes`);

  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'the bundles hold their dependencies; npm must install none');
  assert.deepEqual(manifest.bin, { citekeys: 'dist/cli.js', 'citekeys-ls': 'dist/server.js' });

  // The bundles drop legal comments, so the licences of what they contain must travel in the notices file.
  const notices = readFileSync(join(repoRoot, 'dist/THIRD-PARTY-NOTICES.txt'), 'utf8');
  for (const bundled of ['citeproc@', '@citation-js/core@', 'vscode-languageserver@', 'yaml@']) {
    const line = notices.split('\n').find((text) => text.startsWith(bundled));
    assert.match(line ?? '', /^\S+@\S+ \(.+\)$/, `${bundled} is named with its version and licence`);
  }
  assert.match(notices, /Common Public Attribution License|GNU AFFERO/i, 'citeproc\'s licence text is included');
});

test('the packed tarball installs offline, and the installed commands check a paper and answer LSP', { skip: skipUnlessAvailable(missingBundles()), timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'citekeys-npm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir])) as { filename: string }[];
  const prefix = join(dir, 'prefix');
  npm(['install', '--global', '--offline', '--prefix', prefix, join(dir, packed.filename)], dir);
  const installed = join(prefix, 'lib/node_modules/citekeys');
  assert.ok(existsSync(join(installed, 'dist/server.js')), 'the package is installed under the prefix');
  assert.ok(!existsSync(join(installed, 'node_modules')), 'nothing was installed beside the bundles');

  const paper = join(dir, 'paper');
  mkdirSync(paper);
  for (const name of ['paper.md', 'geography.bib', 'ethics.bib']) copyFileSync(join(repoRoot, 'examples', name), join(paper, name));

  await t.test('citekeys check reports the misspelt key and the duplicated entries', () => {
    const run = spawnSync(join(prefix, 'bin/citekeys'), ['check', '--format', 'json', '.'], { cwd: paper, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const { diagnostics } = JSON.parse(run.stdout) as { diagnostics: { file: string; code: string; key?: string }[] };
    const undefinedCitations = diagnostics.filter((d) => d.code === 'undefined-citation');
    assert.deepEqual(undefinedCitations.map((d) => [d.file, d.key]), [['paper.md', 'gerefi2019']]);
    assert.ok(diagnostics.filter((d) => d.code === 'duplicate-entry').length >= 6, JSON.stringify(diagnostics));
  });

  await t.test('citekeys-ls answers initialize, and a hover formatted by its worker', async () => {
    const server = spawn(join(prefix, 'bin/citekeys-ls'), ['--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    connection.onRequest(() => null);
    const logged: string[] = [];
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      logged.push(params.message);
    });
    connection.listen();
    try {
      const root = pathToFileURL(paper).href;
      const init = await connection.sendRequest<{ capabilities: Record<string, unknown>; serverInfo?: { name: string; version: string } }>('initialize', {
        processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'paper' }], capabilities: { workspace: { configuration: true } },
      });
      const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
      assert.deepEqual(init.serverInfo, { name: 'citekeys-ls', version }, stderr);
      assert.ok(init.capabilities.completionProvider && init.capabilities.hoverProvider, JSON.stringify(init.capabilities));
      await connection.sendNotification('initialized', {});

      const uri = `${root}/paper.md`;
      const text = readFileSync(join(paper, 'paper.md'), 'utf8');
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes('@barrientos2011'));
      const hover = await connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri }, position: { line, character: lines[line].indexOf('@barrientos2011') + 3 },
      });
      assert.match(hover?.contents.value ?? '', /Economic and social upgrading in global production networks/i, stderr);
      await connection.sendRequest('shutdown');
      assert.ok(!logged.some((message) => /worker|own thread/i.test(message)), `the formatting worker did not run:\n${logged.join('\n')}`);
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      server.kill();
    }
  });
});
