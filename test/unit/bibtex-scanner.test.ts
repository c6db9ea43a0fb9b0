// Tests for the tolerant BibTeX scanner: what it reads from good files, and what it recovers from bad ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fieldsOf } from '../../server/src/syntax/bibtex/fields';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';
import type { BibtexFile, TextRange } from '../../server/src/syntax/types';
import { makeBib } from '../../bench/makeBib';
import { corpusPath, withoutCorpus } from './helpers/corpus';

const keys = (file: BibtexFile) => file.entries.map((entry) => entry.key);
const at = (text: string, range: TextRange) => text.slice(range.start, range.end);
/** Each field as `name = <value expression as written>`. */
const fields = (text: string, file: BibtexFile, index = 0) =>
  fieldsOf(file.entries[index]).map((field) => `${field.name} = ${text.slice(field.valueStart, field.valueEnd)}`);
const problemTexts = (text: string, file: BibtexFile) => file.problems.map((problem) => at(text, problem.range));

test('an entry records its lower-cased type, key, ranges and fields with offsets of the whole value', () => {
  const text = '@Article{smith2020,\n  Author = {Smith, J.},\n  TITLE = "The {DNA} story",\n  year = 2020\n}\n';
  const file = scanBibtex(text);
  assert.equal(file.problems.length, 0);
  const [entry] = file.entries;
  assert.equal(entry.type, 'article');
  assert.equal(entry.key, 'smith2020');
  assert.equal(at(text, entry.keyRange), 'smith2020');
  assert.equal(at(text, entry.range), text.trimEnd());
  assert.deepEqual(fields(text, file), ['author = {Smith, J.}', 'title = "The {DNA} story"', 'year = 2020']);
  assert.equal(text.slice(fieldsOf(entry)[1].nameStart, fieldsOf(entry)[1].nameStart + 5), 'TITLE');
});

test('@string macros go into the strings map under their lower-cased name, and # joins parts into one value', () => {
  const text = '@STRING{ JBE = "Journal of Business Ethics" }\n@string(acm = {{ACM}})\n@article{a, journal = "The " # JBE # { Online}, month = jan}';
  const file = scanBibtex(text);
  assert.deepEqual([...file.strings.keys()], ['jbe', 'acm']);
  assert.equal(at(text, { start: file.strings.get('jbe')!.valueStart, end: file.strings.get('jbe')!.valueEnd }), '"Journal of Business Ethics"');
  assert.equal(at(text, { start: file.strings.get('acm')!.valueStart, end: file.strings.get('acm')!.valueEnd }), '{{ACM}}');
  assert.deepEqual(keys(file), ['a']);
  assert.deepEqual(fields(text, file), ['journal = "The " # JBE # { Online}', 'month = jan']);
});

test('@preamble and both forms of @comment define no entries', () => {
  const text = [
    '@preamble{ "\\providecommand{\\noopsort}[1]{}" }',
    '@comment{jabref-meta: databaseType:biblatex; {nested} }',
    '@comment this rest of the line is a comment @misc{inline, title = {x}}',
    '@Comment{',
    '@article{old, title = {commented out with braces}}',
    '}',
    '@misc{kept, title = {x}}',
  ].join('\n');
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['kept']);
  assert.deepEqual(file.problems, []);
});

test('text and % lines between entries are ignored, also a %-commented entry', () => {
  const text = 'This file was created with JabRef.\n% Encoding: UTF-8\n%@article{gone, title={x}}\n\n@misc{a, title = {x}}\nJunk between entries\n@misc{b,\n  % note = {commented-out field},\n  title = {50% off} % trailing comment\n}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['a', 'b']);
  assert.deepEqual(fields(text, file, 1), ['title = {50% off}']);
  assert.deepEqual(file.problems, []);
});

test('a " inside braces does not end a quoted value, and braces nest in braced values', () => {
  const text = '@misc{q, title = "M{\\"u}ller and {"}quotes{"}", note = {a {b {c}} d}, year = {2020}}';
  const file = scanBibtex(text);
  assert.deepEqual(fields(text, file), ['title = "M{\\"u}ller and {"}quotes{"}"', 'note = {a {b {c}} d}', 'year = {2020}']);
});

