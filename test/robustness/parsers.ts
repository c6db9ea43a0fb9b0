// The parsers under attack (bibliographies and every dialect's documents), each wrapped to return every range it produced, plus the checks every result must pass.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CslFile, DocumentSyntax, TextRange } from '../../server/src/syntax/types';
import { fieldsOf } from '../../server/src/syntax/bibtex/fields';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';
import { parseCslJson } from '../../server/src/syntax/csl/json';
import { parseCslYaml } from '../../server/src/syntax/csl/yaml';
import { parseMarkdownDocument } from '../../server/src/syntax/citations/markdown';
import { parseLatexDocument } from '../../server/src/syntax/citations/latex';
import { parseTypstDocument } from '../../server/src/syntax/citations/typst';
import { parseMystDocument } from '../../server/src/syntax/citations/myst';
import { parseNotebookDocument } from '../../server/src/syntax/citations/notebook';
import { parseHayagrivaYaml } from '../../server/src/syntax/csl/hayagriva';
import { DEFAULT_CROSSREF_PREFIXES } from '../../server/src/config/settings';

/** Property runs per fuzz test: small in CI, `CITEKEYS_FUZZ_RUNS=20000 node test/run.mjs test/robustness/fuzz.test.ts` for long runs. */
export const FUZZ_RUNS = Math.max(1, Number(process.env.CITEKEYS_FUZZ_RUNS ?? 150));

/** The two real reference lists of examples/ (ethics, geography), as .bib, CSL-JSON and CSL-YAML. */
export const FIXTURES = path.resolve('examples');
export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export type ParserName = 'bibtex' | 'csl-json' | 'csl-yaml' | 'hayagriva' | 'markdown' | 'latex' | 'typst' | 'myst' | 'notebook';

function cslRanges(file: CslFile): TextRange[] {
  return [...file.items.flatMap((item) => [item.range, item.keyRange]), ...file.problems.map((p) => p.range)];
}

function documentRanges(syntax: DocumentSyntax): TextRange[] {
  return [
    ...syntax.citations.map((c) => c.range),
    ...syntax.emptyCitations,
    ...syntax.bibliographies.map((b) => b.range),
    ...syntax.bibitems.map((b) => b.range),
    ...syntax.includes.map((i) => i.range),
    ...syntax.problems.map((p) => p.range),
    ...(syntax.inlineReferences ? cslRanges(syntax.inlineReferences) : []),
  ];
}

/** Parses `text` and returns every range in the result. */
export const PARSERS: Record<ParserName, (text: string) => TextRange[]> = {
  bibtex: (text) => {
    const file = scanBibtex(text);
    return [
      ...file.entries.flatMap((e) => [e.range, e.keyRange, ...fieldsOf(e).map((f) => ({ start: f.nameStart, end: f.valueEnd }))]),
      ...[...file.strings.values()].map((f) => ({ start: f.nameStart, end: f.valueEnd })),
      ...file.problems.map((p) => p.range),
    ];
  },
  'csl-json': (text) => cslRanges(parseCslJson(text)),
  'csl-yaml': (text) => cslRanges(parseCslYaml(text)),
  hayagriva: (text) => cslRanges(parseHayagrivaYaml(text)),
  markdown: (text) => documentRanges(parseMarkdownDocument(text, { crossrefPrefixes: DEFAULT_CROSSREF_PREFIXES })),
  latex: (text) => documentRanges(parseLatexDocument(text, { extraCiteCommands: [] })),
  typst: (text) => documentRanges(parseTypstDocument(text)),
  myst: (text) => documentRanges(parseMystDocument(text, { crossrefPrefixes: DEFAULT_CROSSREF_PREFIXES })),
  notebook: (text) => documentRanges(parseNotebookDocument(text, (cell) => parseMarkdownDocument(cell, { crossrefPrefixes: DEFAULT_CROSSREF_PREFIXES }))),
};

/** Parsers that go through the `yaml` package, some 10–40 times slower a character than our own scanners. */
export const YAML_PARSERS: ReadonlySet<ParserName> = new Set(['csl-yaml', 'hayagriva']);

export const PARSER_NAMES = Object.keys(PARSERS) as ParserName[];

/**
 * Time allowed for one parse: a guard against hangs, linear in the input and loose enough for a machine running
 * seven other processes (our scanners need about 0.5 µs a character, the `yaml` package behind CSL-YAML 2–8 µs).
 * Whether a parser is linear is checked by ratios in adversarial.test.ts and fuzz.test.ts, not by this bound.
 */
export function timeBoundMs(name: ParserName, length: number): number {
  return 2_000 + length / (YAML_PARSERS.has(name) ? 20 : 250);
}

/** Runs one parser and asserts what must hold for any input: no exception, in time, every range inside the text. */
export function parseChecked(name: ParserName, text: string): TextRange[] {
  const started = performance.now();
  let ranges: TextRange[];
  try {
    ranges = PARSERS[name](text);
  } catch (error) {
    assert.fail(`${name} threw on ${JSON.stringify(text.slice(0, 200))}: ${String(error)}`);
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed <= timeBoundMs(name, text.length), `${name} took ${elapsed.toFixed(0)} ms on ${text.length} characters`);
  for (const range of ranges) {
    assert.ok(
      Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end <= text.length,
      `${name}: range ${JSON.stringify(range)} outside a text of ${text.length} characters (${JSON.stringify(text.slice(0, 120))})`,
    );
  }
  return ranges;
}
