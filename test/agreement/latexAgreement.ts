// Runs pdflatex + bibtex/biber on one document and compares the keys LaTeX records (.aux/.bcf) and the citations it
// reports as undefined with what parseLatexDocument finds in the document and the files it includes.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { parseLatexDocument } from '../../server/src/syntax/citations/latex';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';

export interface AgreementDocument {
  name: string;
  /** Folder copied whole into a temporary directory. */
  folder: string;
  /** The main file, relative to `folder`; LaTeX runs in its directory. */
  mainFile: string;
  /** Fixtures share test/fixtures/latex/common.bib. */
  withCommonBib: boolean;
  /** Known differences; fixtures write them as `% agreement:` lines in their main file. */
  expected?: ExpectedDifferences;
}

export interface ExpectedDifferences {
  latexOnly: string[];
  parserOnly: string[];
  citeCommands: string[];
  orderDiffers: boolean;
}

export interface LatexOutcome {
  keys: string[];
  /** Cited keys LaTeX reports as undefined; missing when BibTeX/biber is not installed. */
  undefinedKeys?: string[];
  /**
   * How `undefinedKeys` was found. 'log': LaTeX's own warnings after BibTeX/biber and more runs, which name only
   * printed citations and keep a trailing space (`\cite{a ,b}` warns about `a `). 'bbl': cited keys (\nocite too)
   * that the .bbl BibTeX/biber wrote, or the document's own \bibitem, do not define; one LaTeX run fewer.
   */
  undefinedFrom: 'log' | 'bbl';
  /** Why LaTeX could not compile the document at all (a missing class or package), when it could not. */
  failure?: string;
  /** The TeX engine that ran. */
  engine: string;
  seconds: number;
}

export const fixtureRoot = join(__dirname, '../fixtures/latex');

function installed(tool: string): boolean {
  return !spawnSync(tool, ['--version'], { stdio: 'ignore' }).error;
}

export const tools = { pdflatex: installed('pdflatex'), bibtex: installed('bibtex'), biber: installed('biber') };

/** Missing fonts fail at once instead of running METAFONT (which cannot make Type 1 fonts anyway). */
const TEX_ENVIRONMENT = { ...process.env, max_print_line: '10000', MKTEXTFM: '0', MKTEXPK: '0', MKTEXMF: '0' };

function run(command: string, args: string[], cwd: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'ignore', timeout: 60_000, env: TEX_ENVIRONMENT });
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

function firstOccurrences(keys: Iterable<string>): string[] {
  return [...new Set(keys)];
}

/**
 * `\citation{a,b}` lines in document order, following `\@input{chapter.aux}` into \include'd files. biblatex with
 * `backend=bibtex` cites its own `biblatex-control` entry.
 */
const CONTROL_ENTRIES = new Set(['biblatex-control', 'achemso-control']);

function auxKeys(directory: string, auxFile: string, seen = new Set<string>()): string[] {
  if (seen.has(auxFile)) return [];
  seen.add(auxFile);
  const keys: string[] = [];
  for (const match of readIfExists(join(directory, auxFile)).matchAll(/\\citation\{([^}]*)\}|\\@input\{([^}]*)\}/g)) {
    const found = match[2] !== undefined
      ? auxKeys(directory, match[2], seen)
      : match[1].split(',').map((key) => key.trim()).filter((key) => key !== '' && !CONTROL_ENTRIES.has(key));
    for (const key of found) keys.push(key);
  }
  return keys;
}

function bcfKeys(bcf: string): string[] {
  const decode = (text: string) =>
    text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...bcf.matchAll(/<bcf:citekey[^>]*>([^<]*)<\/bcf:citekey>/g)].map((match) => decode(match[1]));
}

/** `\bibcite{key}` lines of the .aux (from \bibitem in the document) and the entries of the .bbl. */
function definedKeys(aux: string, bbl: string): string[] {
  const keys = [...aux.matchAll(/\\bibcite\{([^}]*)\}/g)].map((match) => match[1]);
  // biber: \entry{key}{type}{}; BibTeX: \bibitem[label]{key}, the label perhaps holding braces and brackets;
  // harvard: \harvarditem[short]{names}{year}{key}.
  for (const match of bbl.matchAll(/\\entry\{([^}]*)\}/g)) keys.push(match[1]);
  for (const match of bbl.matchAll(/\\(bibitem|harvarditem)\b/g)) {
    let at = match.index + match[0].length;
    const skipSpace = () => { while (/\s/.test(bbl[at] ?? '')) at++; };
    skipSpace();
    if (bbl[at] === '[') {
      for (let depth = 0; at < bbl.length; at++) {
        if (bbl[at] === '{') depth++;
        else if (bbl[at] === '}') depth--;
        else if (bbl[at] === ']' && depth === 0) break;
      }
      at++;
    }
    const argument = () => {
      skipSpace();
      const end = bbl.indexOf('}', at);
      const text = bbl[at] === '{' && end > at ? bbl.slice(at + 1, end) : '';
      at = end + 1;
      return text;
    };
    if (match[1] === 'harvarditem') { argument(); argument(); }
    keys.push(argument().trim());
  }
  return keys;
}

