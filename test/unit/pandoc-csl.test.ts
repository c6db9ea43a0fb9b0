// The BibTeX → CSL conversion that follows pandoc's BibLaTeX reader (bibliography/pandocCsl.ts): each rule checked
// on a small entry, with the CSL pandoc 2.17 makes of it (`pandoc refs.bib -f biblatex -t csljson`) as expectation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pandocCslItem, type CslItem } from '../../server/src/bibliography/pandocCsl';
import { formatInput } from '../../server/src/bibliography/format';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';

function csl(bib: string): CslItem {
  const file = scanBibtex(bib);
  return pandocCslItem(bib, file.entries[0], file.strings);
}

const title = (value: string, extra = ''): unknown => csl(`@article{k, title = {${value}}${extra}}`).title;

test('English titles are sentence-cased, keeping braced words and words with inner capitals', () => {
  assert.equal(title('Stress Effects in Middle-Aged Rats: {Involvement} of the {NASA} iPhone Pathway'), 'Stress effects in middle-aged rats: Involvement of the NASA iPhone pathway');
  assert.equal(title('The {DNA} of {t}he Thing'), 'The DNA of <span class="nocase">the</span> thing');
});

test('the first word after a colon or a full stop is capitalised, but never the last word of the title', () => {
  assert.equal(title('what it is: a study. and more words'), 'What it is: A study. And more words');
  assert.equal(title('Word: Last'), 'Word: last');
  assert.equal(title('Word: {Last}'), 'Word: Last');
  // A first word that is not all letters is left as it is, as citeproc-hs leaves it.
  assert.equal(title('icalp95 and more'), 'icalp95 and more');
  // A quote or parenthesis leaves the word after it at the start of its sentence.
  assert.equal(title("'What I See': Why It Is. (You Are Here) Now"), '’What i see’: Why it is. (You are here) now');
});

test('titles of entries in other languages keep their case', () => {
  assert.equal(title('Ein Deutscher Titel', ', langid = {german}'), 'Ein Deutscher Titel');
  assert.equal(title('An English Title', ', langid = {british}'), 'An english title');
  assert.equal(csl('@article{k, title = {T}, langid = {ngerman}}').language, 'de-DE');
});

test('subtitles, series and book titles of chapters are sentence-cased; journal titles are not', () => {
  const item = csl('@incollection{k, title = {A Chapter}, subtitle = {The Sub Title}, booktitle = {The Big Book}, series = {Lecture Notes in Things}}');
  assert.equal(item.title, 'A chapter: The sub title');
  assert.equal(item['container-title'], 'The big book');
  assert.equal(item['collection-title'], 'Lecture notes in things');
  assert.equal(csl('@article{k, title = {T}, journal = {Journal of Things}}')['container-title'], 'Journal of Things');
});

test('formatting commands become CSL markup and TeX quotes become quotes the style prints', () => {
  assert.equal(title('On \\emph{The Great Gatsby} and \\textsc{Caps}'), 'On <i>the great gatsby</i> and <span style="font-variant:small-caps;">Caps</span>');
  assert.equal(title("``Rising Powers'' and `Others'"), '"Rising powers" and "others"');
  assert.equal(title("China's Factory"), 'China’s factory');
});

test('LaTeX escapes and accents are decoded in every field', () => {
  const item = csl('@report{k, title = {Fish \\& Chips}, number = {No.\\ 1320}, institution = {Caf{\\\'e} M\\"uller}, note = {50\\% off}}');
  assert.equal(item.title, 'Fish & chips');
  assert.equal(item.number, 'No. 1320');
  assert.equal(item.publisher, 'Café Müller');
  assert.equal(item.note, '50% off');
});

test('an accent whose letter is braced is decoded inside a word, not left as a bare accent and a protected letter', () => {
  assert.equal(title('Komplexit\\"{a}t und \\"{U}ber'), 'Komplexität und über');
});

test('inline math is kept as its TeX source and no case change reaches it, as pandoc keeps a Math element', () => {
  assert.equal(title('On $k$-Trees and $\\alpha_{2}$ Decay'), 'On <span class="nocase">k</span>-trees and <span class="nocase">\\alpha_{2}</span> decay');
});