test('bare numbers and macro names are values', () => {
  const text = '@misc{n, year = 2020, month = dec, volume=12,publisher=springer}';
  assert.deepEqual(fields(text, scanBibtex(text)), ['year = 2020', 'month = dec', 'volume = 12', 'publisher = springer']);
});

test('entries may use parentheses, and entry types come in any case', () => {
  const text = '@BOOK(b1, title = {Braces {inside} parens})\n@InProceedings{b2, title = {x}}\n@oNLINE{b3,}';
  const file = scanBibtex(text);
  assert.deepEqual(file.entries.map((entry) => `${entry.type}:${entry.key}`), ['book:b1', 'inproceedings:b2', 'online:b3']);
  assert.equal(at(text, file.entries[0].range), '@BOOK(b1, title = {Braces {inside} parens})');
  assert.deepEqual(fields(text, file), ['title = {Braces {inside} parens}']);
});

test('a key is everything up to the first comma, whitespace or closing delimiter, non-ASCII letters included', () => {
  const text = "@misc{a:b-c.d/e+f_g'h, title={x}}\n@misc{Müller2020Ü, title={x}}\n@misc{田中2019,}\n@misc{alone}\n@misc{spaced , title={x}}";
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ["a:b-c.d/e+f_g'h", 'Müller2020Ü', '田中2019', 'alone', 'spaced']);
  assert.equal(at(text, file.entries[4].keyRange), 'spaced');
  assert.deepEqual(file.problems, []);
});

test('a leading BOM is skipped and offsets stay offsets into the given text', () => {
  const text = '\uFEFF@misc{bom, title = {x}}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['bom']);
  assert.equal(file.entries[0].range.start, 1);
  assert.equal(at(text, file.entries[0].keyRange), 'bom');
});

test('CRLF and CR-only line ends work like LF, also for resuming after a broken entry', () => {
  for (const eol of ['\r\n', '\r']) {
    const text = ['@misc{a,', '  title = {x},', '  year = 2020', '}', '@misc{broken,', '  title = {never closed', '@misc{c, % comment', '  title = {y}}'].join(eol);
    const file = scanBibtex(text);
    assert.deepEqual(keys(file), ['a', 'broken', 'c'], JSON.stringify(eol));
    assert.deepEqual(fields(text, file, 0), ['title = {x}', 'year = 2020']);
    assert.deepEqual(fields(text, file, 2), ['title = {y}']);
    assert.equal(file.problems.length, 1);
  }
});

test('an empty key is reported and its entry skipped; the next entry is read', () => {
  const text = '@misc{,\n  title = {No key}\n}\n@misc{next, title = {x}}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['next']);
  assert.deepEqual(problemTexts(text, file), ['@misc{,']);
  assert.match(file.problems[0].message, /no key.*Put a key/);
});

test('a missing key (a field right after the brace) is reported and its entry skipped', () => {
  const text = '@article{\n  author = {Nobody},\n  title = {x}\n}\n@misc{next, title = {x}}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['next']);
  assert.equal(file.problems.length, 1);
  assert.match(file.problems[0].message, /no key \(`author =` is a field\)/);
  assert.ok(problemTexts(text, file)[0].startsWith('@article{'));
});

test('an unclosed brace in a value keeps the entry with the fields before it and resumes at the next entry', () => {
  const text = '@article{bad,\n  author = {A},\n  title = {{Unclosed title},\n  year = {2020},\n}\n\n@article{good, title = {x}}\n';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['bad', 'good']);
  assert.deepEqual(fieldsOf(file.entries[0]).map((field) => field.name), ['author', 'title']);
  assert.deepEqual(problemTexts(text, file), ['{{Unclosed title},']);
  assert.match(file.problems[0].message, /`title`.*never closed.*Add the missing `}`/);
  assert.ok(at(text, file.entries[0].range).endsWith('}'), 'the broken entry ends before the next one');
  assert.deepEqual(fields(text, file, 1), ['title = {x}']);
});

