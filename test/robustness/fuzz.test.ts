// Property-based fuzzing of the five parsers (BibTeX, CSL-JSON, CSL-YAML, Markdown and LaTeX citations): random
// token soups, mutations of the real fixtures and 100,000-key citations never throw, stay within a linear time bound
// and keep ranges in the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';
import { FUZZ_RUNS, PARSER_NAMES, PARSERS, fixture, parseChecked, type ParserName } from './parsers';
import { parseLatexDocument } from '../../server/src/syntax/citations/latex';
import { parseMarkdownDocument } from '../../server/src/syntax/citations/markdown';

/** Pieces of every syntax under test, so random strings reach deep into the parsers instead of bouncing off. */
const TOKENS = [
  '@', '@article', '@string', '@comment', '@preamble', '{', '}', '(', ')', '"', ',', '=', '#', '%', '\\', '\n', '\r', '\r\n', ' ', '\t',
  'key', 'title', 'author', '[', ']', ';', '-', ':', '`', '$', '*', '&a', '*a', '<<: ', '!!binary ', '|', '>', "'", '?',
  '\\cite', '\\citep', '\\parencite*', '\\textcite', '\\nocite{*}', '{a,b}', '\\bibitem', '\\begin{thebibliography}{9}',
  '\\addbibresource', '\\bibliography{refs}', '\\input{x}', '\\verb|', '\\begin{verbatim}', '\\end{verbatim}', '% !TEX root = x.tex',
  '@a', '@{a b}', '[@a]', '[-@a, p. 3]', '@fig-1', '---', '...', '```', '~~~', '<!--', '-->', '    ', '> ',
  'references:', 'bibliography:', 'nocite: |', '- id: ', 'id: ', '"id": ', 'type: book', '{"id": "a"}', 'null', 'true', '1e9999',
  '#cite(', '<a>', 'label("', '#bibliography(', '#include "', '#let ', '//', '/*', '*/', '#{', '$',
  '{cite:p}`', '{cite}`', '`a, b`', ':::{note}', '```{code-cell}', '(target)=', '{footcite:t}',
  '{"cells": [', '{"cell_type": "markdown", "source": ["', '"]}', '"\\n"', '\\"', '\\u00e9', '"raw"',
  'harry:', '  type: book', '  author: Doe, J', '  parent:', '    type: periodical',
  '\u0000', '\u00e9', '\u{1F600}', '\uD800', '\uDC00', '\uFEFF', '\u2028', '\u00a0',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 300 }).map((parts) => parts.join(''));
const anyText = fc.oneof(tokenSoup, fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }));

for (const name of PARSER_NAMES) {
  test(`${name}: random text never throws, stays linear in time and keeps every range inside the text`, () => {
    fc.assert(fc.property(anyText, (text) => void parseChecked(name, text)), { numRuns: FUZZ_RUNS * 4 });
  });
}

// ---------------------------------------------------------------------------------------------
// Mutations of the real fixtures

type Mutation =
  | { kind: 'delete-char' | 'duplicate-char' | 'delete-line' | 'duplicate-line'; at: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete-char' as const, 'duplicate-char' as const, 'delete-line' as const, 'duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...TOKENS) }),
);

function lineAround(text: string, at: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  return { start, end: newline < 0 ? text.length : newline + 1 };
}

/** Applies one mutation at `at` (taken modulo the span [from, to) so it lands where the caller wants). */
function mutate(text: string, m: Mutation, from = 0, to = text.length): string {
  if (to <= from) return text;
  const at = from + (m.at % (to - from));
  switch (m.kind) {
    case 'delete-char':
      return text.slice(0, at) + text.slice(at + 1);
    case 'duplicate-char':
      return text.slice(0, at + 1) + text.slice(at);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete-line': {
      const line = lineAround(text, at);
      return text.slice(0, line.start) + text.slice(line.end);
    }
    case 'duplicate-line': {
      const line = lineAround(text, at);
      return text.slice(0, line.end) + text.slice(line.start, line.end) + text.slice(line.end);
    }
  }
}

const FIXTURE_PARSERS: [string, ParserName][] = [
  ['geography.bib', 'bibtex'], ['ethics.bib', 'bibtex'],
  ['geography.json', 'csl-json'], ['ethics.json', 'csl-json'],
  ['geography.yaml', 'csl-yaml'], ['ethics.yaml', 'csl-yaml'],
];

