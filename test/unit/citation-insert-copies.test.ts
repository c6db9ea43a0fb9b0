// Several entries copied into one bibliography by one Insert Citation: their appends join into one edit that leaves
// the file valid (an empty CSL-JSON array gets its items comma-separated; BibTeX entries a blank line apart).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { copyEntryText } from '../../server/src/features/entryCopy';
import { joinCopies } from '../../server/src/features/citationInsert';

function applyOne(text: string, edit: { range: { start: number; end: number }; newText: string }): string {
  return text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
}

/** `keys` of `source` copied into `target`, each edit computed against the target as it is, then joined. */
function copyAll(source: BibliographyFile, target: BibliographyFile, keys: string[]): string {
  const edits = keys.map((key) => copyEntryText(source, source.definitions(key)[0], target));
  const joined = joinCopies(target, edits);
  assert.equal(joined.length, 1);
  return applyOne(target.text, joined[0]);
}

const CSL = '[\n  {"id": "a", "type": "book", "title": "A"},\n  {"id": "b", "type": "book", "title": "B"}\n]\n';

test('two items copied into an empty CSL-JSON array make a valid array of both', () => {
  const source = BibliographyFile.parse('/lib.json', CSL, 'csl-json');
  for (const empty of ['[]\n', '']) {
    const out = copyAll(source, BibliographyFile.parse('/refs.json', empty, 'csl-json'), ['a', 'b']);
    assert.deepEqual((JSON.parse(out) as { id: string }[]).map((item) => item.id), ['a', 'b'], out);
  }
});

test('two items copied after an existing CSL-JSON item follow it, comma-separated', () => {
  const source = BibliographyFile.parse('/lib.json', CSL, 'csl-json');
  const out = copyAll(source, BibliographyFile.parse('/refs.json', '[\n  {"id": "own", "type": "book"}\n]\n', 'csl-json'), ['a', 'b']);
  assert.deepEqual((JSON.parse(out) as { id: string }[]).map((item) => item.id), ['own', 'a', 'b']);
});

test('two BibTeX entries are appended a blank line apart, with a shared @string once', () => {
  const source = BibliographyFile.parse('/lib.bib', '@string{pub = {Free Press}}\n@book{a, publisher = pub}\n@book{b, publisher = pub}\n', 'bibtex');
  const out = copyAll(source, BibliographyFile.parse('/refs.bib', '@book{own, title = {Own}}\n', 'bibtex'), ['a', 'b']);
  assert.equal(out, '@book{own, title = {Own}}\n\n@string{pub = {Free Press}}\n\n@book{a, publisher = pub}\n\n@book{b, publisher = pub}\n');
});
