// LaTeX text → Unicode for display: accents, special letters, escapes, ligatures, formatting commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latexToUnicode } from '../../server/src/bibliography/latexText';

test('accents in every spelling become precomposed letters', () => {
  assert.equal(latexToUnicode('G{\\"o}del'), 'Gödel');
  assert.equal(latexToUnicode('G\\"{o}del'), 'Gödel');
  assert.equal(latexToUnicode('G\\"odel'), 'Gödel');
  assert.equal(latexToUnicode("Rodr\\'{\\i}guez"), 'Rodríguez');
  assert.equal(latexToUnicode("Rodr{\\'i}guez"), 'Rodríguez');
  assert.equal(latexToUnicode('Gar\\c{c}on \\c c'), 'Garçon ç');
  assert.equal(latexToUnicode('\\v{S}koda \\v{s}'), 'Škoda š');
  assert.equal(latexToUnicode('Erd\\H{o}s'), 'Erdős');
  assert.equal(latexToUnicode('\\^{e}tre, \\`a, \\~n, \\=a, \\.z, \\u{g}, \\k{a}, \\r{u}'), 'être, à, ñ, ā, ż, ğ, ą, ů');
  assert.equal(latexToUnicode('\\"{}'), '¨');
  assert.equal(latexToUnicode('a\\~{}b'), 'a~b');
});

test('special letters and escaped characters print as themselves', () => {
  assert.equal(latexToUnicode('Stra\\ss e'), 'Straße');
  assert.equal(latexToUnicode('{\\O}stergaard, Sm{\\o}rrebr{\\o}d'), 'Østergaard, Smørrebrød');
  assert.equal(latexToUnicode('{\\aa}se {\\AA}berg {\\AE}sir {\\oe}uvre {\\l}\\\'od\\\'z'), 'åse Åberg Æsir œuvre łódź');
  assert.equal(latexToUnicode('Politics \\& Society, 50\\% of \\$5, file\\_name \\#1 \\{x\\}'), 'Politics & Society, 50% of $5, file_name #1 {x}');
});

test('dashes, ties and quote ligatures become typographic characters', () => {
  assert.equal(latexToUnicode('pages 1--10'), 'pages 1–10');
  assert.equal(latexToUnicode('yes---no'), 'yes—no');
  assert.equal(latexToUnicode('Dr.~Who'), 'Dr. Who');
  assert.equal(latexToUnicode("``quoted''"), '“quoted”');
  assert.equal(latexToUnicode("Transformation of {China's} `{World Factory}': relocation"), 'Transformation of China’s ‘World Factory’: relocation');
});

test('formatting commands disappear and keep their text; URLs stay verbatim', () => {
  assert.equal(latexToUnicode('The \\textit{Origin} of \\emph{Species} and {\\em Things} \\textbf{now}'), 'The Origin of Species and Things now');
  assert.equal(latexToUnicode('see \\url{https://x.org/a--b~c_d}'), 'see https://x.org/a--b~c_d');
  assert.equal(latexToUnicode('\\href{https://x.org}{the site}'), 'the site');
  assert.equal(latexToUnicode('\\enquote{Hi} there'), '“Hi” there');
  assert.equal(latexToUnicode('The {DNA} of {{Nested}} groups'), 'The DNA of Nested groups');
});

test('whitespace collapses to single spaces and the result is NFC', () => {
  assert.equal(latexToUnicode('  a \n\t b  '), 'a b');
  assert.equal(latexToUnicode('e\u0301'), 'é');
  assert.equal(latexToUnicode('O’Rourke'), 'O’Rourke');
});

test('malformed LaTeX still gives text', () => {
  assert.equal(latexToUnicode('unclosed {group and \\'), 'unclosed group and');
  assert.equal(latexToUnicode('stray } brace \\"'), 'stray brace ¨');
  assert.equal(latexToUnicode('\\url{never closed'), 'never closed');
});

test('pathological inputs take linear time', () => {
  const deep = '{'.repeat(200_000) + 'x' + '}'.repeat(200_000);
  const accents = '\\"'.repeat(100_000) + 'o';
  const urls = '\\url{'.repeat(50_000);
  const started = performance.now();
  assert.equal(latexToUnicode(deep), 'x');
  assert.ok(latexToUnicode(accents).endsWith('ö'));
  assert.ok(latexToUnicode(urls).length > 0);
  assert.ok(performance.now() - started < 1000, 'took too long');
});
