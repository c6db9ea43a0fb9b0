// The index section of the report: one row per corpus and tool with medians and ratios, and the index targets.
import type { Corpus } from './corpora';
import type { IndexCell } from './indexBench';
import { formatBytes, formatMs, formatRatio, renderTable } from './table';
import type { TargetCheck } from './targets';

const OURS_IN_PROCESS = 'citekeys (in process)';
const OURS_CLI = 'citekeys keys --format json';

function cellFor(cells: IndexCell[], corpus: string, tool: string): IndexCell | undefined {
  return cells.find((c) => c.corpus === corpus && c.tool === tool);
}

export function renderIndexTable(corpora: Corpus[], cells: IndexCell[], capMs: number): string {
  const rows: string[][] = [];
  for (const corpus of corpora) {
    const ours = cellFor(cells, corpus.name, OURS_CLI);
    let first = true;
    for (const cell of cells.filter((c) => c.corpus === corpus.name)) {
      const label = first ? `${corpus.name} (${corpus.entries} entries, ${formatBytes(corpus.bytes)})` : '';
      first = false;
      const ok = cell.status === 'ok';
      // The in-process row's process runs under the tsx loader: its wall time says nothing about ours.
      const inProcess = cell.tool === OURS_IN_PROCESS;
      const wall = ok ? (inProcess ? '–' : formatMs(cell.wallMs)) : cell.status === 'capped' ? `>${capMs / 1000} s` : cell.status;
      let ratio = '–';
      if (ok && ours?.wallMs && cell.tool !== OURS_CLI && cell.tool !== OURS_IN_PROCESS) ratio = formatRatio((cell.wallMs ?? NaN) / ours.wallMs);
      else if (cell.status === 'capped' && ours?.wallMs) ratio = `>${formatRatio(capMs / ours.wallMs)}`;
      rows.push([
        label, cell.tool, wall, ok ? formatMs(cell.parseMs) : '–', ok ? formatBytes(cell.peakRssBytes) : '–',
        ok && cell.peakRssBytes ? formatRatio(cell.peakRssBytes / corpus.bytes) : '–', String(cell.runs), ratio,
        ok ? (cell.entries !== undefined && cell.entries !== corpus.entries ? `${cell.entries} entries read` : inProcess ? `warm re-parse ${formatMs(cell.warmMs)}; RSS includes tsx` : '') : (cell.note ?? ''),
      ]);
    }
  }
  return renderTable(
    ['corpus', 'tool', 'process wall', 'parse (in proc)', 'peak RSS', 'RSS/file', 'runs', '÷ ours CLI', 'note'],
    rows,
  );
}

export function indexTargets(corpora: Corpus[], cells: IndexCell[], capMs: number): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const byEntries = (n: number) => corpora.find((c) => c.format === 'bibtex' && c.name === `synthetic ${n / 1000}k`);
  for (const [n, limit] of [[100000, 1000], [250000, 2500]] as const) {
    const corpus = byEntries(n);
    const cell = corpus && cellFor(cells, corpus.name, OURS_IN_PROCESS);
    if (cell?.parseMs !== undefined) {
      checks.push({ target: `index ${n / 1000}k entries in process ≤ ${formatMs(limit)}`, measured: formatMs(cell.parseMs), met: cell.parseMs <= limit });
    }
  }
  const largest = byEntries(100000) ?? byEntries(10000);
  if (largest) {
    const ours = cellFor(cells, largest.name, OURS_CLI);
    const regex = cellFor(cells, largest.name, 'regex-scan');
    const citationJs = cellFor(cells, largest.name, 'citation-js');
    const grep = cellFor(cells, largest.name, 'grep key scan');
    if (ours?.wallMs && grep?.wallMs) {
      const ratio = ours.wallMs / grep.wallMs;
      checks.push({ target: `${largest.name}: CLI within 2× a grep -oE key scan (whole process, issue 15)`, measured: `${formatRatio(ratio)} (${formatMs(ours.wallMs)} vs ${formatMs(grep.wallMs)})`, met: ratio <= 2 });
    }
    if (ours?.wallMs && regex?.wallMs) {
      const ratio = ours.wallMs / regex.wallMs;
      checks.push({ target: `${largest.name}: CLI within 1.5× the regex key scan (whole process)`, measured: `${formatRatio(ratio)} (${formatMs(ours.wallMs)} vs ${formatMs(regex.wallMs)})`, met: ratio <= 1.5 });
    }
    if (ours?.wallMs && citationJs) {
      const peerMs = citationJs.status === 'ok' ? citationJs.wallMs : citationJs.status === 'capped' ? capMs : undefined;
      if (peerMs !== undefined) {
        const ratio = peerMs / ours.wallMs;
        const shown = `${citationJs.status === 'capped' ? '>' : ''}${formatRatio(ratio)} faster`;
        checks.push({ target: `${largest.name}: CLI ≥ 20× faster than citation-js`, measured: shown, met: ratio >= 20 });
      }
    }
  }
  for (const corpus of corpora.filter((c) => c.format === 'bibtex' && c.name.startsWith('synthetic') && c.entries >= 100000)) {
    const cell = cellFor(cells, corpus.name, OURS_CLI);
    if (cell?.peakRssBytes) {
      const ratio = cell.peakRssBytes / corpus.bytes;
      checks.push({ target: `${corpus.name}: CLI peak RSS ≤ 4× the file size`, measured: `${formatBytes(cell.peakRssBytes)} = ${formatRatio(ratio)}`, met: ratio <= 4 });
      if (corpus.entries === 100000) {
        checks.push({ target: `${corpus.name}: CLI peak RSS < 400 MB (issue 3)`, measured: formatBytes(cell.peakRssBytes), met: cell.peakRssBytes < 400 << 20 });
      }
    }
  }
  return checks;
}
