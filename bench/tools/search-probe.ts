// Times the bibliography search index in process: building it over a generated bibliography and answering the
// benchmark's typed prefixes (1–3 letters of keys, author words) plus family, family+year and title queries.
// Usage: node --import tsx bench/tools/search-probe.ts file.bib [limit]. Times are CPU time of this process (user +
// system, all threads), which a busy shared machine distorts less than wall time.
import { readFileSync } from 'node:fs';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { searchIndexOf } from '../../server/src/bibliography/searchIndex';
import { typedPrefixes } from '../serverBench';

const [path, limitArg] = process.argv.slice(2);
const limit = Number(limitArg ?? 100);
const file = BibliographyFile.parse(path, readFileSync(path, 'utf8'), 'bibtex');
const keys = file.entries.map((entry) => entry.key);
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const indexTimes: number[] = [];
for (let run = 0; run < 3; run++) {
  const copy = BibliographyFile.parse(path, file.text, 'bibtex');
  const started = cpuMs();
  searchIndexOf(copy);
  indexTimes.push(cpuMs() - started);
}
const index = searchIndexOf(file);
const queries = [...typedPrefixes(keys, 200), 'smith', 'mill', 'li', 'wang 2010', 'muller 2007', 'smith quantum', 'nunez', 'van der', 'o neil'];
for (const query of queries.slice(0, 20)) index.search(query, limit); // warm up
const queryTimes = new Map<string, number[]>();
for (let round = 0; round < 5; round++) {
  for (const query of queries) {
    const started = cpuMs();
    index.search(query, limit);
    const list = queryTimes.get(query) ?? [];
    list.push(cpuMs() - started);
    queryTimes.set(query, list);
  }
}
const percentiles = (values: number[]): Record<string, string> => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): string => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2);
  return { samples: String(sorted.length), p50Ms: at(50), p99Ms: at(99), maxMs: sorted[sorted.length - 1].toFixed(2) };
};
const all = [...queryTimes.values()].flat();
const words = [...queryTimes].filter(([query]) => query.length > 3).flatMap(([, values]) => values);
const slowest = [...queryTimes].map(([query, values]) => [query, Math.min(...values)] as const).sort((a, b) => b[1] - a[1]).slice(0, 3);
indexTimes.sort((a, b) => a - b);
console.log(JSON.stringify({
  entries: keys.length, indexMedianMs: indexTimes[1].toFixed(0), indexMinMs: indexTimes[0].toFixed(0),
  all: percentiles(all), wordQueries: percentiles(words), slowestByBestRun: slowest.map(([query, ms]) => `${query} ${ms.toFixed(2)}`),
}));
