// Interned lower-cased entry types and field names for one scan: 100,000 entries share a handful of strings,
// and a name seen before costs a hash and a compare instead of a slice and a toLowerCase.

import { detached } from '../../util/detached';

interface InternedName {
  raw: string;
  lower: string;
  next: InternedName | undefined;
}

export class LowerCaseNames {
  private readonly byHash = new Map<number, InternedName>();
  private size = 0;

  /** `capacity` bounds the cache, so a file full of odd names cannot make it big; names past it are still lower-cased. */
  constructor(private readonly text: string, private readonly capacity = 2048) {}

  /** The lower-cased text of [start, end). */
  get(start: number, end: number): string {
    const text = this.text;
    const length = end - start;
    let hash = length;
    for (let p = start; p < end; p++) hash = (Math.imul(hash, 31) + text.charCodeAt(p)) | 0;
    const first = this.byHash.get(hash);
    for (let name = first; name !== undefined; name = name.next) {
      if (name.raw.length === length && text.startsWith(name.raw, start)) return name.lower;
    }
    const raw = detached(text.slice(start, end));
    const lower = detached(raw.toLowerCase());
    if (this.size < this.capacity) {
      this.byHash.set(hash, { raw, lower, next: first });
      this.size++;
    }
    return lower;
  }
}
