// Writes a generated bibliography (bench/makeBib.ts) to stdout, for people and scripts:
// node --import tsx bench/tools/make-bib.ts N [--seed=S] [--malformed=R] [--dups=R] [--clean] [--stats] > out.bib
import { writeSync } from 'node:fs';
import { writeBib, type BibOptions } from '../makeBib';

const options: BibOptions = {};
let entries = 1000;
let withStats = false;
for (const arg of process.argv.slice(2)) {
  const [name, value] = arg.split('=');
  if (/^\d+$/.test(arg)) entries = Number(arg);
  else if (name === '--seed') options.seed = Number(value);
  else if (name === '--malformed') options.malformed = Number(value);
  else if (name === '--dups') options.duplicates = Number(value);
  else if (arg === '--clean') Object.assign(options, { malformed: 0, duplicates: 0 });
  else if (arg === '--stats') withStats = true;
  else {
    process.stderr.write(`make-bib: unknown argument ${arg}\nusage: make-bib.ts N [--seed=S] [--malformed=R] [--dups=R] [--clean] [--stats]\n`);
    process.exit(2);
  }
}
const stats = writeBib(entries, options, (chunk) => writeSync(1, chunk));
if (withStats) process.stderr.write(JSON.stringify({ ...stats, keys: undefined, uniqueKeys: new Set(stats.keys).size }) + '\n');
