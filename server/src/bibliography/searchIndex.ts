// Fuzzy search over one bibliography's entries for completion: key prefixes by binary search over sorted keys, and
// field words (authors' family names, title, year, container, DOI) through a prefix-searchable inverted index.
import { foldText, lowerBound, prefixRange, searchWords } from '../util/fuzzy';
import type { BibliographyFile, EntryDefinition } from './bibliographyFile';
import { entryWords, WordKind, type AsciiWordVisitor, type WordVisitor } from './entryWords';
import { PostingCollector, type PostingList, sortedOrder } from './postingList';
import type { IndexParts } from './searchIndexCodec';

const KIND_WEIGHT = [24, 32, 28, 20, 12, 6, 6];
/**
 * Kinds by falling weight. Even with the whole-word bonus a kind never outweighs the one before it, so a one-word
 * query that has filled the list from the first kinds can stop without looking at the rest.
 */
const KINDS_BY_WEIGHT = [WordKind.FirstAuthor, WordKind.Author, WordKind.Key, WordKind.Year, WordKind.Title, WordKind.Container, WordKind.Doi];
/** A word equal to the query word (not only starting with it) counts a little more. */
const WHOLE_WORD_BONUS = 3;

/** Tiers, best first: the exact key, the first author's family name word for word, a key prefix, field words. */
const EXACT_KEY_SCORE = 4000;
const FIRST_AUTHOR_SCORE = 3000;
const KEY_PREFIX_SCORE = 2000;
const FIELD_MATCH_SCORE = 1000;
/** Added for preferred keys (those already cited in the document). */
export const PREFERRED_BONUS = 500;

/** Query words at least this long also match words one typo away (two from 8 letters) when nothing matches exactly. */
const TYPO_MIN_LENGTH = 5;

export interface SearchHit {
  entry: EntryDefinition;
  /** Higher is better; comparable across indexes. */
  score: number;
}

export interface SearchResult {
  /** Best first, at most `limit`. */
  hits: SearchHit[];
  /** True when more entries matched than were returned. */
  capped: boolean;
}

const indexes = new WeakMap<BibliographyFile, BibliographySearchIndex>();

/**
 * The search index of a parsed file, built on first use; a re-parsed file is a new object and gets a new index.
 * A file re-parsed after an edit that kept every key borrows its predecessor's index until `prepareSearchIndex`
 * has built its own: only the edited entries' words are stale meanwhile, and typing never waits for a rebuild.
 */
export function searchIndexOf(file: BibliographyFile): BibliographySearchIndex {
  let index = indexes.get(file);
  if (!index) {
    const previous = file.previous && indexes.get(file.previous);
    const edited = file.edited;
    index = previous && edited && edited.oldCount === edited.newCount
      ? previous.rebound(file, edited.from, edited.from + edited.newCount)
      : new BibliographySearchIndex(file, buildParts(collectWords(file, 0, file.entries.length)));
    indexes.set(file, index);
  }
  return index;
}

/** Files whose own index `prepareSearchIndex` is building, and their keys-only stand-ins meanwhile. */
const preparing = new WeakMap<BibliographyFile, BibliographySearchIndex | undefined>();

/**
 * The index completion searches while typing: the file's own (or borrowed) index; while `prepareSearchIndex` is
 * still building it, an index of the keys alone (every key completes; `partial`, so answers say they are incomplete),
 * instead of building the whole index inside the request.
 */
export function typingSearchIndexOf(file: BibliographyFile): BibliographySearchIndex {
  if (indexes.has(file) || !preparing.has(file)) return searchIndexOf(file);
  let keysOnly = preparing.get(file);
  if (!keysOnly) {
    keysOnly = new BibliographySearchIndex(file, buildParts(collectWords(file, 0, 0), true), undefined, undefined, true);
    preparing.set(file, keysOnly);
  }
  return keysOnly;
}

/** Whether a file's own index is built (not borrowed), e.g. for tests and status. */
export function hasOwnSearchIndex(file: BibliographyFile): boolean {
  const index = indexes.get(file);
  return !!index && !index.isBorrowed;
}

/** How `prepareSearchIndex` ended: the index built, taken from a cache, or not made (replaced, or built meanwhile). */
export type PreparedFrom = 'built' | 'cache' | 'stopped';

/**
 * Builds a file's own index in slices of entries, awaiting `pause()` between them, so requests keep being answered.
 * `cached`, when given, is asked first for finished parts (checked against the file by whoever read them); the
 * keys-only stand-in serves completion while it answers.
 */
