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
