// Bounded edit distance: how far apart two keys are, giving up as soon as it exceeds a limit.

/** Levenshtein distance, or `limit + 1` as soon as it is certain to exceed `limit`. */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (current[j] < rowMin) rowMin = current[j];
    }
    if (rowMin > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * The least Levenshtein distance from `a` to a prefix of `b` whose length is within `limit` of `a`'s, or `limit + 1`
 * when every such prefix is farther: one table for all the prefixes (each is a column of the last row), in reused
 * rows, so a search that tries every word of a list allocates nothing.
 */
export function boundedPrefixEditDistance(a: string, b: string, limit: number): number {
  const width = Math.min(b.length, a.length + limit);
  if (width < a.length - limit) return limit + 1;
  if (rowA.length <= width) {
    rowA = new Int32Array(2 * (width + 1));
    rowB = new Int32Array(2 * (width + 1));
  }
  let previous = rowA;
  let current = rowB;
  for (let j = 0; j <= width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= width; j++) {
      const substitution = previous[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    const swap = previous;
    previous = current;
    current = swap;
  }
  let best = limit + 1;
  for (let cut = Math.max(0, a.length - limit); cut <= width; cut++) if (previous[cut] < best) best = previous[cut];
  return best;
}

/**
 * Levenshtein distances from one string to many: bit-parallel (Myers' algorithm in Hyyrö's form, one machine word
 * per column) when the string is at most 32 code units long, about ten times faster than a table; else the table.
 */
export class EditDistanceFrom {
  /** Per code unit below 256, the positions where the string has it, as bits; the rest in a map. */
  private readonly low = new Int32Array(256);
  private readonly high = new Map<number, number>();

  constructor(private readonly from: string) {
    if (from.length > 32) return;
    for (let i = 0; i < from.length; i++) {
      const c = from.charCodeAt(i);
      if (c < 256) this.low[c] |= 1 << i;
      else this.high.set(c, (this.high.get(c) ?? 0) | (1 << i));
    }
  }

  /** The distance to `to`, or `limit + 1` when it is more than `limit`. */
  bounded(to: string, limit: number): number {
    const m = this.from.length;
    const n = to.length;
    if (Math.abs(m - n) > limit) return limit + 1;
    if (m > 32) return Math.min(limit + 1, boundedEditDistance(this.from, to, limit));
    if (m === 0) return n;
    const last = 1 << (m - 1);
    // Vertical deltas of the current column as bit vectors (+1 and -1), and the bottom cell's value.
    let plus = -1;
    let minus = 0;
    let score = m;
    for (let j = 0; j < n; j++) {
      const c = to.charCodeAt(j);
      const eq = c < 256 ? this.low[c] : (this.high.get(c) ?? 0);
      const xv = eq | minus;
      const xh = ((((eq & plus) + plus) | 0) ^ plus) | eq;
      let hPlus = minus | ~(xh | plus);
      let hMinus = plus & xh;
      if (hPlus & last) score++;
      else if (hMinus & last) score--;
      // Each character left can lower the distance by one at most.
      if (score - (n - j - 1) > limit) return limit + 1;
      hPlus = (hPlus << 1) | 1;
      hMinus <<= 1;
      plus = hMinus | ~(xv | hPlus);
      minus = hPlus & xv;
    }
    return score <= limit ? score : limit + 1;
  }
}
