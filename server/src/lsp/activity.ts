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

/** Requests being answered now (started and not yet ended), and who waits for there to be none. */
let answering = 0;
let whenNoneAnswering: (() => void)[] = [];

export function requestStarted(): void {
  answering++;
}

export function requestEnded(): void {
  answering = Math.max(0, answering - 1);
  if (answering > 0) return;
  const waiting = whenNoneAnswering;
  whenNoneAnswering = [];
  for (const resolve of waiting) resolve();
}

/**
 * Resolves once no request is being answered, or after `atMostMs`. Requests that came with the caller's event (an
 * editor sends a completion request right behind the change that prompted it) are let in first.
 */
export async function afterRequests(atMostMs: number): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (answering === 0) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, atMostMs);
    whenNoneAnswering.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
