// Runs the Typst compiler (typst-ts-node-compiler 0.7.0, Typst 0.14) offline on one document and compares the keys it
// cites and the keys it calls missing with what citekeys finds (test/agreement/dialectSide.ts gives citekeys' side).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { parseTypstDocument } from '../../server/src/syntax/citations/typst';

/** What one side says about a document: cited keys (a multiset) and undefined keys (a set). */
export interface CitationFindings {
  citations: string[];
  undefined: string[];
}

export interface TypstDiagnostic {
  message: string;
  path: string;
  /** Zero-based, as the compiler reports them. */
  line: number;
  character: number;
}

export interface TypstOutcome {
  /** Cited keys in document order (query `cite`); after a stub run when the document had missing keys. */
  citations: string[];
  /** Keys the compiler called missing: `key \`x\` does not exist…` and `label \`<x>\` does not exist…`. */
  undefined: string[];
  diagnostics: TypstDiagnostic[];
  /** Why the document could not be compiled offline, when it could not. */
  failure?: string;
}

export interface TypstDocument {
  name: string;
  /** Folder copied whole into the temporary workspace. */
  folder: string;
  /** Relative to `folder`. */
  mainFile: string;
  /** `@preview/NAME:VERSION` packages to serve from a local folder (the corpus holds some templates' own package). */
  localPackages?: { name: string; version: string; folder: string }[];
}

const COMPILER = require.resolve('@myriaddreamin/typst-ts-node-compiler');

/**
 * The child that compiles: prints JSON { compiled, citations, diagnostics }. It runs in a process of its own so that
 * it can run without a network (unshare) and with its package folders pointed at empty temporary ones.
 */
const CHILD = `
const [compilerPath, workspace, main] = process.argv.slice(1);
const { NodeCompiler } = require(compilerPath);
const compiler = NodeCompiler.create({ workspace });
const result = compiler.compile({ mainFilePath: main });
const out = { compiled: false, citations: [], diagnostics: [] };
const error = result.takeDiagnostics();
if (error) {
  for (const d of compiler.fetchDiagnostics(error)) {
    if (d.severity === 1) out.diagnostics.push({ message: d.message, path: d.path, line: d.range?.start?.line ?? 0, character: d.range?.start?.character ?? 0 });
  }
}
if (result.result && out.diagnostics.length === 0) {
  out.compiled = true;
  out.citations = compiler.query(result.result, { selector: 'cite' }).map((cite) => cite.key);
}
process.stdout.write(JSON.stringify(out));
`;

/** Whether this machine can run a process without any network (a user and network namespace of its own). */
export const offlineByNamespace = spawnSync('unshare', ['-rn', 'true'], { stdio: 'ignore' }).status === 0;

/** No network: a namespace without one when possible, and in any case proxies on a dead loopback port. */
function runChild(workspace: string, main: string, home: string): { compiled: boolean; citations: string[]; diagnostics: TypstDiagnostic[] } {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, 'cache'), XDG_DATA_HOME: join(home, 'data'),
    HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', ALL_PROXY: 'http://127.0.0.1:9',
    http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', all_proxy: 'http://127.0.0.1:9',
  };
  const args = ['-e', CHILD, COMPILER, workspace, main];
  const run = offlineByNamespace
    ? spawnSync('unshare', ['-rn', process.execPath, ...args], { env, encoding: 'utf8', timeout: 120_000 })
    : spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`the Typst compiler failed: ${run.stderr || run.error?.message}`);
  return JSON.parse(run.stdout);
}

/** `<a>` → `a`; `label("odd key!")` → `odd key!`. */
function keyOf(written: string): string {
  const label = /^<(.*)>$/s.exec(written);
  if (label) return label[1];
  const call = /^label\((".*")\)$/s.exec(written);
  return call ? (JSON.parse(call[1]) as string) : written;
}

const MISSING = /^key `(.+)` does not exist in the bibliography$|^label `<(.+)>` does not exist in the document$/s;

/** Files a document reads: the main file and its includes, each once. */
function documentFiles(mainPath: string): { path: string; syntax: ReturnType<typeof parseTypstDocument> }[] {
  const files: { path: string; syntax: ReturnType<typeof parseTypstDocument> }[] = [];
  const queue = [resolve(mainPath)];
  const seen = new Set(queue);
  for (let n = 0; n < queue.length; n++) {
    const path = queue[n];
    if (!existsSync(path)) continue;
    const syntax = parseTypstDocument(readFileSync(path, 'utf8'));
    files.push({ path, syntax });
    for (const include of syntax.includes) {
      const included = resolve(dirname(path), include.path);
      if (!seen.has(included)) { seen.add(included); queue.push(included); }
    }
  }
  return files;
}

/** The bibliography files a document declares, resolved against the declaring file. */
export function declaredBibliographies(mainPath: string): string[] {
  return documentFiles(mainPath).flatMap(({ path, syntax }) => syntax.bibliographies.map((b) => resolve(dirname(path), b.path)));
}