export async function prepareSearchIndex(
  file: BibliographyFile, pause: () => Promise<void>, sliceSize = 1000, stillWanted: () => boolean = () => true,
  cached?: () => Promise<IndexParts | undefined>,
): Promise<PreparedFrom> {
  if (hasOwnSearchIndex(file)) return 'stopped';
  if (!preparing.has(file)) preparing.set(file, undefined);
  // After each pause: stop when the index got built meanwhile, or when the file was replaced by a newer version
  // (holding on would keep the old version's whole text alive for nothing).
  const stop = () => hasOwnSearchIndex(file) || !stillWanted();
  try {
    const parts = cached && await cached();
    if (stop()) return 'stopped';
    if (parts) {
      indexes.set(file, new BibliographySearchIndex(file, parts));
      file.previous = undefined;
      return 'cache';
    }
    const words = collectWords(file, 0, 0);
    for (let from = 0; from < file.entries.length; from += sliceSize) {
      await pause();
      if (stop()) return 'stopped';
      addWords(file, words, from, Math.min(file.entries.length, from + sliceSize));
    }
    // Sorting the words of each kind, then the keys, one step at a time: together they would hold up typing.
    const lists: PostingList[] = [];
    for (const collector of words.collectors) {
      await pause();
      if (stop()) return 'stopped';
      lists.push(collector.build());
    }
    await pause();
    if (stop()) {
      file.previous = undefined;
      return 'stopped';
    }
    // The keys-only stand-in, when one was made meanwhile, has sorted the same file's keys already.
    const keysOnly = preparing.get(file);
    indexes.set(file, new BibliographySearchIndex(file, { ...(keysOnly ? keysOnly.keyParts() : sortedKeys(words.folded)), lists }));
    file.previous = undefined;
    return 'built';
  } finally {
    preparing.delete(file);
  }
}

/** Makes `parts` (read from a cache, checked against the file) the file's own index, unless it has one; true if so. */
export function installSearchIndex(file: BibliographyFile, parts: IndexParts): boolean {
  if (hasOwnSearchIndex(file)) return false;
  indexes.set(file, new BibliographySearchIndex(file, parts));
  file.previous = undefined;
  return true;
}

/** The parts of a file's own finished index (not a borrowed or keys-only one), e.g. to store them in a cache. */
export function ownSearchIndexParts(file: BibliographyFile): IndexParts | undefined {
  const index = indexes.get(file);
  return index && !index.isBorrowed && !index.partial ? index.parts() : undefined;
}

interface CollectedWords {
  collectors: PostingCollector[];
  folded: string[];
}

function collectWords(file: BibliographyFile, from: number, to: number): CollectedWords {
  const words: CollectedWords = { collectors: KIND_WEIGHT.map(() => new PostingCollector()), folded: new Array<string>(file.entries.length) };
  for (let i = 0; i < file.entries.length; i++) words.folded[i] = foldText(file.entries[i].key);
  addWords(file, words, from, to);
  return words;
}

function addWords(file: BibliographyFile, words: CollectedWords, from: number, to: number): void {
  let current = from;
  const visit: WordVisitor = (word, kind) => {
    words.collectors[kind].add(word, current);
  };
  const visitAscii: AsciiWordVisitor = (text, start, end, kind) => {
    words.collectors[kind].addAscii(text, start, end, current);
  };
  for (; current < to; current++) entryWords(file, file.entries[current], visit, visitAscii);
}

function sortedKeys(folded: string[]): { order: Int32Array; sorted: string[] } {
  return sortedOrder(folded);
}

/** The parts of an index from collected words; `keysOnly` leaves the word lists empty. */
function buildParts(words: CollectedWords, keysOnly = false): IndexParts {
  const lists = keysOnly ? words.collectors.map(() => new PostingCollector().build()) : words.collectors.map((collector) => collector.build());
  return { ...sortedKeys(words.folded), lists };
}

export class BibliographySearchIndex {
  private readonly entries: readonly EntryDefinition[];
  /** Folded keys in sorted order, and the entry each belongs to. */
  private readonly sortedKeys: string[];
  private readonly keyOrder: Int32Array;
  /** Position of each entry in key order: the tie-breaker between equal scores. */
  private readonly keyRank: Int32Array;
  /** One word → entries list per WordKind. */
  private readonly lists: PostingList[];
  private positions: Map<EntryDefinition, number> | undefined;

