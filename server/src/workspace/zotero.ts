// A live Zotero as a bibliography source: finds it (Better BibTeX's JSON-RPC, else Zotero's local API), searches it
// within a time budget without ever blocking a request, and exports entries as BibLaTeX, BibTeX or CSL-JSON text.

import { callJsonRpc, getText, type ZoteroAnswer, type ZoteroFailure } from './zoteroHttp';
import { itemsFromBetterBibtex, itemsFromLocalApi, narrowed, rekeyBibtexEntry, searchTerms, type ZoteroItem } from './zoteroItems';

export type { ZoteroItem, ZoteroCsl } from './zoteroItems';

/** `connected`: Zotero answers; `unavailable`: it does not (retried once a minute); `disabled`: by the setting. */
export type ZoteroStatus = 'connected' | 'unavailable' | 'disabled';
/**
 * What answered: Better BibTeX, or Zotero's local API (Zotero 7, "Allow other applications on this computer to
 * communicate with Zotero"). The local API has no citation keys of its own: items without "Citation Key:" in Extra
 * get a made-up key (`stableKey: false`) that changes when the item's creator, title or year does.
 */
export type ZoteroBackend = 'better-bibtex' | 'local-api';
export type ZoteroExportFormat = 'biblatex' | 'bibtex' | 'csl-json';

export interface ZoteroSearchAnswer {
  items: ZoteroItem[];
  /** False when Zotero had not answered within the budget: `items` is what was cached; ask again for the rest. */
  complete: boolean;
}

export type ZoteroExportResult = { ok: true; text: string } | { ok: false; message: string };

export interface ZoteroOptions {
  /** `citekeys.zotero.enabled`: when false nothing is ever contacted. */
  enabled: boolean;
  /** `citekeys.zotero.url`, e.g. `http://127.0.0.1:23119` (the user's setting is their permission to contact it). */
  url: string;
  /** Where failures and status changes are told, each once (not once per keystroke). */
  log: (message: string) => void;
  /** Milliseconds clock (tests inject one). */
  now?: () => number;
  /** Runs `callback` after `ms`; returns a cancel function. Default: an unref'd setTimeout. */
  schedule?: (callback: () => void, ms: number) => () => void;
  /** Wait between detection attempts while Zotero is unavailable: 60 000 ms. */
  retryMs?: number;
  /** Longest wait for `api.ready` (BBT holds it until it has started): 5 000 ms. */
  readyTimeoutMs?: number;
  /** Longest a search runs in the background before it is abandoned: 10 000 ms. */
  searchTimeoutMs?: number;
  /** Longest an export may take: 20 000 ms. */
  exportTimeoutMs?: number;
  /** A cached answer younger than this is given without asking Zotero again: 30 000 ms. */
  freshMs?: number;
  /** Shorter queries are not sent (they would match much of a large library): 3. */
  minQueryLength?: number;
  /** Queries whose answers are remembered: 64. */
  cacheSize?: number;
}

/** Better BibTeX's translators by label (translators/*.json), which `item.export` resolves by name. */
const TRANSLATORS: Record<ZoteroExportFormat, string> = { biblatex: 'Better BibLaTeX', bibtex: 'Better BibTeX', 'csl-json': 'Better CSL JSON' };
/** The local API's `format` values for the same (Zotero's server_localAPI.js `exportFormats`). */
const LOCAL_FORMATS: Record<ZoteroExportFormat, string> = { biblatex: 'biblatex', bibtex: 'bibtex', 'csl-json': 'csljson' };

interface CachedAnswer {
  items: ZoteroItem[];
  at: number;
}

export class ZoteroConnection {
  private currentStatus: ZoteroStatus;
  private currentBackend: ZoteroBackend | undefined;
  private readonly listeners = new Set<(status: ZoteroStatus) => void>();
  private detection: Promise<void> | undefined;
  private detectionRunning = false;
  private cancelRetry: (() => void) | undefined;
  private readonly cache = new Map<string, CachedAnswer>();
  private readonly running = new Map<string, Promise<ZoteroItem[] | undefined>>();
  /** Local API only: citation key → Zotero item key, from the answers seen so far. */
  private readonly itemKeys = new Map<string, string>();
  private lastReported: string | undefined;
  private readonly disposal = new AbortController();
  private readonly now: () => number;
  private readonly schedule: (callback: () => void, ms: number) => () => void;

