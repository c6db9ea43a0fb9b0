// Runs one command as a child process under a time cap and measures its wall time and peak RSS
// (with /usr/bin/time when installed, else by polling /proc/<pid>/status VmHWM).
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface ProcessRun {
  /** Wall time from spawn to exit, ms. */
  wallMs: number;
  /** Peak resident set size of the process, in bytes (undefined when it could not be read). */
  peakRssBytes?: number;
  /** True when the process was killed at the time cap. */
  timedOut: boolean;
  exitCode: number | null;
  /** Standard output, unless it was sent to /dev/null. */
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  capMs: number;
  /** Send stdout to /dev/null instead of collecting it (for commands printing megabytes). */
  discardStdout?: boolean;
  cwd?: string;
}

const GNU_TIME = '/usr/bin/time';
export const peakRssMethod = existsSync(GNU_TIME) ? 'GNU time (%M)' : '/proc VmHWM polling';

export function runMeasured(command: string, args: string[], options: RunOptions): Promise<ProcessRun> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'citekeys-bench-'));
  const timeFile = path.join(scratch, 'time.txt');
  const useTime = existsSync(GNU_TIME);
  const [cmd, argv] = useTime ? [GNU_TIME, ['-f', '%M', '-o', timeFile, command, ...args]] : [command, args];
  const devNull = options.discardStdout ? openSync('/dev/null', 'w') : undefined;
  const started = process.hrtime.bigint();
  const child = spawn(cmd, argv, { cwd: options.cwd, stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => {
    if (stderr.length < 20_000) stderr += String(chunk);
  });
  let polledPeak = 0;
  const poll = useTime ? undefined : setInterval(() => (polledPeak = Math.max(polledPeak, readVmHwm(child.pid) ?? 0)), 5);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killTree(child.pid);
  }, options.capMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      if (devNull !== undefined) closeSync(devNull);
      let peakRssBytes: number | undefined = polledPeak ? polledPeak : undefined;
      if (useTime && existsSync(timeFile)) {
        const kb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop());
        if (Number.isFinite(kb) && kb > 0) peakRssBytes = kb * 1024;
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({ wallMs, peakRssBytes, timedOut, exitCode: code, stdout, stderr });
    });
  });
}

/** Kills a child (and, under GNU time, the command it runs) by process id. */
function killTree(pid: number | undefined): void {
  if (!pid) return;
  for (const child of childPids(pid)) killTree(child);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text ? text.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** Peak RSS so far of a live process, in bytes. */
export function readVmHwm(pid: number | undefined): number | undefined {
  return readStatusField(pid, 'VmHWM');
}

export function readVmRss(pid: number | undefined): number | undefined {
  return readStatusField(pid, 'VmRSS');
}

function readStatusField(pid: number | undefined, field: string): number | undefined {
  if (!pid) return undefined;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
