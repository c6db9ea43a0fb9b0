// CSL-JSON and CSL-YAML readers: item keys and ranges, recovery from malformed input, and resource limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson } from '../../server/src/syntax/csl/json';
import { parseCslYaml, parseCslYamlReferences } from '../../server/src/syntax/csl/yaml';
import type { CslFile } from '../../server/src/syntax/types';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../examples', name), 'utf8');
const bibKeys = (bib: string): string[] => [...bib.matchAll(/^@\w+\{([^,\s]+),/gm)].map((m) => m[1]);
const slice = (text: string, range: { start: number; end: number }): string => text.slice(range.start, range.end);

function assertKeysPointAtIdText(text: string, file: CslFile): void {
  for (const item of file.items) {
    assert.equal(slice(text, item.keyRange), item.key);
    assert.ok(item.range.start < item.keyRange.start && item.keyRange.end < item.range.end);
  }
}

for (const [name, count] of [['geography', 58], ['ethics', 95]] as const) {
  test(`${name}.json gives its ${count} items with the .bib keys in order, each range on the id text`, () => {
    const text = fixture(`${name}.json`);
    const file = parseCslJson(text);
    assert.deepEqual(file.problems, []);
    assert.equal(file.items.length, count);
    assert.deepEqual(file.items.map((i) => i.key), bibKeys(fixture(`${name}.bib`)));
    assertKeysPointAtIdText(text, file);
    assert.equal(slice(text, file.items[0].range)[0], '{');
    assert.equal(slice(text, file.items[0].range).at(-1), '}');
    assert.deepEqual(JSON.parse(slice(text, file.items[1].range)), file.items[1].data);
  });

  test(`${name}.yaml gives its ${count} items with the .bib keys in order, each range on the id text`, () => {
    const text = fixture(`${name}.yaml`);
    const file = parseCslYaml(text);
    assert.deepEqual(file.problems, []);
    assert.equal(file.items.length, count);
    assert.deepEqual(file.items.map((i) => i.key), bibKeys(fixture(`${name}.bib`)));
    assertKeysPointAtIdText(text, file);
    const json = parseCslJson(fixture(`${name}.json`));
    assert.deepEqual(file.items.map((i) => i.data.type), json.items.map((i) => i.data.type));
    assert.match(slice(text, file.items[0].range), /^author:[^]*\S$/);
  });
}

test('CSL-JSON: numeric ids become string keys, quoted ids point inside the quotes', () => {
  const text = '[{"id": 42, "type": "book"}, {"type": "book", "id": "a\\"b"}]';
  const file = parseCslJson(text);
  assert.deepEqual(file.items.map((i) => i.key), ['42', 'a"b']);
  assert.equal(slice(text, file.items[0].keyRange), '42');
  assert.equal(slice(text, file.items[1].keyRange), 'a\\"b');
  assert.equal(file.items[0].data.type, 'book');
});

test('CSL-JSON: a single item object and an {"items": [...]} wrapper are read too', () => {
  assert.deepEqual(parseCslJson('{"id": "solo", "title": "T"}').items.map((i) => i.key), ['solo']);
  const wrapped = parseCslJson('{"items": [{"id": "a"}, {"id": "b"}]}');
  assert.deepEqual(wrapped.items.map((i) => i.key), ['a', 'b']);
  assert.deepEqual(wrapped.problems, []);
});

test('CSL-JSON: an item without an id is reported on that item and the others are kept', () => {
  const text = '[{"id": "a"}, {"title": "No id"}, {"id": ""}, {"id": "c"}]';
  const file = parseCslJson(text);
  assert.deepEqual(file.items.map((i) => i.key), ['a', 'c']);
  assert.equal(file.problems.length, 2);
  assert.equal(file.problems[0].range.start, text.indexOf('{"title"'));
  assert.match(file.problems[0].message, /no usable "id"/);
});

test('CSL-JSON: malformed JSON is reported where it broke, keeping the items before it', () => {
  const text = '[\n  {"id": "a", "title": "ok"},\n  {"id": "b" "title": "missing comma"},\n  {"id": "c"}\n]';
  const file = parseCslJson(text);
  assert.deepEqual(file.items.map((i) => i.key), ['a']);
  assert.equal(file.problems.length, 1);
  assert.equal(file.problems[0].range.start, text.indexOf('"title": "missing'));
  assert.match(file.problems[0].message, /Malformed CSL-JSON: Expected "," or "}"/);
});

test('CSL-JSON: truncated files, unclosed strings and trailing junk are problems, not exceptions', () => {
  const truncated = parseCslJson('[{"id": "a"}, {"id": "b", "title": "x');
  assert.deepEqual(truncated.items.map((i) => i.key), ['a']);
  assert.equal(truncated.problems[0].range.start, '[{"id": "a"}, {"id": "b", "title": '.length);
  assert.match(truncated.problems[0].message, /not closed/);
  assert.equal(parseCslJson('').problems.length, 1);
  assert.equal(parseCslJson('[{"id": "a"}] junk').problems[0].range.start, 14);
  assert.match(parseCslJson('"just a string"').problems[0].message, /array of items/);
});

test('CSL-JSON: 100,000 nested brackets do not overflow the stack', () => {
  const file = parseCslJson('['.repeat(100_000));
  assert.deepEqual(file.items, []);
  assert.equal(file.problems.length, 1);
  assert.deepEqual(file.problems[0].range, { start: 100_000, end: 100_000 });
  const closed = parseCslJson('['.repeat(100_000) + ']'.repeat(100_000));
  assert.deepEqual(closed, { items: [], problems: [] });
});

test('CSL-JSON: 10,000 items parse in well under 200 ms', () => {
  const template = JSON.parse(fixture('ethics.json')) as Record<string, unknown>[];
  const items = Array.from({ length: 10_000 }, (_, i) => ({ ...template[i % template.length], id: `key${i}` }));
  const text = JSON.stringify(items, null, 2);
  // Best of three, against native JSON.parse of the same text, so a busy machine does not fail the test.
  const fastest = (run: () => unknown): number => {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      run();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };
  const native = fastest(() => JSON.parse(text));
  let file = parseCslJson(text);
  const elapsed = fastest(() => (file = parseCslJson(text)));
  assert.equal(file.items.length, 10_000);
  assert.equal(slice(text, file.items[9_999].keyRange), 'key9999');
  assert.ok(elapsed < Math.max(200, 6 * native), `took ${elapsed.toFixed(0)} ms (JSON.parse: ${native.toFixed(0)} ms)`);
});

test('CSL-YAML: a bare list, front matter with a closing fence and numeric ids are read', () => {
  assert.deepEqual(parseCslYaml('- id: a\n- id: b\n').items.map((i) => i.key), ['a', 'b']);
  const text = '---\nreferences:\n- id: 0123\n  title: Zero\n- id: "q"\n---\n\n# Body with --- and: colons\n';
  const file = parseCslYaml(text);
  assert.deepEqual(file.problems, []);
  assert.deepEqual(file.items.map((i) => i.key), ['0123', 'q']);
  assert.equal(slice(text, file.items[1].keyRange), 'q');
  assert.equal(file.items[0].data.title, 'Zero');
});

test('CSL-YAML: items without an id and non-mapping items are reported, the rest kept', () => {
  const text = 'references:\n- title: No id\n- just text\n- id: ok\n';
  const file = parseCslYaml(text);
  assert.deepEqual(file.items.map((i) => i.key), ['ok']);
  assert.deepEqual(file.problems.map((p) => p.range.start), [text.indexOf('title'), text.indexOf('just')]);
});

test('CSL-YAML: malformed YAML is reported with a range and readable items are kept', () => {
  const text = 'references:\n- id: good\n- id: [broken\n- id: after\n';
  const file = parseCslYaml(text);
  assert.ok(file.items.some((i) => i.key === 'good'));
  const yamlProblem = file.problems.find((p) => p.message.startsWith('Malformed YAML'));
  assert.ok(yamlProblem, JSON.stringify(file.problems));
  assert.ok(yamlProblem.range.start >= text.indexOf('[broken') && yamlProblem.range.start <= text.length);
  assert.match(parseCslYaml('title: no references here\n').problems[0].message, /references/);
});

test('CSL-YAML: an alias bomb is refused promptly, on the item that uses it', () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + prev).join(',')}]`);
  }
  const text = `${levels.join('\n')}\nreferences:\n- id: bomb\n  title: *i\n- id: fine\n`;
  const started = performance.now();
  const file = parseCslYaml(text);
  assert.ok(performance.now() - started < 1000);
  assert.deepEqual(file.items.map((i) => i.key), ['fine']);
  assert.match(file.problems[0].message, /could not be read/);
  assert.equal(file.problems[0].range.start, text.indexOf('id: bomb'));
});

test('Pandoc front matter references are shifted into document offsets', () => {
  const doc = '---\ntitle: Paper\nreferences:\n- id: doe2020\n  type: book\n---\nSee @doe2020.\n';
  const yamlStart = 4;
  const yamlText = doc.slice(yamlStart, doc.indexOf('---\nSee'));
  const file = parseCslYamlReferences(yamlText, yamlStart);
  assert.deepEqual(file.items.map((i) => i.key), ['doe2020']);
  assert.equal(slice(doc, file.items[0].keyRange), 'doe2020');
  assert.equal(slice(doc, file.items[0].range), 'id: doe2020\n  type: book');
  assert.deepEqual(parseCslYamlReferences('title: none\n', 10), { items: [], problems: [] });
  const broken = parseCslYamlReferences('references: [\n', 50);
  assert.ok(broken.problems.length > 0 && broken.problems.every((p) => p.range.start >= 50));
});

test('CSL-YAML ids are read as Pandoc reads them: Markdown backslash escapes are dropped', () => {
  const text = 'references:\n- id: timmory\\_\\_justice_1950\n  title: T\n';
  const file = parseCslYaml(text);
  assert.deepEqual(file.items.map((i) => i.key), ['timmory__justice_1950']);
  const range = file.items[0].keyRange;
  assert.equal(text.slice(range.start, range.end), 'timmory\\_\\_justice_1950');
});
