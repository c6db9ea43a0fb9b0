// Server benchmark: dist/server.js over stdio on the 100k corpus (10k with --quick): first completion after
// initialize, completion latency over 200 typed prefixes, hover, diagnostics of a 5,000-line document, re-index
// after a one-entry edit of the open .bib, references over a generated notes workspace, and server memory.
import { readFileSync, statSync } from 'node:fs';
import { LspSession, uriOf } from './lspSession';
import * as path from 'node:path';
import { median, percentile, runMeasured } from './measure';
import { formatBytes, formatMs, renderTable } from './table';
import type { TargetCheck } from './targets';
import { notesWorkspace, paperWorkspace } from './workspaces';

export interface LatencyStats {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ServerResults {
  corpus: { entries: number; bytes: number };
  firstCompletionMs?: number;
  firstCompletionItems?: number;
  rssAfterIndexBytes?: number;
  peakRssAfterIndexBytes?: number;
  completion?: LatencyStats & { emptyAnswers: number };
  hover?: { firstMs: number; cachedMs: number; otherKeysMs: number };
  diagnostics?: { lines: number; citations: number; openToFirstMs: number; changeToPublish: LatencyStats; undefinedFound: number };
  /** The same document's diagnostics computed in process, without LSP or debounce (bench/tools/diagnostics-probe.ts). */
  diagnosticsInProcess?: { documentFindingsMs: number; bibliographyFindingsFirstMs: number; bibliographyFindingsAgainMs: number };
  /** editToCompletion: edits after a pause of EDIT_PAUSE_MS; backToBack: edits with no pause between them. */
  reindex?: { openBibMs: number; editToCompletion: LatencyStats; backToBack?: LatencyStats };
  /** The same kind of edit handled in process (bench/tools/reindex-probe.ts): editor sync vs re-indexing, medians of 7. */
  reindexInProcess?: { syncMs: number; reindexMs: number };
  /** scanMs: initialize → the status reporting every document scanned; later: all 21 requests after the scan. */
  references?: { documents: number; scanMs?: number; firstMs: number; firstLocations: number; later: LatencyStats; rssBytes?: number };
  errors: string[];
}

interface CompletionList {
  isIncomplete?: boolean;
  items: { label: string }[];
}

const now = () => performance.now();
/** The pause before each measured edit of the .bib: a user moves between the bibliography and the paper. */
const EDIT_PAUSE_MS = 1000;
const stats = (values: number[]): LatencyStats => ({ samples: values.length, p50: median(values), p99: percentile(values, 99), max: Math.max(...values) });
const itemsOf = (answer: CompletionList | { label: string }[] | null): { label: string }[] => (!answer ? [] : Array.isArray(answer) ? answer : answer.items);

/** 200 prefixes as a user types them: 1, 2 and 3 characters of real keys, and whole words (author names). */
export function typedPrefixes(keys: string[], count = 200): string[] {
  const prefixes: string[] = [];
  for (let i = 0; prefixes.length < count; i++) {
    const key = keys[(i * 7919) % keys.length];
    const word = /^[\p{L}]+/u.exec(key)?.[0] ?? key;
    prefixes.push([key.slice(0, 1), key.slice(0, 2), key.slice(0, 3), word][i % 4]);
  }
  return prefixes;
}

/** Line and UTF-16 character of an offset. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - (text.lastIndexOf('\n', offset - 1) + 1) };
}

async function step(results: ServerResults, name: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    results.errors.push(`${name}: ${(error as Error).message}`);
  }
}

export async function runServerBench(options: { quick: boolean; progress: (line: string) => void }): Promise<ServerResults> {
  const entries = options.quick ? 10_000 : 100_000;
  const ws = paperWorkspace(entries);
  const results: ServerResults = { corpus: { entries, bytes: statSync(ws.bib).size }, errors: [] };
  const session = new LspSession();
  try {
    const paperText = readFileSync(ws.paper, 'utf8');
    const promptLine = paperText.split('\n').findIndex((l) => l.startsWith('See [@'));
    let typed = 0;
    const started = now();
    await step(results, 'first completion', async () => {
      await session.initialize(ws.folder);
      const uri = await session.open(ws.paper, 'markdown', paperText);
      // The server may answer before the index is ready; ask until entries come back (bounded).
      for (let attempt = 0; attempt < 600; attempt++) {
        const answer = await session.request<CompletionList | null>('textDocument/completion', {
          textDocument: { uri }, position: { line: promptLine, character: 6 }, context: { triggerKind: 2, triggerCharacter: '@' },
        });
        if (itemsOf(answer).length) {
          results.firstCompletionMs = now() - started;
          results.firstCompletionItems = itemsOf(answer).length;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no completion items within 30 s of asking');
    });
    options.progress(`initialize → first completion: ${formatMs(results.firstCompletionMs)} (${results.firstCompletionItems ?? 0} items)`);
    const memory = session.memory();
    results.rssAfterIndexBytes = memory.rssBytes;
    results.peakRssAfterIndexBytes = memory.peakRssBytes;

    const paperUri = uriOf(ws.paper);
    const setPrompt = async (text: string) => {
      await session.change(paperUri, { start: { line: promptLine, character: 0 }, end: { line: promptLine, character: typed } }, text);
      typed = text.length;
    };
    typed = 'See [@'.length;
    await step(results, 'completion', async () => {
      const times: number[] = [];
      let empty = 0;
      for (const prefix of typedPrefixes(ws.keys, options.quick ? 80 : 200)) {
        const t = now();
        await setPrompt(`See [@${prefix}`);
        const answer = await session.request<CompletionList | null>('textDocument/completion', {
          textDocument: { uri: paperUri }, position: { line: promptLine, character: 6 + prefix.length }, context: { triggerKind: 1 },
        });
        times.push(now() - t);
        if (!itemsOf(answer).length) empty++;
      }
      results.completion = { ...stats(times), emptyAnswers: empty };
    });
    options.progress(`completion p50 ${formatMs(results.completion?.p50)} p99 ${formatMs(results.completion?.p99)}`);

    await step(results, 'hover', async () => {
      const hoverOn = async (key: string) => {
        await setPrompt(`See [@${key}] and more.`);
        const t = now();
        const answer = await session.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri: paperUri }, position: { line: promptLine, character: 7 } });
        if (!answer) throw new Error(`no hover for ${key}`);
        return now() - t;
      };
      const firstMs = await hoverOn(ws.keys[42]);
      const cached: number[] = [];
      for (let i = 0; i < 5; i++) cached.push(await hoverOn(ws.keys[42]));
      const others: number[] = [];
      for (let i = 1; i <= 5; i++) others.push(await hoverOn(ws.keys[(i * 104729) % ws.keys.length]));
      results.hover = { firstMs, cachedMs: median(cached), otherKeysMs: median(others) };
    });
    options.progress(`hover first ${formatMs(results.hover?.firstMs)} cached ${formatMs(results.hover?.cachedMs)}`);

    await step(results, 'diagnostics', async () => {
      const text = readFileSync(ws.longDocument, 'utf8');
      const uri = uriOf(ws.longDocument);
      const isUndefined = (d: { code?: unknown }) => d.code === 'undefined-citation';
      let t = now();
      const first = session.nextDiagnostics(uri, (p) => p.diagnostics.some(isUndefined));
      await session.open(ws.longDocument, 'markdown', text);
      const published = await first;
      const openToFirstMs = now() - t;
      const lines = text.split('\n');
      const times: number[] = [];
      for (let i = 0; i < (options.quick ? 3 : 7); i++) {
        const line = 4000 + i * 10;
        const marker = `benchMissing${i}`;
        const next = session.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => String(d.message).includes(marker)));
        t = now();
        await session.change(uri, { start: { line, character: lines[line].length }, end: { line, character: lines[line].length } }, ` [@${marker}]`);
        await next;
        times.push(now() - t);
        lines[line] += ` [@${marker}]`;
      }
      results.diagnostics = {
        lines: text.split('\n').length - 1, citations: ws.citations, openToFirstMs, changeToPublish: stats(times),
        undefinedFound: published.diagnostics.filter(isUndefined).length,
      };
    });
    options.progress(`diagnostics open ${formatMs(results.diagnostics?.openToFirstMs)} change→publish ${formatMs(results.diagnostics?.changeToPublish.p50)}`);

    await step(results, 're-index', async () => {
      const text = readFileSync(ws.bib, 'utf8');
      const bibUri = uriOf(ws.bib);
      const t = now();
      await session.open(ws.bib, 'bibtex', text);
      await setPrompt(`See [@${ws.keys[1]}`);
      await session.request('textDocument/completion', { textDocument: { uri: paperUri }, position: { line: promptLine, character: 6 + ws.keys[1].length }, context: { triggerKind: 1 } });
      const openBibMs = now() - t;
      // Each edit renames one key (in a different part of the file) and is timed until completion offers the new
      // key. First as a user works, with a pause before each edit (moving between the .bib and the paper), then
      // back to back, with no pause at all.
      const edits = options.quick ? 3 : 7;
      const editAndComplete = async (i: number): Promise<number> => {
        const key = ws.keys[Math.floor(((i + 1) * ws.keys.length) / (2 * edits + 2))];
        const offset = text.indexOf(`{${key},`) + 1;
        const start = positionAt(text, offset);
        const renamed = `${key}zq${i}`;
        const t = now();
        const end = { line: start.line, character: start.character + key.length };
        await session.change(bibUri, { start: end, end }, `zq${i}`); // the key becomes `${key}zq${i}`
        await setPrompt(`See [@${renamed}`);
        const answer = await session.request<CompletionList | null>('textDocument/completion', {
          textDocument: { uri: paperUri }, position: { line: promptLine, character: 6 + renamed.length }, context: { triggerKind: 1 },
        });
        if (!itemsOf(answer).some((item) => item.label === renamed)) throw new Error(`completion after the edit does not offer ${renamed}`);
        return now() - t;
      };
      const paused: number[] = [];
      for (let i = 0; i < edits; i++) {
        await new Promise((resolve) => setTimeout(resolve, EDIT_PAUSE_MS));
        paused.push(await editAndComplete(i));
      }
      const backToBack: number[] = [];
      for (let i = edits; i < 2 * edits; i++) backToBack.push(await editAndComplete(i));
      results.reindex = { openBibMs, editToCompletion: stats(paused), backToBack: stats(backToBack) };
    });
    options.progress(`re-index after a one-entry edit: ${formatMs(results.reindex?.editToCompletion.p50)}`);
  } finally {
    await session.stop();
  }
  await step(results, 'diagnostics in process', async () => {
    const run = await runMeasured(process.execPath, ['--import', 'tsx', path.resolve('bench/tools/diagnostics-probe.ts'), ws.longDocument], { capMs: 120_000 });
    const report = JSON.parse(run.stderr.trim().split('\n').pop() ?? '') as { documentRuns: number[]; bibliographyRuns: number[] };
    results.diagnosticsInProcess = {
      documentFindingsMs: median(report.documentRuns), bibliographyFindingsFirstMs: report.bibliographyRuns[0], bibliographyFindingsAgainMs: report.bibliographyRuns[1],
    };
  });
  await step(results, 're-index in process', async () => {
    const run = await runMeasured(process.execPath, ['--import', 'tsx', path.resolve('bench/tools/reindex-probe.ts'), ws.bib], { capMs: 120_000 });
    const report = JSON.parse(run.stderr.trim().split('\n').pop() ?? '') as { syncRuns: number[]; reindexRuns: number[] };
    results.reindexInProcess = { syncMs: median(report.syncRuns), reindexMs: median(report.reindexRuns) };
  });
  await step(results, 'references', async () => {
    results.references = await referencesBench(options.quick);
  });
  options.progress(`workspace scan ${formatMs(results.references?.scanMs)}; references p50 ${formatMs(results.references?.later.p50)} p99 ${formatMs(results.references?.later.p99)}`);
  return results;
}

async function referencesBench(quick: boolean): Promise<NonNullable<ServerResults['references']>> {
  const ws = notesWorkspace(quick ? 500 : 5000, quick ? 50 : 500);
  const documents = ws.notes.length + ws.latex.length;
  const session = new LspSession();
  try {
    // The initial scan: from initialize until the server's status says every document was scanned.
    const started = now();
    const scanned = session.nextNotification<{ documents?: number; scanning?: boolean }>('citekeys/status', (s) => s.scanning === false && s.documents === documents);
    await session.initialize(ws.folder);
    const note = ws.notes[0];
    const text = readFileSync(note, 'utf8');
    const uri = await session.open(note, 'markdown', text);
    await scanned;
    const scanMs = now() - started;
    const citationsIn = [...text.matchAll(/@([^\s;\]]+)/g)];
    const ask = async (index: number) => {
      const match = citationsIn[index % citationsIn.length];
      const position = positionAt(text, (match.index ?? 0) + 2);
      const t = now();
      const found = await session.request<unknown[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: false } });
      return { ms: now() - t, count: found?.length ?? 0 };
    };
    const first = await ask(0);
    const later: number[] = [];
    for (let i = 1; i <= 20; i++) later.push((await ask(i)).ms);
    return { documents, scanMs, firstMs: first.ms, firstLocations: first.count, later: stats([first.ms, ...later]), rssBytes: session.memory().rssBytes };
  } finally {
    await session.stop();
  }
}

export function renderServerTable(r: ServerResults): string {
  const rows: string[][] = [
    [`initialize → first completion (${r.corpus.entries / 1000}k entries, ${formatBytes(r.corpus.bytes)})`, formatMs(r.firstCompletionMs), `${r.firstCompletionItems ?? 0} items`],
    ['server RSS after indexing (VmRSS / VmHWM)', `${formatBytes(r.rssAfterIndexBytes)} / ${formatBytes(r.peakRssAfterIndexBytes)}`, ''],
    [`completion p50 / p99 / max (${r.completion?.samples ?? 0} typed prefixes, didChange → answer)`, r.completion ? `${formatMs(r.completion.p50)} / ${formatMs(r.completion.p99)} / ${formatMs(r.completion.max)}` : '–', r.completion?.emptyAnswers ? `${r.completion.emptyAnswers} empty` : ''],
    ['hover first / cached / other keys', r.hover ? `${formatMs(r.hover.firstMs)} / ${formatMs(r.hover.cachedMs)} / ${formatMs(r.hover.otherKeysMs)}` : '–', ''],
    [`diagnostics: open ${r.diagnostics?.lines ?? 5000}-line document (${r.diagnostics?.citations ?? 2000} citations) → first publish`, formatMs(r.diagnostics?.openToFirstMs), r.diagnostics ? `${r.diagnostics.undefinedFound} undefined found` : ''],
    ['diagnostics: didChange → publish, p50 / max', r.diagnostics ? `${formatMs(r.diagnostics.changeToPublish.p50)} / ${formatMs(r.diagnostics.changeToPublish.max)}` : '–', 'includes the server\'s debounce'],
    ['diagnostics in process: document findings (median of 3) / bibliography findings first / again', r.diagnosticsInProcess ? `${formatMs(r.diagnosticsInProcess.documentFindingsMs)} / ${formatMs(r.diagnosticsInProcess.bibliographyFindingsFirstMs)} / ${formatMs(r.diagnosticsInProcess.bibliographyFindingsAgainMs)}` : '–', 'no LSP, no debounce'],
    ['open the .bib in the editor (didOpen → completion)', formatMs(r.reindex?.openBibMs), ''],
    ['re-index after a one-entry edit (didChange → completion with the new key), p50 / max', r.reindex ? `${formatMs(r.reindex.editToCompletion.p50)} / ${formatMs(r.reindex.editToCompletion.max)}` : '–', `each after a ${EDIT_PAUSE_MS / 1000} s pause`],
    ['the same, edits back to back (no pause), p50 / max', r.reindex?.backToBack ? `${formatMs(r.reindex.backToBack.p50)} / ${formatMs(r.reindex.backToBack.max)}` : '–', ''],
    ['the same edit in process: editor sync (new text string) / re-index (median of 7)', r.reindexInProcess ? `${formatMs(r.reindexInProcess.syncMs)} / ${formatMs(r.reindexInProcess.reindexMs)}` : '–', 'no LSP'],
    [`initial scan of ${r.references?.documents ?? '?'} documents (initialize → status says scanned)`, formatMs(r.references?.scanMs), ''],
    ['references after the scan: first / p50 / p99 of 21', r.references ? `${formatMs(r.references.firstMs)} / ${formatMs(r.references.later.p50)} / ${formatMs(r.references.later.p99)}` : '–', r.references ? `first: ${r.references.firstLocations} locations; server RSS ${formatBytes(r.references.rssBytes)}` : ''],
  ];
  const table = renderTable(['measure', 'time', 'note'], rows);
  return r.errors.length ? `${table}\nerrors:\n${r.errors.map((e) => `  ${e}`).join('\n')}` : table;
}

export function serverTargets(r: ServerResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const at = `${r.corpus.entries / 1000}k`;
  const add = (target: string, value: number | undefined, limit: number) => {
    checks.push({ target, measured: value === undefined ? 'not measured' : formatMs(value), met: value !== undefined && value <= limit });
  };
  add(`completion p99 ≤ 30 ms at ${at}`, r.completion?.p99, 30);
  add('diagnostics ≤ 50 ms for 5,000 lines (didChange → publish)', r.diagnostics?.changeToPublish.p50, 50);
  add(`re-index after a one-entry edit of the ${at} file ≤ 150 ms`, r.reindex?.editToCompletion.p50, 150);
  add(`workspace of ${r.references?.documents ?? '?'} documents: initial scan ≤ 3 s`, r.references?.scanMs, 3000);
  add('references ≤ 100 ms (p99 of 21 requests after the scan)', r.references?.later.p99, 100);
  return checks;
}
