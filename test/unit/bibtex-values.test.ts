// Tests for reading BibTeX field values: delimiters, `#` concatenation, @string and month macros.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';
import { bibtexFieldMap, bibtexFieldValue } from '../../server/src/syntax/bibtex/values';

/** All fields of the last entry in `text`, name → value. */
function valuesOf(text: string): Record<string, string> {
  const file = scanBibtex(text);
  const entry = file.entries[file.entries.length - 1];
  return Object.fromEntries(bibtexFieldMap(text, entry, file.strings));
}

test('braces and quotes around a value are removed; inner braces and LaTeX stay as written', () => {
  assert.deepEqual(valuesOf('@misc{k, title = {The {DNA} of {\\LaTeX}}, author = "M{\\"u}ller, J{\\\'e}r{\\^o}me"}'), {
    title: 'The {DNA} of {\\LaTeX}',
    author: 'M{\\"u}ller, J{\\\'e}r{\\^o}me',
  });
});

test('numbers stay numbers and empty values are empty strings', () => {
  assert.deepEqual(valuesOf('@misc{k, year = 2020, note = {}, extra = ""}'), { year: '2020', note: '', extra: '' });
});

test('# joins the parts of a value, and @string macros expand in any case', () => {
  const text = '@string{acm = "{ACM}"}\n@string{ProcPre = "Proceedings of the "}\n@misc{k, booktitle = procpre # ACM # " Conference on " # {Security}}';
  assert.equal(valuesOf(text).booktitle, 'Proceedings of the {ACM} Conference on Security');
});

test('macros expand through other macros', () => {
  const text = '@string{a = "Journal"}\n@string{b = a # " of"}\n@string{c = b # " Things"}\n@misc{k, journal = c}';
  assert.equal(valuesOf(text).journal, 'Journal of Things');
});

test('standard month macros become month names, unless the file defines its own', () => {
  assert.deepEqual(valuesOf('@misc{k, month = jan, other = DEC}'), { month: 'January', other: 'December' });
  assert.equal(valuesOf('@string{jan = "Jan."}\n@misc{k, month = jan}').month, 'Jan.');
});

test('an unknown macro is kept as its name', () => {
  assert.equal(valuesOf('@misc{k, journal = jgr # " Letters"}').journal, 'jgr Letters');
});

test('a macro cycle stops at a depth cap instead of looping', () => {
  const value = valuesOf('@string{a = b}\n@string{b = a}\n@misc{k, title = a}').title;
  assert.ok(value === 'a' || value === 'b', value);
});

test('macros that double at every level stop at a work cap', () => {
  const strings = ['@string{m0 = "x"}'];
  for (let i = 1; i <= 40; i++) strings.push(`@string{m${i} = m${i - 1} # m${i - 1}}`);
  const started = performance.now();
  const value = valuesOf(`${strings.join('\n')}\n@misc{k, title = m40}`).title;
  assert.ok(performance.now() - started < 1000);
  assert.ok(value.length > 0 && value.length < 1_000_000, String(value.length));
});

test('line breaks and runs of spaces inside a value become single spaces', () => {
  assert.equal(valuesOf('@misc{k, title = {  A title\n    over two\r\n\tlines  }}').title, 'A title over two lines');
});

test('the first of two fields with the same name wins, as in BibTeX', () => {
  assert.deepEqual(valuesOf('@misc{k, title = {First}, TITLE = {Second}}'), { title: 'First' });
});

test('values of entries with broken braces are read without throwing', () => {
  const text = '@misc{k, note = {ok}, title = {{Unclosed\n  year = 2020\n}\n';
  const file = scanBibtex(text);
  assert.deepEqual(Object.fromEntries(bibtexFieldMap(text, file.entries[0], file.strings)), { note: 'ok' });
  assert.equal(bibtexFieldValue(text, { valueStart: text.indexOf('{{'), valueEnd: text.length }, file.strings), '{Unclosed year = 2020 }');
});

test('fixture values read as written: a braced organisation, an escaped ampersand, the U+2019 apostrophe', () => {
  const text = readFileSync('examples/ethics.bib', 'utf8');
  const file = scanBibtex(text);
  const byKey = new Map(file.entries.map((entry) => [entry.key, bibtexFieldMap(text, entry, file.strings)]));
  assert.match(byKey.get('orourke2003')!.get('author')!, /O’Rourke/);
  assert.ok(byKey.get('ilo1999')!.get('author')!.startsWith('{ILO}'));
  assert.equal(byKey.get('greenhouse2013')!.get('entrysubtype'), 'newspaper');
  const journals = [...byKey.values()].map((fields) => fields.get('journaltitle'));
  assert.ok(journals.includes('Competition \\& Change'));
});
