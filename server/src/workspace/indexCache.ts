// The on-disk cache of the search indexes of large bibliographies read from disk, keyed by a digest of the file's
// bytes, so a later start reads the index instead of building it. Any doubt about a cache file is a miss; deleting it is safe.
import { promises as fs } from 'node:fs';
import { createHash, webcrypto } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import type { BibliographyFile } from '../bibliography/bibliographyFile';
import { installSearchIndex } from '../bibliography/searchIndex';
import { decodeIndexParts, encodeIndexPartsInSteps, INDEX_CACHE_FORMAT, type IndexCacheHeader, type IndexParts } from '../bibliography/searchIndexCodec';

/** Files with fewer entries build their index faster than the cache could be read and checked. */
export const INDEX_CACHE_MIN_ENTRIES = 20_000;
/** Beyond these the least recently used cache files are deleted. */
export const INDEX_CACHE_MAX_FILES = 8;
export const INDEX_CACHE_MAX_BYTES = 300 * 1024 * 1024;

const EXTENSION = '.ckidx';
/** Each cache file ends with the SHA-256 of what precedes it: a damaged file is told from a whole one. */
const TRAILER_BYTES = 32;
/** A temporary file this old was left by a write that never finished. */
const ABANDONED_TEMP_MS = 60 * 60 * 1000;

/** Below this size a file's digest is computed at once: a thread costs more than hashing a small file. */
const HASH_ELSEWHERE_FROM = 1 << 20;
/** The hashing thread: takes one buffer, answers its hex SHA-1 and is done. */
const HASHER = `const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.once('message', (buffer) => parentPort.postMessage(createHash('sha1').update(new Uint8Array(buffer)).digest('hex')));`;

/**
 * The hex SHA-1 of a file's bytes; undefined if it cannot be had. A large file's bytes are handed over (moved, not
 * copied: 57 MB for a 100k-entry file) to a short-lived thread that hashes them, so neither this thread's time nor a
 * copy of the bytes is spent; the caller must not use `bytes` afterwards.
 */
export function contentKeyOf(bytes: Uint8Array): Promise<string | undefined> {
  const buffer = bytes.buffer;
  const ownsItsBuffer = buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
  if (bytes.byteLength < HASH_ELSEWHERE_FROM || !ownsItsBuffer) return Promise.resolve(sha1Here(bytes));
  return new Promise((resolve) => {
    try {
      const worker = new Worker(HASHER, { eval: true });
      worker.once('message', (hex: unknown) => {
        resolve(typeof hex === 'string' ? hex : undefined);
        void worker.terminate();
      });
      worker.once('error', () => resolve(undefined));
      worker.once('exit', () => resolve(undefined));
      worker.postMessage(buffer, [buffer]);
    } catch {
      resolve(undefined);
    }
  });
}