test('a brace that is still open at the next entry is reported on the value where it opened', () => {
  const text = '@misc{bad, title = {Open {inner}\n\n@misc{good, title = {x}}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['bad', 'good']);
  assert.deepEqual(fieldsOf(file.entries[0]), []);
  assert.deepEqual(problemTexts(text, file), ['{Open {inner}']);
  assert.match(file.problems[0].message, /never closed before the next entry starts/);
});

test('a missing comma between fields is reported at the next field and all fields are still read', () => {
  const text = '@misc{k,\n  title = {x}\n  year = 2020,\n  note = "n"\n}\n@misc{after,}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['k', 'after']);
  assert.deepEqual(fields(text, file), ['title = {x}', 'year = 2020', 'note = "n"']);
  assert.deepEqual(problemTexts(text, file), ['year']);
  assert.match(file.problems[0].message, /Missing `,` between the fields `title` and `year`/);
});

test('a missing comma after the key is reported on the key and the fields are still read', () => {
  const text = '@misc{k\n  title = {x},\n  year = 2020\n}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['k']);
  assert.deepEqual(fields(text, file), ['title = {x}', 'year = 2020']);
  assert.deepEqual(problemTexts(text, file), ['k']);
});

test('a missing closing brace keeps the entry, ends its range at its last field, and reads the next entry', () => {
  const text = '@misc{open,\n  title = {x},\n  year = 2020\n\n@misc{next, title = {y}}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['open', 'next']);
  assert.deepEqual(fields(text, file), ['title = {x}', 'year = 2020']);
  assert.ok(at(text, file.entries[0].range).endsWith('year = 2020'));
  assert.deepEqual(problemTexts(text, file), ['@misc{open']);
  assert.match(file.problems[0].message, /not closed: the next entry starts first. Add `}`/);
});

test('the end of the file inside an entry keeps the entry read so far', () => {
  for (const text of ['@misc{eof, title = {x},', '@misc{eof, title = {x', '@misc{eof, title = "x', '@misc{eof', '@misc{eof, title =']) {
    const file = scanBibtex(text);
    assert.deepEqual(keys(file), ['eof'], text);
    assert.equal(file.problems.length, 1, text);
    const [{ range }] = file.problems;
    assert.ok(range.start >= 0 && range.end <= text.length && range.start <= range.end, text);
  }
});

test('an extra closing brace before `, field =` is reported and the fields after it are still read', () => {
  const text = '@misc{k,\n  title = {x}},\n  year = 2020\n}\n@misc{next,}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['k', 'next']);
  assert.deepEqual(fields(text, file), ['title = {x}', 'year = 2020']);
  assert.equal(file.problems.length, 1);
  assert.equal(file.problems[0].range.start, text.indexOf('}},') + 1);
  assert.match(file.problems[0].message, /Remove the extra `}`/);
});

test('a broken entry whose key was read is kept so completion still knows the key', () => {
  const text = '@book{draft2024,\n  title = {Half written\n';
  const file = scanBibtex(text);
  assert.deepEqual(file.entries.map((entry) => [entry.type, entry.key]), [['book', 'draft2024']]);
  assert.equal(at(text, file.entries[0].keyRange), 'draft2024');
});

test('junk where a field should be costs only that entry', () => {
  const text = '@misc{a, title = {x}, !!! }\n@misc{b, title = {y}, "quoted" = 1}\n@misc{c, title = {z}}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['a', 'b', 'c']);
  assert.deepEqual(problemTexts(text, file), ['!!!', '"']);
  assert.match(file.problems[0].message, /Expected `=` after the field name `!!!`/);
  assert.match(file.problems[1].message, /Unexpected `"`.*expected a field name/);
  assert.deepEqual(fields(text, file, 2), ['title = {z}']);
});

test('a construct broken at the end of a line resumes at the entry that starts the next line', () => {
  const cases = [
    '@misc{a,\n  month\n@misc{b,}', // a field name without `=`
    '@misc{a,\n  title =\n@misc{b,}', // `=` without a value
    '@string{\n@misc{b,}',
    '@preamble{\n@misc{b,}',
  ];
  for (const text of cases) {
    const file = scanBibtex(text);
    assert.deepEqual(keys(file).slice(-1), ['b'], text);
    assert.equal(file.problems.length, 1, text);
  }
});