/** The engine a document asks for: `% !TEX program = lualatex`, or fontspec, which pdflatex cannot load. */
function engineFor(text: string): string {
  const program = /^%\s*!\s*tex\s+(?:ts-)?program\s*=\s*(\w+)/im.exec(text)?.[1]?.toLowerCase();
  if (program === 'lualatex' || program === 'xelatex') return 'lualatex';
  return /^[^%\n]*\\usepackage(?:\[[^\]]*\])?\{[^}]*\b(?:fontspec|unicode-math)\b/m.test(text) ? 'lualatex' : 'pdflatex';
}

/** The first error of a log and the lines after it. */
function firstError(log: string): string {
  const lines = log.split('\n');
  const error = lines.findIndex((line) => line.startsWith('!'));
  return lines.slice(Math.max(error, 0), error + 6).join('\n');
}

/** Printed citations LaTeX could not resolve (natbib's \nocite warns as `Package natbib Warning`, without a page). */
function undefinedCitations(log: string): string[] {
  return [...log.matchAll(/Citation [`']([^']*)' on page \S+ undefined|LaTeX Warning: Citation [`']([^']*)' undefined/g)]
    .map((match) => match[1] ?? match[2]);
}

/**
 * Compiles the document in a temporary copy of its folder. `exact` reruns LaTeX to read its undefined-citation
 * warnings, and any error throws. Otherwise errors LaTeX recovers from are tolerated (real documents have some), a
 * job that stops early gives `failure`, and undefined keys come from the .bbl.
 */
export async function runLatex(document: AgreementDocument, exact: boolean): Promise<LatexOutcome> {
  const lenient = !exact;
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const copy = mkdtempSync(join(tmpdir(), 'citekeys-latex-'));
  try {
    cpSync(document.folder, copy, { recursive: true });
    if (document.withCommonBib) copyFileSync(join(fixtureRoot, 'common.bib'), join(copy, 'common.bib'));
    const directory = join(copy, dirname(document.mainFile));
    const file = basename(document.mainFile);
    const job = basename(file, '.tex');
    const engine = engineFor(readFileSync(join(directory, file), 'utf8'));
    // -draftmode writes .aux/.bcf/.log but no PDF, which nobody reads here.
    const flags = lenient ? [] : ['-halt-on-error'];
    const code = await run(engine, ['-draftmode', '-interaction=nonstopmode', ...flags, file], directory);
    const log = readIfExists(join(directory, `${job}.log`));
    const outcome = { engine, undefinedFrom: exact ? 'log' as const : 'bbl' as const };
    if (lenient && (code === null || /job aborted|Emergency stop/.test(log) || !existsSync(join(directory, `${job}.aux`)))) {
      const missing = /! LaTeX Error: File `([^']+)' not found/.exec(log)?.[1];
      const font = /! Font \S+=(\S+) at \S+ not loadable: Metric \(TFM\) file not found/.exec(log)?.[1];
      const failure = missing ? `${missing} is not installed`
        : font ? `the font ${font} is not installed, and ${engine} stops without it`
          : firstError(log).split('\n')[0] || `${engine} exited with ${code}`;
      return { ...outcome, keys: [], failure, seconds: seconds() };
    }
    if (code !== 0 && !lenient) throw new Error(`${engine} failed on ${document.name}:\n${firstError(log)}`);
    const bcf = readIfExists(join(directory, `${job}.bcf`));
    const aux = readIfExists(join(directory, `${job}.aux`));
    const usesBiber = bcf !== '';
    const keys = usesBiber ? bcfKeys(bcf) : auxKeys(directory, `${job}.aux`);
    const usesBibtex = !usesBiber && /\\bibdata\{/.test(aux);
    if ((usesBiber && !tools.biber) || (usesBibtex && !tools.bibtex)) return { ...outcome, keys, seconds: seconds() };
    if (usesBiber) await run('biber', ['--quiet', job], directory);
    if (usesBibtex) await run('bibtex', [job], directory);
    if (exact) {
      const pdflatex = () => run(engine, ['-draftmode', '-interaction=nonstopmode', ...flags, file], directory);
      await pdflatex();
      if (!usesBiber) await pdflatex(); // \bibcite lines reach the .aux one run after the .bbl is read
      const undefinedKeys = undefinedCitations(readIfExists(join(directory, `${job}.log`)));
      return { ...outcome, keys, undefinedKeys, seconds: seconds() };
    }
    // What the next LaTeX run would define. A .bbl the folder shipped is read by the first run but rewritten.
    const bbl = usesBiber || usesBibtex ? readIfExists(join(directory, `${job}.bbl`)) : '';
    const defined = new Set(definedKeys(usesBiber || usesBibtex ? '' : aux, bbl));
    const undefinedKeys = firstOccurrences(keys).filter((key) => key !== '*' && !defined.has(key));
    return { ...outcome, keys, undefinedKeys, seconds: seconds() };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

interface ParserOutcome {
  /** All keys in order of first occurrence, following includes. */
  keys: string[];
  /** Keys cited with a printing command (not \nocite). */
  printedKeys: Set<string>;
  definedKeys: Set<string>;
  /** The main file uses BibTeX, which matches keys case-insensitively (see README, Key case). */
  bibtex: boolean;
  /** Keys the parser warned about because a space follows them inside the braces. */
  keysWithTrailingSpace: Set<string>;
}

/** A bibliography path as BibTeX/biber find it: next to the main file, else in the TeX tree. */
function locateBibliography(directory: string, path: string): string | undefined {
  const local = join(directory, path);
  if (existsSync(local)) return local;
  const found = spawnSync('kpsewhich', [path], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

function resolveInclude(directory: string, path: string): string | undefined {
  const direct = join(directory, path);
  if (extname(path) !== '' && existsSync(direct)) return direct;
  return existsSync(`${direct}.tex`) ? `${direct}.tex` : undefined;
}

function runParser(document: AgreementDocument, extraCiteCommands: string[]): ParserOutcome {
  const directory = join(document.folder, dirname(document.mainFile));
  const jobnamed = (path: string) => path.replace(/\\jobname\b/g, basename(document.mainFile, '.tex'));
  const keys: string[] = [];
  const printedKeys = new Set<string>();
  const definedKeys = new Set<string>();
  let bibtex = false;
  const keysWithTrailingSpace = new Set<string>();
  /** The text of each bibliography found. */
  const bibFiles = new Set<string>();
  const visit = (file: string, depth: number) => {
    const text = readFileSync(file, 'utf8');
    const syntax = parseLatexDocument(text, { extraCiteCommands });
    if (depth === 0) bibtex = syntax.backend === 'bibtex';
    const embedded = new Map((syntax.embeddedFiles ?? []).map((each) => [jobnamed(each.name), each]));
    for (const item of syntax.bibitems) definedKeys.add(item.key);
    for (const problem of syntax.problems) {
      if (problem.message.includes('space')) keysWithTrailingSpace.add(text.slice(problem.range.start, problem.range.end));
    }
    for (const bibliography of syntax.bibliographies) {
      const written = jobnamed(bibliography.path);
      const hasExtension = written.endsWith(bibliography.defaultExtension ?? '.bib');
      const path = hasExtension ? written : written + (bibliography.defaultExtension ?? '');
      const located = locateBibliography(directory, path);
      const inline = embedded.get(path);
      if (located) bibFiles.add(readFileSync(located, 'utf8'));
      else if (inline) bibFiles.add(text.slice(inline.content.start, inline.content.end));
    }
    const events = [
      ...syntax.citations.map((citation) => ({ start: citation.range.start, citation })),
      ...syntax.includes.map((include) => ({ start: include.range.start, include })),
    ].sort((a, b) => a.start - b.start);
    for (const event of events) {
      if ('citation' in event) {
        keys.push(event.citation.key);
        if (event.citation.kind === 'citation') printedKeys.add(event.citation.key);
        continue;
      }
      const included = resolveInclude(directory, event.include.path);
      if (included && depth < 10) visit(included, depth + 1);
    }
  };
  visit(join(document.folder, document.mainFile), 0);
  if (document.withCommonBib) bibFiles.add(readFileSync(join(fixtureRoot, 'common.bib'), 'utf8'));
  for (const bibliography of bibFiles) {
    for (const entry of scanBibtex(bibliography).entries) definedKeys.add(entry.key);
  }
  return { keys: firstOccurrences(keys), printedKeys, definedKeys, bibtex, keysWithTrailingSpace };
}

/** `% agreement: latex-only KEY`, `parser-only KEY`, `cite-commands NAME...`, `order-differs` lines of a file. */
export function annotationsOf(path: string): ExpectedDifferences {
  const text = readFileSync(path, 'utf8');
  const values = (kind: string) =>
    [...text.matchAll(new RegExp(`^% agreement: ${kind} (.+)$`, 'gm'))].flatMap((match) => match[1].trim().split(/\s+/));
  return {
    latexOnly: values('latex-only'), parserOnly: values('parser-only'), citeCommands: values('cite-commands'),
    orderDiffers: /^% agreement: order-differs$/m.test(text),
  };
}

const NO_DIFFERENCES: ExpectedDifferences = { latexOnly: [], parserOnly: [], citeCommands: [], orderDiffers: false };

function listed(keys: Iterable<string>): string {
  const all = [...keys];
  return all.length === 0 ? '(none)' : all.map((key) => JSON.stringify(key)).join(', ');
}

/** Every way the two disagree, as readable lines; empty when they agree. */
export function compare(document: AgreementDocument, latex: LatexOutcome): string[] {
  const expected = document.expected ?? NO_DIFFERENCES;
  const parser = runParser(document, expected.citeCommands);
  const problems: string[] = [];
  for (const key of expected.latexOnly) {
    if (!latex.keys.includes(key) || parser.keys.includes(key)) problems.push(`annotated latex-only key ${JSON.stringify(key)} is not a difference any more`);
  }
  for (const key of expected.parserOnly) {
    if (latex.keys.includes(key) || !parser.keys.includes(key)) problems.push(`annotated parser-only key ${JSON.stringify(key)} is not a difference any more`);
  }
  const latexKeys = latex.keys.filter((key) => !expected.latexOnly.includes(key));
  const parserKeys = parser.keys.filter((key) => !expected.parserOnly.includes(key));
  const latexOrder = firstOccurrences(latexKeys);
  const onlyLatex = latexOrder.filter((key) => !parserKeys.includes(key));
  const onlyParser = parserKeys.filter((key) => !latexOrder.includes(key));
  if (onlyLatex.length) problems.push(`cited according to LaTeX only:  ${listed(onlyLatex)}`);
  if (onlyParser.length) problems.push(`cited according to parser only: ${listed(onlyParser)}`);
  if (!onlyLatex.length && !onlyParser.length && !expected.orderDiffers && latexOrder.join('\n') !== parserKeys.join('\n')) {
    problems.push(`order of first occurrence differs:\n    LaTeX:  ${listed(latexOrder)}\n    parser: ${listed(parserKeys)}`);
  }
  if (latex.undefinedKeys) {
    // `k ` undefined in LaTeX is what the parser's trailing-space problem on `k` predicts.
    const spaced = (key: string) => (parser.keysWithTrailingSpace.has(key.trimEnd()) ? `${key.trimEnd()} (with a space)` : key);
    const latexUndefined = new Set(latex.undefinedKeys.filter((key) => key !== '' && !expected.latexOnly.includes(key)).map(spaced));
    const fold = (key: string) => (parser.bibtex ? key.toLowerCase() : key);
    const parserDefined = new Set([...parser.definedKeys].map(fold));
    const cited = latex.undefinedFrom === 'log' ? [...parser.printedKeys].filter((key) => !expected.parserOnly.includes(key)) : parserKeys;
    const parserUndefined = new Set(cited
      .filter((key) => key !== '*' && (!parserDefined.has(fold(key)) || parser.keysWithTrailingSpace.has(key)))
      .map(spaced));
    const onlyLatexUndefined = [...latexUndefined].filter((key) => !parserUndefined.has(key));
    const onlyParserUndefined = [...parserUndefined].filter((key) => !latexUndefined.has(key));
    if (onlyLatexUndefined.length) problems.push(`undefined according to LaTeX only:  ${listed(onlyLatexUndefined)}`);
    if (onlyParserUndefined.length) problems.push(`undefined according to parser only: ${listed(onlyParserUndefined)}`);
  }
  return problems;
}

/** Runs `task` on every item with `workers` at a time; the results come in the items' order. */
export function pooled<T, R>(items: readonly T[], workers: number, task: (item: T) => Promise<R>): Array<Promise<R>> {
  const settle: Array<{ resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  const results = items.map((_, n) => new Promise<R>((resolve, reject) => { settle[n] = { resolve, reject }; }));
  for (const result of results) result.catch(() => undefined); // reported by whoever awaits it
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const n = next++;
      await task(items[n]).then(settle[n].resolve, settle[n].reject);
    }
  };
  for (let n = 0; n < workers; n++) void worker();
  return results;
}
