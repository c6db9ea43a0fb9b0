// Decides whether a crashed language server is restarted: up to `maxRestarts` crashes within a time window,
// then it stays down until the user asks for a restart. Pure: no vscode import.

export type CrashDecision = { action: 'restart'; attempt: number } | { action: 'give-up'; crashes: number };

export class CrashPolicy {
  private crashTimes: number[] = [];

  constructor(
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  recordCrash(): CrashDecision {
    const time = this.now();
    this.crashTimes = this.crashTimes.filter((crash) => time - crash < this.windowMs);
    this.crashTimes.push(time);
    const crashes = this.crashTimes.length;
    return crashes <= this.maxRestarts ? { action: 'restart', attempt: crashes } : { action: 'give-up', crashes };
  }

  /** After a restart the user asked for, the server gets a fresh allowance. */
  reset(): void {
    this.crashTimes = [];
  }
}
