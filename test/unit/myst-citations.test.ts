// Unit tests of the MyST citation parser: citation roles and their key ranges, what is code, directives, comments,
// targets, the Pandoc-style citations mystmd also reads, and speed on hostile input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMystDocument } from '../../server/src/syntax/citations/myst';
import { MYST_CITE_ROLES } from '../../server/src/syntax/citations/mystRoles';
import { timeBoundMs } from '../robustness/parsers';

const parse = (text: string) => parseMystDocument(text, { crossrefPrefixes: [] });
const cited = (text: string) => parse(text).citations.filter((c) => c.kind === 'citation').map((c) => c.key);
const covered = (text: string, ranges: { start: number; end: number }[]) => ranges.map((r) => text.slice(r.start, r.end));

test('keys of a role are separated by commas or semicolons, with or without spaces', () => {
  assert.deepEqual(cited('{cite:p}`a, b;c` and {cite}`d ; e`'), ['a', 'b', 'c', 'd', 'e']);
});

test('each key range covers the key exactly and its citation covers the whole role', () => {
  const text = 'See {cite:p}`a, b;c`.';
  const citations = parse(text).citations;
  assert.deepEqual(covered(text, citations.map((c) => c.range)), ['a', 'b', 'c']);
  assert.deepEqual(covered(text, citations.map((c) => c.citation!)), ['{cite:p}`a, b;c`', '{cite:p}`a, b;c`', '{cite:p}`a, b;c`']);
});

test('every sphinxcontrib-bibtex and mystmd citation role name cites', () => {
  const names = ['cite', 'cite:p', 'cite:ps', 'cite:t', 'cite:ts', 'cite:ct', 'cite:cts', 'cite:alp', 'cite:alps',
    'cite:author', 'cite:authors', 'cite:authorpar', 'cite:authorpars', 'cite:cauthor', 'cite:cauthors', 'cite:year',
    'cite:yearpar', 'cite:label', 'cite:labelpar', 'cite:empty', 'footcite', 'footcite:p', 'footcite:t', 'footcite:ps',
    'footcite:ts', 'footcite:ct', 'footcite:cts'];
  for (const name of names) {
    assert.ok(MYST_CITE_ROLES.has(name), name);
    assert.deepEqual(cited(`x {${name}}\`k\` y`), ['k'], name);
  }
});

test('other roles and unknown names cite nothing and hide their body', () => {
  assert.deepEqual(cited('{ref}`@a` {math}`x@b` {citep}`c` {sub}`2`'), []);
});

test('roles at the start and end of lines and next to punctuation are found', () => {
  assert.deepEqual(cited('{cite}`a`\nmore ({cite:t}`b`), x{cite}`c`; "{cite}`d`".\nend {cite}`e`'), ['a', 'b', 'c', 'd', 'e']);
});

test('a role body may be written with double backticks and may span lines of a paragraph', () => {
  const text = '{cite}``a`` and {cite:p}`\nb,\nc`';
  assert.deepEqual(cited(text), ['a', 'b', 'c']);
  assert.deepEqual(covered(text, parse(text).citations.map((c) => c.range)), ['a', 'b', 'c']);
});

test('keys may hold colons, dashes, dots, slashes and pluses', () => {
  assert.deepEqual(cited('{cite}`doe:2020-x.y/z+w, a_b`'), ['doe:2020-x.y/z+w', 'a_b']);
});

test('a role with {prefix} and {suffix} gives the key between them', () => {
  const text = '{cite:p}`{see}doe2020{p. 5}; {cf.} roe`';
  assert.deepEqual(covered(text, parse(text).citations.map((c) => c.range)), ['doe2020', 'roe']);
});

test('empty pieces of a role are empty citations, not keys', () => {
  const text = '{cite}`a,,b,`';
  const syntax = parse(text);
  assert.deepEqual(syntax.citations.map((c) => c.key), ['a', 'b']);
  assert.deepEqual(covered(text, syntax.emptyCitations), [',,', ',']);
});