function sha1Here(bytes: Uint8Array): string | undefined {
  try {
    return createHash('sha1').update(bytes).digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * Where the cache lives: `CITEKEYS_CACHE_DIR` when set, else the folder the client gives (VS Code: the extension's
 * global storage), else `$XDG_CACHE_HOME/citekeys` or `~/.cache/citekeys`; undefined when none is known.
 */
export function indexCacheDirectory(env: NodeJS.ProcessEnv, clientDirectory: unknown, home: string | undefined): string | undefined {
  if (env.CITEKEYS_CACHE_DIR) return path.resolve(env.CITEKEYS_CACHE_DIR);
  if (typeof clientDirectory === 'string' && path.isAbsolute(clientDirectory)) return clientDirectory;
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'citekeys');
  return home ? path.join(home, '.cache', 'citekeys') : undefined;
}

export interface IndexCacheOptions {
  /** Files with fewer entries are not cached. */
  minEntries?: number;
  maxFiles?: number;
  maxBytes?: number;
  /** Told when a cache file was ignored or could not be written (for the server's log). */
  log?: (message: string) => void;
}

/** A file's content key and the cache's stored bytes for it, read while the file was parsed. */
export interface CacheRead {
  contentKey: Promise<string | undefined>;
  stored: Promise<Uint8Array | undefined> | undefined;
}

export class SearchIndexCache {
  /** Cache files written (or found whole) by this process: each content key is written at most once. */
  private readonly settled = new Set<string>();
  /** Bibliographies read from disk while the cache was in use: their content keys, and stored bytes until taken. */
  private readonly reads = new WeakMap<BibliographyFile, CacheRead>();
  private readonly minEntries: number;

  constructor(readonly directory: string, readonly codeVersion: string, private readonly options: IndexCacheOptions = {}) {
    this.minEntries = options.minEntries ?? INDEX_CACHE_MIN_ENTRIES;
  }

  /**
   * Files smaller than this are never looked up or hashed: even 100 bytes an entry would be fewer entries than
   * cached files have (and a small file's index is quick to build).
   */
  get smallestCachedBytes(): number {
    return this.minEntries * 100;
  }

  /** Whether a parsed file is large enough to be worth a cache file. */
  qualifies(file: BibliographyFile): boolean {
    return !file.unreadable && file.entries.length >= this.minEntries;
  }

  /** Starts reading the stored index for a content key (the digest of bytes just read), before they are parsed. */
  readAhead(contentKey: Promise<string | undefined>): CacheRead {
    return { contentKey, stored: contentKey.then((key) => (key ? this.read(key) : undefined)) };
  }

  /** Ties a read ahead to the file parsed from those bytes; the stored bytes are kept only if the file qualifies. */
  readFor(file: BibliographyFile, read: CacheRead): void {
    this.reads.set(file, { contentKey: read.contentKey, stored: this.qualifies(file) ? read.stored : undefined });
  }

  /** The digest of the bytes a bibliography was read from; undefined for an editor's text or a file read without the cache. */
  contentKeyOf(file: BibliographyFile): Promise<string | undefined> | undefined {
    return this.reads.get(file)?.contentKey;
  }

  /**
   * The index parts stored for a large file read from disk, checked against it; undefined (no promise) when there
   * is nothing to look at. Taken once: the stored bytes are let go.
   */
  storedIndexOf(file: BibliographyFile): Promise<IndexParts | undefined> | undefined {
    const read = this.reads.get(file);
    const stored = read?.stored;
    if (!read || !stored) return undefined;
    read.stored = undefined;
    return Promise.all([read.contentKey, stored]).then(([key, bytes]) => (key && bytes ? this.decode(file, key, bytes) : undefined));
  }

  /**
   * Installs the stored index of a file just parsed, before the file is handed to anyone, when the bytes read ahead
   * are already at hand: a request waiting for the file then finds its whole index, instead of building a keys-only
   * stand-in while the stored one is decoded. When they are not at hand yet, they stay for `storedIndexOf`.
   */
  async installIfAtHand(file: BibliographyFile): Promise<boolean> {
    const read = this.reads.get(file);
    const stored = read?.stored;
    if (!read || !stored) return false;
    const started = performance.now();
    const nextTurn = new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)));
    const atHand = await Promise.race([Promise.all([read.contentKey, stored]), nextTurn]);
    if (!atHand || read.stored !== stored) return false;
    read.stored = undefined;
    const [key, bytes] = atHand;
    const parts = key && bytes ? await this.decode(file, key, bytes) : undefined;
    if (!parts || !installSearchIndex(file, parts)) return false;
    this.options.log?.(`${path.basename(file.path)}: search index read from the index cache (${file.entries.length} entries, ${Math.round(performance.now() - started)} ms)`);
    return true;
  }

  private header(file: BibliographyFile, contentKey: string): IndexCacheHeader {
    return { contentKey, codeVersion: this.codeVersion, format: file.format, entries: file.entries.length };
  }

  /**
   * The cache file of a content key: content, layout and code version are in the name, so versions never collide;
   * the format it was read as is in the header (the name is known before the file is parsed).
   */
  private pathOf(contentKey: string): string {
    const version = this.codeVersion.replace(/[^\w.-]/g, '_');
    return path.join(this.directory, `${contentKey}-f${INDEX_CACHE_FORMAT}-${version}${EXTENSION}`);
  }

  /**
   * The stored bytes for a content key when its cache file is whole (its SHA-256 checked, in the thread pool), so a
   * caller can read them while the file itself is still being parsed; a damaged file is deleted. Never throws.
   */
  async read(contentKey: string): Promise<Uint8Array | undefined> {
    const cachePath = this.pathOf(contentKey);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(cachePath);
    } catch {
      return undefined;
    }
    const body = bytes.subarray(0, Math.max(0, bytes.length - TRAILER_BYTES));
    const digest = bytes.length > TRAILER_BYTES ? await sha256(body).catch(() => undefined) : undefined;
    if (digest && Buffer.from(digest).equals(bytes.subarray(body.length))) return body;
    await this.discard(cachePath, 'is damaged');
    return undefined;
  }

  /**
   * The index parts in `stored` (what `read` gave) when they belong to this parsed file; undefined otherwise, and
   * the cache file is deleted. Never throws.
   */
  async decode(file: BibliographyFile, contentKey: string, stored: Uint8Array): Promise<IndexParts | undefined> {
    // No await before the parts are ready: see below.
    const cachePath = this.pathOf(contentKey);
    const parts = decodeIndexParts(stored, file, this.header(file, contentKey));
    if (!parts) {
      await this.discard(cachePath, 'does not match');
      return undefined;
    }
    this.settled.add(cachePath);
    // Its modification time says when it was last used: eviction keeps the most recent. Not awaited: the index is
    // wanted now, and a request answered meanwhile would build a keys-only stand-in for nothing.
    const now = new Date();
    void fs.utimes(cachePath, now, now).catch(() => undefined);
    return parts;
  }

  /** `read` then `decode`: the stored index parts for this file's content, or undefined. Never throws. */
  async load(file: BibliographyFile, contentKey: string): Promise<IndexParts | undefined> {
    const stored = await this.read(contentKey);
    return stored && this.decode(file, contentKey, stored);
  }

  private async discard(cachePath: string, why: string): Promise<void> {
    this.options.log?.(`index cache file ${path.basename(cachePath)} ${why}; building the index instead`);
    await fs.rm(cachePath, { force: true }).catch(() => undefined);
  }

  /**
   * Stores a file's finished index parts (encoded on this thread, awaiting `pause` between steps when given; written
   * in the background through a temporary file renamed into place), then trims the cache. True when a cache file was
   * written. Never throws.
   */
  async save(file: BibliographyFile, contentKey: string, parts: IndexParts, pause?: () => Promise<void>): Promise<boolean> {
    const cachePath = this.pathOf(contentKey);
    if (this.settled.has(cachePath)) return false;
    this.settled.add(cachePath);
    const steps = encodeIndexPartsInSteps(parts, this.header(file, contentKey));
    let step = steps.next();
    while (!step.done) {
      if (pause) await pause();
      step = steps.next();
    }
    return step.value ? this.write(cachePath, step.value) : false;
  }

  private async write(cachePath: string, body: Uint8Array): Promise<boolean> {
    const temp = `${cachePath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      const trailer = new Uint8Array(await sha256(body));
      await fs.mkdir(this.directory, { recursive: true });
      const handle = await fs.open(temp, 'w');
      try {
        await handle.writev([body, trailer]);
      } finally {
        await handle.close();
      }
      await fs.rename(temp, cachePath);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      this.options.log?.(`could not write the index cache in ${this.directory}: ${(error as Error).message}`);
      return false;
    }
    await this.evict();
    return true;
  }

  /** Deletes the least recently used cache files beyond the limits, and temporary files abandoned long ago. */
  async evict(): Promise<void> {
    try {
      const maxFiles = this.options.maxFiles ?? INDEX_CACHE_MAX_FILES;
      const maxBytes = this.options.maxBytes ?? INDEX_CACHE_MAX_BYTES;
      const files: { file: string; size: number; mtimeMs: number }[] = [];
      for (const name of await fs.readdir(this.directory)) {
        if (!name.endsWith(EXTENSION) && !name.endsWith('.tmp')) continue;
        const file = path.join(this.directory, name);
        const stat = await fs.stat(file).catch(() => undefined);
        if (!stat?.isFile()) continue;
        if (name.endsWith('.tmp')) {
          if (Date.now() - stat.mtimeMs > ABANDONED_TEMP_MS) await fs.rm(file, { force: true });
        } else files.push({ file, size: stat.size, mtimeMs: stat.mtimeMs });
      }
      files.sort((a, b) => b.mtimeMs - a.mtimeMs);
      let bytes = 0;
      for (let i = 0; i < files.length; i++) {
        bytes += files[i].size;
        if (i >= maxFiles || (i > 0 && bytes > maxBytes)) await fs.rm(files[i].file, { force: true });
      }
    } catch (error) {
      this.options.log?.(`could not trim the index cache in ${this.directory}: ${(error as Error).message}`);
    }
  }
}

function sha256(bytes: Uint8Array): Promise<ArrayBuffer> {
  return webcrypto.subtle.digest('SHA-256', bytes);
}
