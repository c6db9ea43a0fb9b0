// Unit tests for the LaTeX citation parser: \cite families, arguments, lists, skipped regions, declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLatexDocument } from '../../server/src/syntax/citations/latex';
import type { DocumentSyntax, TextRange } from '../../server/src/syntax/types';

function parse(text: string, extraCiteCommands: string[] = []): DocumentSyntax {
  return parseLatexDocument(text, { extraCiteCommands });
}

/** The keys found, each checked against the exact text its range covers. */
function keys(text: string, extraCiteCommands: string[] = []): string[] {
  return parse(text, extraCiteCommands).citations.map((citation) => {
    assert.equal(text.slice(citation.range.start, citation.range.end).replace(/%[^\n]*\n\s*/g, ''), citation.key);
    return citation.key;
  });
}

const slice = (text: string, range: TextRange) => text.slice(range.start, range.end);

test('natbib commands and their capitalised and starred forms cite their keys', () => {
  const text = String.raw`\cite{a} \citep{b} \citet{c} \citealp{d} \citealt{e} \citeauthor{f} \citeyear{g}
    \citeyearpar{h} \Citet{i} \Citep{j} \Citealt{k} \Citealp{l} \Citeauthor{m} \citet*{n} \citep*{o}`;
  assert.deepEqual(keys(text), 'abcdefghijklmno'.split(''));
});

test('biblatex commands cite their keys', () => {
  const names = ['parencite', 'Parencite', 'textcite', 'Textcite', 'autocite', 'Autocite', 'footcite',
    'footcitetext', 'smartcite', 'supercite', 'fullcite', 'footfullcite', 'citeurl', 'citetitle', 'citedate',
    'citeyear', 'citeauthor*', 'citetitle*'];
  const text = names.map((name, i) => `\\${name}{k${i}}`).join('\n');
  assert.deepEqual(keys(text), names.map((_, i) => `k${i}`));
});

test('a command that only starts like a cite command is not one', () => {
  assert.deepEqual(keys(String.raw`\citefoo{a} \citations{b} \\cite{c} \mycite{d}`), []);
});

test('pre- and postnotes are skipped, even with nested braces and brackets inside', () => {
  assert.deepEqual(keys(String.raw`\citep[see][p.~2]{a} \cite[{[}x]{b} \parencite[see [1]][cf. {\S 3}]{c}`), ['a', 'b', 'c']);
});

test('spaces, line breaks and comments may sit between a command and its arguments', () => {
  const text = '\\citep [see]\n  [p. 2] % a note\n  {a} \\cite%\n{b} \\textcite\n{c}';
  assert.deepEqual(keys(text), ['a', 'b', 'c']);
});

test('a blank line between a command and its braces ends the command', () => {
  assert.deepEqual(keys('\\cite\n\n{a}'), []);
});

test('each key of a list gets its own trimmed range', () => {
  const text = '\\cite{a, b,\n   c ,d}';
  const found = parse(text).citations;
  assert.deepEqual(found.map((c) => slice(text, c.range)), ['a', 'b', 'c', 'd']);
  assert.deepEqual(found.map((c) => c.range.start), [6, 9, 15, 18]);
});

test('a comment inside a key list is not part of any key', () => {
  assert.deepEqual(keys('\\cite{a,% first one\n  b, % second\n c}'), ['a', 'b', 'c']);
});

test('a comment splitting a key joins its two halves, as TeX does', () => {
  const found = parse('\\cite{ab%\ncd}').citations;
  assert.deepEqual(found.map((c) => [c.key, c.range]), [['abcd', { start: 6, end: 12 }]]);
});

test('a space before a comma or the closing brace is reported, since LaTeX keeps it in the key', () => {
  const text = '\\cite{ lead,trail ,last\n} \\cite{fine,% comment\n  also}';
  const syntax = parse(text);
  assert.deepEqual(syntax.citations.map((c) => c.key), ['lead', 'trail', 'last', 'fine', 'also']);
  assert.deepEqual(syntax.problems.map((p) => slice(text, p.range)), ['trail', 'last']);
  assert.match(syntax.problems[0].message, /space after `trail`/);
});

test('keys may contain punctuation and non-ASCII letters', () => {
  assert.deepEqual(keys(String.raw`\cite{doe:2020-a.b/c+d_e, Müller2020, 李2019, DBLP:conf/x/Y20}`),
    ['doe:2020-a.b/c+d_e', 'Müller2020', '李2019', 'DBLP:conf/x/Y20']);
});

test('empty key lists and empty slots are reported with the delimiters around them', () => {
  const text = String.raw`\cite{} \cite{ } \cite{a,,b} \cite{c,}`;
  const syntax = parse(text);
  assert.deepEqual(syntax.citations.map((c) => c.key), ['a', 'b', 'c']);
  assert.deepEqual(syntax.emptyCitations.map((range) => slice(text, range)), ['{}', '{ }', ',,', ',}']);
});

