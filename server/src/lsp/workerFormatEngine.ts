// Formats references in a worker thread (lsp/formatWorker.ts). If the worker cannot start, dies or stops
// answering, formatting carries on in this thread, so a hover never waits forever and never loses its reference.
import { Worker } from 'node:worker_threads';
import { inThreadEngine, type FormatEngine, type FormatInput, type FormattedReference, type StyleSpec } from '../bibliography/format';
import type { FormatWorkerReply, FormatWorkerRequest } from './formatWorker';

/** After this many failed or dead workers, stop starting new ones. */
const MAX_WORKER_FAILURES = 3;
/** A worker idle this long exits (see quietExitMs). */
const QUIET_EXIT_MS = 10 * 60_000;
/**
 * The worker's young generation: V8's default lets it grow to 32 MB, which citeproc's short-lived garbage fills and
 * keeps. 8 MB saves those 20 MB, with style engines built and hovers formatted as fast.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };
type Request = { kind: 'format'; input: FormatInput; style: StyleSpec } | { kind: 'warmUp'; style: StyleSpec };

export class WorkerFormatEngine implements FormatEngine {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failures = 0;

  constructor(
    /** The worker's script (dist/formatWorker.js beside the bundled server). */
    private readonly script: string,
    private readonly onProblem: (message: string) => void = () => undefined,
    /** A format that takes longer than this is given up on (the worker is replaced) and formatted here instead. */
    private readonly timeoutMs = 20_000,
    private readonly fallback: FormatEngine = inThreadEngine,
    /**
     * A worker asked nothing for this long exits, handing back its memory (citation-js and its style engines);
     * the next hover starts a new one.
     */
    private readonly quietExitMs = QUIET_EXIT_MS,
  ) {}

  private quietTimer: NodeJS.Timeout | undefined;
  private readonly quietExitListeners: (() => void)[] = [];

  /** Resolves the next time a worker exits after its quiet spell (tests wait on it instead of polling). */
  nextQuietExit(): Promise<void> {
    return new Promise((resolve) => this.quietExitListeners.push(resolve));
  }

  /** Restarts the quiet-spell countdown; when it runs out with nothing pending, the worker exits. */
  private keepAlive(worker: Worker): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => {
      if (this.worker !== worker) return;
      if (this.pending.size) return this.keepAlive(worker);
      this.worker = undefined; // before terminating, so its exit is not taken for a failure
      void worker.terminate();
      for (const listener of this.quietExitListeners.splice(0)) listener();
    }, this.quietExitMs);
    this.quietTimer.unref();
  }

  /** True while a worker thread is running (for tests). */
  get hasWorker(): boolean {
    return this.worker !== undefined;
  }

  async format(input: FormatInput, style: StyleSpec): Promise<FormattedReference | { error: string }> {
    try {
      return (await this.call({ kind: 'format', input, style })) as FormattedReference | { error: string };
    } catch {
      return this.fallback.format(input, style);
    }
  }

  async warmUp(style: StyleSpec): Promise<void> {
    try {
      await this.call({ kind: 'warmUp', style });
    } catch {
      // The next format falls back or starts a new worker; nothing to warm here.
    }
  }

  /** True while formatting happens in the worker (false once it gave up on workers). */
  get usesWorker(): boolean {
    return this.failures < MAX_WORKER_FAILURES;
  }

  dispose(): void {
    clearTimeout(this.quietTimer);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private call(request: Request): Promise<unknown> {
    const worker = this.running();
    if (!worker) return Promise.reject(new Error('no formatting worker'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the formatting worker did not answer'));
        this.fail(worker, `citation formatting took over ${this.timeoutMs / 1000} s; restarting its worker`);
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.keepAlive(worker);
      worker.postMessage({ id, ...request } as FormatWorkerRequest);
    });
  }

  private running(): Worker | undefined {
    if (this.worker) return this.worker;
    if (this.failures >= MAX_WORKER_FAILURES) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(this.script, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    } catch (error) {
      this.failures = MAX_WORKER_FAILURES;
      this.onProblem(`citation formatting runs in the server's own thread: ${(error as Error).message}`);
      return undefined;
    }
    worker.unref();
    worker.on('message', (reply: FormatWorkerReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      clearTimeout(pending.timer);
      if ('error' in reply && !('result' in reply)) pending.reject(new Error(reply.error));
      else pending.resolve((reply as { result: unknown }).result);
      this.keepAlive(worker);
    });
    worker.on('error', (error) => this.fail(worker, `the citation formatting worker failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(worker, `the citation formatting worker stopped (exit code ${code})`);
    });
    this.worker = worker;
    return worker;
  }

  private fail(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failures++;
    void worker.terminate();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(message));
      this.pending.delete(id);
    }
    this.onProblem(this.failures >= MAX_WORKER_FAILURES ? `${message}; formatting continues in the server's own thread` : message);
  }
}
