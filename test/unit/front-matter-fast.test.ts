// The quick reading of simple metadata blocks (`key: plain words` lines) must give exactly what the yaml package
// gives. A trailing comment line sends a block to the full parser without moving anything before it, so every
// block is read both ways and compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseMarkdownDocument } from '../../server/src/syntax/citations/markdown';
import { CORPUS, withoutCorpus } from './helpers/corpus';

function metadataOf(block: string) {
  const syntax = parseMarkdownDocument(`---\n${block}---\n\nText [@a].\n`, { crossrefPrefixes: ['fig', 'tbl'] });
  return { bibliographies: syntax.bibliographies, csl: syntax.cslStyle ?? null, problems: syntax.problems.map((p) => p.message) };
}

function assertBothWaysAgree(block: string): void {
  assert.deepEqual(metadataOf(block), metadataOf(`${block}# read by the full parser\n`), JSON.stringify(block));
}

test('simple metadata blocks read the same quickly and with the full YAML parser', () => {
  for (const block of [
    'title: Notes\nbibliography: refs.bib\n',
    'bibliography: my refs.bib\ncsl: styles/apa.csl\n',
    'bibliography: refs.bib\nbibliography: more.bib\n',
    'csl: a.csl\ncsl: b.csl\n',
    'title: A [draft], with & and * and (notes)\nbibliography: ./x/y.bib\n',
    'bibliography: ~/refs.bib\n',
    'bibliography:    spaced.bib\n',
    '\ntitle: x\n\nbibliography: a.bib\n',
  ]) assertBothWaysAgree(block);
});

test('values YAML reads as null, booleans or numbers keep the full parser\'s answer', () => {
  for (const value of ['true', 'False', 'null', '~', '2020.bib', '12', '.inf', '.NaN', '.5', '.5e3', '../refs.bib', '.bib', '-refs.bib', 'yes', 'no']) {
    assertBothWaysAgree(`bibliography: ${value}\n`);
    assertBothWaysAgree(`csl: ${value}\n`);
  }
  assert.deepEqual(metadataOf('bibliography: true\n').problems, ['`bibliography` should be a path or a list of paths.']);
  assert.deepEqual(metadataOf('bibliography: yes\n').bibliographies.map((b) => b.path), ['yes']);
});

test('random blocks of key: value lines read the same both ways', () => {
  const keys = ['title', 'bibliography', 'csl', 'author', 'date', 'link-citations', 'lang', 'nocite', 'x_y'];
  const values = ['refs.bib', 'my refs.bib', 'a: b', 'x # y', "'q.bib'", '"d.bib"', 'true', '~', '2020.bib', 'a [b]', 'x & y',
    '(draft)', 'a,b', './x/y.bib', '../refs.bib', '.5', '.nan', '.Inf', '.infinity.bib', '0x1F', '1e3', '~/r.bib', 'yes', '.inf', 'a b ', '', '- a', '[a, b]', '{a: 1}', '|', '>', '*x', '&x y',
    '!tag v', 'é.bib', 'tab\there', 'back\\slash', '@key', 'a\r'];
  const line = fc.tuple(fc.constantFrom(...keys), fc.constantFrom(' ', '  '), fc.constantFrom(...values))
    .map(([key, space, value]) => `${key}:${space}${value}\n`);
  const extra = fc.constantFrom('', '\n', '  indented: x\n', '# comment\n', '- item\n');
  fc.assert(fc.property(fc.array(fc.oneof({ weight: 6, arbitrary: line }, { weight: 1, arbitrary: extra }), { maxLength: 8 }), (lines) => {
    assertBothWaysAgree(lines.join(''));
  }), { numRuns: 1500, seed: 20261123 });
});

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return /\.(md|qmd|rmd|markdown)$/i.test(name) ? [full] : [];
  });
}

test('every metadata block of the corpus documents reads the same both ways', { skip: withoutCorpus() }, () => {
  const files = markdownFiles(CORPUS);
  assert.ok(files.length > 100, `corpus documents found under ${CORPUS}`);
  let blocks = 0;
  for (const file of files) {
    const match = /^---\r?\n([\s\S]*?\r?\n)---\r?\n/.exec(readFileSync(file, 'utf8'));
    if (!match) continue;
    blocks++;
    assertBothWaysAgree(match[1]);
  }
  assert.ok(blocks > 50, `${blocks} blocks compared`);
});
