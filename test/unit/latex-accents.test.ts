// Every LaTeX accent and special-letter command, in each way BibTeX files spell it, read as biber reads it: in titles
// (display), in names (split into given/particle/family, then displayed) and in the search words of both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { latexToUnicode } from '../../server/src/bibliography/latexText';
import { parseBibtexNames } from '../../server/src/bibliography/names';
import { searchIndexOf } from '../../server/src/bibliography/searchIndex';
import { foldText, searchWordsText } from '../../server/src/util/fuzzy';
import { ACCENT_COMMANDS, LETTER_COMMANDS } from '../../server/src/util/latexCommands';

/** [command, the letter it sits on, what it prints]: every accent LaTeX's text encodings define, and biber's extras. */
const ACCENTS: [string, string, string][] = [
  ['`', 'a', 'à'], ["'", 'e', 'é'], ['^', 'o', 'ô'], ['"', 'u', 'ü'], ['~', 'n', 'ñ'], ['=', 'a', 'ā'], ['.', 'z', 'ż'],
  ['u', 'g', 'ğ'], ['v', 'c', 'č'], ['H', 'o', 'ő'], ['c', 'c', 'ç'], ['d', 'a', 'ạ'], ['b', 'b', 'ḇ'], ['r', 'u', 'ů'],
  ['k', 'a', 'ą'], ['t', 'oo', 'o\u0361o'], ['h', 'a', 'ả'], ['G', 'a', 'ȁ'], ['U', 'a', 'a\u030e'], ['M', 'a', 'a\u0322'],
  ['B', 'a', 'a\u0335'], ['textsubring', 'a', 'ḁ'], ['textcommabelow', 's', 'ș'], ['textdoublemacron', 'a', 'a\u035e'],
];

/** The spellings of an accent on a letter: `\~{n}`, `{\~n}` and, where TeX allows it, `\~n` or `\c c`. */
function accentSpellings(command: string, letter: string): string[] {
  const isWord = /^[a-zA-Z]+$/.test(command);
  const bare = isWord ? `\\${command} ${letter}` : `\\${command}${letter}`;
  return [`\\${command}{${letter}}`, `{\\${command}${isWord ? ' ' : ''}${letter}}`, ...(letter.length === 1 ? [bare] : [])];
}

/** [command, what it prints]: the special letters. */
const LETTERS: [string, string][] = [
  ['ss', 'ß'], ['o', 'ø'], ['O', 'Ø'], ['l', 'ł'], ['L', 'Ł'], ['aa', 'å'], ['AA', 'Å'], ['ae', 'æ'], ['AE', 'Æ'],
  ['oe', 'œ'], ['OE', 'Œ'], ['i', 'ı'], ['j', 'ȷ'], ['dh', 'ð'], ['DH', 'Ð'], ['th', 'þ'], ['TH', 'Þ'], ['ng', 'ŋ'],
  ['NG', 'Ŋ'], ['dj', 'đ'], ['DJ', 'Đ'], ['ij', 'ĳ'], ['IJ', 'Ĳ'], ['ohorn', 'ơ'], ['uhorn', 'ư'], ['textschwa', 'ə'],
];

/** The spellings of a special letter inside a word: `{\ss}`, `\ss{}` and `\ss ` (TeX drops the blank). */
const letterSpellings = (command: string): string[] => [`{\\${command}}`, `\\${command}{}`, `\\${command} `];

/** Every case: [raw LaTeX for a word "Ab…cd", the word it prints]. */
const CASES: [string, string][] = [
  ...ACCENTS.flatMap(([command, letter, printed]) => accentSpellings(command, letter).map((raw): [string, string] => [`Ab${raw}cd`, `Ab${printed}cd`])),
  ...LETTERS.flatMap(([command, printed]) => letterSpellings(command).map((raw): [string, string] => [`Ab${raw}cd`, `Ab${printed}cd`])),
  ...["\\'\\i ", "\\'{\\i}", "{\\'\\i}", "{\\'{\\i}}"].map((raw): [string, string] => [`R${raw}o`, 'Río']),
  ...['\\"\\i ', '\\"{\\i}', '{\\"\\i}'].map((raw): [string, string] => [`Ha${raw}ti`, 'Haïti']),
  ['Ab\\v{\\j}cd', 'Abǰcd'],
];

test('every accent and special letter prints as its Unicode letter in a title, in every spelling', () => {
  for (const [raw, printed] of CASES) assert.equal(latexToUnicode(`On ${raw} now`), `On ${printed} now`, raw);
});

test('every accent and special letter prints as its Unicode letter in a family and a given name', () => {
  for (const [raw, printed] of CASES) {
    assert.deepEqual(parseBibtexNames(`Jean ${raw}`), [{ given: 'Jean', family: printed }], raw);
    assert.deepEqual(parseBibtexNames(`${raw}, Jean and Jean ${raw} Smith`), [
      { family: printed, given: 'Jean' },
      { given: `Jean ${printed}`, family: 'Smith' },
    ], raw);
  }
});

test('the search words of a title and a family name fold every accent and special letter away', () => {
  for (const [raw, printed] of CASES) assert.equal(searchWordsText(`On ${raw} now`, true), `on ${foldText(printed)} now`, raw);
  const bib = CASES.map(([raw], i) => `@article{e${i}, author = {Jean ${raw} and ${raw}, Ann}, title = {Of ${raw} things}}`).join('\n');
  const file = BibliographyFile.parse('/w/accents.bib', bib, 'bibtex');
  const index = searchIndexOf(file);
  CASES.forEach(([raw, printed], i) => {
    assert.equal(index.searchText(file.entries[i]), `e ${i} ${foldText(printed)} ${foldText(printed)} of ${foldText(printed)} things`, raw);
  });
});

