// Nothing in a workspace executes or escapes: no eval or shelling out in the code, bibliography paths stay inside
// the workspace unless the user allows more, symlink loops end, and entry text cannot inject links into hovers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/workspace/fileSystem';
import { Workspace, type WorkspaceEnvironment } from '../../server/src/workspace/workspace';
import { DEFAULT_SETTINGS, readSettings, type Settings } from '../../server/src/config/settings';
import { resolveBibliographies } from '../../server/src/workspace/discovery';
import { documentFindings } from '../../server/src/features/diagnostics';
import { provideHover } from '../../server/src/features/hover';
import { resolveCompletion } from '../../server/src/features/completion';

// ---------------------------------------------------------------------------------------------
// Nothing executes

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.[cm]?ts$/.test(name) ? [full] : [];
  });
}

/** Constructs that run code or programs. The allow-list names file and reason. */
const EXECUTING = /\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(\s*['"`]|child_process|(?<![.\w])exec(?:Sync|File|FileSync)?\s*\(|\.exec(?:Sync|File|FileSync)\s*\(|\bspawn(?:Sync)?\s*\(|\bfork\s*\(|node:vm|from ['"]vm['"]|\bimport\s*\(\s*[^'"`]/;
const ALLOWED: Record<string, string> = {
  'server/src/lsp/memoryKeeper.ts': "node:vm evaluates the constant expression `gc` to reach V8's full collection; nothing from a workspace",
};

test('no source file of the server or the client evaluates code or starts processes', () => {
  const found: string[] = [];
  for (const file of [...sourceFiles('server/src'), ...sourceFiles('client/src')]) {
    readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
      const code = line.replace(/\/\/.*$/, '');
      if (EXECUTING.test(code) && !ALLOWED[file]) found.push(`${file}:${index + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});

test('the client never marks hover or completion Markdown as trusted or HTML-enabled', () => {
  for (const file of sourceFiles('client/src')) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /isTrusted|supportHtml|supportThemeIcons/, file);
  }
});

// ---------------------------------------------------------------------------------------------
// Paths from documents

const HOME = '/home/user';

async function resolved(files: Record<string, string>, doc: string, settings: Partial<Settings> = {}, environment: WorkspaceEnvironment = { HOME }) {
  const workspace = new Workspace(new MemoryFileSystem(files), { ...DEFAULT_SETTINGS, ...settings }, ['/w'], environment);
  const document = await workspace.getDocument(doc);
  assert.ok(document);
  const result = await resolveBibliographies(workspace, document);
  return { files: result.files.map((f) => f.path), messages: documentFindings(document, result).filter((f) => f.code === 'missing-bibliography').map((f) => f.message) };
}

test('by default a document cannot pull in a bibliography outside the workspace, and is told which setting allows it', async () => {
  const files = { '/w/paper.md': '---\nbibliography: [../../etc/secrets.bib, /srv/other.bib, refs.bib]\n---\n@a\n', '/etc/secrets.bib': '@misc{a,}', '/srv/other.bib': '@misc{b,}', '/w/refs.bib': '@misc{c,}' };
  const r = await resolved(files, '/w/paper.md');
  assert.deepEqual(r.files, ['/w/refs.bib']);
  assert.equal(r.messages.length, 2);
  for (const message of r.messages) assert.match(message, /outside the workspace.*citekeys\.allowOutsideWorkspace/);
  assert.equal(DEFAULT_SETTINGS.allowOutsideWorkspace, false);
  assert.equal(readSettings({}).allowOutsideWorkspace, false);
  assert.equal(readSettings({ allowOutsideWorkspace: true }).allowOutsideWorkspace, true);

  const allowed = await resolved(files, '/w/paper.md', { allowOutsideWorkspace: true });
  assert.deepEqual(allowed.files, ['/etc/secrets.bib', '/srv/other.bib', '/w/refs.bib']);
});

test('~ paths may read the home folder, and LaTeX may read BIBINPUTS and the TeX distribution', async () => {
  const files = {
    '/w/paper.md': '---\nbibliography: ~/zotero/library.bib\n---\n@a\n',
    '/home/user/zotero/library.bib': '@misc{a,}',
    '/w/main.tex': '\\cite{a,b}\\bibliography{shared,biblatex-examples}',
    '/opt/bibinputs/shared.bib': '@misc{a,}',
    '/usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex-examples.bib': '@misc{b,}',
  };
  const environment = { HOME, BIBINPUTS: '/opt/bibinputs', texBibFolders: ['/usr/share/texlive/texmf-dist/bibtex/bib'] };
  assert.deepEqual((await resolved(files, '/w/paper.md', {}, environment)).files, ['/home/user/zotero/library.bib']);
  assert.deepEqual((await resolved(files, '/w/main.tex', {}, environment)).files, [
    '/opt/bibinputs/shared.bib',
    '/usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex-examples.bib',
  ]);
  // `~` is the home folder only when written as `~`: a relative path climbing into home is still outside.
  const climbing = await resolved({ '/w/paper.md': '---\nbibliography: ../home/user/zotero/library.bib\n---\n', '/home/user/zotero/library.bib': '@misc{a,}' }, '/w/paper.md');
  assert.deepEqual(climbing.files, []);
});

test('a document opened outside every workspace folder may use bibliographies beside it', async () => {
  const r = await resolved({ '/tmp/notes/paper.md': '---\nbibliography: refs.bib\n---\n@a\n', '/tmp/notes/refs.bib': '@misc{a,}' }, '/tmp/notes/paper.md');
  assert.deepEqual(r.files, ['/tmp/notes/refs.bib']);
});

test('the CLI, whose workspace is the folders it is given, still reads bibliographies outside them', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'citekeys-cli-outside-'));
  try {
    mkdirSync(path.join(dir, 'paper'));
    writeFileSync(path.join(dir, 'refs.bib'), '@misc{a, title = {A}}\n');
    writeFileSync(path.join(dir, 'paper', 'paper.md'), '---\nbibliography: ../refs.bib\n---\n[@a]\n');
    const run = spawnSync(process.execPath, [path.resolve('dist/cli.js'), 'check', 'paper'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /missing-bibliography/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Symlink loops

const linkFolder = mkdtempSync(path.join(tmpdir(), 'citekeys-symlinks-'));
after(() => rmSync(linkFolder, { recursive: true, force: true }));

test('symlink loops in a workspace end the walk, and each file is listed once', async () => {
  mkdirSync(path.join(linkFolder, 'a', 'b'), { recursive: true });
  writeFileSync(path.join(linkFolder, 'a', 'refs.bib'), '@misc{a,}');
  writeFileSync(path.join(linkFolder, 'a', 'b', 'paper.md'), '@a');
  symlinkSync(path.join(linkFolder, 'a'), path.join(linkFolder, 'a', 'b', 'up')); // a/b/up → a
  symlinkSync('.', path.join(linkFolder, 'self')); // self → the folder itself
  symlinkSync(path.join(linkFolder, 'x'), path.join(linkFolder, 'y'));
  symlinkSync(path.join(linkFolder, 'y'), path.join(linkFolder, 'x')); // x ↔ y, a loop with no target
  const workspace = new Workspace(new NodeFileSystem(), { ...DEFAULT_SETTINGS }, [linkFolder]);
  const started = performance.now();
  const listing = await workspace.listFolder(linkFolder);
  assert.ok(performance.now() - started < 5_000);
  assert.deepEqual(listing.bibliographies.map((f) => path.relative(linkFolder, f)), [path.join('a', 'refs.bib')]);
  assert.deepEqual(listing.documents.map((f) => path.relative(linkFolder, f)), [path.join('a', 'b', 'paper.md')]);
});

// ---------------------------------------------------------------------------------------------
// Entry text in hovers and completion documentation

const HOSTILE_TITLES = [
  'Click [here](command:workbench.action.terminal.new) now',
  '<img src=x onerror="alert(1)"> and <script>alert(1)</script>',
  'Entities &lt;b&gt; &#60;img&#62; &amp;',
  '![pic](https://evil.example/x.png) [ref]: command:evil',
  '<https://evil.example> `code` **bold** # heading',
];

/** Every link target in Markdown: inline `](...)`, autolinks `<...:...>`, reference definitions `[x]: ...`. */
function linkTargets(markdown: string): string[] {
  const unescaped = (at: number) => {
    let slashes = 0;
    for (let i = at - 1; i >= 0 && markdown[i] === '\\'; i--) slashes++;
    return slashes % 2 === 0;
  };
  const targets: string[] = [];
  for (const match of markdown.matchAll(/\]\(([^)\s]*)/g)) if (unescaped(match.index) ) targets.push(match[1]);
  for (const match of markdown.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]*)>/gi)) if (unescaped(match.index)) targets.push(match[1]);
  for (const match of markdown.matchAll(/^\s*\[[^\]]*\]:\s*(\S+)/gm)) if (unescaped(match.index)) targets.push(match[1]);
  return targets;
}

test('titles cannot inject links, command URIs, images or HTML into hover and completion Markdown', async () => {
  const bib = HOSTILE_TITLES.map((title, i) => `@article{k${i},\n  author = {Doe, Jane},\n  title = {${title}},\n  journal = {J <b>x</b>},\n  year = {2020},\n  url = {command:evil},\n  doi = {10.1000/x)(command:evil}\n}\n`).join('');
  const files = { '/w/paper.md': HOSTILE_TITLES.map((_, i) => `[@k${i}]`).join(' '), '/w/refs.bib': bib };
  const workspace = new Workspace(new MemoryFileSystem(files), { ...DEFAULT_SETTINGS }, ['/w']);
  const text = files['/w/paper.md'];
  for (let i = 0; i < HOSTILE_TITLES.length; i++) {
    const hover = await provideHover(workspace, '/w/paper.md', text.indexOf(`k${i}`) + 1, () => false);
    const documentation = await resolveCompletion(workspace, { key: `k${i}`, path: '/w/refs.bib' });
    for (const markdown of [hover?.markdown, documentation]) {
      assert.ok(markdown, `k${i} has documentation`);
      for (const target of linkTargets(markdown)) assert.match(target, /^https:\/\/doi\.org\//, `${target} in ${markdown}`);
      assert.doesNotMatch(markdown, /(?<!\\)<(?:img|script|b|https?:)/i, markdown);
      assert.doesNotMatch(markdown, /(?<!\\)&(?:lt|gt|amp|#\d+);/, markdown);
    }
  }
});

test('LaTeX includes, `% !TEX root` and a document’s `csl:` style outside the workspace are not read by default', async () => {
  const files = new MemoryFileSystem({
    '/w/main.tex': '\\input{../secret/part}\n\\cite{a}\n\\bibliography{refs}\n',
    '/w/sub.tex': '% !TEX root = ../../etc/root.tex\n\\cite{a}\n',
    '/w/refs.bib': '@book{a, title={A}, year={2000}}\n',
    '/secret/part.tex': '\\bibliography{stolen}\n',
    '/etc/root.tex': '\\bibliography{other}\n',
    '/w/paper.md': '---\nbibliography: refs.bib\ncsl: ../outside/style.csl\n---\n[@a]\n',
    '/outside/style.csl': '<style/>',
  });
  const workspace = new Workspace(files, { ...DEFAULT_SETTINGS }, ['/w'], { HOME: '/home/u' });
  const main = await workspace.getDocument('/w/main.tex');
  assert.deepEqual((await resolveBibliographies(workspace, main!)).files.map((f) => f.path), ['/w/refs.bib'], 'the outside part was not followed');
  const sub = await workspace.getDocument('/w/sub.tex');
  assert.equal((await resolveBibliographies(workspace, sub!)).root, undefined, 'the outside root was not read');
  const paper = '/w/paper.md';
  const hover = await provideHover(workspace, paper, (await workspace.getDocument(paper))!.text.indexOf('@a]') + 1, () => false);
  assert.match(hover?.markdown ?? '', /outside the workspace, so APA is shown; the setting citekeys\.allowOutsideWorkspace allows it/);
});
