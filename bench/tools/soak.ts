// Issue 15's soak run alone (bench/soak.ts): node --import tsx bench/tools/soak.ts [EDITS] [ENTRIES], default 5000 10000.
import { renderSoak, runSoak, soakTargets } from '../soak';
import { renderTargets } from '../targets';

async function main(): Promise<void> {
  const edits = Number(process.argv[2] ?? 5000);
  const entries = Number(process.argv[3] ?? 10_000);
  const result = await runSoak({ edits, entries });
  process.stdout.write(`${renderSoak(result, entries)}\n${renderTargets(soakTargets(result))}\n`);
}

void main();
