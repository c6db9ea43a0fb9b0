// Index benchmark: cold index time and peak RSS of our parser (in process and as the CLI) and of each peer,
// measured as fresh processes, interleaved round by round on the same files so ratios survive a noisy machine.
import * as path from 'node:path';
import type { Corpus } from './corpora';
import { median, runMeasured, type ProcessRun } from './measure';

export interface IndexTool {
  name: string;
  /** What the row stands for: our code, a peer parser, or a lower bound that reads keys only. */
  role: 'ours' | 'peer' | 'bound';
  formats: Corpus['format'][];
  command(corpus: Corpus): { cmd: string; args: string[] };
  /** True when the child prints {parseMs, entries} as its last stderr line. */
  reportsParse: boolean;
}

export interface IndexCell {
  tool: string;
  corpus: string;
  status: 'ok' | 'capped' | 'skipped' | 'failed';
  note?: string;
  runs: number;
  wallMs?: number;
  parseMs?: number;
  warmMs?: number;
  peakRssBytes?: number;
  entries?: number;
  /** Wall time of each run, ms (for the record). */
  walls: number[];
}

const NODE = process.execPath;
const PEER_SCRIPT = path.resolve('bench/tools/peer-parse.mjs');
const OURS_SCRIPT = path.resolve('bench/tools/ours-index.ts');
const CLI = path.resolve('dist/cli.js');

const nodePeer = (name: string, formats: Corpus['format'][], role: IndexTool['role'] = 'peer'): IndexTool => ({
  name, role, formats, reportsParse: true,
  command: (c) => ({ cmd: NODE, args: [PEER_SCRIPT, name, c.file] }),
});

export const INDEX_TOOLS: IndexTool[] = [
  {
    name: 'citekeys (in process)', role: 'ours', formats: ['bibtex', 'csl-json', 'csl-yaml'], reportsParse: true,
    command: (c) => ({ cmd: NODE, args: ['--import', 'tsx', OURS_SCRIPT, c.file] }),
  },
  {
    name: 'citekeys keys --format json', role: 'ours', formats: ['bibtex', 'csl-json', 'csl-yaml'], reportsParse: false,
    command: (c) => ({ cmd: NODE, args: [CLI, 'keys', '--format', 'json', c.file] }),
  },
  nodePeer('regex-scan', ['bibtex'], 'bound'),
  {
    // Issue 15's anchor: a C regex key scan (no positions, no JSON). Piped, because GNU grep writing to /dev/null
    // stops at the first match.
    name: 'grep key scan', role: 'bound', formats: ['bibtex'], reportsParse: false,
    command: (c) => ({ cmd: 'sh', args: ['-c', 'grep -oE \'^@[A-Za-z]+\\{[^,]*\' "$1" | cat', 'grep-key-scan', c.file] }),
  },
  nodePeer('json-parse', ['csl-json'], 'bound'),
  nodePeer('yaml-parse', ['csl-yaml'], 'bound'),
  nodePeer('citation-js', ['bibtex', 'csl-json']),
  nodePeer('@retorquere/bibtex-parser', ['bibtex']),
  nodePeer('latex-utensils', ['bibtex']),
  nodePeer('biblatex-csl-converter', ['bibtex']),
  {
    name: 'pandoc → CSL-JSON', role: 'peer', formats: ['bibtex', 'csl-json'], reportsParse: false,
    command: (c) => ({ cmd: 'pandoc', args: ['-f', c.format === 'bibtex' ? 'biblatex' : 'csljson', '-t', 'csljson', c.file, '-o', '/dev/null'] }),
  },
  {
    name: 'biber --tool', role: 'peer', formats: ['bibtex'], reportsParse: false,
    command: (c) => ({ cmd: 'biber', args: ['--tool', '--nolog', '--quiet', '--output-file=/dev/null', c.file] }),
  },
];

export interface IndexOptions {
  capMs: number;
  /** Runs for a tool whose first run is fast; slow tools get fewer (see runsFor). */
  maxRuns: number;
  available: (tool: IndexTool) => string | undefined;
  progress: (line: string) => void;
}

/** Fewer runs for slow tools: the median of 1 run at 30 s is worth less than 5 runs of the fast ones, but costs more. */
function runsFor(firstWallMs: number, maxRuns: number): number {
  if (firstWallMs > 10_000) return 1;
  if (firstWallMs > 2_000) return maxRuns >= 5 ? 3 : 1;
  return maxRuns;
}