test('every accent command biber knows puts its mark on the letter, and search ignores the mark', () => {
  for (const [command, mark] of ACCENT_COMMANDS) {
    for (const raw of accentSpellings(command, 'a')) {
      assert.equal(latexToUnicode(raw), `a${mark}`.normalize('NFC'), raw);
      assert.equal(searchWordsText(`x${raw}y`, true), 'xay', raw);
    }
  }
  for (const [command, letter] of LETTER_COMMANDS) {
    assert.equal(latexToUnicode(`{\\${command}}`), letter, command);
    assert.equal(searchWordsText(`x{\\${command}}y`, true), `x${foldText(letter)}y`, command);
  }
});

test('a tie accent is not a tie: N\\\'{u}\\~{n}ez is one family name, and "nunez" finds it', () => {
  const file = BibliographyFile.parse('/w/refs.bib', [
    "@article{perez2019, author = {Jos\\'e N\\'{u}\\~{n}ez and Mar\\'{\\i}a P\\'erez~Garc\\'{\\i}a}, title = {A~tie}}",
    "@article{gomez2020, author = {Ana G\\'omez and Jos\\'e N{\\'u}{\\~n}ez}, title = {Other}}",
    "@article{lopez2021, author = {Luis L\\'opez}, title = {Ca\\~nones del Se\\~nor}}",
  ].join('\n'), 'bibtex');
  assert.deepEqual(parseBibtexNames("Jos\\'e N\\'{u}\\~{n}ez and Mar\\'{\\i}a P\\'erez~Garc\\'{\\i}a"), [
    { given: 'José', family: 'Núñez' },
    { given: 'María Pérez', family: 'García' },
  ]);
  const keys = (query: string): string[] => searchIndexOf(file).search(query, 10).hits.map((hit) => hit.entry.key);
  assert.deepEqual(keys('nunez'), ['perez2019', 'gomez2020'], 'first author first');
  assert.deepEqual(keys('núñez'), ['perez2019', 'gomez2020']);
  assert.deepEqual(keys('nez'), [], 'no word starts with the tail of the name');
  assert.deepEqual(keys('canones senor'), ['lopez2021']);
  assert.deepEqual(keys('garcia'), ['perez2019'], 'a real tie still separates words');
});

test('a command at the start of a word decides its case by the letter it prints, as biber reads it', () => {
  assert.deepEqual(parseBibtexNames("Anna \\v{S}koda Nov\\'ak"), [{ given: 'Anna Škoda', family: 'Novák' }]);
  assert.deepEqual(parseBibtexNames("Jean \\'{e}t Smith"), [{ given: 'Jean', particle: 'ét', family: 'Smith' }]);
  assert.deepEqual(parseBibtexNames('Hans \\"{u}ber Alles'), [{ given: 'Hans', particle: 'über', family: 'Alles' }]);
  assert.deepEqual(parseBibtexNames('Jens \\O stergaard and \\o{}rsted, H.'), [
    { given: 'Jens', family: 'Østergaard' },
    { family: 'ørsted', given: 'H.' },
  ]);
  assert.deepEqual(parseBibtexNames('Jean Gar\\c con and K. \\AA ngstr\\"om'), [
    { given: 'Jean', family: 'Garçon' },
    { given: 'K.', family: 'Ångström' },
  ]);
});

test('a command just before "and" still lets the name list split there', () => {
  assert.deepEqual(parseBibtexNames('A. Bj\\o and C. D\\aa \tand E. F').map((name) => name.family), ['Bjø', 'Då', 'F']);
  const file = BibliographyFile.parse('/w/refs.bib', '@book{b, author = {A. Bj\\o and C. D\\aa \tand E. F}}', 'bibtex');
  assert.equal(searchIndexOf(file).searchText(file.entries[0]), 'b bjo da f');
});

test('symbols separate search words, escapes do too, and other commands keep a word whole', () => {
  assert.equal(searchWordsText('Rock\\textendash Paper \\dag Scissors\\\\Stone \\& x\\emph{y}z Stra\\ss e', true), 'rock paper scissors stone xyz strasse');
  assert.equal(searchWordsText('A\\textquotesingle s \\{set\\}', true), 'a s set');
});

test('long runs of accents, control words and blanks in a name list take linear time', () => {
  const runs = ['\\~', '\\c ', '\\o ', '\\o' + ' '.repeat(1000) + 'and ', '{\\v S}', '\\v{S}'].map((unit) => unit.repeat(Math.ceil(200_000 / unit.length)));
  const started = performance.now();
  for (const run of runs) {
    parseBibtexNames(`${run} x and Jean ${run}`);
    searchWordsText(run, true);
    const file = BibliographyFile.parse('/w/long.bib', `@book{k, author = {Jean ${run}}, title = {${run}}}`, 'bibtex');
    searchIndexOf(file).searchText(file.entries[0]);
  }
  // Quadratic work on 200,000 characters would take minutes; linear work takes well under a second on an idle machine.
  assert.ok(performance.now() - started < 10_000, `took ${Math.round(performance.now() - started)} ms`);
});
