// Editor benchmark: size of the bundles VS Code loads, and the time to evaluate dist/client.js (median of fresh
// processes, with a stand-in `vscode` module). Full activation inside VS Code is not measured here.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { median, runMeasured } from './measure';
import { formatBytes, formatMs, renderTable } from './table';

export interface EditorResults {
  clientBundleBytes?: number;
  serverBundleBytes?: number;
  cliBundleBytes?: number;
  clientLoadMs?: number;
  note: string;
}

const NOTE = 'activation inside VS Code is not measured here (it needs a running editor); "client bundle load" is ' +
  'the time Node takes to evaluate dist/client.js, the part of activation before the server starts.';

export async function runEditorBench(): Promise<EditorResults> {
  const size = (file: string) => (existsSync(file) ? statSync(file).size : undefined);
  const results: EditorResults = {
    clientBundleBytes: size('dist/client.js'), serverBundleBytes: size('dist/server.js'), cliBundleBytes: size('dist/cli.js'), note: NOTE,
  };
  if (results.clientBundleBytes) {
    const loads: number[] = [];
    for (let i = 0; i < 7; i++) {
      const run = await runMeasured(process.execPath, [path.resolve('bench/tools/client-load.mjs'), 'dist/client.js'], { capMs: 30_000 });
      const report = run.stderr.trim().split('\n').pop() ?? '';
      if (report.startsWith('{')) loads.push((JSON.parse(report) as { loadMs: number }).loadMs);
    }
    if (loads.length) results.clientLoadMs = median(loads);
  }
  return results;
}

export function renderEditorTable(r: EditorResults): string {
  return renderTable(['measure', 'value'], [
    ['client bundle (dist/client.js)', formatBytes(r.clientBundleBytes)],
    ['server bundle (dist/server.js)', formatBytes(r.serverBundleBytes)],
    ['CLI bundle (dist/cli.js)', formatBytes(r.cliBundleBytes)],
    ['client bundle load (fresh Node, stand-in vscode), median of 7', formatMs(r.clientLoadMs)],
  ]) + `\nnote: ${r.note}`;
}
