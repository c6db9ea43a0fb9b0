// The CLI's diagnostic output formats, built in chunks: the same bytes as one JSON.stringify, without one string of it all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnosticsJson, formatDiagnosticsSarif, formatDiagnosticsText, type CliDiagnostic } from '../../server/src/cli/report';

function diagnostic(i: number, message = `Undefined citation \`k${i}\`: not in refs.bib.`): CliDiagnostic {
  return { file: `chapters/ü ${i % 3}.md`, line: i + 1, column: 7, endLine: i + 1, endColumn: 9, severity: i % 2 ? 'warning' : 'error', code: 'undefined-citation', message, key: `k${i}` };
}

const TRICKY = [diagnostic(0, 'two\nlines, "quotes", \\ and \u0000'), diagnostic(1), diagnostic(2, '   indented {"json": [1]}')];

test('JSON output is exactly JSON.stringify with two-space indentation, for no, one and several diagnostics', () => {
  for (const diagnostics of [[], TRICKY.slice(0, 1), TRICKY]) {
    assert.equal(formatDiagnosticsJson(diagnostics).join(''), JSON.stringify({ version: 1, diagnostics }, null, 2) + '\n');
  }
});

test('SARIF output is one run whose results carry every diagnostic, indented as JSON.stringify would', () => {
  for (const diagnostics of [[], TRICKY]) {
    const text = formatDiagnosticsSarif(diagnostics, '1.2.3').join('');
    const sarif = JSON.parse(text) as { runs: { tool: { driver: { version: string } }; results: { ruleId: string; message: { text: string } }[] }[] };
    assert.equal(text, JSON.stringify(sarif, null, 2) + '\n');
    assert.equal(sarif.runs[0].tool.driver.version, '1.2.3');
    assert.deepEqual(sarif.runs[0].results.map((r) => r.message.text), diagnostics.map((d) => d.message));
  }
});

test('100,000 diagnostics come out in chunks of at most a megabyte or so, adding up to the same bytes', () => {
  const diagnostics = Array.from({ length: 100_000 }, (_, i) => diagnostic(i));
  for (const chunks of [formatDiagnosticsText(diagnostics), formatDiagnosticsJson(diagnostics), formatDiagnosticsSarif(diagnostics, '1')]) {
    assert.ok(chunks.length > 5);
    assert.ok(chunks.every((chunk) => chunk.length < 1.5 * 2 ** 20), String(chunks.map((c) => c.length)));
  }
  const text = formatDiagnosticsText(diagnostics).join('').split('\n');
  assert.equal(text[99_999], 'chapters/ü 0.md:100000:7: warning: Undefined citation `k99999`: not in refs.bib. [undefined-citation]');
  assert.equal(formatDiagnosticsJson(diagnostics).join(''), JSON.stringify({ version: 1, diagnostics }, null, 2) + '\n');
  const sarif = formatDiagnosticsSarif(diagnostics, '1').join('');
  assert.equal(sarif, JSON.stringify(JSON.parse(sarif), null, 2) + '\n');
});
