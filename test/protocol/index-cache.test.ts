// The index cache across server runs: a first server builds a large bibliography's search index and stores it, a
// second one with the same cache folder reads it back and completes identically, a damaged cache file is rebuilt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CompletionRequest, type CompletionList } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lspClient';
import { CLEAN, makeBib } from '../../bench/makeBib';

interface LogMessage {
  type: number;
  message: string;
}

/** Empty, key prefixes, a family name, a title word, a typo. */
const PREFIXES = ['', 'a', 'mo', 'sch', 'abbott19', 'jakobsen', 'regional', 'jakobsne'];

test('a second server reads the large bibliography\'s index from the cache and completes exactly as the first', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-index-cache-'));
  const cacheDir = path.join(folder, '.cache-for-test');
  try {
    writeFileSync(path.join(folder, 'library.bib'), makeBib(3000, CLEAN).text);
    const paper = path.join(folder, 'paper.md');
    writeFileSync(paper, '---\nbibliography: library.bib\n---\nSee [@\n');
    // 3,000 entries count as large here, so the test stays quick.
    const env = { CITEKEYS_CACHE_DIR: cacheDir, CITEKEYS_INDEX_CACHE_MIN_ENTRIES: '1000' };

    /** Starts a server, waits for the log line `expected`, and returns the completion answers for PREFIXES and the log. */
    const session = async (expected: string): Promise<{ answers: unknown[]; log: string[] }> => {
      const client = new LspTestClient(env);
      try {
        const logged = client.nextNotification<LogMessage>('window/logMessage', (p) => p.message.includes(expected), 60_000);
        await client.initialize(folder);
        const uri = await client.open(paper, 'markdown');
        await logged;
        const answers: unknown[] = [];
        for (const prefix of PREFIXES) {
          await client.change(uri, { start: { line: 3, character: 6 }, end: { line: 3, character: 1000 } }, prefix);
          const list = (await client.request(CompletionRequest.method, { textDocument: { uri }, position: { line: 3, character: 6 + prefix.length } })) as CompletionList;
          answers.push(list && { isIncomplete: list.isIncomplete, items: list.items });
        }
        return { answers, log: client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as LogMessage).message) };
      } finally {
        await client.stop();
      }
    };

    const cold = await session('search index saved to the index cache');
    const cacheFiles = readdirSync(cacheDir);
    assert.equal(cacheFiles.length, 1, cacheFiles.join(', '));
    assert.match(cacheFiles[0], /^[0-9a-f]{40}-f\d+-[\w.-]+\.ckidx$/);
    assert.ok(cold.answers.every((a) => (a as CompletionList | null)?.items.length), 'every prefix completes something');

    const warm = await session('library.bib: search index read from the index cache (3000 entries');
    assert.deepEqual(warm.answers, cold.answers);
    assert.ok(!warm.log.some((m) => m.includes('saved to the index cache')), 'read, so not written again');

    // A damaged cache file (cut in half) is told in the log, deleted, and the index is built and stored again.
    truncateSync(path.join(cacheDir, cacheFiles[0]), 1000);
    const rebuilt = await session('search index saved to the index cache');
    assert.ok(rebuilt.log.some((m) => m.includes('is damaged; building the index instead')), rebuilt.log.join('\n'));
    assert.deepEqual(rebuilt.answers, cold.answers);
    assert.deepEqual(readdirSync(cacheDir), cacheFiles);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
