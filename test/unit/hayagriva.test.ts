// Unit tests of the Hayagriva YAML reader: entries and their key ranges, conversion to CSL, problems, and telling
// Hayagriva from CSL-YAML by content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeHayagriva, parseHayagrivaYaml } from '../../server/src/syntax/csl/hayagriva';

const covered = (text: string, range: { start: number; end: number }) => text.slice(range.start, range.end);

const HARRY = `harry:
    type: Book
    title: Harry Potter and the Order of the Phoenix
    author: Rowling, J. K.
    volume: 5
    page-total: 768
    date: 2003-06-21

electronic:
    type: Web
    title: Ishkur's Guide to Electronic Music
    serial-number: v2.5
    author: Ishkur
    url: { value: http://www.techno.org/electronic-music-guide/, date: 2020-11-30 }
`;

test('top-level keys are the entries, with the exact range of the key and of the whole entry', () => {
  const file = parseHayagrivaYaml(HARRY);
  assert.deepEqual(file.problems, []);
  assert.deepEqual(file.items.map((item) => item.key), ['harry', 'electronic']);
  assert.deepEqual(file.items.map((item) => covered(HARRY, item.keyRange)), ['harry', 'electronic']);
  assert.ok(covered(HARRY, file.items[0].range).startsWith('harry:'));
  assert.ok(covered(HARRY, file.items[0].range).endsWith('date: 2003-06-21'));
  assert.ok(covered(HARRY, file.items[1].range).endsWith('date: 2020-11-30 }'));
});

test('a quoted key ranges over its text without the quotes, and a numeric key keeps its digits', () => {
  const text = '"odd key!":\n  title: A\n0123:\n  title: B\n';
  const file = parseHayagrivaYaml(text);
  assert.deepEqual(file.items.map((item) => [item.key, covered(text, item.keyRange)]), [['odd key!', 'odd key!'], ['0123', '0123']]);
});

test('a book converts to CSL with names, date, volume and pages', () => {
  const [harry, electronic] = parseHayagrivaYaml(HARRY).items;
  assert.deepEqual(harry.data, {
    id: 'harry', type: 'book', title: 'Harry Potter and the Order of the Phoenix',
    author: [{ family: 'Rowling', given: 'J. K.' }], issued: { 'date-parts': [[2003, 6, 21]] }, volume: 5, 'number-of-pages': 768,
  });
  assert.deepEqual(electronic.data, {
    id: 'electronic', type: 'webpage', title: "Ishkur's Guide to Electronic Music", author: [{ literal: 'Ishkur' }],
    number: 'v2.5', URL: 'http://www.techno.org/electronic-music-guide/', accessed: { 'date-parts': [[2020, 11, 30]] },
  });
});

test('an article in a periodical is a journal article with the parent as container', () => {
  const text = `kinetics:
    type: Article
    title: Kinetics and luminescence
    author: ["Doan, T. D.", "Tran Thoai, D. B.", "Haug, Hartmut"]
    serial-number:
        doi: "10.1103/PhysRevB.102.165126"
    page-range: 165126-165139
    date: 2020-10-14
    parent:
        type: Periodical
        title: Physical Review B
        volume: 102
        issue: 16
        publisher: American Physical Society
`;
  const [item] = parseHayagrivaYaml(text).items;
  assert.deepEqual(item.data, {
    id: 'kinetics', type: 'article-journal', title: 'Kinetics and luminescence',
    author: [{ family: 'Doan', given: 'T. D.' }, { family: 'Tran Thoai', given: 'D. B.' }, { family: 'Haug', given: 'Hartmut' }],
    issued: { 'date-parts': [[2020, 10, 14]] }, 'container-title': 'Physical Review B', publisher: 'American Physical Society',
    volume: 102, issue: 16, page: '165126-165139', DOI: '10.1103/PhysRevB.102.165126',
  });
});

