// When the user last did something the server answers (a request, an edit), so that work which cannot pause
// halfway (building a citation style's engine, ~0.5 s for APA) waits for a lull instead of delaying an answer.
let lastActivity = 0;

export function noteActivity(): void {
  lastActivity = performance.now();
}

/** Resolves once no request or edit has arrived for `ms` milliseconds. */
export async function quietFor(ms: number): Promise<void> {
  for (;;) {
    const wait = lastActivity + ms - performance.now();
    if (wait <= 0) return;
    await new Promise<void>((resolve) => setTimeout(resolve, wait).unref());
  }
}
