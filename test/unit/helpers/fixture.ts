// Test fixtures as the features read them: `%! name` sections for files, `|` as the cursor, an in-memory workspace.
import * as path from 'node:path';
import { MemoryFileSystem } from '../../../server/src/workspace/fileSystem';
import { Workspace } from '../../../server/src/workspace/workspace';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/config/settings';

export const ROOT = path.resolve('/w');

export interface Fixture {
  workspace: Workspace;
  fs: MemoryFileSystem;
  /** Absolute path of the file that held the `|` cursor (or the first file). */
  file: string;
  /** Offset of the cursor in that file (the `|` removed), or -1. */
  offset: number;
  /** Absolute path of a fixture file by its name. */
  path(name: string): string;
}

/**
 * Builds a workspace from sections:
 * ```
 * %! paper.md
 * See [@gere|].
 * %! refs.bib
 * @book{gereffi1994, title={x}}
 * ```
 * Text without any `%!` header is one file named `paper.md`. The first `|` in any file marks the cursor
 * (write `\|` for a literal bar).
 */
export function fixture(source: string, settings: Partial<Settings> = {}): Fixture {
  const files: Record<string, string> = {};
  const sections = source.includes('%! ') ? source.split(/^%! (.+)\n/m).slice(1) : ['paper.md', source];
  let cursorFile: string | undefined;
  let offset = -1;
  for (let i = 0; i < sections.length; i += 2) {
    const name = sections[i].trim();
    let text = sections[i + 1] ?? '';
    const bar = findCursor(text);
    if (bar >= 0 && cursorFile === undefined) {
      cursorFile = path.join(ROOT, name);
      offset = bar;
      text = text.slice(0, bar) + text.slice(bar + 1);
    }
    files[path.join(ROOT, name)] = text.replace(/\\\|/g, '|');
  }
  const fs = new MemoryFileSystem(files);
  const workspace = new Workspace(fs, { ...DEFAULT_SETTINGS, ...settings }, [ROOT], { HOME: '/home/user' });
  const first = path.join(ROOT, sections[0].trim());
  return { workspace, fs, file: cursorFile ?? first, offset, path: (name) => path.join(ROOT, name) };
}

function findCursor(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '|') {
      i++;
      continue;
    }
    if (text[i] === '|') return i;
  }
  return -1;
}