test('entry types map to CSL types, an article by its parent', () => {
  const text = `a: {type: article, title: A, parent: {type: proceedings, title: P}}
b: {type: chapter, title: B, parent: {title: The Book}}
c: {type: anthos, title: C, parent: {type: anthology, title: D}}
d: {type: thesis, title: D, organization: Uni}
e: {type: report, title: E}
f: {type: conference, title: F}
g: {type: misc, title: G}
h: {title: H}
i: {type: article, title: I}
`;
  const types = parseHayagrivaYaml(text).items.map((item) => [item.key, item.data.type]);
  assert.deepEqual(types, [
    ['a', 'paper-conference'], ['b', 'chapter'], ['c', 'chapter'], ['d', 'thesis'], ['e', 'report'],
    ['f', 'paper-conference'], ['g', 'document'], ['h', 'document'], ['i', 'article-journal'],
  ]);
  const items = parseHayagrivaYaml(text).items;
  assert.equal(items[1].data['container-title'], 'The Book');
  assert.equal(items[3].data.publisher, 'Uni');
});

test('names may be a dictionary, carry a suffix or a lower-case prefix', () => {
  const text = `x:
  author:
    - { name: Watkins, given-name: Gloria Jean, alias: bell hooks }
    - Luther King, Jr., Martin
    - von der Leyen, Ursula
  editor: Doe, Jane
  publisher: { name: Stiftung, location: Berlin }
  date: 2020
  url: https://example.org
`;
  const [item] = parseHayagrivaYaml(text).items;
  assert.deepEqual(item.data.author, [
    { family: 'Watkins', given: 'Gloria Jean' },
    { family: 'Luther King', given: 'Martin', suffix: 'Jr.' },
    { 'non-dropping-particle': 'von der', family: 'Leyen', given: 'Ursula' },
  ]);
  assert.deepEqual(item.data.editor, [{ family: 'Doe', given: 'Jane' }]);
  assert.equal(item.data.publisher, 'Stiftung');
  assert.equal(item.data['publisher-place'], 'Berlin');
  assert.deepEqual(item.data.issued, { 'date-parts': [[2020]] });
  assert.equal(item.data.URL, 'https://example.org');
});

test('an entry that is not a mapping is a problem on that entry, and the others stay', () => {
  const text = 'good:\n  title: A\nbad: just a string\nalso:\n  title: B\n';
  const file = parseHayagrivaYaml(text);
  assert.deepEqual(file.items.map((item) => item.key), ['good', 'also']);
  assert.equal(file.problems.length, 1);
  assert.equal(covered(text, file.problems[0].range), 'bad: just a string');
});

test('malformed YAML is a problem with a range, never an exception', () => {
  const text = 'a:\n  title: "unclosed\nb:\n  title: B\n';
  const file = parseHayagrivaYaml(text);
  assert.ok(file.problems.length > 0);
  for (const problem of file.problems) assert.ok(problem.range.start >= 0 && problem.range.end <= text.length);
  assert.deepEqual(parseHayagrivaYaml('- a\n- b\n').problems.length, 1);
  assert.deepEqual(parseHayagrivaYaml(''), { items: [], problems: [] });
});

test('an alias cycle costs its entry, not the file', () => {
  const text = 'a: &x\n  title: A\n  parent: *x\nb:\n  title: B\n';
  const file = parseHayagrivaYaml(text);
  assert.ok(file.items.some((item) => item.key === 'b'));
});

test('Hayagriva is told from CSL-YAML by content', () => {
  assert.equal(looksLikeHayagriva(HARRY), true);
  assert.equal(looksLikeHayagriva('# my refs\n---\nkey: {type: book, title: X}\n'), true);
  assert.equal(looksLikeHayagriva('"odd: key":\n  title: X\n'), true);
  assert.equal(looksLikeHayagriva('- id: a\n  title: X\n'), false);
  assert.equal(looksLikeHayagriva('---\nreferences:\n- id: a\n  title: X\n'), false);
  assert.equal(looksLikeHayagriva('title: My paper\nreferences:\n  - id: a\n'), false);
  assert.equal(looksLikeHayagriva('title: My paper\n'), false);
  assert.equal(looksLikeHayagriva(''), false);
});

test('telling formats apart is quick on a long line of spaces', () => {
  const text = `a${' '.repeat(200_000)}b`;
  const started = performance.now();
  assert.equal(looksLikeHayagriva(text), false);
  assert.ok(performance.now() - started < 2_000);
});