for (const [name, parser] of FIXTURE_PARSERS) {
  const original = fixture(name);
  test(`${name} with random characters and lines deleted, inserted or duplicated still parses safely`, () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
        const text = mutations.reduce((t, m) => mutate(t, m), original);
        parseChecked(parser, text);
      }),
      // The yaml package needs ~30 ms per fixture, so YAML gets fewer runs than the hand-written readers.
      { numRuns: parser === 'csl-yaml' ? Math.ceil(FUZZ_RUNS / 5) : FUZZ_RUNS },
    );
  });
}

for (const name of ['geography.bib', 'ethics.bib']) {
  const original = fixture(name);
  const entries = scanBibtex(original).entries;
  test(`${name} with one entry broken still yields the key of every intact entry`, () => {
    assert.ok(entries.length > 50);
    fc.assert(
      fc.property(fc.nat(entries.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (index, mutations) => {
        const broken = entries[index];
        let text = original;
        let end = broken.range.end;
        for (const m of mutations) {
          // Mutate strictly inside the entry (never its last character), so the damage stays in that entry.
          const next = mutate(text, m.kind.endsWith('line') ? { ...m, kind: m.kind === 'delete-line' ? 'delete-char' : 'duplicate-char' } : m, broken.range.start + 1, end - 1);
          end += next.length - text.length;
          text = next;
        }
        const found = new Set(scanBibtex(text).entries.map((e) => e.key));
        const lost = entries.filter((e, i) => i !== index && !found.has(e.key)).map((e) => e.key);
        assert.deepEqual(lost, [], `breaking ${broken.key} with ${JSON.stringify(mutations)} lost intact entries`);
      }),
      { numRuns: FUZZ_RUNS * 2 },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Huge key lists: a random pattern of key slots repeated to 100,000 in one citation

/** What can stand between the separators of a key list: keys, spaces, comments, braces, locators, stray brackets. */
const KEY_SLOTS = ['k', 'key:1', '{a}', ' k ', '', 'k%c\n', '\\o', 'a b', '@k', '-@k', '@{k}', 'k, p. 3', '[x]', '{', '}', ']', '\n'];

const hugeCitation = fc.record({
  syntax: fc.constantFrom('latex' as const, 'markdown' as const),
  pattern: fc.array(fc.constantFrom(...KEY_SLOTS), { minLength: 1, maxLength: 4 }),
  closed: fc.boolean(),
});

function hugeCitationText({ syntax, pattern, closed }: { syntax: ParserName; pattern: string[]; closed: boolean }, slots: number): string {
  const items = Array.from({ length: slots }, (_, i) => pattern[i % pattern.length]);
  return syntax === 'latex'
    ? `\\cite{${items.join(',')}${closed ? '}' : ''}`
    : `[${items.map((item) => `@${item}`).join('; ')}${closed ? ']' : ''}`;
}

function fastestParseMs(name: ParserName, text: string): number {
  let best = Infinity;
  for (let round = 0; round < 2; round++) {
    const started = performance.now();
    PARSERS[name](text);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

test('a random pattern of key slots repeated 100,000 times in one citation parses safely, in time proportional to its length', () => {
  fc.assert(
    fc.property(hugeCitation, (citation) => {
      const large = hugeCitationText(citation, 100_000);
      const ranges = PARSERS[citation.syntax](large);
      assert.ok(ranges.every((r) => r.start >= 0 && r.start <= r.end && r.end <= large.length));
      const syntax = citation.syntax === 'latex' ? parseLatexDocument(large, { extraCiteCommands: [] }) : parseMarkdownDocument(large, { crossrefPrefixes: [] });
      assert.ok(!syntax.problems.some((p) => p.message.startsWith('Could not read')), syntax.problems[0]?.message);
      const smallMs = fastestParseMs(citation.syntax, hugeCitationText(citation, 12_500));
      const largeMs = fastestParseMs(citation.syntax, large);
      // Eight times the slots: linear work takes about eight times as long, quadratic sixty-four.
      assert.ok(largeMs <= smallMs * 20 + 100, `${JSON.stringify(citation)}: ${smallMs.toFixed(1)} ms for 12,500 slots, ${largeMs.toFixed(1)} ms for 100,000`);
    }),
    { numRuns: Math.max(3, Math.ceil(FUZZ_RUNS / 30)) },
  );
});
