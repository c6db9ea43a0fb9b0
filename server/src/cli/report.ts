// Turns findings into the CLI's output formats: compiler-style text, JSON and SARIF 2.1.0 (keys: keyListing.ts). A public contract.
import * as path from 'node:path';
import { RULES, type LeveledFinding } from '../features/rules';

export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: LeveledFinding['level'];
  code: string;
  message: string;
  key?: string;
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
  return diagnostic;
}

export function formatDiagnosticsText(diagnostics: CliDiagnostic[]): string {
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]\n`).join('');
}

export function formatDiagnosticsJson(diagnostics: CliDiagnostic[]): string {
  return JSON.stringify({ version: 1, diagnostics }, null, 2) + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

export function formatDiagnosticsSarif(diagnostics: CliDiagnostic[], toolVersion: string): string {
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
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(d.file) },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
