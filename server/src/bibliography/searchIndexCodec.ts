// A finished search index's parts as bytes and back, for the on-disk index cache (workspace/indexCache.ts does the
// I/O). Decoding checks everything against the parsed file and answers undefined on any doubt, never a wrong index.
import { foldText } from '../util/fuzzy';
import type { BibliographyFile } from './bibliographyFile';
import { PostingList } from './postingList';
import { WordKind } from './entryWords';

/** Raised whenever the byte layout or what the parts hold changes: older cache files are then never read. */
export const INDEX_CACHE_FORMAT = 1;

/** What an index is made of: keys in sorted order (and where each came from), and the word lists by kind. */
export interface IndexParts {
  order: Int32Array;
  sorted: string[];
  lists: PostingList[];
}

/** What a cache file must say about itself to be used for a file: all of it is compared on load. */
export interface IndexCacheHeader {
  /** Digest of the file's bytes. */
  contentKey: string;
  /** The citekeys version that wrote it (`dev` for an unbundled build). */
  codeVersion: string;
  /** How the bytes were read (`bibtex`, `csl-json`, …): the same bytes read another way index differently. */
  format: string;
  entries: number;
}

/** One posting list per kind of word: a file with another count is from other code. */
const WORD_KINDS = Object.values(WordKind).filter((value) => typeof value === 'number').length;
const MAGIC = 0x58494b43; // 'CKIX' read little-endian
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Strings joined and encoded per step (100,000 keys in one join took 10–25 ms). */
const TEXT_STEP = 20_000;

/**
 * The bytes of an index's parts: magic, format, a JSON header, the key order and the sorted folded keys, then per
 * word kind the words, word starts and postings; strings as UTF-16 lengths and UTF-8 text, every array 4-byte
 * aligned. Undefined when the parts cannot be stored exactly (a lone surrogate, a big-endian machine).
 */
