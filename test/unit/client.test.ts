// The VS Code client's pure helpers: what Insert Citation inserts where, when a crashed server is restarted,
// and what the status bar says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { citationInsertion, citationSyntaxFor, type CitationSyntax } from '../../client/src/citationInsertion';
import { CrashPolicy } from '../../client/src/crashPolicy';
import { describeStatus, displayPath } from '../../client/src/statusText';

/** Applies Insert Citation at the `|` in a one-line `source` and returns the resulting line. */
function insert(syntax: CitationSyntax, source: string, key: string): string {
  const cursor = source.indexOf('|');
  const before = source.slice(0, cursor);
  const after = source.slice(cursor + 1);
  const { text, deleteBefore } = citationInsertion(syntax, before, after, key);
  return before.slice(0, before.length - deleteBefore) + text + after;
}

test('outside a citation, Markdown gets a bracketed citation and LaTeX a \\cite', () => {
  assert.equal(insert('markdown', 'As shown |.', 'porter1990'), 'As shown [@porter1990].');
  assert.equal(insert('latex', 'As shown |.', 'porter1990'), 'As shown \\cite{porter1990}.');
});

test('inside a Markdown citation bracket only @key is added, with the right separator', () => {
  assert.equal(insert('markdown', 'See [|].', 'a'), 'See [@a].');
  assert.equal(insert('markdown', 'See [@x|].', 'a'), 'See [@x; @a].');
  assert.equal(insert('markdown', 'See [@x, p. 3 |].', 'a'), 'See [@x, p. 3; @a].');
  assert.equal(insert('markdown', 'See [@x; |].', 'a'), 'See [@x; @a].');
  assert.equal(insert('markdown', 'See [@x;|].', 'a'), 'See [@x; @a].');
  assert.equal(insert('markdown', '[see |]', 'a'), '[see @a]');
});

test('right after a typed @ only the key is added', () => {
  assert.equal(insert('markdown', 'As @| argues', 'porter1990'), 'As @porter1990 argues');
  assert.equal(insert('markdown', 'As [@|]', 'porter1990'), 'As [@porter1990]');
});

test('keys Pandoc cannot read bare are braced', () => {
  assert.equal(insert('markdown', 'x |', 'Smith:2020.'), 'x [@{Smith:2020.}]');
  assert.equal(insert('markdown', 'x |', 'doi:10.1000/xyz'), 'x [@doi:10.1000/xyz]');
  assert.equal(insert('markdown', 'x @|', 'a key'), 'x @{a key}');
});

test('a link is not a citation bracket', () => {
  assert.equal(insert('markdown', '[text |](https://example.org)', 'a'), '[text [@a]](https://example.org)');
});

test('inside a \\cite-family argument only the key is added, comma-separated', () => {
  assert.equal(insert('latex', '\\cite{|}', 'a'), '\\cite{a}');
  assert.equal(insert('latex', '\\citep[see][p.~3]{x|}', 'a'), '\\citep[see][p.~3]{x,a}');
  assert.equal(insert('latex', '\\parencite*{x, |}', 'a'), '\\parencite*{x, a}');
  assert.equal(insert('latex', '\\textcite{x |}', 'a'), '\\textcite{x,a}');
  assert.equal(insert('latex', '\\emph{|}', 'a'), '\\emph{\\cite{a}}');
});

test('languages map to their citation syntax', () => {
  assert.deepEqual(['markdown', 'quarto', 'rmd', 'latex', 'tex', 'bibtex'].map(citationSyntaxFor), ['markdown', 'markdown', 'markdown', 'latex', 'latex', 'bare']);
  assert.equal(insert('bare', 'crossref = {|}', 'a'), 'crossref = {a}');
});

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