function lastJsonLine(stderr: string): { parseMs?: number; warmMs?: number; entries?: number } {
  const lines = stderr.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line);
    } catch {
      // not ours
    }
  }
  return {};
}

function failureNote(run: ProcessRun): string {
  const lines = run.stderr.trim().split('\n').filter((l) => l.trim() && !l.startsWith('{'));
  const message = lines.find((l) => /^\s*(\w*Error\b|error)/i.test(l) && !/^\s*at /.test(l)) ?? lines.find((l) => /error/i.test(l)) ?? lines[0] ?? '';
  return `failed (exit ${run.exitCode}): ${message.trim().slice(0, 110)}`;
}

export async function runIndexBench(corpora: Corpus[], options: IndexOptions): Promise<IndexCell[]> {
  const cells: IndexCell[] = [];
  /** Per tool: the largest corpus it finished, to extrapolate whether the next one fits the cap. */
  const throughput = new Map<string, { bytes: number; wallMs: number; capped: boolean }>();
  for (const corpus of corpora) {
    const row = new Map<IndexTool, { cell: IndexCell; runs: ProcessRun[]; target: number }>();
    for (const tool of INDEX_TOOLS.filter((t) => t.formats.includes(corpus.format))) {
      const cell: IndexCell = { tool: tool.name, corpus: corpus.name, status: 'ok', runs: 0, walls: [] };
      cells.push(cell);
      const missing = options.available(tool);
      const seen = throughput.get(tool.name);
      if (missing) {
        Object.assign(cell, { status: 'skipped', note: missing });
      } else if (seen?.capped) {
        Object.assign(cell, { status: 'capped', note: `skipped: over the cap on a smaller corpus` });
      } else if (seen && (seen.wallMs * corpus.bytes) / seen.bytes > options.capMs) {
        const estimate = (seen.wallMs * corpus.bytes) / seen.bytes;
        Object.assign(cell, { status: 'capped', note: `skipped: estimated ~${Math.round(estimate / 1000)} s from the smaller corpus` });
      } else {
        row.set(tool, { cell, runs: [], target: 1 });
      }
    }
    // Round-robin: every tool runs once per round, so a burst of load hits all of them alike.
    for (let round = 0; ; round++) {
      const due = [...row.entries()].filter(([, r]) => r.runs.length < r.target && r.cell.status === 'ok');
      if (!due.length) break;
      for (const [tool, r] of due) {
        const { cmd, args } = tool.command(corpus);
        const run = await runMeasured(cmd, args, { capMs: options.capMs, discardStdout: true });
        options.progress(`${corpus.name} · ${tool.name} · run ${round + 1}: ${run.timedOut ? `>${options.capMs / 1000} s` : `${Math.round(run.wallMs)} ms`}`);
        if (run.timedOut) {
          Object.assign(r.cell, { status: 'capped', note: `over the ${options.capMs / 1000} s cap` });
          throughput.set(tool.name, { bytes: corpus.bytes, wallMs: options.capMs, capped: true });
          continue;
        }
        if (run.exitCode !== 0) {
          Object.assign(r.cell, { status: 'failed', note: failureNote(run) });
          continue;
        }
        r.runs.push(run);
        if (round === 0) r.target = runsFor(run.wallMs, options.maxRuns);
      }
    }
    for (const [tool, r] of row) {
      if (!r.runs.length) continue;
      const reports = tool.reportsParse ? r.runs.map((run) => lastJsonLine(run.stderr)) : [];
      const walls = r.runs.map((run) => run.wallMs);
      const rss = r.runs.map((run) => run.peakRssBytes).filter((v): v is number => v !== undefined);
      Object.assign(r.cell, {
        runs: r.runs.length,
        walls: walls.map((w) => Math.round(w)),
        wallMs: median(walls),
        peakRssBytes: rss.length ? median(rss) : undefined,
        parseMs: reports.length ? median(reports.map((x) => x.parseMs ?? NaN)) : undefined,
        warmMs: reports.some((x) => x.warmMs !== undefined) ? median(reports.map((x) => x.warmMs ?? NaN)) : undefined,
        entries: reports[0]?.entries,
      });
      if (r.cell.status === 'ok') throughput.set(tool.name, { bytes: corpus.bytes, wallMs: median(walls), capped: false });
    }
  }
  return cells;
}
