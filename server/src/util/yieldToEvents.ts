// Slow work done in slices awaits this between slices, so that requests and other events waiting run first.
export function yieldToEvents(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