  constructor(private readonly options: ZoteroOptions) {
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? ((callback, ms) => {
      const timer = setTimeout(callback, ms);
      timer.unref?.();
      return () => clearTimeout(timer);
    });
    this.currentStatus = options.enabled ? 'unavailable' : 'disabled';
  }

  get status(): ZoteroStatus {
    return this.currentStatus;
  }

  get backend(): ZoteroBackend | undefined {
    return this.currentBackend;
  }

  /** Called on every status change (the status bar shows "Zotero" while connected). */
  onDidChangeStatus(listener: (status: ZoteroStatus) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Detects Zotero once (does nothing when disabled); resolves when that attempt is over, with the status. */
  async start(): Promise<ZoteroStatus> {
    if (this.currentStatus === 'disabled') return 'disabled';
    this.detection ??= this.detect();
    await this.detection;
    return this.currentStatus;
  }

  /** Stops retrying and abandons requests under way. */
  dispose(): void {
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.disposal.abort();
    this.listeners.clear();
  }

  /**
   * Zotero's items for `query`, answered within `budgetMs` whatever Zotero does. A late answer keeps coming in the
   * background and is cached, so asking again for the same query gets it at once; meanwhile the answer is the
   * cached one for this query or, narrowed, for a shorter one, with `complete: false`. Never rejects.
   */
  async searchWithin(query: string, budgetMs = 150): Promise<ZoteroSearchAnswer> {
    const normal = query.trim().toLowerCase();
    if (this.currentStatus === 'disabled' || normal.length < (this.options.minQueryLength ?? 3)) return { items: [], complete: true };
    const cached = this.cache.get(normal);
    if (cached && this.now() - cached.at < (this.options.freshMs ?? 30_000)) {
      this.touch(normal, cached);
      return { items: cached.items, complete: true };
    }
    if (this.currentStatus === 'unavailable' && this.detection && !this.detectionRunning) return { items: cached?.items ?? [], complete: true };
    const answer = this.search(query);
    let timer: (() => void) | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = this.budgetTimer(() => resolve('late'), budgetMs);
    });
    const first = await Promise.race([answer, late]);
    timer?.();
    if (first !== 'late') return { items: first, complete: true };
    return { items: cached?.items ?? this.fromShorterQuery(normal), complete: false };
  }

  /** The full answer for `query` (joining a search under way), or none when Zotero fails. Never rejects. */
  async search(query: string): Promise<ZoteroItem[]> {
    const normal = query.trim().toLowerCase();
    if (this.currentStatus === 'disabled' || normal.length < (this.options.minQueryLength ?? 3)) return [];
    let running = this.running.get(normal);
    if (!running) {
      running = this.runSearch(query.trim()).finally(() => this.running.delete(normal));
      this.running.set(normal, running);
    }
    const items = await running;
    if (items) this.remember(normal, items);
    return items ?? this.cache.get(normal)?.items ?? [];
  }

  /**
   * The entries for `keys` as text in `format`, for copying into a bibliography. Better BibTeX exports them with
   * its translators; the local API exports each item with Zotero's own and gets our key put back. Never rejects: a
   * failure (an unknown key, Zotero gone) is `{ ok: false, message }`, also logged.
   */
  async exportEntries(keys: readonly string[], format: ZoteroExportFormat): Promise<ZoteroExportResult> {
    if (this.currentStatus === 'disabled') return { ok: false, message: 'Zotero is disabled (citekeys.zotero.enabled)' };
    if (!keys.length) return { ok: true, text: format === 'csl-json' ? '[]\n' : '' };
    await this.start();
    if (this.currentStatus !== 'connected') return { ok: false, message: 'Zotero is not running (or answers neither Better BibTeX nor its local API)' };
    const timeout = this.options.exportTimeoutMs ?? 20_000;
    if (this.currentBackend === 'better-bibtex') {
      const answer = await callJsonRpc(this.options.url, 'item.export', [keys.slice(), TRANSLATORS[format]], timeout, this.disposal.signal);
      if (!answer.ok) return this.exportFailed(answer.failure);
      const text = exportedText(answer.value);
      return text === undefined ? this.exportFailed({ kind: 'malformed', message: 'item.export answered with something that is not text' }) : this.succeeded({ ok: true, text });
    }
    return this.exportFromLocalApi(keys, format, timeout);
  }

  private async detect(): Promise<void> {
    this.detectionRunning = true;
    try {
      const timeout = this.options.readyTimeoutMs ?? 5_000;
      const ready = await callJsonRpc(this.options.url, 'api.ready', [], timeout, this.disposal.signal);
      if (ready.ok) {
        const versions = ready.value as { zotero?: unknown; betterbibtex?: unknown } | null;
        this.connect('better-bibtex', `Zotero ${String(versions?.zotero ?? '?')} with Better BibTeX ${String(versions?.betterbibtex ?? '?')} at ${this.options.url}`);
        return;
      }
      // Zotero's server answers 404 for an endpoint nobody registered: Zotero runs, Better BibTeX does not.
      if (ready.failure.kind === 'http' && ready.failure.status === 404) {
        const local = await getText(this.options.url, '/api/', timeout, this.disposal.signal);
        if (local.ok && local.value.status === 200) {
          this.connect('local-api', `Zotero at ${this.options.url} without Better BibTeX: using its local API, whose citation keys are made up unless an item has one in Extra`);
          return;
        }
        const why = local.ok && local.value.status === 403
          ? 'its local API is off (Zotero settings → Advanced → "Allow other applications on this computer to communicate with Zotero")'
          : 'it has no local API';
        this.unavailable(`Zotero runs at ${this.options.url}, but without Better BibTeX, and ${why}`);
        return;
      }
      this.unavailable(`Zotero is not available: ${ready.failure.message}`);
    } finally {
      this.detectionRunning = false;
    }
  }

  private connect(backend: ZoteroBackend, message: string): void {
    this.currentBackend = backend;
    this.lastReported = undefined;
    this.tell(message);
    this.setStatus('connected');
  }

  private unavailable(message: string): void {
    if (this.disposal.signal.aborted) return;
    this.report(`${message}; trying again every ${Math.round((this.options.retryMs ?? 60_000) / 1000)} s`);
    this.currentBackend = undefined;
    this.setStatus('unavailable');
    this.cancelRetry?.();
    this.cancelRetry = this.schedule(() => {
      this.cancelRetry = undefined;
      if (this.disposal.signal.aborted) return;
      this.detection = this.detect();
    }, this.options.retryMs ?? 60_000);
  }

  private setStatus(status: ZoteroStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  private async runSearch(query: string): Promise<ZoteroItem[] | undefined> {
    await this.start();
    if (this.currentStatus !== 'connected') return undefined;
    const timeout = this.options.searchTimeoutMs ?? 10_000;
    if (this.currentBackend === 'better-bibtex') {
      const answer = await callJsonRpc(this.options.url, 'item.search', [searchTerms(query)], timeout, this.disposal.signal);
      if (!answer.ok) return this.searchFailed(answer.failure);
      const items = itemsFromBetterBibtex(answer.value);
      return items ? this.succeeded(items) : this.searchFailed({ kind: 'malformed', message: 'item.search answered with something that is not a list of items' });
    }
    const path = `/api/users/0/items/top?${new URLSearchParams({ q: query, qmode: 'titleCreatorYear', format: 'csljson', limit: '200' })}`;
    const answer = await getText(this.options.url, path, timeout, this.disposal.signal);
    if (!answer.ok) return this.searchFailed(answer.failure);
    if (answer.value.status !== 200) return this.searchFailed({ kind: 'http', status: answer.value.status, message: `HTTP ${answer.value.status} from Zotero's local API search` });
    const read = itemsFromLocalApi(answer.value.text);
    if (!read) return this.searchFailed({ kind: 'malformed', message: "Zotero's local API answered a search with something that is not CSL-JSON" });
    for (const [key, itemKey] of read.itemKeys) this.itemKeys.set(key, itemKey);
    while (this.itemKeys.size > 10_000) this.itemKeys.delete(this.itemKeys.keys().next().value as string);
    return this.succeeded(read.items);
  }

  private async exportFromLocalApi(keys: readonly string[], format: ZoteroExportFormat, timeout: number): Promise<ZoteroExportResult> {
    const missing = keys.filter((key) => !this.itemKeys.has(key));
    if (missing.length) return this.exportFailed({ kind: 'rpc', code: -32602, message: `not found in Zotero's answers so far: ${missing.join(', ')}` });
    const texts: string[] = [];
    const csl: unknown[] = [];
    for (const key of keys) {
      const path = `/api/users/0/items/${encodeURIComponent(this.itemKeys.get(key) ?? '')}?format=${LOCAL_FORMATS[format]}`;
      const answer = await getText(this.options.url, path, timeout, this.disposal.signal);
      if (!answer.ok) return this.exportFailed(answer.failure);
      if (answer.value.status !== 200) return this.exportFailed({ kind: 'http', status: answer.value.status, message: `HTTP ${answer.value.status} exporting ${key} from Zotero's local API` });
      if (format !== 'csl-json') {
        texts.push(rekeyBibtexEntry(answer.value.text.trim(), key));
        continue;
      }
      try {
        const parsed: unknown = JSON.parse(answer.value.text);
        const item = Array.isArray(parsed) ? parsed[0] : parsed;
        if (item && typeof item === 'object') csl.push({ ...(item as object), id: key });
      } catch {
        return this.exportFailed({ kind: 'malformed', message: `Zotero's local API exported ${key} as something that is not CSL-JSON` });
      }
    }
    return this.succeeded({ ok: true, text: format === 'csl-json' ? `${JSON.stringify(csl, null, 2)}\n` : `${texts.join('\n\n')}\n` });
  }

  private searchFailed(failure: ZoteroFailure): undefined {
    this.failed(failure);
    return undefined;
  }

  private exportFailed(failure: ZoteroFailure): ZoteroExportResult {
    this.failed(failure);
    return { ok: false, message: failure.message };
  }

  /** A vanished Zotero makes the status unavailable (and starts the minute retries); other failures are only told. */
  private failed(failure: ZoteroFailure): void {
    if (failure.kind === 'unreachable') this.unavailable(`Zotero stopped answering: ${failure.message}`);
    else this.report(failure.message);
  }

  private succeeded<T>(value: T): T {
    if (this.lastReported !== undefined) this.tell('Zotero answers again');
    this.lastReported = undefined;
    return value;
  }

  /** Tells a failure once: the same message again (every keystroke of a query) is not repeated until things recover. */
  private report(message: string): void {
    if (message === this.lastReported || this.disposal.signal.aborted) return;
    this.lastReported = message;
    this.tell(message);
  }

  /** The caller's log must not be able to break a search. */
  private tell(message: string): void {
    try {
      this.options.log(message);
    } catch {
      // nothing to do: the message is lost, the answer is not
    }
  }

  private remember(normal: string, items: ZoteroItem[]): void {
    this.touch(normal, { items, at: this.now() });
    while (this.cache.size > (this.options.cacheSize ?? 64)) this.cache.delete(this.cache.keys().next().value as string);
  }

  private touch(normal: string, answer: CachedAnswer): void {
    this.cache.delete(normal);
    this.cache.set(normal, answer);
  }

  private fromShorterQuery(normal: string): ZoteroItem[] {
    for (let end = normal.length - 1; end > 0; end--) {
      const shorter = this.cache.get(normal.slice(0, end).trimEnd());
      if (shorter) return narrowed(shorter.items, normal);
    }
    return [];
  }

  /** The budget is real time even when tests inject a clock: it bounds how long a caller waits. */
  private budgetTimer(callback: () => void, ms: number): () => void {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  }
}

/** `item.export` answers the text; before BBT 6.7.143 it was wrapped once more as `[status, contentType, text]`. */
function exportedText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length === 3 && typeof value[2] === 'string') return value[2];
  return undefined;
}

export type { ZoteroAnswer, ZoteroFailure };
