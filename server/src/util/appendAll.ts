// Appends one list to another without spreading it into call arguments, which overflows the stack on long lists.

/** `target.push(...items)` for lists of any length: spreading 100,000+ items as arguments throws a RangeError. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
