// Issue 15's user session: a fresh dist/server.js on a 100k-entry paper, measured as a user meets it. Initialize →
// every entry completable (cold, and warm from the index cache), typed 1-, 2-, 3- and 5+-letter prefixes (each after
// its didChange, with breaks), 20 hovers, peak RSS.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { INDEX_CACHE_MIN_ENTRIES } from '../server/src/workspace/indexCache';
import { LspSession, uriOf } from './lspSession';
import { percentile, median } from './measure';
import type { PaperWorkspace } from './workspaces';
import { formatBytes, formatMs, renderTable } from './table';
import type { TargetCheck } from './targets';

export interface PrefixStats {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

export interface UserSessionResult {
  /** initialize → a completion offering the file's last key, with isIncomplete false (the whole index is built). */
  everyEntryMs?: number;
  /** initialize → the first completion offering the file's last key (maybe incomplete: keys searched alone). */
  firstItemsMs?: number;
  /** By prefix length: '1', '2', '3', '5+', and '1-3' (all short ones together). */
  completion: Record<string, PrefixStats>;
  hover?: { firstMs: number; p50: number; max: number };
  peakRssBytes?: number;
  rssEndBytes?: number;
  /** Peak RSS of the same session with the server started as a bare `citekeys-ls`, without the VS Code flags. */
  plainPeakRssBytes?: number;
  /** With a cache folder given: whether the server read the index from the cache or wrote it there (its log says). */
  indexCache?: 'read' | 'written';
  /** initialize → every entry completable in one more session, warm: the index cache a cold session wrote. */
  warmEveryEntryMs?: number;
}

interface CompletionList {
  isIncomplete?: boolean;
  items: { label: string }[];
}

const now = () => performance.now();
const itemsOf = (answer: CompletionList | { label: string }[] | null) => (!answer ? [] : Array.isArray(answer) ? answer : answer.items);
const incomplete = (answer: CompletionList | { label: string }[] | null) => !!answer && !Array.isArray(answer) && !!answer.isIncomplete;

function stats(values: number[]): PrefixStats {
  return { samples: values.length, p50: median(values), p99: percentile(values, 99), max: values.reduce((a, b) => Math.max(a, b), 0) };
}

/** `count` prefixes cycling through 1, 2, 3 and 5+ letters of keys spread over the file. */
export function userPrefixes(keys: string[], count: number): { prefix: string; group: string }[] {
  const out: { prefix: string; group: string }[] = [];
  for (let i = 0; out.length < count; i++) {
    const key = keys[(i * 7919) % keys.length];
    const length = [1, 2, 3, 5][i % 4];
    if (key.length < length) continue;
    out.push({ prefix: key.slice(0, length === 5 ? Math.max(5, /^[\p{L}]+/u.exec(key)?.[0].length ?? 5) : length), group: length === 5 ? '5+' : String(length) });
  }
  return out;
}

/**
 * One session. Without `cacheDir` the server's index cache is a fresh empty folder (a cold start); with it, that
 * folder, and the session waits (at most 30 s) until the server has read the index from it or written it there.
 */
export async function runUserSession(
  ws: PaperWorkspace, options: { completions: number; hovers: number; settings?: unknown; plain?: boolean; cacheDir?: string },
): Promise<UserSessionResult> {
  const result: UserSessionResult = { completion: {} };
  const session = new LspSession(options.plain, options.cacheDir ? { CITEKEYS_CACHE_DIR: options.cacheDir } : {});
  const logged = (text: string) => session.notifications.some((n) => n.method === 'window/logMessage' && (n.params as { message: string }).message.includes(text));
  const written = async () => logged('saved to the index cache')
    || session.nextNotification<{ message: string }>('window/logMessage', (p) => p.message.includes('saved to the index cache'), 30_000).then(() => true, () => false);
  if (options.settings) session.settings = options.settings;
  try {
    const paperText = readFileSync(ws.paper, 'utf8');
    const promptLine = paperText.split('\n').findIndex((l) => l.startsWith('See [@'));
    const uri = uriOf(ws.paper);
    let typed = 'See [@'.length;
    const setPrompt = async (text: string) => {
      await session.change(uri, { start: { line: promptLine, character: 0 }, end: { line: promptLine, character: typed } }, text);
      typed = text.length;
    };
    const complete = (character: number) => session.request<CompletionList | null>('textDocument/completion', {
      textDocument: { uri }, position: { line: promptLine, character }, context: { triggerKind: 1 },
    });
    const last = ws.keys[ws.keys.length - 1];
    const started = now();
    await session.initialize(ws.folder);
    await session.open(ws.paper, 'markdown', paperText);
    await setPrompt(`See [@${last}`);
    for (let attempt = 0; attempt < 3000; attempt++) {
      const answer = await complete(6 + last.length);
      const offered = itemsOf(answer).some((item) => item.label === last);
      if (offered && result.firstItemsMs === undefined) result.firstItemsMs = now() - started;
      if (offered && !incomplete(answer)) {
        result.everyEntryMs = now() - started;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const groups = new Map<string, number[]>();
    const prefixes = userPrefixes(ws.keys, options.completions);
    for (const [i, { prefix, group }] of prefixes.entries()) {
      // A user does not type the moment the index is whole, nor without a break: the session waits 1 s first, and
      // 2 s after each quarter, so keystrokes also meet whatever the server does in its quiet spells.
      const breakMs = i === 0 ? 1000 : i % Math.ceil(prefixes.length / 4) === 0 ? 2000 : 0;
      if (breakMs) await new Promise((resolve) => setTimeout(resolve, breakMs));
      const t = now();
      await setPrompt(`See [@${prefix}`);
      await complete(6 + prefix.length);
      const ms = now() - t;
      // CITEKEYS_BENCH_SERIES=1 prints every request's time, to see where the slow ones fall.
      if (process.env.CITEKEYS_BENCH_SERIES) process.stderr.write(`${group}:${prefix}:${ms.toFixed(0)} `);
      for (const name of [group, group === '5+' ? '' : '1-3']) {
        if (!name) continue;
        if (!groups.has(name)) groups.set(name, []);
        groups.get(name)?.push(ms);
      }
    }
    for (const [name, values] of groups) result.completion[name] = stats(values);

    const hovers: number[] = [];
    for (let i = 0; i < options.hovers; i++) {
      const key = ws.keys[(i * 104729 + 42) % ws.keys.length];
      await setPrompt(`See [@${key}] and more.`);
      const t = now();
      const answer = await session.request<unknown>('textDocument/hover', { textDocument: { uri }, position: { line: promptLine, character: 7 } });
      if (!answer) throw new Error(`no hover for ${key}`);
      hovers.push(now() - t);
    }
    if (hovers.length) result.hover = { firstMs: hovers[0], p50: median(hovers.slice(1)), max: Math.max(...hovers.slice(1)) };
    const memory = session.memory();
    result.peakRssBytes = memory.peakRssBytes;
    result.rssEndBytes = memory.rssBytes;
    if (options.cacheDir) result.indexCache = logged('read from the index cache') ? 'read' : (await written()) ? 'written' : undefined;
  } finally {
    await session.stop();
  }
  return result;
}

/**
 * `runs` cold sessions (each a fresh server with a fresh empty index cache; the last one's cache is kept), then one
 * warm session on that cache, its initialize → every entry completable as the median's `warmEveryEntryMs`. A file
 * under the cache's threshold (the quick bench's 10k) is never cached: no warm session then.
 */
export async function coldAndWarmSessions(
  ws: PaperWorkspace, runs: number, options: { completions: number; hovers: number }, onRun: (r: UserSessionResult, i: number) => void = () => undefined,
): Promise<{ median: UserSessionResult; runs: UserSessionResult[]; warm?: UserSessionResult }> {
  const cached = ws.keys.length >= INDEX_CACHE_MIN_ENTRIES;
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'citekeys-bench-cache-'));
  try {
    const all: UserSessionResult[] = [];
    for (let i = 0; i < runs; i++) {
      all.push(await runUserSession(ws, { ...options, cacheDir: cached && i === runs - 1 ? cacheDir : undefined }));
      onRun(all[i], i);
    }
    const warm = cached ? await runUserSession(ws, { ...options, cacheDir }) : undefined;
    const median = medianSession(all);
    if (warm?.indexCache === 'read') median.warmEveryEntryMs = warm.everyEntryMs;
    return { median, runs: all, warm };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** Medians over several sessions (each a fresh server), per figure. */
export function medianSession(runs: UserSessionResult[]): UserSessionResult {
  const m = (pick: (r: UserSessionResult) => number | undefined) => {
    const values = runs.map(pick).filter((v): v is number => v !== undefined);
    return values.length ? median(values) : undefined;
  };
  const completion: Record<string, PrefixStats> = {};
  for (const group of ['1', '2', '3', '5+', '1-3']) {
    const p99 = m((r) => r.completion[group]?.p99);
    if (p99 === undefined) continue;
    completion[group] = {
      samples: runs[0].completion[group]?.samples ?? 0, p50: m((r) => r.completion[group]?.p50) ?? NaN, p99, max: m((r) => r.completion[group]?.max) ?? NaN,
    };
  }
  const hoverFirst = m((r) => r.hover?.firstMs);
  return {
    everyEntryMs: m((r) => r.everyEntryMs), firstItemsMs: m((r) => r.firstItemsMs), completion,
    hover: hoverFirst === undefined ? undefined : { firstMs: hoverFirst, p50: m((r) => r.hover?.p50) ?? NaN, max: m((r) => r.hover?.max) ?? NaN },
    peakRssBytes: m((r) => r.peakRssBytes), rssEndBytes: m((r) => r.rssEndBytes),
  };
}

export function renderUserSession(r: UserSessionResult, entries: number, runs: number): string {
  const c = (group: string) => (r.completion[group] ? `${formatMs(r.completion[group].p50)} / ${formatMs(r.completion[group].p99)}` : '–');
  return renderTable(['measure', 'median', 'note'], [
    [`initialize → every key of ${entries / 1000}k completable`, formatMs(r.firstItemsMs), 'the last key offered (maybe isIncomplete)'],
    ['initialize → every entry completable, index whole', formatMs(r.everyEntryMs), 'isIncomplete false; cold, a fresh empty index cache'],
    ['initialize → every entry completable, warm (index cache)', formatMs(r.warmEveryEntryMs), 'one more session, on the cache a cold one wrote'],
    ['completion p50 / p99, 1-letter prefixes', c('1'), 'didChange → answer'],
    ['completion p50 / p99, 2-letter prefixes', c('2'), ''],
    ['completion p50 / p99, 3-letter prefixes', c('3'), ''],
    ['completion p50 / p99, 1–3 letters together', c('1-3'), ''],
    ['completion p50 / p99, 5+ letters', c('5+'), ''],
    ['hover first / p50 of the next 19', r.hover ? `${formatMs(r.hover.firstMs)} / ${formatMs(r.hover.p50)}` : '–', ''],
    ['server peak RSS (VmHWM), initialize → 200 completions and 20 hovers', formatBytes(r.peakRssBytes), 'started as VS Code starts it'],
    ['the same, started as a bare citekeys-ls (no flags or environment)', r.plainPeakRssBytes === undefined ? '–' : formatBytes(r.plainPeakRssBytes), 'one session'],
  ]) + `\n(median of ${runs} sessions, each a fresh server)`;
}

export function userSessionTargets(r: UserSessionResult, entries: number): TargetCheck[] {
  const at = `${entries / 1000}k`;
  const checks: TargetCheck[] = [];
  const add = (target: string, value: number | undefined, limit: number, shown = formatMs(value)) => {
    checks.push({ target, measured: value === undefined ? 'not measured' : shown, met: value !== undefined && value <= limit });
  };
  add(`issue 15: completion p99 ≤ 30 ms at ${at}, 1–3-letter prefixes`, r.completion['1-3']?.p99, 30);
  add(`issue 15: initialize → every entry completable ≤ 1.5 s at ${at} (cold)`, r.everyEntryMs, 1500);
  // The cache holds files from 20,000 entries on: the quick bench's 10k has no warm start to measure.
  if (entries >= INDEX_CACHE_MIN_ENTRIES) add(`issue 15: initialize → every entry completable ≤ 1.5 s at ${at} (warm, index cache)`, r.warmEveryEntryMs, 1500);
  add(`issue 15: server peak RSS ≤ 400 MB at ${at} through 200 completions and 20 hovers`, r.peakRssBytes, 400 << 20, formatBytes(r.peakRssBytes));
  add('issue 15: first hover ≤ 300 ms', r.hover?.firstMs, 300);
  return checks;
}