  /** Positions whose entries changed since the borrowed word lists were built: matched directly, never via lists. */
  private readonly dirty: ReadonlySet<number>;

  constructor(
    readonly file: BibliographyFile, parts: IndexParts | undefined, borrowed?: BibliographySearchIndex, dirty: ReadonlySet<number> = new Set(),
    /** True for the keys-only stand-in used while the whole index is built: every answer says it is incomplete. */
    readonly partial = false,
  ) {
    this.entries = file.entries;
    this.isBorrowed = !!borrowed;
    this.dirty = dirty;
    if (borrowed) {
      ({ sortedKeys: this.sortedKeys, keyOrder: this.keyOrder, keyRank: this.keyRank, lists: this.lists } = borrowed);
      return;
    }
    const { order, sorted, lists } = parts as IndexParts;
    const n = this.entries.length;
    this.keyOrder = order;
    this.sortedKeys = sorted;
    this.keyRank = new Int32Array(n);
    for (let r = 0; r < n; r++) this.keyRank[this.keyOrder[r]] = r;
    this.lists = lists;
  }

  /** True when the word lists belong to the file this one was re-parsed from. */
  readonly isBorrowed: boolean;

  /**
   * This index's word lists over the entries of `file`, an edited copy with as many entries, whose entries
   * [from, to) changed: those are matched directly until the file's own index is built.
   */
  rebound(file: BibliographyFile, from: number, to: number): BibliographySearchIndex {
    const dirty = new Set(this.dirty);
    for (let i = from; i < to; i++) dirty.add(i);
    return new BibliographySearchIndex(file, undefined, this, dirty);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The folded keys in sorted order and the entry each belongs to (shared, never changed). */
  keyParts(): { order: Int32Array; sorted: string[] } {
    return { order: this.keyOrder, sorted: this.sortedKeys };
  }

  /** Everything the index is made of (shared, never changed). */
  parts(): IndexParts {
    return { order: this.keyOrder, sorted: this.sortedKeys, lists: this.lists };
  }

  /** The folded search words of an entry (key, family names, year, title, container, DOI), computed on demand. */
  searchText(entry: EntryDefinition): string {
    const words: string[] = [];
    entryWords(this.file, entry, (word) => {
      words.push(word);
    });
    return words.join(' ');
  }

  private positionOf(entry: EntryDefinition): number {
    if (!this.positions) {
      this.positions = new Map();
      for (let i = 0; i < this.entries.length; i++) this.positions.set(this.entries[i], i);
    }
    return this.positions.get(entry) ?? -1;
  }

  /** Entries in key order, skipping `skip` keys; for the empty query. */
  firstInKeyOrder(limit: number, skip: ReadonlySet<string> = new Set()): SearchResult {
    const hits: SearchHit[] = [];
    let r = 0;
    for (; r < this.keyOrder.length && hits.length < limit; r++) {
      const entry = this.entries[this.keyOrder[r]];
      if (!skip.has(entry.key)) hits.push({ entry, score: 0 });
    }
    return { hits, capped: r < this.keyOrder.length };
  }

  /**
   * Entries matching a query, best first: the exact key, then entries whose first author's family name has every
   * query word as a whole word, then keys starting with the query, then entries whose field words start with every
   * query word (accent- and case-insensitive; typo-tolerant as a last resort).
   * `preferred` keys (already cited) rank first within their tier.
   */
  search(query: string, limit: number, preferred: ReadonlySet<string> = new Set()): SearchResult {
    const result = this.searchLists(query, limit, preferred);
    if (this.partial) result.capped = true;
    if (!this.dirty.size) return result;
    const folded = foldText(query.normalize('NFC')).trim();
    if (!folded) return result;
    const extra = this.searchDirty(folded, preferred);
    if (!extra.length) return result;
    const hits = [...result.hits, ...extra].sort((a, b) => b.score - a.score);
    return { hits: hits.slice(0, limit), capped: result.capped || hits.length > limit };
  }

  /** Entries edited since the word lists were built, scored like the tiers below but from their own words. */
  private searchDirty(folded: string, preferred: ReadonlySet<string>): SearchHit[] {
    const tokens = searchWords(folded);
    const hits: SearchHit[] = [];
    for (const i of this.dirty) {
      const entry = this.entries[i];
      const bonus = preferred.has(entry.key) ? PREFERRED_BONUS : 0;
      const key = foldText(entry.key);
      const best = new Array<number>(tokens.length).fill(0);
      const firstAuthor = new Set<string>();
      entryWords(this.file, entry, (word, kind) => {
        if (kind === WordKind.FirstAuthor) firstAuthor.add(word);
        tokens.forEach((token, t) => {
          if (word.startsWith(token)) best[t] = Math.max(best[t], KIND_WEIGHT[kind] + (word === token ? WHOLE_WORD_BONUS : 0));
        });
      });
      const tier = key === folded ? EXACT_KEY_SCORE
        : tokens.length && tokens.every((token) => firstAuthor.has(token)) ? FIRST_AUTHOR_SCORE
          : key.startsWith(folded) ? KEY_PREFIX_SCORE
            : tokens.length && best.every((weight) => weight > 0) ? FIELD_MATCH_SCORE + best.reduce((a, b) => a + b, 0)
              : 0;
      if (tier) hits.push({ entry, score: tier + bonus });
    }
    return hits;
  }

  private searchLists(query: string, limit: number, preferred: ReadonlySet<string>): SearchResult {
    const folded = foldText(query.normalize('NFC')).trim();
    if (!folded) return this.firstInKeyOrder(limit);
    const n = this.entries.length;
    const taken = new Uint8Array(n);
    for (const i of this.dirty) taken[i] = 1; // their words in the lists are from before the edit
    const hits: SearchHit[] = [];
    const tokens = searchWords(folded);

    // Tier 1: the exact key. Tier 2: the first author's family name, every query word a whole word of it (`mill`
    // lists Mill's entries before Miller's `Mill07`). Tier 3: keys starting with the query. Each tier takes
    // preferred keys first, then key order; the tiers are ranges or sorted lists of key ranks.
    const [keyLow, keyHigh] = prefixRange(this.sortedKeys, folded);
    let exactHigh = keyLow;
    while (exactHigh < keyHigh && this.sortedKeys[exactHigh] === folded) exactHigh++;
    const firstAuthor = this.firstAuthorRanks(tokens);
    const preferredPositions: number[] = [];
    for (const key of preferred) {
      for (const entry of this.file.definitions(key)) {
        const i = this.positionOf(entry);
        if (i >= 0) preferredPositions.push(i);
      }
    }
    const takeTier = (score: number, holds: (rank: number) => boolean, from: number, to: number, ranks?: Int32Array): void => {
      for (const i of preferredPositions) {
        if (hits.length < limit && !taken[i] && holds(this.keyRank[i])) {
          taken[i] = 1;
          hits.push({ entry: this.entries[i], score: score + PREFERRED_BONUS });
        }
      }
      for (let r = from; r < to && hits.length < limit; r++) {
        const i = this.keyOrder[ranks ? ranks[r] : r];
        if (taken[i]) continue;
        taken[i] = 1;
        hits.push({ entry: this.entries[i], score });
      }
    };
    takeTier(EXACT_KEY_SCORE, (rank) => rank >= keyLow && rank < exactHigh, keyLow, exactHigh);
    takeTier(FIRST_AUTHOR_SCORE, (rank) => includesSorted(firstAuthor, rank), 0, firstAuthor.length, firstAuthor);
    takeTier(KEY_PREFIX_SCORE, (rank) => rank >= exactHigh && rank < keyHigh, exactHigh, keyHigh);
    if (hits.length >= limit) return { hits, capped: keyHigh - keyLow + firstAuthor.length > hits.length || tokens.length > 0 };
    if (tokens.length === 0) return { hits, capped: false };

    // Tier 4: every query word starts some field word (or, when nothing does, nearly starts one).
    const room = limit - hits.length;
    let fields = this.fieldMatches(tokens, taken, room, false);
    if (!fields && tokens.some((t) => t.length >= TYPO_MIN_LENGTH)) fields = this.fieldMatches(tokens, taken, room, true);
    if (!fields) return { hits, capped: false };
    const { score, matches } = fields;
    for (const key of preferred) {
      for (const entry of this.file.definitions(key)) {
        const i = this.positionOf(entry);
        if (i >= 0 && score[i] > 0) score[i] += PREFERRED_BONUS;
      }
    }
    for (const i of this.bestByScore(score, room)) hits.push({ entry: this.entries[i], score: FIELD_MATCH_SCORE + score[i] });
    return { hits, capped: fields.incomplete || matches > room };
  }

  /** Key ranks, sorted, of the entries whose first author's family name has every token as a whole word. */
  private firstAuthorRanks(tokens: string[]): Int32Array {
    const list = this.lists[WordKind.FirstAuthor];
    let ranks: Int32Array | undefined;
    for (const token of new Set(tokens)) {
      const id = list.wordId(token);
      if (id < 0) return new Int32Array(0);
      const postings = list.postings.subarray(list.wordStart[id], list.wordStart[id + 1]);
      const own = new Int32Array(postings.length);
      for (let p = 0; p < postings.length; p++) own[p] = this.keyRank[postings[p]];
      own.sort();
      ranks = ranks ? intersectSorted(ranks, own) : own;
    }
    return ranks ?? new Int32Array(0);
  }

  /**
   * Entries not yet `taken` where every token starts (or, with `typos`, nearly starts) a word, with summed field
   * weights (per token its best-weighted word). A one-word query that fills `room` from the heavier kinds skips
   * the rest: they could only rank lower, and the answer is marked incomplete anyway.
   */
  private fieldMatches(
    tokens: string[], taken: Uint8Array, room: number, typos: boolean,
  ): { score: Uint16Array; matches: number; incomplete: boolean } | undefined {
    const n = this.entries.length;
    const count = new Uint8Array(n);
    const score = new Uint16Array(n);
    const tokenBest = new Uint8Array(n);
    // Longest first: usually the most selective, so later words touch fewer live entries.
    const ordered = [...new Set(tokens)].sort((a, b) => b.length - a.length);
    let incomplete = false;
    for (let t = 0; t < ordered.length; t++) {
      const token = ordered[t];
      let matchedHere = 0;
      for (const kind of KINDS_BY_WEIGHT) {
        if (ordered.length === 1 && matchedHere >= room) {
          incomplete = true;
          break;
        }
        const list = this.lists[kind];
        for (const { id, factor } of list.matchingWords(token, typos && token.length >= TYPO_MIN_LENGTH)) {
          const weight = Math.round((KIND_WEIGHT[kind] + (list.words[id] === token ? WHOLE_WORD_BONUS : 0)) * factor);
          const stop = list.wordStart[id + 1];
          for (let p = list.wordStart[id]; p < stop; p++) {
            const i = list.postings[p];
            if (count[i] === t) {
              count[i] = t + 1;
              tokenBest[i] = weight;
              score[i] += weight;
              if (!taken[i]) matchedHere++;
            } else if (count[i] === t + 1 && weight > tokenBest[i]) {
              score[i] += weight - tokenBest[i];
              tokenBest[i] = weight;
            }
          }
        }
      }
      if (matchedHere === 0) return undefined;
    }
    let matches = 0;
    for (let i = 0; i < n; i++) {
      if (count[i] === ordered.length && !taken[i]) matches++;
      else score[i] = 0;
    }
    return matches ? { score, matches, incomplete } : undefined;
  }

  /**
   * The `room` entries with the best (non-zero) scores, then in key order, without sorting them all: find the
   * lowest score that still makes the cut, sort the few above it, and fill up with that score by walking the key order.
   */
  private bestByScore(score: Uint16Array, room: number): number[] {
    let max = 0;
    for (let i = 0; i < score.length; i++) if (score[i] > max) max = score[i];
    const perScore = new Uint32Array(max + 1);
    for (let i = 0; i < score.length; i++) perScore[score[i]]++;
    let threshold = max;
    for (let above = 0; threshold > 1 && above + perScore[threshold] < room; threshold--) above += perScore[threshold];
    const best: number[] = [];
    for (let i = 0; i < score.length; i++) if (score[i] > threshold) best.push(i);
    best.sort((a, b) => score[b] - score[a] || this.keyRank[a] - this.keyRank[b]);
    for (let r = 0; r < this.keyOrder.length && best.length < room; r++) {
      if (score[this.keyOrder[r]] === threshold) best.push(this.keyOrder[r]);
    }
    return best;
  }
}

/** Whether a sorted array holds `value` (binary search). */
function includesSorted(sorted: Int32Array, value: number): boolean {
  const at = lowerBound<number>(sorted, value);
  return at < sorted.length && sorted[at] === value;
}

/** The values two sorted arrays share, sorted, each once. */
function intersectSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      if (out[out.length - 1] !== a[i]) out.push(a[i]);
      i++;
      j++;
    }
  }
  return Int32Array.from(out);
}
