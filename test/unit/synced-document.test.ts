// The server's own synced document must agree with the protocol library's TextDocument on every change, position
// and offset (that library is the reference for the LSP's rules on line breaks and out-of-range positions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SyncedDocument } from '../../server/src/lsp/syncedDocument';
import { seededRandom } from './helpers/random';

test('2,000 random incremental changes leave text, positions and offsets as the protocol library has them', () => {
  const next = seededRandom(5);
  const pieces = ['a', 'key', '\n', '\r\n', '\r', 'é', '😀', ' ', '@book{x,', '}'];
  const piece = () => pieces[Math.floor(next() * pieces.length)];
  const initial = Array.from({ length: 300 }, piece).join('');
  let reference = TextDocument.create('file:///w/a.bib', 'bibtex', 1, initial);
  const ours = SyncedDocument.create('file:///w/a.bib', 'bibtex', 1, initial);
  const somePosition = (doc: TextDocument) => ({ line: Math.floor(next() * (doc.lineCount + 2)) - 1, character: Math.floor(next() * 12) - 1 });
  for (let i = 0; i < 2000; i++) {
    const changes = Array.from({ length: 1 + Math.floor(next() * 2) }, () => {
      const a = somePosition(reference);
      const b = next() < 0.5 ? a : somePosition(reference);
      return { range: { start: a, end: b }, text: Array.from({ length: Math.floor(next() * 3) }, piece).join('') };
    });
    // The library's own incremental line table can go wrong (a \r and a \n joined by an edit), so the reference
    // applies each change to a freshly built document.
    for (const change of changes) reference = TextDocument.update(TextDocument.create(reference.uri, 'bibtex', i + 2, reference.getText()), [change], i + 2);
    SyncedDocument.update(ours, changes, i + 2);
    const text = reference.getText();
    assert.equal(ours.getText(), text, `change ${i}: ${JSON.stringify(changes)}`);
    reference = TextDocument.create(reference.uri, 'bibtex', i + 2, text);
    assert.equal(ours.lineCount, reference.lineCount, `lines after change ${i} of ${JSON.stringify(text)}`);
    assert.equal(ours.version, i + 2);
    for (let k = 0; k < 5; k++) {
      const offset = Math.floor(next() * (text.length + 3)) - 1;
      assert.deepEqual(ours.positionAt(offset), reference.positionAt(offset), `positionAt(${offset}) after change ${i}`);
      const position = somePosition(reference);
      assert.equal(ours.offsetAt(position), reference.offsetAt(position), `offsetAt(${JSON.stringify(position)}) after change ${i}`);
    }
  }
});

test('a whole-text change replaces the text and its lines', () => {
  const doc = SyncedDocument.create('file:///w/a.md', 'markdown', 1, 'one\ntwo\n');
  SyncedDocument.update(doc, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }, text: 'TWO' }, { text: 'x\ny\nz' }], 5);
  assert.equal(doc.getText(), 'x\ny\nz');
  assert.equal(doc.lineCount, 3);
  assert.deepEqual(doc.positionAt(4), { line: 2, character: 0 });
  assert.equal(doc.getText({ start: { line: 1, character: 0 }, end: { line: 2, character: 1 } }), 'y\nz');
});
