// `citekeys keys` reads BibTeX files as bytes (cli/bibtexKeys.ts, syntax/bibtex/keySpans.ts): these tests hold it to the
// decoded path (decodeText + scanBibtexKeys + LineIndex + the old hand-built JSON) on every real, generated and fuzzed file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { decodeText } from '../../server/src/util/textDecoding';
import { DEFAULT_SETTINGS } from '../../server/src/config/settings';
import { MemoryFileSystem } from '../../server/src/workspace/fileSystem';
import { Workspace } from '../../server/src/workspace/workspace';
import {
  bibtexKeysOfBytes, bibtexKeysOfText, byteKeyText, byteScannableBody, listBibtexKeys, readBibtexKeys, type ByteKeys, type KeyColumns,
} from '../../server/src/cli/bibtexKeys';
import { BytePositions } from '../../server/src/cli/bytePositions';
import { KeyListingWriter } from '../../server/src/cli/keyListing';
import { LineIndex } from '../../server/src/util/lineIndex';
import { makeBib } from '../../bench/makeBib';
import { CORPUS, withoutCorpus } from './helpers/corpus';

const FUZZ_RUNS = Math.max(1, Number(process.env.CITEKEYS_FUZZ_RUNS ?? 150));

/** The keys as the CLI printed them before the byte scan: decode the whole file, scan it, index its lines. */
function referenceKeys(bytes: Uint8Array): KeyColumns | { error: string } {
  const decoded = decodeText(bytes);
  return decoded.ok ? bibtexKeysOfText(decoded.text) : { error: decoded.reason };
}

/** What the byte path reads, as strings; undefined when it hands the file to the decoded path. */
function fastKeys(bytes: Uint8Array): KeyColumns | undefined {
  const scannable = byteScannableBody(bytes);
  if (!scannable) return undefined;
  return asStrings(bibtexKeysOfBytes(scannable.body, scannable.utf8));
}

function asStrings(found: ByteKeys): KeyColumns {
  return { keys: found.starts.map((_, i) => byteKeyText(found, i)), lines: found.lines, columns: found.columns };
}

/** The JSON the CLI printed before (report.ts formatKeysJson at the time), to hold the byte writer to it. */
function referenceJson(file: string, keys: KeyColumns): string {
  const parts = keys.keys.map((key, i) => `{"file":${JSON.stringify(file)},"line":${keys.lines[i]},"column":${keys.columns[i]},"key":${JSON.stringify(key)},"kind":"entry"}`);
  return '[' + parts.join(',\n') + ']\n';
}

function referenceText(file: string, keys: KeyColumns): string {
  return keys.keys.map((key, i) => `${file}:${keys.lines[i]}:${keys.columns[i]}\t${key}\n`).join('');
}

function listed(format: 'json' | 'text', file: string, keys: ByteKeys | KeyColumns): string {
  const writer = new KeyListingWriter(format);
  writer.beginFile(file, 'entry');
  listBibtexKeys(writer, keys);
  return Buffer.concat(writer.finish()).toString('utf8');
}

/** The byte path agrees with the decoded path on keys, lines, columns, and the printed JSON and text, byte for byte. */
function assertSameKeys(bytes: Uint8Array, name: string): 'bytes' | 'decoded' {
  const reference = referenceKeys(bytes);
  const scannable = byteScannableBody(bytes);
  if (!scannable) {
    const decoded = decodeText(bytes);
    assert.ok(!decoded.ok || decoded.encoding.startsWith('utf-16'), `${name}: only UTF-16 and binary files skip the byte scan`);
    return 'decoded';
  }
  assert.ok(!('error' in reference), `${name}: the decoded path reads what the byte path reads`);
  const found = bibtexKeysOfBytes(scannable.body, scannable.utf8);
  assert.deepEqual(asStrings(found), reference, name);
  assert.equal(listed('json', 'refs/x.bib', found), referenceJson('refs/x.bib', reference), `${name}: JSON`);
  assert.equal(listed('text', 'refs/x.bib', found), referenceText('refs/x.bib', reference), `${name}: text`);
  return 'bytes';
}

function bibFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return bibFilesUnder(full);
    return entry.name.endsWith('.bib') ? [full] : [];
  });
}

test('every .bib file of the examples gives the same keys, positions and output read as bytes', () => {
  const files = bibFilesUnder('examples');
  assert.ok(files.length >= 3, `found only ${files.length} .bib files`);
  for (const file of files) assert.equal(assertSameKeys(readFileSync(file), file), 'bytes');
});

