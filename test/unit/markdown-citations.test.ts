// Unit tests of the Pandoc Markdown citation parser: key rules, what is not text, front matter, ranges, speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarkdownDocument } from '../../server/src/syntax/citations/markdown';

const CROSSREFS = ['fig-', 'tbl-', 'sec-', 'eq-', 'lst-', 'thm-', 'fig:', 'sec:', 'tbl:', 'eq:'];
const parse = (text: string) => parseMarkdownDocument(text, { crossrefPrefixes: CROSSREFS });
/** Keys of the citations (not nocite) in reading order. */
const cited = (text: string) => parse(text).citations.filter((c) => c.kind === 'citation').map((c) => c.key);
/** The text each range covers. */
const covered = (text: string, ranges: { start: number; end: number }[]) => ranges.map((r) => text.slice(r.start, r.end));

test('bracketed, multiple, prefixed and suffixed citations are all found', () => {
  assert.deepEqual(cited('[@a] and [@b; @c] and [see @d, p. 33; also @e, ch. 1]'), ['a', 'b', 'c', 'd', 'e']);
});

test('the keys of one bracketed citation share its range; bare keys and unclosed brackets have none', () => {
  const text = '[see @a, p. 3; @b] and @c [p. 1], [@d; @e';
  assert.deepEqual(parse(text).citations.map((c) => [c.key, c.citation && text.slice(c.citation.start, c.citation.end)]), [
    ['a', '[see @a, p. 3; @b]'],
    ['b', '[see @a, p. 3; @b]'],
    ['c', undefined],
    ['d', undefined],
    ['e', undefined],
  ]);
});

test('in-text citations, locators and suppressed authors are found', () => {
  assert.deepEqual(cited('@a says, @b [p. 33] adds, [-@c] and @d [p. 1; @e].'), ['a', 'b', 'c', 'd', 'e']);
});

test('a citation range covers the key only, without @, - or braces', () => {
  const text = 'See [-@doe2020, p. 3] and @{https://x.org/a}.';
  assert.deepEqual(covered(text, parse(text).citations.map((c) => c.range)), ['doe2020', 'https://x.org/a']);
});

test('trailing punctuation is not part of a key, internal punctuation is', () => {
  assert.deepEqual(cited('x @doe2020. @doe:2020: @a.b-c+d?e @a--b @a::b @http://x.org/y @x/.'), [
    'doe2020',
    'doe:2020',
    'a.b-c+d?e',
    'a',
    'a',
    'http://x.org/y',
    'x',
  ]);
});

test('keys start with a letter, digit or underscore and may be Unicode', () => {
  assert.deepEqual(cited('@_x @1999a @müller @日本語 @-no @.no'), ['_x', '1999a', 'müller', '日本語']);
});

test('braced keys must be balanced and contain no spaces', () => {
  assert.deepEqual(cited('@{a{b}c} @{weird key} @{x}y @{open'), ['a{b}c', 'x']);
});

test('an @ right after a word or a single dot is not a citation', () => {
  assert.deepEqual(cited('me@example.org é@x 1@y x.@z ...@ok _@ok2 (@ok3)'), ['ok', 'ok2', 'ok3']);
});

test('a citation right after another one is still a citation', () => {
  assert.deepEqual(cited('@a@b'), ['a', 'b']);
});

test('code spans of any length hide citations, unmatched backticks do not', () => {
  assert.deepEqual(cited('`@a` ``x ` @b`` ```` @c ```` ` @yes'), ['yes']);
  assert.deepEqual(cited('````\n@a\n```'), []); // one literal backtick, then a three-backtick span
});

test('fenced code blocks hide citations whatever their fence or info string', () => {
  const text = ['```', '@a', '```', '', '~~~ {.py}', '@b', '~~~', '', '```{r setup, echo=FALSE}', '@c', '```', '@yes'];
  assert.deepEqual(cited(text.join('\n')), ['yes']);
});

test('a fence without a closing fence is ordinary text', () => {
  assert.deepEqual(cited('~~~\n@a\n\n@b'), ['a', 'b']);
});

