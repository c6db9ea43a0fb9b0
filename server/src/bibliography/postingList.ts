// The posting lists of the bibliography search index: distinct words in sorted order, each with the entries it occurs
// in as one contiguous slice, so a word prefix is one binary search and one range of postings.
import { boundedEditDistance } from '../util/editDistance';
import { detached } from '../util/detached';
import { lowerBound, prefixRange } from '../util/fuzzy';

/** Distinct words in sorted order, each with the entries (indexes) it occurs in as one slice. */
export class PostingList {
  constructor(
    readonly words: string[],
    /** Postings of words[i] are postings[wordStart[i] .. wordStart[i + 1]). */
    readonly wordStart: Int32Array,
    readonly postings: Int32Array,
  ) {}

  /** The id of `word` in `words`, or -1. */
  wordId(word: string): number {
    const id = lowerBound(this.words, word);
    return this.words[id] === word ? id : -1;
  }

  /** Words starting with `token` (factor 1); with `typos`, also words whose start is one or two edits away (factor ½). */
  matchingWords(token: string, typos: boolean): { id: number; factor: number }[] {
    const [low, high] = prefixRange(this.words, token);
    const out: { id: number; factor: number }[] = [];
    for (let id = low; id < high; id++) out.push({ id, factor: 1 });
    if (!typos) return out;
    const limit = token.length >= 8 ? 2 : 1;
    const first = token.charCodeAt(0);
    const second = token.charCodeAt(1);
    for (let id = 0; id < this.words.length; id++) {
      if (id >= low && id < high) continue;
      const word = this.words[id];
      if (word.length < token.length - limit) continue;
      // A typo rarely hits both of the first two letters; this skips most words cheaply.
      if (word.charCodeAt(0) !== first && word.charCodeAt(1) !== second) continue;
      let best = limit + 1;
      for (let cut = token.length - limit; cut <= token.length + limit && cut <= word.length && best > 0; cut++) {
        best = Math.min(best, boundedEditDistance(token, word.slice(0, cut), limit));
      }
      if (best <= limit) out.push({ id, factor: 0.5 });
    }
    return out;
  }
}

/**
 * Collects (word, posting) pairs, then lays postings out in sorted word order so a prefix is one contiguous slice.
 * Words are looked up in an open-addressing table keyed by their characters, so a word met again as a stretch of
 * the file's text (`addAscii`) costs no string at all: most of the two million words of a 100k-entry file are repeats.
 */
export class PostingCollector {
  private readonly list: string[] = [];
  /** Word ids + 1 by hash slot (0: empty); a power of two long, at most half full. */
  private slots = new Int32Array(1 << 10);
  /** Each word's hash, by id. */
  private hashes: Int32Array<ArrayBuffer> = new Int32Array(1 << 9);
  private wordOf: Int32Array<ArrayBuffer> = new Int32Array(1 << 16);
  private values: Int32Array<ArrayBuffer> = new Int32Array(1 << 16);
  private length = 0;

  add(word: string, posting: number): void {
    let hash = FNV_OFFSET;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const held = this.slots[slot];
      if (held === 0) break;
      if (this.hashes[held - 1] === hash && this.list[held - 1] === word) return this.push(held - 1, posting);
      slot = (slot + 1) & mask;
    }
    this.push(this.newWord(word, hash, slot), posting);
  }

  /** The word `text[start, end)` lower-cased, where that stretch is ASCII letters and digits only. */
  addAscii(text: string, start: number, end: number, posting: number): void {
    let hash = FNV_OFFSET;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ asciiLower(text.charCodeAt(i)), FNV_PRIME);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const held = this.slots[slot];
      if (held === 0) break;
      if (this.hashes[held - 1] === hash && sameAsciiLower(this.list[held - 1], text, start, end)) return this.push(held - 1, posting);
      slot = (slot + 1) & mask;
    }
    // A copy, not a view: a view into the file's text would keep all of it alive.
    this.push(this.newWord(detached(text.slice(start, end)).toLowerCase(), hash, slot), posting);
  }

  private newWord(word: string, hash: number, slot: number): number {
    const id = this.list.length;
    this.list.push(word);
    if (id === this.hashes.length) this.hashes = grow(this.hashes);
    this.hashes[id] = hash;
    this.slots[slot] = id + 1;
    if (2 * this.list.length > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.list.length; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }

  private push(id: number, posting: number): void {
    if (this.length === this.values.length) {
      this.wordOf = grow(this.wordOf);
      this.values = grow(this.values);
    }
    this.wordOf[this.length] = id;
    this.values[this.length++] = posting;
  }

  build(): PostingList {
    const { order, sorted } = sortedOrder(this.list);
    const sortedId = new Int32Array(order.length);
    for (let s = 0; s < order.length; s++) sortedId[order[s]] = s;
    const wordStart = new Int32Array(order.length + 1);
    for (let p = 0; p < this.length; p++) wordStart[sortedId[this.wordOf[p]] + 1]++;
    for (let s = 0; s < order.length; s++) wordStart[s + 1] += wordStart[s];
    const fill = wordStart.slice(0, order.length);
    const postings = new Int32Array(this.length);
    for (let p = 0; p < this.length; p++) postings[fill[sortedId[this.wordOf[p]]]++] = this.values[p];
    return new PostingList(sorted, wordStart, postings);
  }
}

/** Strings sorted by UTF-16 code units (native sort, no comparator), with the original index of each. */
export function sortedOrder(strings: readonly string[]): { order: Int32Array; sorted: string[] } {
  // The first index of each distinct string, and the next index of the same string (a chain, in index order): no
  // array per string, which cost 100,000 small arrays for the keys of a large file.
  const first = new Map<string, number>();
  const next = new Int32Array(strings.length).fill(-1);
  for (let i = strings.length - 1; i >= 0; i--) {
    const head = first.get(strings[i]);
    if (head !== undefined) next[i] = head;
    first.set(strings[i], i);
  }
  const distinct = Array.from(first.keys()).sort();
  const order = new Int32Array(strings.length);
  const sorted: string[] = new Array<string>(strings.length);
  let n = 0;
  for (const value of distinct) {
    for (let i = first.get(value) as number; i >= 0; i = next[i]) {
      order[n] = i;
      sorted[n++] = value;
    }
  }
  return { order, sorted };
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

function asciiLower(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

function sameAsciiLower(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) !== asciiLower(text.charCodeAt(start + i))) return false;
  }
  return true;
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
