// Issue 15's user session alone (bench/userSession.ts), RUNS times (default 3), each a fresh server, then once warm
// (index cache), with the medians: node --import tsx bench/tools/user-session.ts [ENTRIES] [RUNS].
// CITEKEYS_BENCH_SERIES=1 prints each request.
import { coldAndWarmSessions, renderUserSession, runUserSession, type UserSessionResult } from '../userSession';
import { paperWorkspace } from '../workspaces';

async function main(): Promise<void> {
  const entries = Number(process.argv[2] ?? 100_000);
  const runs = Number(process.argv[3] ?? 3);
  const ws = paperWorkspace(entries);
  const line = (r: UserSessionResult, label: string) => {
    const c = (g: string) => (r.completion[g] ? `${g}: ${r.completion[g].p50.toFixed(1)}/${r.completion[g].p99.toFixed(1)}` : '');
    process.stdout.write(`${label}: every key ${r.firstItemsMs?.toFixed(0)} ms, whole index ${r.everyEntryMs?.toFixed(0)} ms; p50/p99 ${['1', '2', '3', '5+', '1-3'].map(c).join(' ')}; ` +
      `hover first ${r.hover?.firstMs.toFixed(0)} p50 ${r.hover?.p50.toFixed(1)}; peak RSS ${((r.peakRssBytes ?? 0) / 2 ** 20).toFixed(0)} MB` +
      `${r.indexCache ? `; index cache ${r.indexCache}` : ''}\n`);
  };
  const { median, warm } = await coldAndWarmSessions(ws, runs, { completions: 200, hovers: 20 }, (r, i) => line(r, `run ${i + 1} (cold)`));
  if (warm) line(warm, 'warm');
  median.plainPeakRssBytes = (await runUserSession(ws, { completions: 200, hovers: 20, plain: true })).peakRssBytes;
  process.stdout.write(`${renderUserSession(median, entries, runs)}\n`);
}

void main();
