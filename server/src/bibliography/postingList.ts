// The posting lists of the bibliography search index: distinct words in sorted order, each with the entries it occurs
// in as one contiguous slice, so a word prefix is one binary search and one range of postings.
import { boundedEditDistance } from '../util/editDistance';
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

/** Collects (word, posting) pairs, then lays postings out in sorted word order so a prefix is one contiguous slice. */
export class PostingCollector {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];
  private wordOf: Int32Array<ArrayBuffer> = new Int32Array(1 << 16);
  private values: Int32Array<ArrayBuffer> = new Int32Array(1 << 16);
  private length = 0;

  add(word: string, posting: number): void {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(word, id);
      this.list.push(word);
    }
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

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
