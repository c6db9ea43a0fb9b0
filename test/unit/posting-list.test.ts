// The search index's word table (postingList.ts) and the two ways words reach it: as strings, or as ASCII stretches
// of the text that never become strings (forEachSearchWord's visitAscii). Both must give the same index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PostingCollector, sortedOrder, sortedOrderByStrings } from '../../server/src/bibliography/postingList';
import { boundedEditDistance, boundedPrefixEditDistance } from '../../server/src/util/editDistance';
import { forEachSearchWord, forEachSearchWordSlowly } from '../../server/src/util/fuzzy';

/** What the words of `text` are, read as strings only and read with ASCII stretches given as ranges. */
function bothWays(text: string, latex: boolean): { strings: string[]; mixed: string[] } {
  const strings: string[] = [];
  forEachSearchWord(text, latex, 0, text.length, (word) => strings.push(word), undefined);
  const mixed: string[] = [];
  forEachSearchWord(text, latex, 0, text.length, (word) => mixed.push(`=${word}`), undefined, (t, start, end) => {
    mixed.push(`~${t.slice(start, end).toLowerCase()}`);
  });
  return { strings, mixed };
}

test('words given as ASCII stretches are the words given as strings, in the same order', () => {
  const { strings, mixed } = bothWays('Gereffi2005a {COVID}-19 J{\\"u}rgen Rodríguez the STATE of x\\emph{y}z', true);
  assert.deepEqual(strings, ['gereffi', '2005', 'a', 'covid', '19', 'jurgen', 'rodriguez', 'the', 'state', 'of', 'xyz']);
  // Plain ASCII words come as stretches; words with braces, accents or commands inside are assembled as strings.
  assert.deepEqual(mixed, ['~gereffi', '~2005', '~a', '=covid', '~19', '=jurgen', '=rodriguez', '~the', '~state', '~of', '=xyz']);
});

const WORD_PIECES = ['ab', 'Cd', 'EF', '12', '3', ' ', '  ', '-', ',', '{', '}', '\\"u', '\\o', '\\emph{', '\\&', 'é', 'Ł', 'e\u0301', '~', '\n', '😀', 'ß'];
const wordSoup = fc.array(fc.constantFrom(...WORD_PIECES), { maxLength: 60 }).map((parts) => parts.join(''));

test('for any text, LaTeX or not, the fast path for ASCII words finds the words the general loop finds, either way delivered', () => {
  fc.assert(fc.property(wordSoup, fc.boolean(), (text, latex) => {
    const slowly: string[] = [];
    forEachSearchWordSlowly(text, latex, (word) => slowly.push(word));
    const { strings, mixed } = bothWays(text, latex);
    assert.deepEqual(strings, slowly);
    assert.deepEqual(mixed.map((word) => word.slice(1)), slowly);
  }), { numRuns: 3000 });
});

/** The index a plain map would make: words sorted, each with its postings in the order added. */
function reference(pairs: [string, number][]): { words: string[]; postings: number[][] } {
  const byWord = new Map<string, number[]>();
  for (const [word, posting] of pairs) {
    if (!byWord.has(word)) byWord.set(word, []);
    byWord.get(word)?.push(posting);
  }
  const words = [...byWord.keys()].sort();
  return { words, postings: words.map((word) => byWord.get(word) ?? []) };
}

test('the word table gives the index a plain map gives, through thousands of words and its regrowth', () => {
  const pairs: [string, number][] = [];
  const collector = new PostingCollector();
  for (let posting = 0; posting < 20_000; posting++) {
    // 5,000 distinct words, each met four times, half of them as stretches of a text with upper case in it.
    const word = `w${(posting * 7919) % 5000}x`;
    pairs.push([word, posting]);
    if (posting % 2) collector.add(word, posting);
    else {
      const text = `.. ${word.toUpperCase()} ..`;
      collector.addAscii(text, 3, 3 + word.length, posting);
    }
  }
  const list = collector.build();
  const expected = reference(pairs);
  assert.deepEqual(list.words, expected.words);
  for (let id = 0; id < list.words.length; id++) {
    assert.deepEqual(Array.from(list.postings.subarray(list.wordStart[id], list.wordStart[id + 1])), expected.postings[id], list.words[id]);
  }
});

const KEY_PIECES = ['smith', 'smithson', 'a', 'ab', '2005', '2005a', '-', ':', 'é', 'Z', '\u{1F600}', '\ud800', '', 'zz', 'mueller', 'müller'];
const keySoup = fc.array(fc.constantFrom(...KEY_PIECES), { maxLength: 8 }).map((parts) => parts.join(''));

test('the packed radix sort of keys gives exactly the string sort: order by code units, equal keys in index order', () => {
  fc.assert(fc.property(fc.array(keySoup, { minLength: 256, maxLength: 900 }), (strings) => {
    const packed = sortedOrder(strings);
    const plain = sortedOrderByStrings(strings);
    assert.deepEqual(Array.from(packed.order), Array.from(plain.order));
    assert.deepEqual(packed.sorted, plain.sorted);
  }), { numRuns: 150 });
  // Long shared prefixes go round several times; many equal keys keep their index order.
  const long = Array.from({ length: 3000 }, (_, i) => `${'x'.repeat(40)}${(i * 7919) % 1000}`);
  assert.deepEqual(Array.from(sortedOrder(long).order), Array.from(sortedOrderByStrings(long).order));
});

test('the typo distance to a word’s prefixes is the least distance to each prefix, computed one by one', () => {
  // The reference: every prefix within `limit` of the token's length, each as its own string and table.
  const reference = (token: string, word: string, limit: number): number => {
    let best = limit + 1;
    for (let cut = Math.max(0, token.length - limit); cut <= token.length + limit && cut <= word.length; cut++) {
      best = Math.min(best, boundedEditDistance(token, word.slice(0, cut), limit));
    }
    return best;
  };
  const near = fc.string({ unit: fc.constantFrom('a', 'b', 'n', 'v', 'é', '\u{1d400}'), maxLength: 14 });
  fc.assert(fc.property(near, near, fc.integer({ min: 0, max: 3 }), (token, word, limit) => {
    assert.equal(boundedPrefixEditDistance(token, word, limit), reference(token, word, limit), `${token} ~ ${word} (${limit})`);
  }), { numRuns: 3000 });
  // Rows are reused: a long word after short ones, and short after long, still give the right answer.
  assert.equal(boundedPrefixEditDistance('vancunha', `vancunhaa${'x'.repeat(200)}`, 2), 0);
  assert.equal(boundedPrefixEditDistance('vancunha', 'vanconha', 2), 1);
  assert.equal(boundedPrefixEditDistance('vancunha', 'cunha', 2), 3);
});

test('typo matches of a token are the words with a prefix at most one or two edits away, besides its prefix range', () => {
  const collector = new PostingCollector();
  const words = ['vancunha', 'vancouver', 'vanconha', 'vankunha', 'cunha', 'van', 'vanmauro', 'anchuna', 'avncunha'];
  words.forEach((word, i) => collector.add(word, i));
  const list = collector.build();
  const matches = (token: string) => list.matchingWords(token, true).map(({ id, factor }) => `${list.words[id]}${factor < 1 ? '~' : ''}`).sort();
  // 'avncunha' and 'anchuna' differ in both first letters, which the search does not try.
  assert.deepEqual(matches('vancunha'), ['vanconha~', 'vancunha', 'vankunha~']);
  assert.deepEqual(matches('vanco'), ['vanconha', 'vancouver', 'vancunha~']);
});
