// The posting lists of the bibliography search index: distinct words in sorted order, each with the entries it occurs
// in as one contiguous slice, so a word prefix is one binary search and one range of postings.
import { boundedPrefixEditDistance } from '../util/editDistance';
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
      if (boundedPrefixEditDistance(token, word, limit) <= limit) out.push({ id, factor: 0.5 });
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

/** Beyond this many strings (20 bits of index) a packed sort key would not fit a double's 53 bits with a unit. */
const MOST_PACKED = 1 << 20;
/** Runs this short are sorted by comparing their strings. */
const SHORT_RUN = 16;

/**
 * Strings sorted by UTF-16 code units, equal strings in index order, with the original index of each. A radix sort
 * from the first code unit on: several code units of each string (each as its rank among the units the strings use)
 * and its place are packed into one number, so one numeric sort of a typed array orders a run; runs that agree on all
 * packed units go round again on the next units. About twice as fast as a string sort of 100,000 keys.
 */
export function sortedOrder(strings: readonly string[]): { order: Int32Array; sorted: string[] } {
  const n = strings.length;
  if (n < 256 || n > MOST_PACKED) return sortedOrderByStrings(strings);
  const rank = new Uint16Array(65536);
  for (const value of strings) for (let p = 0; p < value.length; p++) rank[value.charCodeAt(p)] = 1;
  let distinct = 0;
  for (let c = 0; c < rank.length; c++) if (rank[c]) rank[c] = ++distinct; // 0 stays "no unit here": sorts first
  const unitBits = Math.ceil(Math.log2(distinct + 1));
  const unitScale = 2 ** unitBits;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const byString = (a: number, b: number) => (strings[a] < strings[b] ? -1 : strings[a] > strings[b] ? 1 : 0);
  // Runs still to order: [start, end) of `order`, alike in their first `depth` units. A stack, not recursion.
  const runs: number[] = [0, n, 0];
  while (runs.length) {
    const depth = runs.pop() as number;
    const end = runs.pop() as number;
    const start = runs.pop() as number;
    const size = end - start;
    if (size <= SHORT_RUN) {
      // A stable sort: equal strings keep index order.
      order.set(Array.from(order.subarray(start, end)).sort(byString), start);
      continue;
    }
    const placeBits = Math.ceil(Math.log2(size));
    const placeScale = 2 ** placeBits;
    const units = Math.max(1, Math.floor((53 - placeBits) / unitBits));
    const keys = new Float64Array(size);
    for (let j = 0; j < size; j++) {
      const value = strings[order[start + j]];
      let key = 0;
      for (let p = depth; p < depth + units; p++) key = key * unitScale + (p < value.length ? rank[value.charCodeAt(p)] : 0);
      keys[j] = key * placeScale + j;
    }
    keys.sort();
    const before = order.slice(start, end);
    for (let j = 0; j < size; j++) order[start + j] = before[keys[j] % placeScale];
    // Runs alike in all these units go on to the next units, unless all of them end here (then they are equal).
    const next = depth + units;
    for (let j = 0; j < size;) {
      const prefix = Math.floor(keys[j] / placeScale);
      let longer = strings[order[start + j]].length > next;
      let k = j + 1;
      for (; k < size && Math.floor(keys[k] / placeScale) === prefix; k++) longer ||= strings[order[start + k]].length > next;
      if (k - j > 1 && longer) runs.push(start + j, start + k, next);
      j = k;
    }
  }
  const sorted: string[] = new Array<string>(n);
  for (let r = 0; r < n; r++) sorted[r] = strings[order[r]];
  return { order, sorted };
}

/** `sortedOrder` by a string sort alone: for few strings, or too many to pack (and for tests to compare). */
export function sortedOrderByStrings(strings: readonly string[]): { order: Int32Array; sorted: string[] } {
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
