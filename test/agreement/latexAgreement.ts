// Agreement with real LaTeX: the keys pdflatex records (.aux/.bcf) and the citations it reports as undefined
// must match what parseLatexDocument finds in the document and the files it includes.
//
// Intended differences from LaTeX (documents that show one say so with `% agreement:` lines, see below):
// - Brackets inside a note pair up: `\citep[see [1]][p.~2]{a}` cites `a`. LaTeX ends the note at the first
//   `]` and cites `]` (natbib) or garbage; authors mean the brackets to nest, and flagging `]` helps nobody.
// - A note that is one braced group, `\citep[{x]}]{a}`, cites `a`; natbib strips the braces, re-reads the note
//   and cites `]`.
// - `\cite{a ,b}` cites `a` and reports a problem on `a`: natbib and biblatex keep the trailing space and then
//   call `a ` undefined. The key the author meant is `a`; the problem tells them why LaTeX disagrees.
// - A citation inside another's note (`\footcite[see \cite{b}]{a}`) is found. biblatex ignores nested citation
//   commands (with a warning); natbib runs them. The parser cannot know which package a file ends up in.
// - `\addsectionbib{x.bib}` is a bibliography of the document; biblatex uses it only in refsections that ask.
// - Empty slots (`\cite{a,,b}`, `\cite{}`) are reported as empty citations, not as the key ``.
// - Macro parameters (`\cite{#1}` inside `\newcommand`) are not keys; keys that come from expanding a macro
//   (`\cite{\mykey}`) are read as written. User commands count only when named in `extraCiteCommands`.
// - Conditionals are not evaluated: citations inside `\iffalse ... \fi` or unused macro bodies are found.
// - Citations come in text order. LaTeX records an outer command's keys before those of a citation inside its
//   note (`% agreement: order-differs` skips the order check for such documents).
// - `\nocite{*}` is one occurrence of the key `*`; LaTeX records `*` the same way.
// `% agreement: latex-only KEY` / `parser-only KEY` in a main file name a difference that document shows;
// `% agreement: cite-commands NAME...` passes extra cite commands to the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { parseLatexDocument } from '../../server/src/syntax/citations/latex';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';

interface AgreementDocument {
  name: string;
  /** Folder copied whole into a temporary directory. */
  folder: string;
  mainFile: string;
  /** Fixtures share test/fixtures/latex/common.bib. */
  withCommonBib: boolean;
}

interface LatexOutcome {
  keys: string[];
  /** Undefined citations LaTeX reports after BibTeX/biber; undefined when the tool is not installed. */
  undefinedKeys?: string[];
  seconds: number;
}

const fixtureRoot = join(__dirname, '../fixtures/latex');
const corpusRoot = join(__dirname, '../../../shared/corpus/tex');

/** Corpus documents that compile standalone with Debian's TeX Live (latex-base + latex-recommended + bibtex-extra). */
const CORPUS_SAMPLE: Array<[folder: string, mainFile: string]> = [
  ['biber--testfiles--test', 'test.tex'],
  ['lw--samples--sample', 't.tex'],
  ['vimtex--test-context-cite--test-cites', 'test-cites.tex'],
  ['vimtex--test-include--test', 'test.tex'],
  ['vimtex--test-completion-bibtex--test_backend', 'test_multicite.tex'],
  ['vimtex--test-completion-bibtex--test_backend', 'test_starred.tex'],
  ['vimtex--test-completion-bibtex--test_backend', 'test_apacite.tex'],
  ['vimtex--test-completion-bibtex--test_backend', 'test_backend.tex'],
];

function agreementDocuments(): AgreementDocument[] {
  const fixtures = readdirSync(fixtureRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(fixtureRoot, entry.name, 'main.tex')))
    .map((entry) => ({ name: entry.name, folder: join(fixtureRoot, entry.name), mainFile: 'main.tex', withCommonBib: true }));
  const corpus = CORPUS_SAMPLE.filter(([folder]) => existsSync(join(corpusRoot, folder)))
    .map(([folder, mainFile]) => ({ name: `corpus ${folder}/${mainFile}`, folder: join(corpusRoot, folder), mainFile, withCommonBib: false }));
  return [...fixtures.sort((a, b) => a.name.localeCompare(b.name)), ...corpus];
}

function installed(tool: string): boolean {
  return !spawnSync(tool, ['--version'], { stdio: 'ignore' }).error;
}

const tools = { pdflatex: installed('pdflatex'), bibtex: installed('bibtex'), biber: installed('biber') };

function run(command: string, args: string[], cwd: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd, stdio: 'ignore', timeout: 60_000, env: { ...process.env, max_print_line: '10000' },
    });
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

