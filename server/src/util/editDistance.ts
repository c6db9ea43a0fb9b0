// "Did you mean": bounded edit distance and the closest keys to a misspelt one.

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

/** Up to `max` keys closest to `key` (case-insensitive), nearest first; none further than a third of its length. */
export function closestKeys(key: string, candidates: Iterable<string>, max = 3): string[] {
  const wanted = key.toLowerCase();
  const limit = Math.max(1, Math.min(4, Math.floor(wanted.length / 3)));
  const found: { key: string; distance: number }[] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = lower === wanted ? 0 : boundedEditDistance(wanted, lower, limit);
    if (distance <= limit) found.push({ key: candidate, distance });
  }
  found.sort((x, y) => x.distance - y.distance || x.key.localeCompare(y.key));
  return [...new Set(found.map((f) => f.key))].slice(0, max);
}
