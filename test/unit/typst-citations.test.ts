// Unit tests of the Typst citation parser: references and cite calls as Typst 0.14 reads them, what is not markup,
// labels, bibliography calls, includes, ranges and speed on hostile input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTypstDocument } from '../../server/src/syntax/citations/typst';
import { timeBoundMs } from '../robustness/parsers';

const parse = (text: string) => parseTypstDocument(text);
/** Keys of the citations in reading order. */
const cited = (text: string) => parse(text).citations.map((c) => c.key);
/** The text a range covers. */
const covered = (text: string, range: { start: number; end: number } | undefined) => range && text.slice(range.start, range.end);

test('a reference @key is a citation flagged as a possible cross-reference, its range without the @', () => {
  const text = 'As @knuth1984 shows.';
  const [citation] = parse(text).citations;
  assert.equal(citation.key, 'knuth1984');
  assert.equal(covered(text, citation.range), 'knuth1984');
  assert.equal(citation.reference, true);
  assert.equal(citation.citation, undefined);
});

test('a trailing dot or colon ends a reference, inner ones belong to the key', () => {
  assert.deepEqual(cited('End @a. Then @b: and @c.d:e, @f..: @g-h_i'), ['a', 'b', 'c.d:e', 'f', 'g-h_i']);
});

test('a supplement in brackets joins the citation range and may nest brackets and other references', () => {
  const text = 'See @a[p. [7] of @b] now';
  const [a, b] = parse(text).citations;
  assert.equal(covered(text, a.range), 'a');
  assert.equal(covered(text, a.citation), '@a[p. [7] of @b]');
  assert.equal(b.key, 'b');
  assert.equal(b.reference, true);
});

test('a supplement only counts written directly after the key', () => {
  const text = '@a [p. 1]';
  assert.equal(parse(text).citations[0].citation, undefined);
});

test('#cite with a label, label("…"), form and supplement gives the key and the whole call as citation', () => {
  const text = '#cite(<a>) #cite(label("odd key!")) #cite(<c>, form: "prose", supplement: [p. [2]])';
  const citations = parse(text).citations;
  assert.deepEqual(citations.map((c) => c.key), ['a', 'odd key!', 'c']);
  assert.deepEqual(citations.map((c) => covered(text, c.range)), ['a', 'odd key!', 'c']);
  assert.deepEqual(citations.map((c) => covered(text, c.citation)), [
    '#cite(<a>)', '#cite(label("odd key!"))', '#cite(<c>, form: "prose", supplement: [p. [2]])',
  ]);
  assert.ok(citations.every((c) => c.reference === undefined));
});

test('named arguments before the key, std.cite and cite inside code blocks and let bindings count', () => {
  assert.deepEqual(cited('#cite(form: "year", <a>) #std.cite(<b>) #{ let x = 1; cite(<c>) } #let d = cite(<d>)\n'), ['a', 'b', 'c', 'd']);
});

test('#ref(<key>) is a reference, written in code', () => {
  const [ref] = parse('#ref(<a>)').citations;
  assert.deepEqual([ref.key, ref.reference], ['a', true]);
});

test('a method that happens to be called cite is no citation', () => {
  assert.deepEqual(cited('#x.cite(<a>) #mod.ref(<b>)'), []);
});

test('nothing in raw text, comments, strings or math is a citation', () => {
  const text = [
    '`@a` ``` @b ``` `` @c',
    '// @d #cite(<d2>)',
    '/* @e /* nested @f */ still comment @g */',
    '#let s = "@h #cite(<i>)"',
    '$ @j x^2 $',
    '```typ',
    '#cite(<k>)',
    '```',
    'but @yes',
  ].join('\n');
  assert.deepEqual(cited(text), ['c', 'yes']);
});

test('cite calls embedded in math still cite, as Typst evaluates them', () => {
  assert.deepEqual(cited('$ x #cite(<a>) $'), ['a']);
});

test('an escaped @ is text, and so is an @ not followed by a name character', () => {
  assert.deepEqual(cited('\\@a @ b @.c @:d mail\\@x.org'), []);
});

test('an e-mail address in text is a reference to its domain, as Typst lexes it', () => {
  assert.deepEqual(cited('write to me@example.com.'), ['example.com']);
});

test('a link keeps its @ and a following comment starts after the link', () => {
  assert.deepEqual(cited('https://x.org/@user and http://a.b/(c@d) @e'), ['e']);
});

test('labels defined in markup are listed, label values in code are not', () => {
  const syntax = parse('= Intro <intro>\n$ x $ <eq:1>\n#figure([x]) <fig>\nSee @fig and @intro. #ref(<other>) #let l = <code>\n');
  assert.deepEqual(syntax.labels, ['intro', 'eq:1', 'fig']);
  assert.deepEqual(syntax.citations.map((c) => [c.key, c.reference]), [['fig', true], ['intro', true], ['other', true]]);
});

test('text after an embedded expression is markup again', () => {
  assert.deepEqual(cited('#emph[x] @a #h(1em)@b #foo.bar @c #if true [@d] else [@e] @f\n#for x in (1, 2) { [@g] }'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
});

test('a statement runs to the end of its line: references after it on the next line are markup', () => {
  assert.deepEqual(cited('#set text(lang: "de")\n@a\n#show: rest => {\n  rest\n}\n@b'), ['a', 'b']);
});

test('bibliography() gives its paths with ranges, from markup or as an argument', () => {
  const text = '#bibliography("refs.bib", style: "apa")\n#show: t.with(bibliography: bibliography(("a.bib", "b.yml")))\n#set bibliography(style: "ieee")';
  const declarations = parse(text).bibliographies;
  assert.deepEqual(declarations.map((d) => d.path), ['refs.bib', 'a.bib', 'b.yml']);
  assert.deepEqual(declarations.map((d) => covered(text, d.range)), ['refs.bib', 'a.bib', 'b.yml']);
});

test('#include gives a path relative to the including file', () => {
  const text = '#include "chapters/one.typ"\n#{ include "two.typ" }\n#import "lib.typ": x';
  const includes = parse(text).includes;
  assert.deepEqual(includes.map((i) => [i.path, covered(text, i.range), i.via]), [
    ['chapters/one.typ', 'chapters/one.typ', 'relative'],
    ['two.typ', 'two.typ', 'relative'],
  ]);
});

test('keys may hold any identifier character of any script, and astral characters keep ranges in UTF-16', () => {
  const text = '𝒜 @müller2020 @东京 @𝒳y @a\u00a0b';
  const citations = parse(text).citations;
  assert.deepEqual(citations.map((c) => covered(text, c.range)), ['müller2020', '东京', '𝒳y', 'a']);
});

test('unclosed constructs end at the end of the text without losing earlier citations', () => {
  for (const text of ['@a #cite(<b>', '@a #cite(<b>, supplement: [x', '@a `raw', '@a /* comment', '@a $ math', '@a @b[supp']) {
    const citations = parse(text).citations;
    assert.equal(citations[0].key, 'a', text);
    for (const citation of citations) {
      if (citation.citation) assert.ok(citation.citation.end <= text.length && citation.citation.end > citation.range.end, text);
    }
  }
});

test('a megabyte of @, #cite( and brackets parses in linear time', () => {
  for (const unit of ['@', '#cite(', '@a[', '#{[', '<a', '`', '/*', '@a.', '#cite(label("']) {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const started = performance.now();
    const syntax = parse(text);
    const elapsed = performance.now() - started;
    assert.equal(syntax.problems.length, 0, unit);
    assert.ok(elapsed < timeBoundMs('latex', text.length), `${unit}: ${elapsed.toFixed(0)} ms`);
  }
});