test('Pandoc-style citations are read beside roles', () => {
  const text = '[@a; @b] and {cite}`c` and @d.';
  assert.deepEqual(cited(text), ['a', 'b', 'c', 'd']);
  const citations = parse(text).citations;
  assert.equal(text.slice(citations[0].citation!.start, citations[0].citation!.end), '[@a; @b]');
  assert.equal(citations[3].citation, undefined);
});

test('a role inside a Markdown code span is code, as is an escaped role', () => {
  assert.deepEqual(cited('`` {cite}`a` `` and \\{cite}`b` and ` {cite}` c'), []);
});

test('an escaped backtick does not open a code span before a role', () => {
  assert.deepEqual(cited('\\`{cite}`a`'), ['a']);
});

test('roles in backtick and tilde code fences and indented code are code', () => {
  const text = '```\n{cite}`a`\n```\n\n~~~\n[@b]\n~~~\n\n````python\n{cite}`c`\n````\n\n    {cite}`d`\n\n{cite}`e`';
  assert.deepEqual(cited(text), ['e']);
});

test('a role in a code-cell directive is code, in a note directive it cites', () => {
  const text = '```{code-cell} python\n{cite}`a`\n```\n\n```{note}\n:class: tip\n{cite}`b` and [@c]\n```\n';
  assert.deepEqual(cited(text), ['b', 'c']);
});

test('colon-fence directives with Markdown bodies cite, code-like ones do not', () => {
  assert.deepEqual(cited(':::{tip}\n{cite}`a`\n:::\n\n:::{code}\n{cite}`b`\n:::\n\n::::{card}\n:::{dropdown}\n{cite}`c`\n:::\n::::\n'), ['a', 'c']);
});

test('nested directives: a code cell inside an admonition stays code, text after it cites', () => {
  assert.deepEqual(cited('````{admonition} Title\n```{code-cell}\n{cite}`a`\n```\nafter {cite}`b`\n````\n'), ['b']);
});

test('comment lines are not read', () => {
  assert.deepEqual(cited('% {cite}`a`\ntext {cite}`b`\n% [@c]\n'), ['b']);
});

test('@label for a target of the page is a cross-reference, not a citation', () => {
  assert.deepEqual(cited('(sec-one)=\n## One\n\n:::{figure} x.png\n:label: fig-A\n:::\n\n[@sec-one] @Fig-a @b'), ['b']);
});

test('no citation in a link text or a bare URL', () => {
  assert.deepEqual(cited('[see @a](https://x.org) https://x.org/@b www.x.org/@c x.org/@d [@e]'), ['e']);
});

test('front matter bibliography is read; YAML further down is not metadata', () => {
  const syntax = parse('---\nbibliography:\n  - refs.bib\n  - more.bib\n---\ntext\n\n---\nbibliography: no.bib\n---\n');
  assert.deepEqual(syntax.bibliographies.map((b) => b.path), ['refs.bib', 'more.bib']);
});

test('a 1 MB hostile input is read without throwing, in linear time', () => {
  const pieces = ['{cite}`', '{', '`', '{cite:p}``a`', '```{note}\n', ':::{tip}\n', '[@a; ', '% ', 'https://x.org/@a ', '\\', '{x}', '\n'];
  let text = '';
  for (let i = 0; text.length < 1_000_000; i++) text += pieces[(i * 7 + (i >> 3)) % pieces.length];
  const roles = '{cite}`a`'.repeat(100_000);
  for (const input of [text, roles, '{'.repeat(1_000_000), '{cite}'.repeat(200_000) + '`', '`'.repeat(500_000) + '{c}`a']) {
    const started = performance.now();
    const syntax = parse(input);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < timeBoundMs('markdown', input.length), `${elapsed.toFixed(0)} ms for ${input.length} characters`);
    for (const c of syntax.citations) assert.ok(c.range.start >= 0 && c.range.end <= input.length);
  }
  assert.equal(parse(roles).citations.length, 100_000);
});
