// The on-disk cache of the search indexes of large bibliographies read from disk, keyed by a digest of the file's
// bytes, so a later start reads the index instead of building it. Any doubt about a cache file is a miss; deleting it is safe.
import { promises as fs } from 'node:fs';
import { webcrypto } from 'node:crypto';
import * as path from 'node:path';
import type { BibliographyFile } from '../bibliography/bibliographyFile';
import { decodeIndexParts, encodeIndexParts, INDEX_CACHE_FORMAT, type IndexCacheHeader, type IndexParts } from '../bibliography/searchIndexCodec';

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

/** The hex SHA-1 of a file's bytes, computed in libuv's thread pool (WebCrypto), never on the main thread; undefined if it fails. */
export async function contentKeyOf(bytes: Uint8Array): Promise<string | undefined> {
  try {
    return Buffer.from(await webcrypto.subtle.digest('SHA-1', bytes)).toString('hex');
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

export class SearchIndexCache {
  /** Cache files written (or found whole) by this process: each content key is written at most once. */
  private readonly settled = new Set<string>();
  private readonly minEntries: number;

  constructor(readonly directory: string, readonly codeVersion: string, private readonly options: IndexCacheOptions = {}) {
    this.minEntries = options.minEntries ?? INDEX_CACHE_MIN_ENTRIES;
  }

  /** Whether a parsed file is large enough to be worth a cache file. */
  qualifies(file: BibliographyFile): boolean {
    return !file.unreadable && file.entries.length >= this.minEntries;
  }

  private header(file: BibliographyFile, contentKey: string): IndexCacheHeader {
    return { contentKey, codeVersion: this.codeVersion, format: file.format, entries: file.entries.length };
  }

  /** The cache file of a header: content, format, layout and code version are all in the name, so versions never collide. */
  private pathOf(header: IndexCacheHeader): string {
    const version = header.codeVersion.replace(/[^\w.-]/g, '_');
    return path.join(this.directory, `${header.contentKey}-${header.format}-f${INDEX_CACHE_FORMAT}-${version}${EXTENSION}`);
  }

  /**
   * The index parts stored for this file's content, checked against the file; undefined when there are none or the
   * cache file is damaged or does not match (then it is deleted). Never throws.
   */
  async load(file: BibliographyFile, contentKey: string): Promise<IndexParts | undefined> {
    const header = this.header(file, contentKey);
    const cachePath = this.pathOf(header);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(cachePath);
    } catch {
      return undefined;
    }
    const body = bytes.subarray(0, Math.max(0, bytes.length - TRAILER_BYTES));
    const digest = bytes.length > TRAILER_BYTES ? await sha256(body).catch(() => undefined) : undefined;
    const whole = !!digest && Buffer.from(digest).equals(bytes.subarray(body.length));
    const parts = whole ? decodeIndexParts(body, file, header) : undefined;
    if (!parts) {
      this.options.log?.(`index cache file ${path.basename(cachePath)} ${whole ? 'does not match' : 'is damaged'}; building the index instead`);
      await fs.rm(cachePath, { force: true }).catch(() => undefined);
      return undefined;
    }
    this.settled.add(cachePath);
    // Its modification time says when it was last used: eviction keeps the most recent.
    const now = new Date();
    await fs.utimes(cachePath, now, now).catch(() => undefined);
    return parts;
  }

  /**
   * Stores a file's finished index parts (encoded now, written in the background through a temporary file renamed
   * into place), then trims the cache. True when a cache file was written. Never throws.
   */
  save(file: BibliographyFile, contentKey: string, parts: IndexParts): Promise<boolean> {
    const header = this.header(file, contentKey);
    const cachePath = this.pathOf(header);
    if (this.settled.has(cachePath)) return Promise.resolve(false);
    this.settled.add(cachePath);
    const body = encodeIndexParts(parts, header);
    return body ? this.write(cachePath, body) : Promise.resolve(false);
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