/** `\citation{a,b}` lines in document order, following `\@input{chapter.aux}` into \include'd files. */
function auxKeys(directory: string, auxFile: string, seen = new Set<string>()): string[] {
  if (seen.has(auxFile)) return [];
  seen.add(auxFile);
  const keys: string[] = [];
  for (const match of readIfExists(join(directory, auxFile)).matchAll(/\\citation\{([^}]*)\}|\\@input\{([^}]*)\}/g)) {
    if (match[2] !== undefined) keys.push(...auxKeys(directory, match[2], seen));
    else keys.push(...match[1].split(',').map((key) => key.trim()).filter((key) => key !== ''));
  }
  return keys;
}

function bcfKeys(bcf: string): string[] {
  const decode = (text: string) =>
    text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...bcf.matchAll(/<bcf:citekey[^>]*>([^<]*)<\/bcf:citekey>/g)].map((match) => decode(match[1]));
}

function undefinedCitations(log: string): string[] {
  return [...log.matchAll(/Citation [`']([^']*)' on page \S+ undefined/g)].map((match) => match[1]);
}

async function runLatex(document: AgreementDocument): Promise<LatexOutcome> {
  const started = performance.now();
  const directory = mkdtempSync(join(tmpdir(), 'citekeys-latex-'));
  try {
    cpSync(document.folder, directory, { recursive: true });
    if (document.withCommonBib) copyFileSync(join(fixtureRoot, 'common.bib'), join(directory, 'common.bib'));
    const job = basename(document.mainFile, '.tex');
    // -draftmode writes .aux/.bcf/.log but no PDF, which nobody reads here.
    const pdflatex = () => run('pdflatex', ['-draftmode', '-interaction=nonstopmode', '-halt-on-error', document.mainFile], directory);
    const code = await pdflatex();
    const log = readIfExists(join(directory, `${job}.log`));
    if (code !== 0) {
      const error = log.split('\n').findIndex((line) => line.startsWith('!'));
      throw new Error(`pdflatex failed on ${document.name}:\n${log.split('\n').slice(Math.max(error, 0), error + 6).join('\n')}`);
    }
    const bcf = readIfExists(join(directory, `${job}.bcf`));
    const usesBiber = bcf !== '';
    const keys = usesBiber ? bcfKeys(bcf) : auxKeys(directory, `${job}.aux`);
    const usesBibtex = !usesBiber && /\\bibdata\{/.test(readIfExists(join(directory, `${job}.aux`)));
    if ((usesBiber && !tools.biber) || (usesBibtex && !tools.bibtex)) return { keys, seconds: (performance.now() - started) / 1000 };
    if (usesBiber) await run('biber', ['--quiet', job], directory);
    if (usesBibtex) await run('bibtex', [job], directory);
    await pdflatex();
    if (!usesBiber) await pdflatex(); // \bibcite lines reach the .aux one run after the .bbl is read
    const undefinedKeys = undefinedCitations(readIfExists(join(directory, `${job}.log`)));
    return { keys, undefinedKeys, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

interface ParserOutcome {
  /** All keys in order of first occurrence, following includes. */
  keys: string[];
  /** Keys cited with a printing command (not \nocite). */
  printedKeys: Set<string>;
  definedKeys: Set<string>;
  /** Keys the parser warned about because a space follows them inside the braces. */
  keysWithTrailingSpace: Set<string>;
}

/** A bibliography path as BibTeX/biber find it: next to the main file, else in the TeX tree. */
function locateBibliography(folder: string, path: string): string | undefined {
  const local = join(folder, path);
  if (existsSync(local)) return local;
  const found = spawnSync('kpsewhich', [path], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

function resolveInclude(folder: string, path: string): string | undefined {
  const direct = join(folder, path);
  if (extname(path) !== '' && existsSync(direct)) return direct;
  return existsSync(`${direct}.tex`) ? `${direct}.tex` : undefined;
}

function runParser(document: AgreementDocument, extraCiteCommands: string[]): ParserOutcome {
  const keys: string[] = [];
  const printedKeys = new Set<string>();
  const definedKeys = new Set<string>();
  const keysWithTrailingSpace = new Set<string>();
  const bibFiles = new Set<string>();
  const visit = (file: string, depth: number) => {
    const text = readFileSync(file, 'utf8');
    const syntax = parseLatexDocument(text, { extraCiteCommands });
    for (const item of syntax.bibitems) definedKeys.add(item.key);
    for (const problem of syntax.problems) {
      if (problem.message.includes('space')) keysWithTrailingSpace.add(text.slice(problem.range.start, problem.range.end));
    }
    for (const bibliography of syntax.bibliographies) {
      const hasExtension = bibliography.path.endsWith(bibliography.defaultExtension ?? '.bib');
      const path = hasExtension ? bibliography.path : bibliography.path + (bibliography.defaultExtension ?? '');
      const located = locateBibliography(document.folder, path);
      if (located) bibFiles.add(located);
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
      const included = resolveInclude(document.folder, event.include.path);
      if (included && depth < 10) visit(included, depth + 1);
    }
  };
  visit(join(document.folder, document.mainFile), 0);
  if (document.withCommonBib) bibFiles.add(join(fixtureRoot, 'common.bib'));
  for (const file of bibFiles) {
    if (existsSync(file)) for (const entry of scanBibtex(readFileSync(file, 'utf8')).entries) definedKeys.add(entry.key);
  }
  return { keys: firstOccurrences(keys), printedKeys, definedKeys, keysWithTrailingSpace };
}

/** `% agreement: latex-only KEY`, `parser-only KEY`, `cite-commands NAME...` lines of a main file. */
function annotations(document: AgreementDocument) {
  const text = readFileSync(join(document.folder, document.mainFile), 'utf8');
  const values = (kind: string) =>
    [...text.matchAll(new RegExp(`^% agreement: ${kind} (.+)$`, 'gm'))].flatMap((match) => match[1].trim().split(/\s+/));
  return {
    latexOnly: values('latex-only'), parserOnly: values('parser-only'), citeCommands: values('cite-commands'),
    orderDiffers: /^% agreement: order-differs$/m.test(text),
  };
}

function listed(keys: Iterable<string>): string {
  const all = [...keys];
  return all.length === 0 ? '(none)' : all.map((key) => JSON.stringify(key)).join(', ');
}

/** Every way the two disagree, as readable lines; empty when they agree. */
function compare(document: AgreementDocument, latex: LatexOutcome): string[] {
  const expected = annotations(document);
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
    const latexUndefined = new Set(latex.undefinedKeys
      .filter((key) => key !== '' && !expected.latexOnly.includes(key))
      .map((key) => (parser.keysWithTrailingSpace.has(key.trimEnd()) ? `${key.trimEnd()} (with a space)` : key)));
    const parserUndefined = new Set([...parser.printedKeys]
      .filter((key) => key !== '*' && !expected.parserOnly.includes(key))
      .filter((key) => !parser.definedKeys.has(key) || parser.keysWithTrailingSpace.has(key))
      .map((key) => (parser.keysWithTrailingSpace.has(key) ? `${key} (with a space)` : key)));
    const onlyLatexUndefined = [...latexUndefined].filter((key) => !parserUndefined.has(key));
    const onlyParserUndefined = [...parserUndefined].filter((key) => !latexUndefined.has(key));
    if (onlyLatexUndefined.length) problems.push(`undefined according to LaTeX only:  ${listed(onlyLatexUndefined)}`);
    if (onlyParserUndefined.length) problems.push(`undefined according to parser only: ${listed(onlyParserUndefined)}`);
  }
  return problems;
}

/** Runs LaTeX on every document with a small pool, started by the first test that needs a result. */
function startPool(documents: AgreementDocument[], workers: number): Map<string, Promise<LatexOutcome>> {
  const settle = new Map<string, { resolve: (o: LatexOutcome) => void; reject: (e: unknown) => void }>();
  const outcomes = new Map<string, Promise<LatexOutcome>>();
  for (const document of documents) {
    const outcome = new Promise<LatexOutcome>((resolve, reject) => settle.set(document.name, { resolve, reject }));
    outcome.catch(() => undefined); // reported by the document's own test
    outcomes.set(document.name, outcome);
  }
  const queue = [...documents];
  const worker = async () => {
    for (let document = queue.shift(); document; document = queue.shift()) {
      const { resolve, reject } = settle.get(document.name)!;
      await runLatex(document).then(resolve, reject);
    }
  };
  for (let n = 0; n < workers; n++) void worker();
  return outcomes;
}

const documents = agreementDocuments();
let pool: Map<string, Promise<LatexOutcome>> | undefined;

test('there are enough agreement documents, natbib and biblatex, some spanning several files', () => {
  const fixtures = documents.filter((document) => document.withCommonBib);
  assert.ok(fixtures.length >= 20, `only ${fixtures.length} fixture documents`);
  assert.ok(fixtures.some((document) => document.name.startsWith('natbib-multifile')));
  assert.ok(fixtures.some((document) => document.name.startsWith('biblatex-multifile')));
});

for (const document of documents) {
  test(`LaTeX and the parser agree on ${document.name}`, { skip: !tools.pdflatex && 'pdflatex is not installed' }, async (t) => {
    pool ??= startPool(documents, 3);
    const latex = await pool.get(document.name)!;
    if (!latex.undefinedKeys) t.diagnostic('bibtex/biber missing: undefined citations not compared');
    const problems = compare(document, latex);
    if (problems.length) assert.fail(`${document.name} (${document.mainFile}):\n  ${problems.join('\n  ')}`);
  });
}