test('every .bib file of the corpus gives the same keys, positions and output read as bytes', { skip: withoutCorpus() }, () => {
  const files = bibFilesUnder(CORPUS);
  assert.ok(files.length > 100, `found only ${files.length} .bib files`);
  let keys = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    assertSameKeys(bytes, file);
    keys += fastKeys(bytes)?.keys.length ?? 0;
  }
  assert.ok(keys > 10_000, `only ${keys} keys in the corpus`);
});

test('a generated 3,000-entry file with malformed entries and duplicates agrees, as UTF-8 and with CRLF line ends', () => {
  const generated = Buffer.from(makeBib(3000, { malformed: 0.05, duplicates: 0.01 }).text);
  assert.equal(assertSameKeys(generated, 'generated'), 'bytes');
  assert.ok(fastKeys(generated)!.keys.length > 2800);
  assertSameKeys(Buffer.from(generated.toString('utf8').replace(/\n/g, '\r\n')), 'generated, CRLF');
  assertSameKeys(Buffer.from(generated.toString('utf8').replace(/\n/g, '\r')), 'generated, CR');
});

// ---------------------------------------------------------------------------------------------
// Encodings and positions, by hand

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const BOM8 = [0xef, 0xbb, 0xbf];

function keysOf(bytes: Uint8Array): string {
  const keys = fastKeys(bytes);
  assert.ok(keys, 'read as bytes');
  return keys.keys.map((key, i) => `${keys.lines[i]}:${keys.columns[i]} ${key}`).join(', ');
}

test('columns count UTF-16 code units: accents count one, emoji two, on the key line and before it', () => {
  const text = '% é 😀\n@misc{é😀x, title={😀}} @book{b,}\n  @article{ c😀 ,}';
  assert.equal(keysOf(utf8(text)), '2:7 é😀x, 2:31 b, 3:13 c😀');
  assertSameKeys(utf8(text), 'emoji');
});

test('a UTF-8 BOM is not part of the text, a second one is a character in column 1 that still starts the line', () => {
  assert.equal(keysOf(Buffer.from([...BOM8, ...utf8('@misc{a,}')])), '1:7 a');
  assert.equal(keysOf(Buffer.from([...BOM8, ...BOM8, ...utf8('@misc{a,}')])), '1:8 a');
  // After a BOM at the very start, `@` starts a line: an unclosed value stops there.
  const unclosed = Buffer.from([...BOM8, ...BOM8, ...utf8(' @misc{a, title = {x\n@misc{b,}')]);
  assert.equal(keysOf(unclosed), '1:9 a, 2:7 b');
  assertSameKeys(unclosed, 'double BOM');
});

test('Latin-1 files keep their keys, decoded as decodeText decodes them, one column per byte', () => {
  const bytes = Buffer.from([...Buffer.from('@misc{caf', 'latin1'), 0xe9, 0x80, ...Buffer.from(', title = {\xe9}}\n@book{b\xe9,}', 'latin1')]);
  assert.equal(byteScannableBody(bytes)?.utf8, false);
  assert.equal(keysOf(bytes), `1:7 café${new TextDecoder('latin1').decode(Uint8Array.of(0x80))}, 2:7 bé`);
  assert.equal(assertSameKeys(bytes, 'latin1'), 'bytes');
  // A UTF-8 BOM before Latin-1 bytes is dropped too, and a second one reads as `ï»¿`.
  assert.equal(keysOf(Buffer.from([...BOM8, ...BOM8, 0xe9, ...Buffer.from('\n@misc{a,}', 'latin1')])), '2:7 a');
});

test('UTF-16 and binary files are left to the decoded path, which the CLI still uses for them', () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('@misc{é,}', 'utf16le')]);
  assert.equal(byteScannableBody(le), undefined);
  assert.equal(assertSameKeys(le, 'utf-16le'), 'decoded');
  assert.equal(byteScannableBody(Buffer.from([0x40, 0x00, 0x6d, 0x00])), undefined);
  // decodeText only samples the first 8 KB for NUL bytes; so must the byte path.
  const lateNul = Buffer.concat([utf8('@misc{a,}\n' + ' '.repeat(9000)), Buffer.from([0]), utf8('\n@misc{b,}')]);
  assert.equal(assertSameKeys(lateNul, 'late NUL'), 'bytes');
});

test('JSON escapes `"` and `\\` in keys exactly as JSON.stringify does', () => {
  const bytes = utf8('@misc{a"b\\c,}\n@misc{\u00e9\\"}');
  assert.equal(keysOf(bytes), '1:7 a"b\\c, 2:7 é\\"');
  assertSameKeys(bytes, 'escapes');
  assert.equal(listed('json', 'r.bib', bibtexKeysOfBytes(Buffer.from(bytes), true)).split('\n')[0], '[{"file":"r.bib","line":1,"column":7,"key":"a\\"b\\\\c","kind":"entry"},');
});