test('a backtick fence interrupts a paragraph, a tilde fence does not', () => {
  assert.deepEqual(cited('p\n```\n@a\n```\n\nq\n~~~\n@b\n~~~'), ['b']);
});

test('indented code blocks hide citations, lazy paragraph lines do not', () => {
  assert.deepEqual(cited('p\n    @lazy\n\n    @code\n\n\t@tab'), ['lazy']);
});

test('list items need four more spaces than their content for code', () => {
  assert.deepEqual(cited('- item\n\n    @para\n\n      @code\n\n1. x\n\n       @code2'), ['para']);
});

test('inline and display math hide citations, following Pandoc dollar rules', () => {
  assert.deepEqual(cited('$@a$ $ @b$ $x$1 @c$ $$ @d $$ \\$ @e'), ['b', 'e']);
  assert.deepEqual(cited('$$\n@a\n$$ then @b'), ['b']);
});

test('HTML comments hide citations, even across blank lines', () => {
  assert.deepEqual(cited('<!-- @a --> @b <!--\n\n@c\n\n--> @d'), ['b', 'd']);
});

test('raw HTML tag attributes and pre/script/style contents are not text', () => {
  assert.deepEqual(cited('<span title="@a">@b</span> <script>@c</script>\n\n<pre>\n@d\n</pre>\n\n<div>\n@e\n</div>'), ['b', 'e']);
});

test('raw LaTeX commands with their arguments and environments are not text', () => {
  assert.deepEqual(cited('\\emph{@a} \\foo [x]{@b} \\foo{x} {@c}\n\n\\begin{figure}\n@d\n\\end{figure}\n\n@e'), ['c', 'e']);
});

test('link destinations and titles are not text, link text is', () => {
  assert.deepEqual(cited('[see @a](http://x/@b "t @c") ![@d](x/@e.png) [x](<a b/@f>)'), ['a', 'd']);
});

test('autolinks and email autolinks are not text', () => {
  assert.deepEqual(cited('<http://m.social/@a> <mailto:x@y.z> <x@y.z> <a b/@yes>'), ['yes']);
});

test('escaped @ is not a citation, an escaped backslash before @ is', () => {
  assert.deepEqual(cited('\\@a \\\\@b'), ['b']);
});

test('link reference definitions are skipped, unless the label is a citation', () => {
  assert.deepEqual(cited('[ref]: http://x/@a\n\n[@b]: http://y'), ['b']);
});

test('citations in footnotes, headings, tables and emphasis are found', () => {
  const text = '# Title @h {#sec-x}\n\nText[^1] ^[inline @i]\n\n[^1]: Note @n.\n\n| @t | `@no` |\n|---|---|\n\n*@e*';
  assert.deepEqual(cited(text), ['h', 'i', 'n', 't', 'e']);
});

test('cross-references with a configured prefix are skipped', () => {
  assert.deepEqual(cited('@fig-plot @tbl-x [@sec-intro] @eq:1 @figure [@knuth84; @fig:one]'), ['figure', 'knuth84']);
});

test('a bare @label of an example list item is the example, not a citation', () => {
  assert.deepEqual(cited('(@good) Example.\n\nAs @good shows; [@good] and @other are citations.'), ['good', 'other']);
});

test('empty citations are reported with their ranges, not as citations', () => {
  const text = 'A [@] B [-@] C [@a; @] D @{}';
  const syntax = parse(text);
  assert.deepEqual(syntax.citations.map((c) => c.key), ['a']);
  assert.deepEqual(covered(text, syntax.emptyCitations), ['[@]', '[-@]', '@', '@{}']);
});

test('a lone @ in prose is neither a citation nor an empty citation', () => {
  const syntax = parse('Meet me @ noon, or [email @ home].');
  assert.deepEqual([syntax.citations, syntax.emptyCitations], [[], []]);
});

