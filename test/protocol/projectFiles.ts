// Shared by the protocol tests of libraries and Insert Citation: a project folder with the user's library outside it,
// and applying a WorkspaceEdit's text edits the way an editor does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Position, TextEdit } from 'vscode-languageserver-protocol';

export interface ProjectWithLibrary {
  folder: string;
  library: string;
  cleanup: () => void;
}

/** `files` in a project folder (`paper/`), and `library.bib` holding `library` beside it, outside the workspace. */
export function projectWithLibrary(files: Record<string, string>, library: string): ProjectWithLibrary {
  const root = mkdtempSync(path.join(tmpdir(), 'citekeys-library-'));
  const folder = path.join(root, 'paper');
  mkdirSync(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
  writeFileSync(path.join(root, 'library.bib'), library);
  return { folder, library: path.join(root, 'library.bib'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The offset of an LSP position (UTF-16, `\n` line ends) in `text`. */
export function offsetOf(text: string, position: Position): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += lines[i].length + 1;
  return offset + position.character;
}

/** `text` after `edits` (all against the same original text), applied last first. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  for (const e of sorted) text = text.slice(0, offsetOf(text, e.range.start)) + e.newText + text.slice(offsetOf(text, e.range.end));
  return text;
}
