// Hand-made hostile inputs for every parser: long runs of syntax characters (catastrophic backtracking), braces
// 100,000 deep (stack overflow), a 10-million-character line, YAML nesting and alias bombs, and huge item and key counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARSER_NAMES, parseChecked, PARSERS, YAML_PARSERS, type ParserName } from './parsers';
import { parseCslYaml } from '../../server/src/syntax/csl/yaml';
import { parseCslJson } from '../../server/src/syntax/csl/json';
import { parseMarkdownDocument } from '../../server/src/syntax/citations/markdown';
import { parseProjectMetadata } from '../../server/src/syntax/projectMetadata';
import { excessiveYamlNesting, MAX_YAML_NESTING } from '../../server/src/syntax/yamlNesting';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';
import { DEFAULT_CROSSREF_PREFIXES } from '../../server/src/config/settings';
import { parseLatexDocument } from '../../server/src/syntax/citations/latex';
import { hugeDocuments } from './hugeLists';

/** Units repeated into long runs: each is a prefix some regular expression or loop might try to extend. */
const RUNS = ['@', '{', '\\', '[', ' ', '@a{', '\\cite{', '[@', '[-@', '@{', '`', '$', '"', '- ', '{"a":', '\\begin{', '<!--', '%', '\r', '\n\n', '\\\\{'];

function timed(name: ParserName, text: string): number {
  const started = performance.now();
  PARSERS[name](text);
  return performance.now() - started;
}

for (const name of PARSER_NAMES) {
  test(`${name}: 200,000-character runs of syntax characters parse in linear time`, () => {
    for (const unit of RUNS) {
      const small = unit.repeat(Math.ceil(50_000 / unit.length));
      const large = unit.repeat(Math.ceil(200_000 / unit.length));
      timed(name, small); // warm up the JIT so the comparison measures the algorithm
      parseChecked(name, large);
      // Linear: four times the input costs about four times the time. Quadratic would be sixteen, every time; a
      // busy machine can stretch one measurement, so a ratio that looks too high is measured once more.
      const measure = () => {
        const smallMs = Math.min(timed(name, small), timed(name, small), timed(name, small));
        const largeMs = Math.min(timed(name, large), timed(name, large), timed(name, large));
        return { smallMs, largeMs, linear: largeMs <= smallMs * 10 + 60 };
      };
      let result = measure();
      if (!result.linear) result = measure();
      assert.ok(result.linear, `${name} on ${JSON.stringify(unit)}: ${result.smallMs.toFixed(1)} ms for 50k, ${result.largeMs.toFixed(1)} ms for 200k`);
    }
  });

  test(`${name}: brackets nested 100,000 deep cause no stack overflow`, () => {
    for (const [open, close] of [['{', '}'], ['[', ']'], ['(', ')']]) {
      parseChecked(name, open.repeat(100_000) + close.repeat(100_000));
      parseChecked(name, open.repeat(100_000));
    }
    parseChecked(name, '@article{key, title = ' + '{'.repeat(100_000) + 'x' + '}'.repeat(100_000) + '}\n');
    parseChecked(name, '\\cite{' + '{'.repeat(100_000) + 'a' + '}'.repeat(100_000) + '}');
  });

  test(`${name}: a 10-million-character single line is read without running out of memory or time`, () => {
    const line = 'lorem ipsum [@doe2020; @roe2021, p. 3] \\cite{a,b} {"id": "x", "title": "t"} @misc{k, title = {y}} '.repeat(100_000).slice(0, 10_000_000);
    if (name === 'csl-json') {
      // Minified CSL-JSON is one line: 10 MB of items (prose would be rejected at its first character).
      const items = JSON.stringify(Array.from({ length: 90_000 }, (_, i) => ({ id: `key${i}`, type: 'article-journal', title: `A title with [@x] and \\cite{y} number ${i}`, author: [{ family: 'Doe', given: 'J.' }] })));
      assert.ok(items.length > 10_000_000);
      assert.equal(parseChecked(name, items.slice(0, 10_000_000)).length > 100_000, true);
    } else if (YAML_PARSERS.has(name)) {
      // The yaml package reads about 1 MB a second: keep CI short, the bound is the same per character.
      parseChecked(name, line.slice(0, 2_000_000));
    } else {
      parseChecked(name, line);
    }
  });
}

test('NUL bytes, CR-only line ends and lone surrogates are ordinary text to every parser', () => {
  const bib = '@article{a,\r  title = {x\u0000y},\r}\r@book{b,\r  title = {\uD800}\r}\r';
  for (const name of PARSER_NAMES) parseChecked(name, bib);
  assert.deepEqual(scanBibtex(bib).entries.map((e) => e.key), ['a', 'b']);
  const md = 'See [@a]\rand @b\r\u0000[@c]';
  assert.deepEqual(parseMarkdownDocument(md, { crossrefPrefixes: DEFAULT_CROSSREF_PREFIXES }).citations.map((c) => c.key), ['a', 'b', 'c']);
});

// ---------------------------------------------------------------------------------------------
// YAML