test('front matter bibliography paths come with the exact range of each path', () => {
  const text = '---\nbibliography:\n  - refs.bib\n  - "my refs.json"\ncsl: apa.csl\n---\n\nText.';
  const syntax = parse(text);
  assert.deepEqual(syntax.bibliographies.map((b) => b.path), ['refs.bib', 'my refs.json']);
  assert.deepEqual(covered(text, syntax.bibliographies.map((b) => b.range)), ['refs.bib', 'my refs.json']);
  assert.equal(syntax.cslStyle, 'apa.csl');
});

test('a single bibliography string is read too, and `...` may close the front matter', () => {
  const text = '---\nbibliography: refs.bib\n...\n\n@a';
  const syntax = parse(text);
  assert.deepEqual(covered(text, syntax.bibliographies.map((b) => b.range)), ['refs.bib']);
  assert.deepEqual(cited(text), ['a']);
});

test('nocite keys are citations of kind nocite with exact ranges; other metadata is not text', () => {
  const text = "---\ntitle: After @nottitle\nnocite: |\n  @a, @b\n---\n\n---\nnocite: '@*'\n---\n\n@c";
  const syntax = parse(text);
  assert.deepEqual(
    syntax.citations.map((c) => [c.kind, c.key, text.slice(c.range.start, c.range.end)]),
    [
      ['nocite', 'a', 'a'],
      ['nocite', 'b', 'b'],
      ['nocite', '*', '*'],
      ['citation', 'c', 'c'],
    ],
  );
});

test('inline references in the front matter are read as CSL items', () => {
  const text = '---\nreferences:\n  - id: doe2020\n    title: A title\n---\n\n@doe2020';
  const items = parse(text).inlineReferences?.items ?? [];
  assert.deepEqual(items.map((i) => i.key), ['doe2020']);
  assert.equal(text.slice(items[0].keyRange.start, items[0].keyRange.end), 'doe2020');
});

test('malformed front matter is a problem, not an exception, and the body is still read', () => {
  const syntax = parse('---\nbibliography: [refs.bib\ntitle: x\n---\n\n@a');
  assert.ok(syntax.problems.length > 0);
  assert.deepEqual(syntax.citations.map((c) => c.key), ['a']);
});

test('a --- block that is not a mapping is ordinary text', () => {
  assert.deepEqual(cited('a\n\n---\nSome text @a\n---\n\nb'), ['a']);
});

test('a Pandoc title block is metadata, not text', () => {
  assert.deepEqual(cited('% Title @a\n% Author\n\n@b'), ['b']);
});

test('CRLF line endings give the same citations and ranges into the original text', () => {
  const text = '---\r\nbibliography: r.bib\r\n---\r\n\r\n```\r\n@no\r\n```\r\n\r\nSee @a.\r\n';
  const syntax = parse(text);
  assert.deepEqual(covered(text, syntax.citations.map((c) => c.range)), ['a']);
  assert.deepEqual(covered(text, syntax.bibliographies.map((b) => b.range)), ['r.bib']);
});

for (const [name, unit] of [
  ['@', '@'],
  ['[', '['],
  ['\\', '\\'],
  ['backtick', '`'],
  ['$', '$'],
  ['@{', '@{'],
  ['<!--', '<!--'],
  ['\\begin{x}', '\\begin{x}'],
  ['fence', '```\n\n'],
  ['---', '---\na: 1\n\n'],
  ['mixed', '[@a `$\\<'],
] as const) {
  test(`100k characters of ${name} are read in well under a second`, () => {
    const text = unit.repeat(Math.ceil(100_000 / unit.length));
    const started = performance.now();
    parse(text);
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  });
}

test('a 5,000-line document with thousands of citations is read quickly', () => {
  const lines: string[] = [];
  for (let i = 0; lines.length < 5000; i++) {
    if (i % 10 === 0) lines.push('', '```{r}', 'x <- 1 # @nope', '```', '');
    lines.push(`Text [see @doe${i}, p. ${i}; @roe${i}] with $x^2$, \`code\` and [a link](http://x.org).`);
  }
  const started = performance.now();
  const syntax = parse(lines.join('\n'));
  assert.ok(performance.now() - started < 1000);
  assert.ok(syntax.citations.length > 2000);
  assert.ok(!syntax.citations.some((c) => c.key === 'nope'));
});
