// Benchmark inputs, generated once and cached under bench/.data/: synthetic BibTeX corpora from bench/makeBib.ts,
// the 10k corpus as CSL-JSON and CSL-YAML (via pandoc), and the real libraries of ../shared/corpus/bench when present.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync, writeSync, openSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import { CLEAN, writeBib } from './makeBib';

export const DATA = path.resolve('bench/.data');
const REAL = path.resolve('../shared/corpus/bench');

export interface Corpus {
  name: string;
  file: string;
  format: 'bibtex' | 'csl-json' | 'csl-yaml';
  bytes: number;
  /** Entries the corpus holds (as generated or as SOURCES.md counts them). */
  entries: number;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** A clean synthetic corpus of `n` entries (no malformed entries, no duplicate keys). */
export function syntheticBib(n: number): string {
  mkdirSync(DATA, { recursive: true });
  const file = path.join(DATA, `bib-${n}.bib`);
  if (!existsSync(file)) {
    log(`generating ${n}-entry corpus`);
    const partial = `${file}.partial`;
    const out = openSync(partial, 'w');
    try {
      writeBib(n, CLEAN, (chunk) => writeSync(out, chunk));
    } finally {
      closeSync(out);
    }
    renameSync(partial, file);
  }
  return file;
}

/** The same entries as CSL-JSON and CSL-YAML, converted once with pandoc. */
export function cslVersions(bibFile: string): { json?: string; yaml?: string; why?: string } {
  const base = bibFile.replace(/\.bib$/, '').replace(/bib-/, 'csl-');
  const json = `${base}.json`;
  const yaml = `${base}.yaml`;
  try {
    if (!existsSync(json)) {
      log(`converting ${path.basename(bibFile)} to CSL-JSON with pandoc (once)`);
      execFileSync('pandoc', ['-f', 'biblatex', '-t', 'csljson', bibFile, '-o', `${json}.partial`], { stdio: ['ignore', 'ignore', 'inherit'] });
      renameSync(`${json}.partial`, json);
    }
    if (!existsSync(yaml)) {
      log(`converting ${path.basename(json)} to CSL-YAML with pandoc (once)`);
      const markdown = execFileSync('pandoc', ['-f', 'csljson', '-t', 'markdown', '-s', json], { maxBuffer: 1 << 30, encoding: 'utf8' });
      // pandoc writes a Markdown document whose front matter holds `references:`; keep just that list.
      const start = markdown.indexOf('references:');
      const end = markdown.indexOf('\n---', start);
      writeFileSync(yaml, markdown.slice(start, end < 0 ? undefined : end + 1));
    }
    return { json, yaml };
  } catch (error) {
    return { why: `pandoc could not convert: ${(error as Error).message}` };
  }
}

function countEntries(file: string): number {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) return (JSON.parse(text) as unknown[]).length;
  if (file.endsWith('.yaml')) return text.match(/^- /gm)?.length ?? 0;
  return text.match(/^@(?!string|comment|preamble)\w+\s*[{(]/gim)?.length ?? 0;
}

function corpus(name: string, file: string, format: Corpus['format'], entries?: number): Corpus {
  return { name, file, format, bytes: statSync(file).size, entries: entries ?? countEntries(file) };
}

/** Index corpora, smallest first (so a peer that is too slow on one can be skipped on the larger ones). */
export function indexCorpora(quick: boolean): Corpus[] {
  const sizes = quick ? [1000, 10000] : [1000, 10000, 100000, 250000];
  const list: Corpus[] = sizes.map((n) => corpus(`synthetic ${n / 1000}k`, syntheticBib(n), 'bibtex', n));
  const csl = cslVersions(syntheticBib(10000));
  if (csl.json) list.push(corpus('synthetic 10k CSL-JSON', csl.json, 'csl-json', 10000));
  if (csl.yaml) list.push(corpus('synthetic 10k CSL-YAML', csl.yaml, 'csl-yaml', 10000));
  if (!csl.json) log(csl.why ?? 'no CSL corpora');
  if (quick) return list.sort((a, b) => a.bytes - b.bytes);
  for (const [name, file] of [['real cdl.bib', 'real-cdl.bib'], ['real jgrey (concatenated)', 'real-jgrey-main.bib']]) {
    const full = path.join(REAL, file);
    if (existsSync(full)) list.push(corpus(name, full, 'bibtex'));
    else log(`${full} not found; skipped`);
  }
  return list.sort((a, b) => a.bytes - b.bytes);
}
