// Runs mystmd (`myst build --site`, from node_modules) on a MyST project in a temporary folder and reads, per page, the
// citations it found (`cite` nodes of the page JSON) and the labels it could not link; compares them with citekeys.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

export const MYST_BIN = resolve(__dirname, '../../node_modules/.bin/myst');

/** What one side says about one page: cited keys (a multiset, in any order) and the keys it cannot resolve (a set). */
export interface PageCitations {
  citations: string[];
  undefined: string[];
}

/** citekeys' answer for a document, given its absolute path. */
export type CitekeysSide = (docPath: string) => PageCitations;

export interface MystOutcome {
  /** Per page, by its path relative to the project folder (`content/intro.md`). */
  pages: Map<string, PageCitations>;
  exitCode: number | null;
  /** mystmd's console output, for messages when something fails. */
  output: string;
  seconds: number;
}

/**
 * A local stand-in for the site theme: with `site: template:` pointing at a folder holding a `template.yml`, mystmd
 * writes the pages' JSON without downloading its theme from api.mystmd.org (and exits 0).
 */
const TEMPLATE_FOLDER = '.citekeys-site-template';

/**
 * mystmd looks on the network for a newer version of itself (the npm registry), for its theme (api.mystmd.org), and for
 * DOIs cited as keys (doi.org). The registry and API addresses are pointed at a closed loopback port, and every other
 * fetch of its session goes through a "proxy" there, so nothing leaves the machine.
 */
const OFFLINE = 'http://127.0.0.1:9';
function offlineEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_registry: `${OFFLINE}/`,
    API_URL: OFFLINE,
    HTTPS_PROXY: OFFLINE,
    HTTP_PROXY: OFFLINE,
    NO_COLOR: '1',
    CI: '1',
  };
}

/** Writes `myst.yml` (with `project` as given) and the local site template into `folder`. */
export function writeMystConfig(folder: string, projectYaml: string): void {
  mkdirSync(join(folder, TEMPLATE_FOLDER), { recursive: true });
  writeFileSync(join(folder, TEMPLATE_FOLDER, 'template.yml'), 'jtex: v1\ntitle: citekeys agreement stub\n');
  writeFileSync(join(folder, 'myst.yml'), `version: 1\nproject:\n${projectYaml}site:\n  template: ./${TEMPLATE_FOLDER}\n`);
}

/** A fresh temporary project: the files given (path → text), plus `myst.yml` with `project` as given. */
export function makeProject(files: Record<string, string>, projectYaml = '  title: citekeys agreement\n'): string {
  const folder = mkdtempSync(join(tmpdir(), 'citekeys-myst-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  writeMystConfig(folder, projectYaml);
  return folder;
}

/** A temporary copy of a project folder (the corpus is read in place and never copied into the repo). */
export function copyProject(source: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'citekeys-myst-'));
  cpSync(source, folder, { recursive: true });
  return folder;
}

export function removeProject(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}

const UNLINKED = /^\S*\s+(\S+?)(?::\d+:\d+)?\s+Could not link citation with label "(.*)"\.\s*$/;

/** Runs `myst build --site` in `folder` and reads what it found per page. */
export function runMyst(folder: string, timeoutMs = 90_000): Promise<MystOutcome> {
  const started = performance.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [MYST_BIN, 'build', '--site'], { cwd: folder, env: offlineEnvironment(), timeout: timeoutMs });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('close', (exitCode) => {
      const pages = readPages(folder);
      for (const line of output.split('\n')) {
        const match = UNLINKED.exec(line);
        if (!match) continue;
        const page = pages.get(match[1]) ?? { citations: [], undefined: [] };
        if (!page.undefined.includes(match[2])) page.undefined.push(match[2]);
        pages.set(match[1], page);
      }
      resolvePromise({ pages, exitCode, output, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** The `cite` nodes of each page's JSON (`_build/site/content/*.json`), keyed by the page's source path. */
function readPages(folder: string): Map<string, PageCitations> {
  const pages = new Map<string, PageCitations>();
  const content = join(folder, '_build', 'site', 'content');
  if (!existsSync(content)) return pages;
  for (const name of readdirSync(content)) {
    if (!name.endsWith('.json')) continue;
    const page = JSON.parse(readFileSync(join(content, name), 'utf8')) as { location?: string; mdast?: unknown };
    if (!page.location) continue;
    const labels: string[] = [];
    const stack: unknown[] = [page.mdast];
    while (stack.length > 0) {
      const node = stack.pop();
      if (Array.isArray(node)) for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
      else if (node && typeof node === 'object') {
        const element = node as { type?: string; label?: string; children?: unknown };
        if (element.type === 'cite' && typeof element.label === 'string') labels.push(element.label);
        if (element.children) stack.push(element.children);
      }
    }
    pages.set(page.location.replace(/^\//, ''), { citations: labels, undefined: [] });
  }
  return pages;
}

export interface PageDifference {
  page: string;
  myst: PageCitations;
  ours: PageCitations;
}

const sorted = (keys: string[]): string[] => [...keys].sort();

/** Pages (Markdown files of `folder`) where the two sides differ in cited keys (multiset) or undefined keys (set). */
export function comparePages(folder: string, outcome: MystOutcome, ours: CitekeysSide, pages: string[]): PageDifference[] {
  const differences: PageDifference[] = [];
  for (const page of pages) {
    const myst = outcome.pages.get(page) ?? { citations: [], undefined: [] };
    const mine = ours(join(folder, page));
    const same =
      JSON.stringify(sorted(myst.citations)) === JSON.stringify(sorted(mine.citations)) &&
      JSON.stringify(sorted(myst.undefined)) === JSON.stringify(sorted(mine.undefined));
    if (!same) differences.push({ page, myst: { citations: sorted(myst.citations), undefined: sorted(myst.undefined) }, ours: mine });
  }
  return differences;
}

/** The Markdown pages of a project folder, relative to it. */
export function markdownPages(folder: string): string[] {
  const found: string[] = [];
  const pending = [folder];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!name.startsWith('.') && name !== '_build' && name !== 'node_modules') pending.push(path);
      } else if (name.endsWith('.md')) found.push(relative(folder, path));
    }
  }
  return found.sort();
}
