// The only door to the disk: a small FileSystem interface, its Node implementation, and an in-memory one for tests.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  mtimeMs: number;
}

export interface FileSystem {
  /** undefined when the file does not exist or cannot be read; never throws. */
  stat(file: string): Promise<FileStat | undefined>;
  /** The file's bytes in a buffer of the caller's own (it may hand it over to another thread). */
  readFile(file: string): Promise<Uint8Array>;
  readDirectory(dir: string): Promise<{ name: string; isDirectory: boolean; isFile: boolean }[]>;
  realPath(file: string): Promise<string>;
}

export class NodeFileSystem implements FileSystem {
  async stat(file: string): Promise<FileStat | undefined> {
    try {
      const s = await fs.stat(file);
      return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs };
    } catch {
      return undefined;
    }
  }

  readFile(file: string): Promise<Uint8Array> {
    return fs.readFile(file);
  }

  async readDirectory(dir: string): Promise<{ name: string; isDirectory: boolean; isFile: boolean }[]> {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory(), isFile: e.isFile() }));
  }

  realPath(file: string): Promise<string> {
    return fs.realpath(file);
  }
}

/** In-memory file system for tests: `new MemoryFileSystem({ '/w/paper.md': '...' })`. */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, Uint8Array>();
  private clock = 1;
  private readonly mtimes = new Map<string, number>();

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [name, content] of Object.entries(files)) this.write(name, content);
  }

  write(file: string, content: string | Uint8Array): void {
    const normalized = path.resolve(file);
    this.files.set(normalized, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    this.mtimes.set(normalized, this.clock++);
  }

  delete(file: string): void {
    this.files.delete(path.resolve(file));
  }

  async stat(file: string): Promise<FileStat | undefined> {
    const normalized = path.resolve(file);
    const content = this.files.get(normalized);
    if (content) return { isFile: true, isDirectory: false, size: content.length, mtimeMs: this.mtimes.get(normalized) ?? 0 };
    const prefix = normalized.endsWith(path.sep) ? normalized : normalized + path.sep;
    for (const name of this.files.keys()) {
      if (name.startsWith(prefix)) return { isFile: false, isDirectory: true, size: 0, mtimeMs: 0 };
    }
    return undefined;
  }

  async readFile(file: string): Promise<Uint8Array> {
    const content = this.files.get(path.resolve(file));
    if (!content) throw new Error(`ENOENT: no such file '${file}'`);
    return content.slice();
  }

  async readDirectory(dir: string): Promise<{ name: string; isDirectory: boolean; isFile: boolean }[]> {
    const prefix = path.resolve(dir) + path.sep;
    const seen = new Map<string, boolean>();
    for (const name of this.files.keys()) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      const slash = rest.indexOf(path.sep);
      if (slash < 0) seen.set(rest, false);
      else seen.set(rest.slice(0, slash), true);
    }
    return [...seen].map(([name, isDirectory]) => ({ name, isDirectory, isFile: !isDirectory }));
  }

  async realPath(file: string): Promise<string> {
    return path.resolve(file);
  }
}
