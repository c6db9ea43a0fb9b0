// HTTP to a running Zotero: Better BibTeX's JSON-RPC 2.0 calls and plain GETs of Zotero's local API, each with a hard
// timeout. Nothing here throws: every outcome, failures included, is a value the connection can report once.

/** Why a request to Zotero gave no answer. `unreachable` and `timeout` mean Zotero itself is not there (or hung). */
export type ZoteroFailure =
  | { kind: 'unreachable'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'http'; status: number; message: string }
  | { kind: 'malformed'; message: string }
  | { kind: 'rpc'; code: number; message: string };

export type ZoteroAnswer<T> = { ok: true; value: T } | { ok: false; failure: ZoteroFailure };

/** The JSON-RPC endpoint Better BibTeX registers on Zotero's server (content/json-rpc.ts, `startup`). */
export const JSON_RPC_PATH = '/better-bibtex/json-rpc';

let nextRequestId = 1;

/** `http://host:port/` → `http://host:port` so paths can be appended. */
export function baseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Calls `method` with positional `params`. An answer with `error` (BBT answers errors with HTTP 200) is a failure. */
export async function callJsonRpc(url: string, method: string, params: unknown[], timeoutMs: number, signal?: AbortSignal): Promise<ZoteroAnswer<unknown>> {
  const body = JSON.stringify({ jsonrpc: '2.0', method, params, id: nextRequestId++ });
  const response = await request(`${baseUrl(url)}${JSON_RPC_PATH}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, timeoutMs, signal);
  if (!response.ok) return response;
  const { status, text } = response.value;
  if (status !== 200) return { ok: false, failure: { kind: 'http', status, message: `HTTP ${status} from ${method}${text ? `: ${firstLine(text)}` : ''}` } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, failure: { kind: 'malformed', message: `${method} answered with something that is not JSON: ${firstLine(text) || '(empty)'}` } };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, failure: { kind: 'malformed', message: `${method} answered with JSON that is not a JSON-RPC response` } };
  }
  const envelope = parsed as { result?: unknown; error?: { code?: unknown; message?: unknown } };
  if (envelope.error && typeof envelope.error === 'object') {
    const code = typeof envelope.error.code === 'number' ? envelope.error.code : 0;
    const message = typeof envelope.error.message === 'string' ? envelope.error.message : 'no message';
    return { ok: false, failure: { kind: 'rpc', code, message: `${method} failed (JSON-RPC ${code}): ${firstLine(message)}` } };
  }
  if (!('result' in envelope)) return { ok: false, failure: { kind: 'malformed', message: `${method} answered with neither result nor error` } };
  return { ok: true, value: envelope.result };
}

/** GETs `path` (with its query) below the Zotero URL; any HTTP status is an answer. */
export async function getText(url: string, path: string, timeoutMs: number, signal?: AbortSignal): Promise<ZoteroAnswer<{ status: number; text: string }>> {
  return request(`${baseUrl(url)}${path}`, { method: 'GET', headers: { 'Zotero-API-Version': '3' } }, timeoutMs, signal);
}

async function request(target: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<ZoteroAnswer<{ status: number; text: string }>> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const stop = (): void => controller.abort();
  signal?.addEventListener('abort', stop);
  if (signal?.aborted) controller.abort();
  try {
    const response = await fetch(target, { ...init, signal: controller.signal });
    const text = await response.text();
    return { ok: true, value: { status: response.status, text } };
  } catch (error) {
    if (timedOut) return { ok: false, failure: { kind: 'timeout', message: `Zotero did not answer ${target} within ${timeoutMs} ms` } };
    return { ok: false, failure: { kind: 'unreachable', message: `cannot reach Zotero at ${target} (${describe(error)})` } };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}

/** fetch's own message is "fetch failed"; the reason (ECONNREFUSED, …) is in its cause. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0].trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
