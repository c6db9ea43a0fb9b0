// Turns findings into the CLI's output formats: compiler-style text, JSON and SARIF 2.1.0 (keys: keyListing.ts). A public contract.
import * as path from 'node:path';
import { RULES, type LeveledFinding } from '../features/rules';
import type { SourceText } from '../bibliography/bibliographyFile';
import { cellPositionAt } from '../syntax/citations/notebook';
import { DocumentFile } from '../workspace/documents';

export interface CliDiagnostic {
  file: string;
  /** Notebooks: the 1-based cell the position is in; line and column then count in that cell's source. */
  cell?: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: LeveledFinding['level'];
  code: string;
  message: string;
  key?: string;
  /** Notebooks: the position in the file itself, for SARIF (never printed in text or JSON). */
  fileRegion?: { line: number; column: number; endLine: number; endColumn: number };
}

/** Where a position is shown: for a notebook's cell, the cell and the 1-based line and column in its source. */
export function cellPosition(file: SourceText, offset: number): { cell: number; line: number; column: number } | undefined {
  if (!(file instanceof DocumentFile)) return undefined;
  const syntax = file.syntax();
  if (!('cells' in syntax) || !Array.isArray(syntax.cells)) return undefined;
  const position = cellPositionAt(syntax.cells, offset);
  return position && { cell: position.cell, line: position.line + 1, column: position.character + 1 };
}

/** Paths in output: relative to the working directory when inside it, else absolute, always with `/`. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return shown.split(path.sep).join('/');
}

/** The last path shown: findings come sorted by file, and 300,000 of them may share one. */
let lastShown = { file: '', cwd: '', shown: '' };

function shownPath(file: string, cwd: string): string {
  if (lastShown.file !== file || lastShown.cwd !== cwd) lastShown = { file, cwd, shown: displayPath(file, cwd) };
  return lastShown.shown;
}

export function toCliDiagnostic(finding: LeveledFinding, cwd: string): CliDiagnostic {
  const lines = finding.file.lineIndex();
  const start = lines.positionAt(finding.range.start);
  const end = lines.positionAt(finding.range.end);
  const diagnostic: CliDiagnostic = {
    file: shownPath(finding.file.path, cwd),
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: finding.level,
    code: finding.code,
    message: finding.message,
  };
  if (finding.key !== undefined) diagnostic.key = finding.key;
  const inCell = cellPosition(finding.file, finding.range.start);
  const endInCell = inCell && cellPosition(finding.file, finding.range.end);
  if (inCell && endInCell?.cell === inCell.cell) {
    const { file, line, column, endLine, endColumn, ...rest } = diagnostic;
    return {
      file, cell: inCell.cell, line: inCell.line, column: inCell.column, endLine: endInCell.line, endColumn: endInCell.column,
      ...rest, fileRegion: { line, column, endLine, endColumn },
    };
  }
  return diagnostic;
}

/**
 * Output is handed on in strings of about this many characters: 300,000 findings make 30 MB of text and 180 MB of
 * SARIF, and one string of it all would take twice the memory, or pass V8's limit of 512 MB and throw.
 */
const CHUNK_CHARS = 1 << 20;

/** Joins `pieces` into strings of about CHUNK_CHARS characters. */
function chunked(pieces: Iterable<string>): string[] {
  const chunks: string[] = [];
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= CHUNK_CHARS) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  if (chunk) chunks.push(chunk);
  return chunks;
}

/** Stands for the list in the frame around it; no frame text contains it. */
const LIST_PLACEHOLDER = '\u0000citekeys-list\u0000';
/** Items stringified at once: under a megabyte of JSON. */
const ITEMS_PER_CHUNK = 1_000;

/**
 * Exactly `JSON.stringify(frame, null, 2) + '\n'` where `frame` holds LIST_PLACEHOLDER in place of `items`, in chunks.
 * Each slice of items is stringified natively inside as many arrays as the list is deep, so it comes out indented
 * as it would in the whole, and the wrapping is cut off again.
 */
function prettyJsonChunks(frame: unknown, items: unknown[]): string[] {
  const whole = JSON.stringify(frame, null, 2);
  const marker = JSON.stringify(LIST_PLACEHOLDER);
  const at = whole.indexOf(marker);
  const lineStart = whole.lastIndexOf('\n', at) + 1;
  const depth = whole.slice(lineStart).search(/\S/) / 2;
  const chunks = [whole.slice(0, at)];
  if (items.length === 0) {
    chunks.push('[]');
  } else {
    let opening = '';
    let closing = '';
    for (let level = 0; level <= depth; level++) {
      opening += '  '.repeat(level) + '[\n';
      closing = '\n' + '  '.repeat(level) + ']' + closing;
    }
    chunks.push('[\n');
    for (let from = 0; from < items.length; from += ITEMS_PER_CHUNK) {
      let slice: unknown = items.slice(from, from + ITEMS_PER_CHUNK);
      for (let level = 0; level < depth; level++) slice = [slice];
      const text = JSON.stringify(slice, null, 2);
      chunks.push(text.slice(opening.length, text.length - closing.length) + (from + ITEMS_PER_CHUNK < items.length ? ',\n' : '\n'));
    }
    chunks.push('  '.repeat(depth) + ']');
  }
  chunks.push(whole.slice(at + marker.length) + '\n');
  return chunks;
}

export function formatDiagnosticsText(diagnostics: CliDiagnostic[]): string[] {
  return chunked(diagnostics.map((d) => `${d.file}:${d.cell !== undefined ? `cell_${d.cell}:` : ''}${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]\n`));
}

/** A notebook's diagnostic without the file region SARIF uses. */
function withoutFileRegion(d: CliDiagnostic): CliDiagnostic {
  if (!d.fileRegion) return d;
  const { fileRegion: _unused, ...shown } = d;
  return shown;
}

export function formatDiagnosticsJson(diagnostics: CliDiagnostic[]): string[] {
  return prettyJsonChunks({ version: 1, diagnostics: LIST_PLACEHOLDER }, diagnostics.map(withoutFileRegion));
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

export function formatDiagnosticsSarif(diagnostics: CliDiagnostic[], toolVersion: string): string[] {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'citekeys',
            version: toolVersion,
            rules: Object.entries(RULES).map(([id, rule]) => ({
              id,
              shortDescription: { text: rule.summary },
              defaultConfiguration: { level: rule.level === 'ignore' ? 'none' : SARIF_LEVEL[rule.level] },
            })),
          },
        },
        results: LIST_PLACEHOLDER,
      },
    ],
  };
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    level: SARIF_LEVEL[d.severity],
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(d.file) },
          // SARIF regions are in the file: for a notebook, in its JSON text.
          region: d.fileRegion
            ? { startLine: d.fileRegion.line, startColumn: d.fileRegion.column, endLine: d.fileRegion.endLine, endColumn: d.fileRegion.endColumn }
            : { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
        },
      },
    ],
  }));
  return prettyJsonChunks(sarif, results);
}