test('an unclosed @comment is reported and reading resumes at the next line-initial @', () => {
  const text = '@comment{ never closed\n@misc{a, title = {x}}\n@comment{ok}\n@misc{b,}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['a', 'b']);
  assert.deepEqual(problemTexts(text, file), ['@comment']);
});

test('an @ that starts a line without an entry type, or a type without a brace, is reported', () => {
  const text = '@{oops}\n@article smith2020,\nmail me@example.org\n@misc{ok,}';
  const file = scanBibtex(text);
  assert.deepEqual(keys(file), ['ok']);
  assert.deepEqual(problemTexts(text, file), ['@', '@article']);
  assert.match(file.problems[1].message, /`@article` is not followed by `{`/);
});

test('the two fixture bibliographies give their keys in file order', () => {
  for (const [name, count] of [['geography', 58], ['ethics', 95]] as const) {
    const text = readFileSync(`examples/${name}.bib`, 'utf8');
    const expected = [...text.matchAll(/^@(\w+)\{([^,]+),/gm)].filter((m) => !/^(string|preamble|comment)$/i.test(m[1])).map((m) => m[2]);
    const file = scanBibtex(text);
    assert.equal(expected.length, count);
    assert.deepEqual(keys(file), expected);
    assert.deepEqual(file.problems, []);
  }
});

test('the geography fixture has the entry types its README counts', () => {
  const file = scanBibtex(readFileSync('examples/geography.bib', 'utf8'));
  const counts: Record<string, number> = {};
  for (const entry of file.entries) counts[entry.type] = (counts[entry.type] ?? 0) + 1;
  assert.deepEqual(counts, { article: 32, book: 16, incollection: 5, report: 5 });
});

test('every corpus file scans without throwing, with problem ranges inside the text, in bounded time', { skip: withoutCorpus('bib') || withoutCorpus('bench') }, () => {
  const dirs = [corpusPath('bib'), corpusPath('bench')];
  let files = 0;
  let entries = 0;
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.bib'))) {
      const text = readFileSync(`${dir}/${name}`, 'utf8');
      const started = performance.now();
      const file = scanBibtex(text);
      assert.ok(performance.now() - started < 2000, `${name} took too long`);
      for (const { range } of [...file.problems, ...file.entries]) {
        assert.ok(range.start >= 0 && range.start <= range.end && range.end <= text.length, `${name}: bad range ${JSON.stringify(range)}`);
      }
      for (const entry of file.entries) {
        assert.equal(at(text, entry.keyRange), entry.key, name);
        for (const field of fieldsOf(entry)) assert.ok(field.valueStart <= field.valueEnd && field.valueEnd <= entry.range.end, name);
      }
      files++;
      entries += file.entries.length;
    }
  }
  assert.ok(files >= 486, `read ${files} files`);
  assert.ok(entries > 30000, `read ${entries} entries`);
});