test('names: and others, braced names, particles as dropping particles unless useprefix, J.G. as J. G.', () => {
  const names = csl('@book{k, author = {de Quervain, Dominique and Ludwig van Beethoven and Jean de La Fontaine and {World Health Organization} and J.G. Smith and Smith, Jr., John and others}}').author;
  assert.deepEqual(names, [
    { family: 'Quervain', given: 'Dominique', 'dropping-particle': 'de' },
    { family: 'Beethoven', given: 'Ludwig', 'dropping-particle': 'van' },
    { family: 'La Fontaine', given: 'Jean', 'dropping-particle': 'de' },
    { literal: 'World Health Organization' },
    { family: 'Smith', given: 'J. G.' },
    { family: 'Smith', given: 'John', suffix: 'Jr.' },
    { literal: 'others' },
  ]);
  assert.deepEqual(csl('@book{k, author = {Dominique {de Quervain}}}').author, [{ family: 'de Quervain', given: 'Dominique' }]);
  assert.deepEqual(csl('@book{k, author = {van Gogh, Vincent}, options = {useprefix=true}}').author, [{ family: 'Gogh', given: 'Vincent', 'non-dropping-particle': 'van' }]);
  assert.deepEqual(csl('@book{k, author = {family=Doe, given=Jane, prefix=van, useprefix=true}}').author, [{ family: 'Doe', given: 'Jane', 'non-dropping-particle': 'van' }]);
});

/** A style that inverts names and demotes particles, as Chicago author-date does. */
const INVERTING_STYLE = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" demote-non-dropping-particle="display-and-sort">
  <info><title>Inverted names</title><id>inverted-names</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><names variable="author"><name name-as-sort-order="all" sort-separator=", " delimiter="; "/></names></layout></bibliography>
</style>`;

test('a braced family name keeps its lowercase words in front when names are inverted, as pandoc prints it', () => {
  const bib = '@book{k, author = {Jan {van Leeuwen} and Ludwig van Beethoven}, title = {T}}';
  const result = formatInput({ bibtex: bib, key: 'k' }, { name: 'inverted', xml: INVERTING_STYLE });
  assert.ok('text' in result);
  assert.equal(result.text, 'van Leeuwen, Jan; Beethoven, Ludwig van');
});

test('and others is printed as et al.', () => {
  const bib = '@article{k, author = {Zhu, S. and Yao, X. and others}, title = {T}, journal = {J}, date = {2019}}';
  const apa = formatInput({ bibtex: bib, key: 'k' }, { name: 'apa' });
  assert.ok('text' in apa);
  assert.equal(apa.text, 'Zhu, S., Yao, X., et al. (2019). T. J.');
});

test('entry types map as pandoc maps them', () => {
  assert.equal(csl('@unpublished{k, title = {T}}').type, 'manuscript');
  assert.equal(csl('@unpublished{k, title = {T}, eventtitle = {A Meeting}}').type, 'speech');
  assert.equal(csl('@article{k, title = {T}, entrysubtype = {newspaper}}').type, 'article-newspaper');
  assert.equal(csl('@article{k, title = {T}, entrysubtype = {magazine}}').type, 'article-magazine');
  assert.equal(csl('@online{k, title = {T}}').type, 'webpage');
  assert.equal(csl('@conference{k, title = {T}}').type, '');
  assert.equal(csl('@misc{k, title = {T}}').type, '');
  assert.deepEqual([csl('@phdthesis{k, title = {T}}').type, csl('@phdthesis{k, title = {T}}').genre], ['thesis', 'PhD thesis']);
  assert.equal(csl('@mastersthesis{k, title = {T}}').genre, 'Master’s thesis');
});

test('howpublished, school, institution and publisher make the publisher; lists are joined with semicolons', () => {
  assert.equal(csl('@misc{k, howpublished = {\\url{https://example.org/x}}}').publisher, 'https://example.org/x');
  assert.equal(csl('@book{k, publisher = {A and B}, address = {New York and London}}').publisher, 'A; B');
  assert.equal(csl('@book{k, address = {New York and London}}')['publisher-place'], 'New York; London');
  assert.equal(csl('@report{k, institution = {{Economic and Social Research Council}}}').publisher, 'Economic and Social Research Council');
});

test('numbers, pages and dates', () => {
  assert.equal(csl('@article{k, number = {2}, issue = {Spring}}').issue, '2, Spring');
  assert.equal(csl('@book{k, number = {12}}')['collection-number'], '12');
  assert.equal(csl('@report{k, number = {12}}').number, '12');
  assert.equal(csl('@article{k, pages = {1--10}}').page, '1-10');
  assert.deepEqual(csl('@article{k, year = 2001, month = jan}').issued, { 'date-parts': [[2001, 1]] });
  assert.deepEqual(csl('@article{k, date = {2013-11-23}}').issued, { 'date-parts': [[2013, 11, 23]] });
  assert.deepEqual(csl('@article{k, year = {in press}}').issued, { literal: 'in press' });
  assert.equal(csl('@article{k, eprinttype = {arxiv}, eprint = {1802.03426}}').URL, 'https://arxiv.org/abs/1802.03426');
});
