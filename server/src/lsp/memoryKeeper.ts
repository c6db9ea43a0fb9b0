// Editing a large open bibliography makes a new string of its whole text per change (115 MB for a 60 MB .bib).
// V8 collects the dead ones late, so memory grows by that much per keystroke and each new text lands on fresh
// pages (slow in virtual machines: a 60 ms copy becomes 300–400 ms). Once the user pauses, a full collection
// hands them back.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { quietFor } from './activity';

/**
 * Texts at least this long (UTF-16 code units) count as large: a 10k-entry .bib (6 M) edited back to back grew the
 * server from 340 to 870 MB before V8 collected on its own.
 */
const LARGE_TEXT = 1024 * 1024;
/** How long the user must pause before the collection runs. */
const QUIET_MS = 250;

/** V8's full collection, or undefined where it cannot be had. */
export function fullCollector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export class MemoryKeeper {
  private waiting = false;

  constructor(private readonly collect: (() => void) | undefined = fullCollector(), private readonly quietMs = QUIET_MS) {}

  /** An open document's text changed; `length` is its new length. */
  textChanged(length: number): void {
    if (length < LARGE_TEXT || this.waiting || !this.collect) return;
    this.waiting = true;
    void quietFor(this.quietMs).then(() => {
      this.waiting = false;
      this.collect?.();
    });
  }
}
