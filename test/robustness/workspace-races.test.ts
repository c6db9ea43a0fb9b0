// Bibliographies that change under the workspace's feet (deleted, replaced, rewritten while a read is in flight):
// the next answer always reflects the file's final state, with no stale entries. Deterministic: reads are gated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../server/src/workspace/fileSystem';
import { Workspace } from '../../server/src/workspace/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/config/settings';

/** An in-memory disk whose next read can be held open until the test releases it. */
class GatedFileSystem extends MemoryFileSystem {
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;
  reads = 0;

  holdNextRead(): () => void {
    this.gate = new Promise((resolve) => (this.release = resolve));
    return () => this.release?.();
  }

  override async readFile(file: string): Promise<Uint8Array> {
    this.reads++;
    const bytes = await super.readFile(file); // the bytes as they were when the read started
    const gate = this.gate;
    this.gate = undefined;
    await gate;
    return bytes;
  }
}

const BIB = '/w/refs.bib';
const keysOf = async (workspace: Workspace) => (await workspace.getBibliography(BIB)).entries.map((e) => e.key);

test('a bibliography rewritten while it is being read is read again by the next request', async () => {
  const fs = new GatedFileSystem({ [BIB]: '@book{old, title = {Old}}' });
  const workspace = new Workspace(fs, { ...DEFAULT_SETTINGS }, ['/w']);
  const release = fs.holdNextRead();
  const inFlight = workspace.getBibliography(BIB);
  await new Promise((resolve) => setImmediate(resolve)); // the read has started
  fs.write(BIB, '@book{new, title = {New}}');
  workspace.fileChanged(BIB); // the watcher reports the change while the first read is still in flight
  const afterChange = workspace.getBibliography(BIB);
  release();
  assert.deepEqual((await inFlight).entries.map((e) => e.key), ['old']);
  assert.deepEqual((await afterChange).entries.map((e) => e.key), ['new'], 'a request made after the change must not join the stale read');
  assert.deepEqual(await keysOf(workspace), ['new']);
});

test('deleted, renamed away, and atomically replaced bibliographies converge to what is on disk', async () => {
  const fs = new MemoryFileSystem({ [BIB]: '@book{a, title = {A}}\n@book{b, title = {B}}' });
  const workspace = new Workspace(fs, { ...DEFAULT_SETTINGS }, ['/w']);
  assert.deepEqual(await keysOf(workspace), ['a', 'b']);

  fs.delete(BIB);
  workspace.fileChanged(BIB);
  const gone = await workspace.getBibliography(BIB);
  assert.deepEqual(gone.entries, []);
  assert.equal(gone.unreadable, true);

  // Zotero / Better BibTeX auto-export: write a temporary file, then rename it over the bibliography.
  fs.write('/w/.refs.bib.tmp', '@book{c, title = {C}}');
  fs.write(BIB, '@book{c, title = {C}}');
  fs.delete('/w/.refs.bib.tmp');
  workspace.fileChanged('/w/.refs.bib.tmp');
  workspace.fileChanged(BIB);
  assert.deepEqual(await keysOf(workspace), ['c']);
});

test('without any change event, a changed size or time is still noticed on the next request', async () => {
  const fs = new MemoryFileSystem({ [BIB]: '@book{a, title = {A}}' });
  const workspace = new Workspace(fs, { ...DEFAULT_SETTINGS }, ['/w']);
  assert.deepEqual(await keysOf(workspace), ['a']);
  fs.write(BIB, '@book{z, title = {Z}}'); // same size, new modification time
  assert.deepEqual(await keysOf(workspace), ['z']);
});

test('a read overtaken by a second change still replaces the version before it, and is read again next time', async () => {
  const fs = new GatedFileSystem({ [BIB]: '@book{v1, title = {One}}' });
  const workspace = new Workspace(fs, { ...DEFAULT_SETTINGS }, ['/w']);
  assert.deepEqual(await keysOf(workspace), ['v1']);
  fs.write(BIB, '@book{v2, title = {Two}}');
  workspace.fileChanged(BIB, true); // a save: v1 stays the answer while v2 is read
  const release = fs.holdNextRead();
  const readingV2 = workspace.getBibliography(BIB);
  await new Promise((resolve) => setImmediate(resolve)); // the read of v2 has started
  fs.write(BIB, '@book{v3, title = {Three}}');
  workspace.fileChanged(BIB, true); // a second save while v2 is still being read
  release();
  assert.deepEqual((await readingV2).entries.map((e) => e.key), ['v2']);
  // Completion answers from the version the workspace holds while a newer one is read: v2, not v1, two saves behind.
  assert.deepEqual(workspace.currentBibliography(BIB)?.entries.map((e) => e.key), ['v2']);
  assert.deepEqual(await keysOf(workspace), ['v3'], 'v2 is marked stale, so the next request reads v3');
});
