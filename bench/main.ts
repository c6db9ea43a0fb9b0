// `npm run bench`: runs the index, server and editor benchmarks, prints the tables with medians, ratios and
// targets met or missed, and writes bench/results.json. Options: --quick, --only index|server|editor, --cap=SECONDS.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { indexCorpora } from './corpora';
import { runIndexBench, type IndexTool } from './indexBench';
import { indexTargets, renderIndexTable } from './indexReport';
import { peakRssMethod } from './measure';
import { renderTargets, type TargetCheck } from './targets';
import { runServerBench, renderServerTable, serverTargets } from './serverBench';
import { runEditorBench, renderEditorTable } from './editorBench';
import { coldAndWarmSessions, medianSession, renderUserSession, runUserSession, userSessionTargets, type UserSessionResult } from './userSession';
import { libraryWorkspace, paperWorkspace } from './workspaces';
import { renderSoak, runSoak, soakTargets } from './soak';

interface Options {
  quick: boolean;
  only?: 'index' | 'server' | 'editor';
  capMs: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { quick: false, capMs: 60_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg.includes('=') ? arg.slice(7) : argv[++i];
      if (value !== 'index' && value !== 'server' && value !== 'editor') usage(`--only takes index, server or editor, not '${value}'`);
      options.only = value;
    } else if (arg.startsWith('--cap=')) options.capMs = Number(arg.slice(6)) * 1000;
    else usage(`unknown option '${arg}'`);
  }
  if (options.quick && options.capMs === 60_000) options.capMs = 20_000;
  if (!Number.isFinite(options.capMs) || options.capMs <= 0) usage('--cap takes seconds');
  return options;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nUsage: npm run bench -- [--quick] [--only index|server|editor] [--cap=SECONDS]\n`);
  process.exit(2);
}

const require = createRequire(path.resolve('package.json'));

function commandExists(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why a tool cannot run here (not installed), or undefined when it can. */
function unavailable(tool: IndexTool): string | undefined {
  const modules: Record<string, string> = {
    'citation-js': '@citation-js/core', '@retorquere/bibtex-parser': '@retorquere/bibtex-parser',
    'latex-utensils': 'latex-utensils', 'biblatex-csl-converter': 'biblatex-csl-converter', 'yaml-parse': 'yaml',
  };
  if (modules[tool.name]) {
    try {
      require.resolve(modules[tool.name]);
    } catch {
      return `not installed (npm install ${modules[tool.name]})`;
    }
  }
  if (tool.name.startsWith('pandoc') && !commandExists('pandoc')) return 'pandoc not installed';
  if (tool.name.startsWith('biber') && !commandExists('biber')) return 'biber not installed';
  if (tool.name.startsWith('citekeys keys') && !existsSync('dist/cli.js')) return 'dist/cli.js missing (npm run build)';
  return undefined;
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: os.availableParallelism(), cpu, memory: `${Math.round(os.totalmem() / (1 << 30))} GB`, node: process.version,
    os: `${os.type()} ${os.release()}`, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    commit: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
      } catch {
        return undefined;
      }
    })(),
  };
}

function versions() {
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    } catch {
      return undefined;
    }
  };
  const tool = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0].trim();
    } catch {
      return undefined;
    }
  };
  return {
    'citation-js': pkg('@citation-js/core'), '@retorquere/bibtex-parser': pkg('@retorquere/bibtex-parser'),
    'latex-utensils': pkg('latex-utensils'), 'biblatex-csl-converter': pkg('biblatex-csl-converter'),
    pandoc: tool('pandoc', ['--version']), biber: tool('biber', ['--version']),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const progress = (line: string) => process.stderr.write(`  ${line}\n`);
  const info = machine();
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine: info, options, versions: versions(), peakRssMethod };
  const sections: string[] = [];
  const targets: TargetCheck[] = [];
  const wants = (section: Options['only']) => !options.only || options.only === section;

  if (wants('index')) {
    process.stderr.write('bench: index\n');
    const corpora = indexCorpora(options.quick);
    const cells = await runIndexBench(corpora, {
      capMs: options.capMs, maxRuns: options.quick ? 3 : 5, available: unavailable, progress,
    });
    results.index = { corpora: corpora.map((c) => ({ ...c, file: path.relative(process.cwd(), c.file) })), cells };
    sections.push(`INDEX — cold, each run a fresh process; median of "runs"; "÷ ours CLI" = the tool's process wall time ÷ the citekeys CLI's (below 1: faster than ours)\n` +
      renderIndexTable(corpora, cells, options.capMs));
    targets.push(...indexTargets(corpora, cells, options.capMs));
  }
  if (wants('server')) {
    process.stderr.write('bench: server\n');
    const server = await runServerBench({ quick: options.quick, progress });
    results.server = server;
    sections.push(`SERVER — dist/server.js over stdio\n${renderServerTable(server)}`);
    targets.push(...serverTargets(server));
    // Issue 15: the user's way, each session a fresh server on the paper over the large .bib.
    const entries = options.quick ? 10_000 : 100_000;
    const { median: session, runs: sessions, warm } = await coldAndWarmSessions(paperWorkspace(entries), options.quick ? 1 : 3, { completions: 200, hovers: 20 }, (r, i) => {
      progress(`user session ${i + 1}: every entry completable ${Math.round(r.everyEntryMs ?? NaN)} ms, 1–3-letter p99 ${r.completion['1-3']?.p99.toFixed(1)} ms`);
    });
    if (warm) progress(`user session, warm: every entry completable ${Math.round(warm.everyEntryMs ?? NaN)} ms (index cache ${warm.indexCache ?? 'not used'})`);
    session.plainPeakRssBytes = (await runUserSession(paperWorkspace(entries), { completions: 200, hovers: 20, plain: true })).peakRssBytes;
    results.userSession = { median: session, runs: sessions, warm };
    sections.push(`USER SESSION (issue 15) — a fresh server, the paper over the ${entries / 1000}k .bib: initialize, 200 typed prefixes, 20 hovers\n` +
      renderUserSession(session, entries, sessions.length));
    targets.push(...userSessionTargets(session, entries));
    // Issue 14: the same typing, the paper's own 50 entries plus the large corpus as the user's library.
    const withLibrary: UserSessionResult[] = [];
    for (let i = 0; i < (options.quick ? 1 : 3); i++) {
      const ws = libraryWorkspace(entries);
      withLibrary.push(await runUserSession(ws, { completions: 200, hovers: 0, settings: { libraries: [ws.library], zotero: { enabled: false } } }));
      progress(`library session ${i + 1}: 1–3-letter p99 ${withLibrary[i].completion['1-3']?.p99.toFixed(1)} ms`);
    }
    const library = medianSession(withLibrary);
    results.librarySession = { median: library, runs: withLibrary };
    sections.push(`LIBRARY SESSION (issue 14) — a fresh server, a paper with a 50-entry refs.bib and the ${entries / 1000}k .bib as citekeys.libraries\n` +
      renderUserSession(library, entries, withLibrary.length));
    targets.push({ target: `issue 14: completion p99 ≤ 30 ms with a ${entries / 1000}k library beside a 50-entry project, 1–3-letter prefixes`, measured: `${library.completion['1-3']?.p99.toFixed(1) ?? '–'} ms`, met: (library.completion['1-3']?.p99 ?? Infinity) <= 30 });
    // Issue 15's soak run: a working day of edits to a note and an open 10k .bib, compressed.
    const soakEdits = options.quick ? 1000 : 5000;
    const soak = await runSoak({ edits: soakEdits, entries: 10_000 });
    progress(`soak: ${soak.edits} edits in ${Math.round(soak.wallMs / 1000)} s`);
    results.soak = soak;
    sections.push(`SOAK (issue 15) — a fresh server, notes.md and the open 10k refs.bib: ${soakEdits} edits with completions, hovers and saves between them\n${renderSoak(soak, 10_000)}`);
    targets.push(...soakTargets(soak));
  }
  if (wants('editor')) {
    const editor = await runEditorBench();
    results.editor = editor;
    sections.push(`EDITOR\n${renderEditorTable(editor)}`);
  }

  const seconds = (Date.now() - started) / 1000;
  results.targets = targets;
  results.durationSeconds = Math.round(seconds);
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
  const header = `citekeys benchmark — ${info.nproc} × ${info.cpu}, ${info.memory}, Node ${info.node}, ${info.os}` +
    `${info.commit ? `, commit ${info.commit}` : ''}; load average at start ${info.loadAverage.join(' ')}; peak RSS by ${peakRssMethod}`;
  process.stdout.write(`\n${header}\n\n${sections.join('\n\n')}\n\nTARGETS (issues 7 and 15)\n${renderTargets(targets)}\n\n` +
    `Took ${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s${options.quick ? ' (--quick)' : ''}; written to bench/results.json\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