/** Stub entries for missing keys, so that a document with undefined citations compiles and can be queried. */
function addStubs(bibliography: string, keys: string[]): boolean {
  if (!existsSync(bibliography)) return false;
  if (extname(bibliography) === '.bib') {
    if (keys.some((key) => /[\s,{}"#%'()=\\]/.test(key))) return false;
    appendFileSync(bibliography, keys.map((key) => `\n@misc{${key}, title = {Stub}}\n`).join(''));
  } else {
    appendFileSync(bibliography, keys.map((key) => `\n${JSON.stringify(key)}: {type: misc, title: Stub}\n`).join(''));
  }
  return true;
}

/** Compiles the document in a temporary copy, offline; a document with missing keys compiles again with stubs. */
export function runTypst(document: TypstDocument): TypstOutcome {
  const copy = mkdtempSync(join(tmpdir(), 'citekeys-typst-'));
  try {
    const workspace = join(copy, 'work');
    const home = join(copy, 'home');
    cpSync(document.folder, workspace, { recursive: true });
    for (const { name, version, folder } of document.localPackages ?? []) {
      const target = join(home, 'data', 'typst', 'packages', 'preview', name, version);
      mkdirSync(target, { recursive: true });
      cpSync(folder, target, { recursive: true });
      writeFileSync(join(target, 'typst.toml'), `[package]\nname = "${name}"\nversion = "${version}"\nentrypoint = "lib.typ"\nauthors = ["corpus"]\nlicense = "MIT"\ndescription = "Served from the corpus"\n`);
    }
    mkdirSync(join(home, 'cache'), { recursive: true });
    const main = join(workspace, document.mainFile);
    const first = runChild(workspace, main, home);
    const missing = new Set<string>();
    const other: TypstDiagnostic[] = [];
    for (const diagnostic of first.diagnostics) {
      const match = MISSING.exec(diagnostic.message);
      if (match) missing.add(match[1] ?? match[2]);
      else other.push({ ...diagnostic, path: relative(workspace, diagnostic.path) });
    }
    const diagnostics = first.diagnostics.map((d) => ({ ...d, path: relative(workspace, d.path) }));
    const outcome = { undefined: [...missing], diagnostics };
    if (other.length) return { ...outcome, citations: [], failure: `${other[0].path}:${other[0].line + 1}: ${other[0].message}` };
    if (first.compiled) return { ...outcome, citations: first.citations.map(keyOf) };
    const bibliography = declaredBibliographies(main)[0];
    if (!bibliography || !addStubs(bibliography, [...missing])) {
      return { ...outcome, citations: [], failure: 'missing keys that cannot be stubbed in its bibliography' };
    }
    const second = runChild(workspace, main, home);
    if (!second.compiled) return { ...outcome, citations: [], failure: `with stubs: ${second.diagnostics[0]?.message}` };
    return { ...outcome, citations: second.citations.map(keyOf) };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

export interface ExpectedDifferences {
  /** Citations only the compiler sees (a multiset); or only citekeys sees. */
  typstOnly?: string[];
  citekeysOnly?: string[];
  why?: string;
}

function multisetMinus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const key of b) left.set(key, (left.get(key) ?? 0) + 1);
  return a.filter((key) => {
    const count = left.get(key) ?? 0;
    if (count > 0) { left.set(key, count - 1); return false; }
    return true;
  });
}

/** What differs between the compiler and citekeys on one document, beyond the expected differences; empty when they agree. */
export function compare(typst: TypstOutcome, citekeys: CitationFindings, expected: ExpectedDifferences = {}): string[] {
  const problems: string[] = [];
  const sorted = (keys: string[]) => [...keys].sort();
  const typstOnly = sorted(multisetMinus(typst.citations, citekeys.citations));
  const citekeysOnly = sorted(multisetMinus(citekeys.citations, typst.citations));
  if (JSON.stringify(typstOnly) !== JSON.stringify(sorted(expected.typstOnly ?? []))) {
    problems.push(`citations only Typst finds: ${JSON.stringify(typstOnly)}`);
  }
  if (JSON.stringify(citekeysOnly) !== JSON.stringify(sorted(expected.citekeysOnly ?? []))) {
    problems.push(`citations only citekeys finds: ${JSON.stringify(citekeysOnly)}`);
  }
  const expectedExtra = new Set([...(expected.typstOnly ?? []), ...(expected.citekeysOnly ?? [])]);
  const typstUndefined = new Set(typst.undefined.filter((key) => !expectedExtra.has(key)));
  const ourUndefined = new Set(citekeys.undefined.filter((key) => !expectedExtra.has(key)));
  const onlyTypst = [...typstUndefined].filter((key) => !ourUndefined.has(key));
  const onlyOurs = [...ourUndefined].filter((key) => !typstUndefined.has(key));
  if (onlyTypst.length) problems.push(`undefined only to Typst: ${JSON.stringify(onlyTypst)}`);
  if (onlyOurs.length) problems.push(`undefined only to citekeys: ${JSON.stringify(onlyOurs)}`);
  return problems;
}
