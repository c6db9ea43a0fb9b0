// The language server's formatting thread: citation-js formats references and builds style engines here, so that
// building APA's engine (about half a second, in one piece) never holds up a request on the main thread.
import { parentPort } from 'node:worker_threads';
import { formatInput, inThreadEngine, type FormatInput, type StyleSpec } from '../bibliography/format';

export type FormatWorkerRequest =
  | { id: number; kind: 'format'; input: FormatInput; style: StyleSpec }
  | { id: number; kind: 'warmUp'; style: StyleSpec };

export type FormatWorkerReply = { id: number; result: unknown } | { id: number; error: string };

const port = parentPort;
port?.on('message', (request: FormatWorkerRequest) => {
  void (async () => {
    try {
      const result = request.kind === 'format' ? formatInput(request.input, request.style) : await inThreadEngine.warmUp(request.style);
      port.postMessage({ id: request.id, result: result ?? null } satisfies FormatWorkerReply);
    } catch (error) {
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies FormatWorkerReply);
    }
  })();
});