export function encodeIndexParts(parts: IndexParts, header: IndexCacheHeader): Uint8Array | undefined {
  const steps = encodeIndexPartsInSteps(parts, header);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `encodeIndexParts` in steps of a few milliseconds at 100,000 entries (the folded keys' text, each kind's words,
 * then each kind's arrays), so a caller on the request thread can let requests through between them.
 */
export function* encodeIndexPartsInSteps(
  parts: IndexParts, header: IndexCacheHeader, textStep = TEXT_STEP,
): Generator<void, Uint8Array | undefined, void> {
  if (!LITTLE_ENDIAN || parts.order.length !== header.entries || parts.lists.length !== WORD_KINDS) return undefined;
  const encoder = new TextEncoder();
  const headerBytes = encoder.encode(JSON.stringify({ ...header, kinds: parts.lists.length }));
  const texts: Uint8Array[] = [];
  for (const strings of [parts.sorted, ...parts.lists.map((list) => list.words)]) {
    // In stretches of strings (a lone surrogate is one in its string, so checking each stretch finds every one).
    const pieces: Uint8Array[] = [];
    for (let from = 0; from < strings.length || from === 0; from += textStep) {
      const joined = strings.slice(from, from + textStep).join('');
      if (hasLoneSurrogate(joined)) return undefined;
      pieces.push(encoder.encode(joined));
      yield;
    }
    texts.push(concatBytes(pieces));
  }
  let size = 12 + align(headerBytes.length) + 4 * parts.order.length + 4 + 4 * parts.sorted.length + align(texts[0].length);
  parts.lists.forEach((list, k) => {
    size += 12 + 4 * list.words.length + align(texts[k + 1].length) + 4 * list.wordStart.length + 4 * list.postings.length;
  });
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const u32 = (value: number) => {
    view.setUint32(at, value, true);
    at += 4;
  };
  const raw = (data: Uint8Array) => {
    bytes.set(data, at);
    at += align(data.length);
  };
  const ints = (data: Int32Array) => raw(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  u32(MAGIC);
  u32(INDEX_CACHE_FORMAT);
  u32(headerBytes.length);
  raw(headerBytes);
  ints(parts.order);
  u32(texts[0].length);
  ints(lengthsOf(parts.sorted));
  raw(texts[0]);
  // A step per kind here too: the first writes into a new 10 MB buffer fault its pages in (tens of milliseconds).
  for (let k = 0; k < parts.lists.length; k++) {
    yield;
    const list = parts.lists[k];
    u32(list.words.length);
    u32(list.postings.length);
    u32(texts[k + 1].length);
    ints(lengthsOf(list.words));
    raw(texts[k + 1]);
    ints(list.wordStart);
    ints(list.postings);
  }
  return at === size ? bytes : undefined;
}

/**
 * The parts stored in `bytes` when they are whole and belong to `file` as `expected` describes it: same header,
 * as many entries, the stored sorted keys exactly the file's folded keys in the stored order (which sorts them as a
 * build would), words strictly sorted, postings in range, nothing left over. Undefined otherwise; never throws.
 */
export function decodeIndexParts(bytes: Uint8Array, file: BibliographyFile, expected: IndexCacheHeader): IndexParts | undefined {
  try {
    return LITTLE_ENDIAN ? decode(bytes, file, expected) : undefined;
  } catch {
    return undefined;
  }
}

function decode(input: Uint8Array, file: BibliographyFile, expected: IndexCacheHeader): IndexParts | undefined {
  // Typed views need 4-byte alignment; a small file read into a pooled buffer may not have it.
  const bytes = input.byteOffset % 4 === 0 ? input : input.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const fits = (length: number) => length >= 0 && at + length <= bytes.length;
  const u32 = (): number => {
    if (!fits(4)) throw new RangeError('truncated');
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const raw = (length: number): Uint8Array => {
    if (!fits(align(length))) throw new RangeError('truncated');
    const data = bytes.subarray(at, at + length);
    at += align(length);
    return data;
  };
  const ints = (count: number): Int32Array => {
    const data = raw(4 * count);
    return new Int32Array(data.buffer, data.byteOffset, count);
  };
  if (u32() !== MAGIC || u32() !== INDEX_CACHE_FORMAT) return undefined;
  const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw(u32()))) as Record<string, unknown>;
  const n = file.entries.length;
  if (header.contentKey !== expected.contentKey || header.codeVersion !== expected.codeVersion || header.format !== expected.format
    || header.entries !== expected.entries || header.entries !== n || header.kinds !== WORD_KINDS) return undefined;

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const order = ints(n);
  const keysLength = u32();
  const sorted = sortedKeysOf(file, order, ints(n), decoder.decode(raw(keysLength)));
  if (!sorted) return undefined;

  const lists: PostingList[] = [];
  for (let k = 0; k < WORD_KINDS; k++) {
    const wordCount = u32();
    const postingCount = u32();
    const textLength = u32();
    const lengths = ints(wordCount);
    const text = decoder.decode(raw(textLength));
    const wordStart = ints(wordCount + 1);
    const postings = ints(postingCount);
    const words = wordsOf(lengths, text);
    if (!words || !validPostings(wordStart, postings, n)) return undefined;
    lists.push(new PostingList(words, wordStart, postings));
  }
  return at === bytes.length ? { order, sorted, lists } : undefined;
}

/**
 * The file's folded keys in `order`, when they are exactly the stored keys (`lengths`, `text`) and `order` is a
 * permutation of the entries that sorts them by UTF-16 code units, equal keys in entry order, as sortedOrder does.
 */
function sortedKeysOf(file: BibliographyFile, order: Int32Array, lengths: Int32Array, text: string): string[] | undefined {
  const n = file.entries.length;
  // Folded in entry order, then gathered: folding in key order would visit the entries in random order, twice as slow.
  const folded = new Array<string>(n);
  for (let i = 0; i < n; i++) folded[i] = foldText(file.entries[i].key);
  const seen = new Uint8Array(n);
  const sorted = new Array<string>(n);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (i < 0 || i >= n || seen[i] || folded[i].length !== lengths[r]) return undefined;
    seen[i] = 1;
    sorted[r] = folded[i];
  }
  for (let r = 1; r < n; r++) {
    if (sorted[r - 1] > sorted[r] || (sorted[r - 1] === sorted[r] && order[r - 1] > order[r])) return undefined;
  }
  // One comparison of the joined keys: cheaper than cutting the stored text into a string per key.
  return sorted.join('') === text ? sorted : undefined;
}

/** The words cut from `text` by their lengths, when they add up and are strictly sorted; else undefined. */
function wordsOf(lengths: Int32Array, text: string): string[] | undefined {
  const words = new Array<string>(lengths.length);
  let at = 0;
  for (let w = 0; w < lengths.length; w++) {
    const length = lengths[w];
    if (length < 0 || at + length > text.length) return undefined;
    words[w] = text.slice(at, at + length);
    at += length;
    if (w > 0 && !(words[w - 1] < words[w])) return undefined;
  }
  return at === text.length ? words : undefined;
}

function concatBytes(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  const whole = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    whole.set(piece, at);
    at += piece.length;
  }
  return whole;
}

function lengthsOf(strings: readonly string[]): Int32Array {
  const lengths = new Int32Array(strings.length);
  for (let i = 0; i < strings.length; i++) lengths[i] = strings[i].length;
  return lengths;
}

/** Word starts rising from 0 to the end of the postings, every posting an entry of the file. */
function validPostings(wordStart: Int32Array, postings: Int32Array, entries: number): boolean {
  if (wordStart[0] !== 0 || wordStart[wordStart.length - 1] !== postings.length) return false;
  for (let w = 1; w < wordStart.length; w++) if (wordStart[w] < wordStart[w - 1]) return false;
  for (let p = 0; p < postings.length; p++) if (postings[p] < 0 || postings[p] >= entries) return false;
  return true;
}

/** Whether UTF-8 would not keep `text` as it is (a surrogate without its partner). */
function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

function align(length: number): number {
  return (length + 3) & ~3;
}