test('deeply nested YAML is refused before the yaml package sees it (1,000 levels abort V8 outright)', () => {
  const bombs = ['['.repeat(5_000) + ']'.repeat(5_000), '{'.repeat(5_000), '- '.repeat(5_000) + 'x', 'references:\n' + '  - '.repeat(3_000) + 'id: a'];
  for (const bomb of bombs) {
    for (let round = 0; round < 3; round++) {
      const result = parseCslYaml(bomb);
      assert.equal(result.items.length, 0);
      assert.match(result.problems[0].message, /nests more than 128 levels/);
    }
    assert.match(parseProjectMetadata(bomb).problems[0].message, /nests more than/);
    const md = parseMarkdownDocument(`---\nreferences:\n${bomb}\n---\n\n[@a]`, { crossrefPrefixes: [] });
    assert.ok(md.problems.some((p) => /nests more than/.test(p.message)), JSON.stringify(md.problems));
    assert.deepEqual(md.citations.map((c) => c.key), ['a']);
  }
});

test('the nesting guard lets real CSL-YAML through and stops just above its limit', () => {
  const real = 'references:\n- id: a\n  author:\n  - family: Doe\n    given: [J, {literal: "x"}]\n  issued: {date-parts: [[2020, 1]]}\n';
  assert.equal(excessiveYamlNesting(real), undefined);
  assert.equal(parseCslYaml(real).items.length, 1);
  assert.equal(excessiveYamlNesting('['.repeat(MAX_YAML_NESTING - 2)), undefined);
  assert.notEqual(excessiveYamlNesting('['.repeat(MAX_YAML_NESTING + 1)), undefined);
});

test('a billion-laughs alias bomb costs its item, not the process', () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
  const bomb = `references:\n- id: bomb\n  note:\n    ${levels.join('\n    ')}\n- id: fine\n  title: Fine\n`;
  const started = performance.now();
  const result = parseCslYaml(bomb);
  assert.ok(performance.now() - started < 2_000);
  assert.deepEqual(result.items.map((i) => i.key), ['fine']);
  assert.match(result.problems[0].message, /could not be read/);
  const inFrontMatter = parseMarkdownDocument(`---\n${bomb}---\n\n[@fine]`, { crossrefPrefixes: [] });
  assert.deepEqual(inFrontMatter.inlineReferences?.items.map((i) => i.key), ['fine']);
});

test('100,000 CSL items in JSON and 20,000 in YAML are read in seconds', () => {
  const json = JSON.stringify(Array.from({ length: 100_000 }, (_, i) => ({ id: `k${i}`, type: 'book', title: `Title ${i}` })));
  assert.equal(parseChecked('csl-json', json).length >= 200_000, true);
  assert.equal(parseCslJson(json).items.length, 100_000);
  const yaml = 'references:\n' + Array.from({ length: 20_000 }, (_, i) => `- id: k${i}\n  type: book\n  title: Title ${i}\n`).join('');
  parseChecked('csl-yaml', yaml);
  assert.equal(parseCslYaml(yaml).items.length, 20_000);
});

// ---------------------------------------------------------------------------------------------
// Huge key lists: one citation of 300,000 keys, `\cites` with 100,000 groups, 100,000 list markers on one line

test('one citation of 300,000 keys (LaTeX and Markdown, closed or not) and \\cites with 100,000 groups yield every key', () => {
  for (const doc of hugeDocuments()) {
    const parser = doc.name.endsWith('.md') ? 'markdown' : 'latex';
    const started = performance.now();
    const syntax = parser === 'markdown'
      ? parseMarkdownDocument(doc.text, { crossrefPrefixes: DEFAULT_CROSSREF_PREFIXES })
      : parseLatexDocument(doc.text, { extraCiteCommands: [] });
    const elapsed = performance.now() - started;
    // Generous for a loaded machine; quadratic work on 300,000 keys would take minutes.
    assert.ok(elapsed < 30_000, `${doc.description}: ${elapsed.toFixed(0)} ms`);
    assert.deepEqual(syntax.problems.map((p) => p.message), doc.unclosed ? ['\\cite has an argument that is never closed: add the missing `}`.'] : [], doc.description);
    assert.equal(syntax.citations.length, doc.citations, doc.description);
    const last = syntax.citations[syntax.citations.length - 1];
    assert.equal(last.key, `k${doc.citations - 1}`);
    assert.equal(doc.text.slice(last.range.start, last.range.end), last.key);
    assert.ok(syntax.citations.every((c, i) => c.key === `k${i}`), `${doc.description}: keys out of order`);
  }
});

test('100,000 list markers or note labels on one line are read as nested blocks, not by recursion', () => {
  for (const unit of ['- ', '* ', '1. ', '[^1]: ', '- [^x]: ', ':   ']) {
    const syntax = parseMarkdownDocument(unit.repeat(100_000) + 'x [@a] - -', { crossrefPrefixes: [] });
    assert.deepEqual(syntax.problems, [], JSON.stringify(unit));
    assert.deepEqual(syntax.citations.map((c) => c.key), ['a'], JSON.stringify(unit));
  }
  // In proportion: `- - - … x` once tested the thematic-break pattern on the rest of the line at every marker.
  timed('markdown', '- '.repeat(50_000) + 'x'); // warm up the JIT
  const small = Math.min(timed('markdown', '- '.repeat(50_000) + 'x'), timed('markdown', '- '.repeat(50_000) + 'x'));
  const large = Math.min(timed('markdown', '- '.repeat(200_000) + 'x'), timed('markdown', '- '.repeat(200_000) + 'x'));
  assert.ok(large <= small * 10 + 60, `${small.toFixed(1)} ms for 50,000 markers, ${large.toFixed(1)} ms for 200,000`);
});