test('an empty file and a file without entries print `[]` in JSON and nothing as text', () => {
  for (const text of ['', '% nothing\n@comment{x}\n']) {
    const keys = bibtexKeysOfBytes(utf8(text), true);
    assert.equal(listed('json', 'r.bib', keys), '[]\n');
    assert.equal(listed('text', 'r.bib', keys), '');
  }
});

test('BytePositions agrees with LineIndex at every character of text with mixed line ends', () => {
  const text = 'a\r\nbé\rc😀\n\r\n\nd\r\r\n é';
  const bytes = utf8(text);
  const lines = new LineIndex(text);
  const positions = new BytePositions(bytes, true);
  for (let offset = 0, byte = 0; offset <= text.length; ) {
    positions.moveTo(byte);
    assert.deepEqual({ line: positions.line, character: positions.character }, lines.positionAt(offset), `offset ${offset}`);
    const codePoint = text.codePointAt(offset) ?? 0;
    offset += codePoint > 0xffff ? 2 : 1;
    byte += Buffer.byteLength(String.fromCodePoint(codePoint));
  }
});

test('readBibtexKeys words a binary or too large file as Workspace.readText does', async () => {
  const fs = new MemoryFileSystem({ '/w/ok.bib': '@misc{a,}', '/w/bin.bib': new Uint8Array([0x40, 0, 1, 2]), '/w/big.bib': '@misc{b,}' });
  const workspace = new Workspace(fs, { ...DEFAULT_SETTINGS, maxFileSizeBytes: 8 }, ['/w']);
  for (const file of ['/w/bin.bib', '/w/big.bib']) {
    const read = await workspace.readText(file);
    assert.ok('error' in read);
    assert.deepEqual(await readBibtexKeys(workspace, file), { error: read.error });
  }
  const roomy = new Workspace(fs, DEFAULT_SETTINGS, ['/w']);
  const ok = await readBibtexKeys(roomy, '/w/ok.bib');
  assert.ok('bytes' in ok && ok.utf8);
  assert.deepEqual(await readBibtexKeys(roomy, '/w/missing.bib'), { error: 'file not found: /w/missing.bib' });
});

test('every recovery of the scanner keeps the same keys read as bytes', () => {
  const cases: [string, string[]][] = [
    ['@misc{a, t = ,} @misc{c,}', ['a', 'c']], // a missing value, and the next entry on the same line
    ['@misc{a, t = {x}}, note = {see @misc{c, }}}', ['a']], // an extra `}` before more fields
    ['@comment{ open\n@misc{a,}\n@comment{ x\n@misc{b,}\n}', ['a', 'b']], // after one unclosed comment, comments stop at entries
    ['@misc{a, t = {x} junk\n@misc{b,}', ['a', 'b']], // a stray word after a value
    ['@misc{a title = {x}} @misc{b,}', ['a', 'b']], // no comma after the key
    ['@misc{a, t = {x\n@misc{b,}', ['a', 'b']], // an unclosed value stops at the next entry
    ['%@misc{z,}\n@misc{a, % t = {\n t = {x}}', ['a']], // `%` comments between entries and between fields
    ['@comment @misc{z,}\n@misc{a,}', ['a']], // `@comment` without braces takes the rest of its line
    ['@string{x = {y}} @preamble{"p" # x} @misc{a, t = x # "@misc{z,}"}', ['a']],
    ['@misc(a, t = {)}) @misc{b,}', ['a', 'b']], // parentheses around an entry
    ['@misc{t = {x}}\n@misc{b,}', ['b']], // no key at all
    ['@misc{a,\n  month\n@misc{b,}', ['a', 'b']], // broken at the end of a line: the next line's entry is read
    ['@misc{a,\n  title =\n@misc{b,}\n@string{\n@misc{c,}', ['a', 'b', 'c']],
  ];
  for (const [text, keys] of cases) {
    assert.deepEqual(fastKeys(utf8(text))?.keys, keys, text);
    assertSameKeys(utf8(text), text);
  }
});

// ---------------------------------------------------------------------------------------------
// Fuzzing

/** Pieces of BibTeX, its recoveries and its encodings, so random files reach every branch of both scanners. */
const TOKENS = [
  '@', '@article', '@ARTICLE', '@misc', '@string', '@String', '@comment', '@COMMENT', '@preamble', '@Preamble', '@strİng', '@\u212Aomment',
  '{', '}', '(', ')', '"', ',', '=', '#', '%', '\\', '\n', '\r', '\r\n', ' ', '\t', '\u000b',
  'key', 'k2', 'title', 'author', ' = ', '{x}', '"y"', '2020', 'jan', '\u00e9', '\u{1F600}', '\uFEFF', '\u00a0', '\u2028', '\u0080',
  '@misc{a,', '@book{b, title = {t}}', '\n@x{', 'title = {{T}', 'a = ,', '}, b = {c}', '@comment{', '% @misc{z,}',
];

const bibSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }).map((parts) => parts.join(''));

/** Entries built from parts, each part sometimes broken: reaches the recoveries that token soup rarely assembles. */
const part = (options: string[]) => fc.constantFrom(...options);
const value = fc.oneof(
  part(['{x}', '{a {b} c}', '"q"', '"a {"} b"', '2020', 'jan', '{x} # " y"', '', '{', '{{T}', '{\n@misc{inner,}\n}', '{see @misc{c, }}', '{\n@ x}', '"\n@book{q,"', '{%}']),
  fc.string({ maxLength: 6 }).map((s) => `{${s}}`),
);
const field = fc.tuple(part(['title', 'note', 'Year', 'a', '', 'x y']), part([' = ', '=', ' ', ' =\n ']), value, part([',', ', ', ',\n  ', '', '},', '}, ', ' ,,', '\n% c\n,', ' % c\n', ' junk', ' x\n', ' @'])).map((t) => t.join(''));
const entry = fc.tuple(
  part(['@misc', '@ARTICLE', '@comment', '@Comment', '@string', '@preamble', '@', '@ misc', '@x']), part(['{', '(', ' {', '', '{ ']),
  part(['k1', 'k2', 'é😀', 'a"b', '', ' k3 ', 'k4 = ', 'name']), part([',', ', ', '', ' ', '}', ')', '= {v}']),
  fc.array(field, { maxLength: 4 }), part(['}', ')', '', '}}', '\n}', ' } ']),
).map((t) => t[0] + t[1] + t[2] + t[3] + t[4].join('') + t[5]);
const between = part(['\n', '\n\n', ' ', '\r\n', '\r', '\n% x\n', '%', 'junk ', '\n  ', '\uFEFF', 'é', '']);
const entries = fc.array(fc.tuple(entry, between).map(([e, b]) => e + b), { maxLength: 8 }).map((list) => list.join(''));

test('random files of whole and broken entries read the same as bytes as decoded', () => {
  fc.assert(fc.property(entries, (text) => void assertSameKeys(utf8(text), JSON.stringify(text))), { numRuns: FUZZ_RUNS * 10 });
});

test('random BibTeX token soup reads the same as bytes as decoded, in UTF-8 with and without BOM', () => {
  fc.assert(
    fc.property(bibSoup, fc.boolean(), (text, bom) => {
      const bytes = utf8(text);
      assertSameKeys(bom ? Buffer.concat([Buffer.from(BOM8), bytes]) : bytes, JSON.stringify(text));
    }),
    { numRuns: FUZZ_RUNS * 4 },
  );
});

test('random bytes read the same either way (UTF-8, Latin-1 or handed to the decoded path)', () => {
  const byteSoup = fc.array(fc.oneof(fc.constantFrom(...TOKENS.map((t) => [...utf8(t)])), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 })), { maxLength: 150 })
    .map((parts) => Buffer.from(parts.flat()));
  fc.assert(fc.property(byteSoup, (bytes) => void assertSameKeys(bytes, bytes.toString('hex'))), { numRuns: FUZZ_RUNS * 4 });
});

test('the fixtures with random characters and lines deleted, inserted or duplicated read the same either way', () => {
  const fixtures = ['geography.bib', 'ethics.bib'].map((name) => readFileSync(path.join('examples', name), 'utf8'));
  const edit = fc.record({ kind: fc.constantFrom('delete-char', 'duplicate-char', 'delete-line', 'duplicate-line', 'insert'), at: fc.nat(), text: fc.constantFrom(...TOKENS) });
  fc.assert(
    fc.property(fc.nat({ max: fixtures.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 8 }), (which, edits) => {
      let text = fixtures[which];
      for (const { kind, at: rawAt, text: inserted } of edits) {
        const at = rawAt % (text.length + 1);
        const lineStart = text.lastIndexOf('\n', at - 1) + 1;
        const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
        if (kind === 'delete-char') text = text.slice(0, at) + text.slice(at + 1);
        else if (kind === 'duplicate-char') text = text.slice(0, at + 1) + text.slice(at);
        else if (kind === 'insert') text = text.slice(0, at) + inserted + text.slice(at);
        else if (kind === 'delete-line') text = text.slice(0, lineStart) + text.slice(lineEnd);
        else text = text.slice(0, lineEnd) + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
      }
      assertSameKeys(utf8(text), 'mutated fixture');
    }),
    { numRuns: FUZZ_RUNS },
  );
});
