// Bytes other programs wrote: UTF-8/UTF-16 with BOMs, Latin-1 (decoded, and the user told what was assumed),
// NUL bytes and binary junk named .bib, and files too large to read (refused from their size, before any read).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decodeText } from '../../server/src/util/textDecoding';
import { NodeFileSystem } from '../../server/src/workspace/fileSystem';
import { Workspace } from '../../server/src/workspace/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/config/settings';
import { bibliographyFindings } from '../../server/src/features/diagnostics';
import { applyLevels } from '../../server/src/features/rules';

const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-encodings-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const BIB = '@article{müller2020,\n  author = {Müller, Jörg},\n  title = {Über Straßen},\n}\n@book{doe2019, title = {Plain}}\n';

function utf16(text: string, endian: 'le' | 'be'): Buffer {
  const le = Buffer.from(text, 'utf16le');
  if (endian === 'le') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  const be = Buffer.from(le);
  be.swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
}

/** A disk file system that counts whole-file reads, to prove that refused files are never read. */
class CountingFileSystem extends NodeFileSystem {
  reads: string[] = [];
  override readFile(file: string): Promise<Uint8Array> {
    this.reads.push(file);
    return super.readFile(file);
  }
}

function workspaceOn(fs = new CountingFileSystem(), maxFileSizeBytes = DEFAULT_SETTINGS.maxFileSizeBytes): Workspace {
  return new Workspace(fs, { ...DEFAULT_SETTINGS, maxFileSizeBytes }, [folder]);
}

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(folder, name);
  writeFileSync(file, content);
  return file;
}

test('UTF-8 with and without BOM, UTF-16 LE and BE with BOM all give the same entries', async () => {
  const files = [
    write('plain.bib', BIB),
    write('bom.bib', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BIB)])),
    write('le.bib', utf16(BIB, 'le')),
    write('be.bib', utf16(BIB, 'be')),
  ];
  const workspace = workspaceOn();
  for (const file of files) {
    const bib = await workspace.getBibliography(file);
    assert.deepEqual(bib.entries.map((e) => e.key), ['müller2020', 'doe2019'], path.basename(file));
    assert.equal(bib.decoded(bib.entries[0]).title, 'Über Straßen');
    assert.deepEqual(bibliographyFindings(bib, { likelyDuplicates: false }), []);
  }
});

test('a Latin-1 .bib is decoded as Latin-1 and an info diagnostic says so', async () => {
  const file = write('latin1.bib', Buffer.from(BIB, 'latin1'));
  assert.equal(decodeText(Buffer.from(BIB, 'latin1')).ok && (decodeText(Buffer.from(BIB, 'latin1')) as { encoding: string }).encoding, 'latin1');
  const bib = await workspaceOn().getBibliography(file);
  assert.deepEqual(bib.entries.map((e) => e.key), ['müller2020', 'doe2019']);
  assert.equal(bib.decoded(bib.entries[0]).title, 'Über Straßen');
  const findings = applyLevels(bibliographyFindings(bib, { likelyDuplicates: false }), DEFAULT_SETTINGS);
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
  assert.equal(findings[0].code, 'assumed-encoding');
  assert.equal(findings[0].level, 'info');
  assert.match(findings[0].message, /not valid UTF-8.*Latin-1/);
});

test('NUL bytes and CR-only line ends in an otherwise text .bib', async () => {
  const crOnly = write('cr.bib', BIB.replace(/\n/g, '\r'));
  const bib = await workspaceOn().getBibliography(crOnly);
  assert.deepEqual(bib.entries.map((e) => e.key), ['müller2020', 'doe2019']);
  assert.deepEqual(bib.lineIndex().positionAt(bib.entries[1].keyRange.start), { line: 4, character: 6 });
  // A NUL byte is how binary files look; a .bib with one is refused with a reason, never half-read.
  const withNul = await workspaceOn().getBibliography(write('nul.bib', BIB.replace('Plain', 'Pl\u0000ain')));
  assert.equal(withNul.unreadable, true);
  assert.match(withNul.problems[0].message, /looks binary/);
});

test('a binary file named .bib is refused with a diagnostic, not parsed', async () => {
  const bytes = new Uint8Array(64 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
  const bib = await workspaceOn().getBibliography(write('photo.bib', bytes));
  assert.equal(bib.unreadable, true);
  assert.deepEqual(bib.entries, []);
  const [finding] = bibliographyFindings(bib, { likelyDuplicates: false });
  assert.equal(finding.code, 'unreadable-file');
  assert.match(finding.message, /photo\.bib: the file looks binary/);
});

test('a 1 GB .bib (sparse) is refused from its size alone, naming citekeys.maxFileSizeMB, and never read', async () => {
  const file = path.join(folder, 'huge.bib');
  const fd = openSync(file, 'w');
  ftruncateSync(fd, 1024 ** 3);
  closeSync(fd);
  const fs = new CountingFileSystem();
  const bib = await workspaceOn(fs).getBibliography(file);
  assert.deepEqual(fs.reads, []);
  assert.equal(bib.unreadable, true);
  assert.match(bib.problems[0].message, /huge\.bib is 1024 MB .*over the limit of 512 MB.*citekeys\.maxFileSizeMB/);

  const cli = spawnSync(process.execPath, ['dist/cli.js', 'keys', file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(cli.stderr, /citekeys: huge\.bib is 1024 MB .*citekeys\.maxFileSizeMB/);
  const check = spawnSync(process.execPath, ['dist/cli.js', 'check', '--format', 'json', folder], { encoding: 'utf8', timeout: 20_000 });
  const refused = (JSON.parse(check.stdout) as { diagnostics: { code: string; message: string; file: string }[] }).diagnostics.find((d) => d.file.endsWith('huge.bib'));
  assert.equal(refused?.code, 'unreadable-file');
  assert.match(refused.message, /citekeys\.maxFileSizeMB/);
  rmSync(file);
});

test('a file one byte over the limit is refused, and the message says by how much', async () => {
  const limit = 1024 * 1024;
  const file = write('just-over.bib', '%'.repeat(limit) + '\n');
  const fs = new CountingFileSystem();
  const bib = await workspaceOn(fs, limit).getBibliography(file);
  assert.deepEqual(fs.reads, []);
  assert.match(bib.problems[0].message, /just-over\.bib is 1\.0 MB \(1,048,577 bytes\), over the limit of 1\.0 MB \(1,048,576 bytes\) set by citekeys\.maxFileSizeMB/);
  const atLimit = await workspaceOn(new CountingFileSystem(), limit + 1).getBibliography(file);
  assert.equal(atLimit.unreadable, false);
});