test('\\nocite cites without printing, and \\nocite{*} cites everything', () => {
  const syntax = parse(String.raw`\nocite{a,b} \nocite{*} \cite{c}`);
  assert.deepEqual(syntax.citations.map((c) => [c.key, c.kind]), [['a', 'nocite'], ['b', 'nocite'], ['*', 'nocite'], ['c', 'citation']]);
});

test('multicite commands read every key group after the global notes', () => {
  const text = String.raw`\cites(pre)(post)[a][b]{k1}[see]{k2,k3}{k4} {also} text {not} \parencites[x]{p1}[y]{p2}
    \textcites{t1}{t2} \autocites{a1} \footcites(see (also))()[1]{f1} \smartcites{s1} \supercites{u1}`;
  assert.deepEqual(keys(text), ['k1', 'k2', 'k3', 'k4', 'also', 'p1', 'p2', 't1', 't2', 'a1', 'f1', 's1', 'u1']);
});

test('the keys of one cite command share its range, and each \\cites group is a key list of its own', () => {
  const text = String.raw`\citep[see]{a,b} \cites(all)()[p. 1]{c}{d,e}`;
  const shown = (range: TextRange | undefined) => range && slice(text, range);
  assert.deepEqual(parse(text).citations.map((c) => [c.key, shown(c.citation), shown(c.keyList)]), [
    ['a', String.raw`\citep[see]{a,b}`, '[see]{a,b}'],
    ['b', String.raw`\citep[see]{a,b}`, '[see]{a,b}'],
    ['c', String.raw`\cites(all)()[p. 1]{c}{d,e}`, '[p. 1]{c}'],
    ['d', String.raw`\cites(all)()[p. 1]{c}{d,e}`, '{d,e}'],
    ['e', String.raw`\cites(all)()[p. 1]{c}{d,e}`, '{d,e}'],
  ]);
});

test('volume citations skip the volume and read the keys after the pages', () => {
  assert.deepEqual(keys(String.raw`\volcite[see]{2}[45]{plato} \pvolcite{3}{aristotle}`), ['plato', 'aristotle']);
});

test('a note that is never closed is reported and its command cites nothing', () => {
  const syntax = parse('\\citep[see p. 3{a}\n\n\\cite{b}');
  assert.deepEqual(syntax.citations.map((c) => c.key), ['b']);
  assert.match(syntax.problems[0].message, /never closed.*\]/);
});

test('a citation inside a postnote is found too', () => {
  assert.deepEqual(keys(String.raw`\footcite[see also \cite{inner}]{outer}`), ['inner', 'outer']);
});

test('comments hide citations, but an escaped percent sign does not start a comment', () => {
  assert.deepEqual(keys('% \\cite{hidden}\n50\\% of \\cite{shown} %\\cite{gone}'), ['shown']);
});

test('verbatim environments and \\verb hide citations', () => {
  const text = [
    '\\begin{verbatim}\\cite{v1}\\end{verbatim}',
    '\\begin{Verbatim}[x]\n\\cite{v2}\n\\end{Verbatim}',
    '\\begin{lstlisting}\\cite{v3}\\end{lstlisting}',
    '\\begin{minted}{tex}\\cite{v4}\\end{minted}',
    '\\begin{comment}\n\\cite{v5}\n\\end{comment}',
    '\\begin{verbatim*}\\cite{v6}\\end{verbatim*}',
    '\\verb|\\cite{v7}| \\verb+\\cite{v8}+ \\verb*!\\cite{v9}!',
    '\\cite{after}',
  ].join('\n');
  assert.deepEqual(keys(text), ['after']);
});

test('a verbatim environment that never ends hides the rest of the file', () => {
  assert.deepEqual(keys('\\cite{a}\\begin{verbatim}\n\\cite{b}'), ['a']);
});

test('\\verb stops at the end of its line', () => {
  assert.deepEqual(keys('\\verb|\\cite{a}\n\\cite{b}'), ['b']);
});

test('a key list without its closing brace is read to the end of the line and reported', () => {
  const syntax = parse('See \\cite{abc, de\nand more text.\n\nNext \\cite{f}.');
  assert.deepEqual(syntax.citations.map((c) => c.key), ['abc', 'de', 'f']);
  assert.equal(syntax.problems.length, 1);
  assert.match(syntax.problems[0].message, /never closed/);
});

test('macro parameters are not keys', () => {
  assert.deepEqual(keys(String.raw`\newcommand{\mycite}[1]{\cite{#1}} \mycite{a} \cite{b}`), ['b']);
});

test('extra cite commands read the keys from their last mandatory argument', () => {
  const text = String.raw`\mycite[p. 1]{k1} \citeinside{Page 3}{k2,k3} \\mycite{no}`;
  assert.deepEqual(keys(text, ['mycite', '\\citeinside']), ['k1', 'k2', 'k3']);
});