test('in a generated file with 1% malformed entries every entry is recovered and each malformed one reported once', () => {
  const { text, stats } = makeBib(5000);
  const written = [...text.matchAll(/^@(\w+)\{([^,\s]+)/gm)].filter((m) => !/^(string|preamble|comment)$/i.test(m[1])).map((m) => m[2]);
  const file = scanBibtex(text);
  assert.equal(written.length, stats.entries);
  assert.deepEqual(written, stats.keys);
  assert.deepEqual(keys(file), written); // every malformed entry still has its key, so none is lost
  assert.equal(stats.malformed, 50);
  assert.equal(file.problems.length, stats.malformed);
  assert.equal(file.strings.size, stats.strings);
});

test('pathological inputs return quickly without throwing', () => {
  const n = 100_000;
  const inputs = {
    'nested braces': `@misc{deep, title = ${'{'.repeat(n)}}`,
    'nested braces closed': `@misc{deep, title = ${'{'.repeat(n)}${'}'.repeat(n)}}\n@misc{after,}`,
    'at signs': '@'.repeat(n),
    'at signs on lines': '@\n'.repeat(n),
    'entry starts': '@misc{'.repeat(n),
    'entry starts on lines': '@misc{x,\n'.repeat(n),
    'open braces': '{'.repeat(n),
    backslashes: '\\'.repeat(n),
    spaces: `@misc{s,${' '.repeat(n)}title${' '.repeat(n)}=${' '.repeat(n)}{x}}`,
    'unclosed comments': '@comment{\n'.repeat(n),
    percents: '%'.repeat(n),
    quotes: `@misc{q, title = ${'"'.repeat(n)}}`,
  };
  for (const [name, text] of Object.entries(inputs)) {
    const started = performance.now();
    const file = scanBibtex(text);
    assert.ok(performance.now() - started < 3000, `${name} took too long`); // linear work takes milliseconds; quadratic would take minutes
    for (const { range } of file.problems) assert.ok(range.start >= 0 && range.end <= text.length, name);
  }
  assert.deepEqual(keys(scanBibtex(inputs['nested braces closed'])), ['deep', 'after']);
  assert.equal(scanBibtex(inputs['entry starts on lines']).entries.length, n);
});

/**
 * Corpus files chosen for what they exercise: @string-heavy files, parentheses, CRLF and JabRef comments, `%` lines,
 * odd keys, quoted values, biblatex's own examples. Biber agrees with the scanner on every one of them except:
 * - `tidy--biber--tool`: biber drops `badname` because its author list has an empty name (a data check, not syntax).
 * Other intended differences, not in this list: biber stops reading a file at its first syntax error (we recover), and
 * biber rewrites some keys (`a'b` comes out as `a`), while we keep every key exactly as written.
 */
const BIBER_SAMPLE: Record<string, string[]> = {
  'tidy--biber--tool': ['badname'],
  'tidy--better-bibtex--Jabref_import_-_groups_lost_1730-5': [],
  'tidy--better-bibtex--Issues_with_round_instead_of_curly_braces_do_not_import_correctly_871': [],
  'btparser--build--strings-base': [],
  'biber--examples': [],
  'biber--etc--definitions': [],
  'bbt--import--Import_error_with_character_in_BibTeX_field_name_2660': [],
  'tidy--better-bibtex--zbb__quietly__chokes_on_this_.bib_664': [],
  'biber--encoding2': [],
  'bbt--pandoc--biblio': [],
  'tidy--others--jabref': [],
  'lwered--fhe': [],
  'btparser--other--verbatim-string': [],
  'tidy--autocomplete-bibtex--inproceedings': [],
  'libbib--auth': [],
  'biber--full-bibtex_biber': [],
  'mobeh--docs--G18-1002': [],
  'tidy--biblatex--97-annotations': [],
  'tidy--others--bibtex-simple': [],
  'biber--sets': [],
};
const hasBiber = !spawnSync('biber', ['--version']).error;

/** The keys biber writes back out, read from a private copy so no biber log lands next to the corpus. */
async function biberKeys(name: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'citekeys-biber-'));
  try {
    copyFileSync(corpusPath('bib', `${name}.bib`), join(dir, 'in.bib'));
    await promisify(execFile)('biber', ['--tool', '--nolog', '--output-format=bibtex', `--output-file=${join(dir, 'out.bib')}`, 'in.bib'], { cwd: dir, timeout: 120_000 });
    return [...readFileSync(join(dir, 'out.bib'), 'utf8').matchAll(/^@[A-Za-z]+\{(.*),$/gm)].map((m) => m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the scanner finds the same keys as biber in a sample of corpus files', { skip: withoutCorpus('bib') || (!hasBiber && 'biber not installed'), timeout: 300_000 }, async () => {
  const names = Object.keys(BIBER_SAMPLE);
  const results = new Map<string, string[]>();
  const queue = [...names];
  await Promise.all([1, 2, 3].map(async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) results.set(name, await biberKeys(name));
  }));
  for (const name of names) {
    const text = readFileSync(corpusPath('bib', `${name}.bib`), 'utf8');
    const ours = [...new Set(keys(scanBibtex(text)))]; // biber skips a repeated key
    const biber = new Set(results.get(name));
    assert.deepEqual(ours.filter((key) => !biber.has(key)), BIBER_SAMPLE[name], `${name}: keys only we find`);
    assert.deepEqual([...biber].filter((key) => !ours.includes(key)), [], `${name}: keys only biber finds`);
  }
});
