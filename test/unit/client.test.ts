// The VS Code client's pure helpers: when a crashed server is restarted, and what the status bar says. (What Insert
// Citation writes is the server's, per dialect: test/unit/citation-insertion.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrashPolicy } from '../../client/src/crashPolicy';
import { describeStatus, displayPath } from '../../client/src/statusText';

test('a crashing server is restarted a few times, then left down until the user restarts it', () => {
  const now = 0;
  const policy = new CrashPolicy(2, 60_000, () => now);
  assert.deepEqual(policy.recordCrash(), { action: 'restart', attempt: 1 });
  assert.deepEqual(policy.recordCrash(), { action: 'restart', attempt: 2 });
  assert.deepEqual(policy.recordCrash(), { action: 'give-up', crashes: 3 });
  policy.reset();
  assert.deepEqual(policy.recordCrash(), { action: 'restart', attempt: 1 });
});

test('crashes older than the window are forgotten', () => {
  let now = 0;
  const policy = new CrashPolicy(1, 60_000, () => now);
  assert.equal(policy.recordCrash().action, 'restart');
  now = 61_000;
  assert.equal(policy.recordCrash().action, 'restart');
  now = 62_000;
  assert.equal(policy.recordCrash().action, 'give-up');
});

test('the status bar counts entries and files, and spins while indexing', () => {
  const ready = describeStatus({ entries: 1234, files: 2, indexing: false, bibliographies: ['file:///w/a%20b.bib', '/w/c.json'] });
  assert.equal(ready.text, '$(book) 1,234 entries');
  assert.match(ready.tooltip, /1,234 entries from 2 bibliographies/);
  assert.match(ready.tooltip, /• \/w\/a b\.bib\n• \/w\/c\.json/);
  assert.equal(describeStatus({ entries: 1, files: 1, indexing: true, bibliographies: [] }).text, '$(sync~spin) citekeys 1 entry');
  assert.match(describeStatus(undefined).text, /sync~spin/);
  assert.equal(displayPath('untitled:Untitled-1'), 'untitled:Untitled-1');
});

test('the status tooltip says how many workspace documents were scanned, and while scanning', () => {
  const base = { entries: 10, files: 1, indexing: false, bibliographies: ['/w/refs.bib'] };
  assert.match(describeStatus({ ...base, documents: 5500, scanning: false }).tooltip, /\nScanned 5,500 documents for citations\./);
  assert.match(describeStatus({ ...base, documents: 1, scanning: true }).tooltip, /\nScanning 1 document for citations…/);
  assert.doesNotMatch(describeStatus(base).tooltip, /Scann/);
});
