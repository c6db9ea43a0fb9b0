// Binary search over anything sorted: the first index whose item is not below what is looked for.

/** The first index in [0, count) for which `isBelow(index)` is false (items must be below first, then not), or `count`. */
export function lowerBound(count: number, isBelow: (index: number) => boolean): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (isBelow(mid)) low = mid + 1;
    else high = mid;
  }
  return low;
}