test('\\bibitem defines an entry in the document', () => {
  const text = '\\begin{thebibliography}{9}\n\\bibitem[Doe 2020]{doe2020} J. Doe.\n\\bibitem{roe} R. Roe.';
  const syntax = parse(text);
  assert.deepEqual(syntax.bibitems.map((item) => [item.key, slice(text, item.range)]), [['doe2020', 'doe2020'], ['roe', 'roe']]);
});

test('\\bibliography names each file with an exact range and .bib as the default extension', () => {
  const text = '\\bibliography{refs, more.bib,\n  ../shared/other}';
  const syntax = parse(text);
  assert.deepEqual(syntax.bibliographies.map((b) => [b.path, slice(text, b.range), b.defaultExtension]),
    [['refs', 'refs', '.bib'], ['more.bib', 'more.bib', '.bib'], ['../shared/other', '../shared/other', '.bib']]);
});

test('\\addbibresource and friends name one file each, after their options', () => {
  const text = String.raw`\addbibresource[location=local]{ refs.bib } \addglobalbib{g.bib} \addsectionbib{s.bib}`;
  const syntax = parse(text);
  assert.deepEqual(syntax.bibliographies.map((b) => [b.path, slice(text, b.range), b.defaultExtension]),
    [['refs.bib', 'refs.bib', undefined], ['g.bib', 'g.bib', undefined], ['s.bib', 's.bib', undefined]]);
});

test('\\input, \\include, \\subfile and \\import are includes, with paths as written', () => {
  const text = String.raw`\input{chapters/one} \include{two.tex} \subfile{three} \import{parts/}{four} \subimport*{sub}{five}`;
  const syntax = parse(text);
  assert.deepEqual(syntax.includes.map((i) => [i.path, slice(text, i.range)]),
    [['chapters/one', 'chapters/one'], ['two.tex', 'two.tex'], ['three', 'three'], ['parts/four', 'four'], ['sub/five', 'five']]);
});

test('the magic root comment names the main file', () => {
  assert.equal(parse('% !TEX root = ../main.tex\n\\cite{a}').magicRoot, '../main.tex');
  assert.equal(parse('%!TeX root=main.tex\n').magicRoot, 'main.tex');
  assert.equal(parse('% just a comment\n').magicRoot, undefined);
});

test('the backend follows biblatex options, natbib and \\bibliographystyle', () => {
  assert.equal(parse('\\usepackage[style=apa, backend=biber]{biblatex}').backend, 'biber');
  assert.equal(parse('\\usepackage[backend=bibtex]{biblatex}').backend, 'bibtex');
  assert.equal(parse('\\usepackage{biblatex}').backend, 'biber');
  assert.equal(parse('\\usepackage[numbers]{natbib}').backend, 'bibtex');
  assert.equal(parse('\\usepackage{amsmath,natbib}').backend, 'bibtex');
  assert.equal(parse('\\bibliographystyle{plain}').backend, 'bibtex');
  assert.equal(parse('\\usepackage{amsmath}').backend, undefined);
});

test('offsets count UTF-16 code units, so astral characters take two', () => {
  const text = '𝒜 \\cite{k}';
  assert.deepEqual(parse(text).citations[0].range, { start: 9, end: 10 });
});

test('Windows line endings read like Unix ones', () => {
  assert.deepEqual(keys('\\cite{a,\r\n b}\r\n% \\cite{c}\r\n\\cite\r\n{d}'), ['a', 'b', 'd']);
});

test('pathological inputs return quickly without throwing', () => {
  const inputs = [
    '\\'.repeat(100_000), '{'.repeat(100_000), '%'.repeat(100_000), '['.repeat(100_000), '('.repeat(100_000),
    '{'.repeat(100_000) + '}'.repeat(100_000), '\\cite{'.repeat(20_000), '\\cite['.repeat(20_000),
    '\\cites('.repeat(20_000), '\\cite{'.repeat(20_000) + '}'.repeat(20_000), '\\verb'.repeat(20_000),
    '\\begin{verbatim}'.repeat(10_000),
  ];
  for (const input of inputs) {
    const started = performance.now();
    const syntax = parse(input);
    assert.ok(Array.isArray(syntax.citations));
    assert.ok(performance.now() - started < 1000, `slow on ${JSON.stringify(input.slice(0, 12))}...`);
  }
});

test('any text parses without throwing, and every range lies inside it', () => {
  const pieces = ['\\cite', '\\cites', '{', '}', '[', ']', '(', ')', ',', '%', '\n', ' ', 'a', '\\verb', '|',
    '\\begin{verbatim}', '\\end{verbatim}', '\\bibliography', '\\input', '*', '\\', '#1'];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 500; round++) {
    let text = '';
    for (let n = 0; n < 30; n++) text += pieces[Math.floor(random() * pieces.length)];
    const syntax = parse(text, ['mycite']);
    const ranges = [...syntax.citations.map((c) => c.range), ...syntax.emptyCitations, ...syntax.problems.map((p) => p.range)];
    for (const range of ranges) assert.ok(0 <= range.start && range.start <= range.end && range.end <= text.length, text);
  }
});
