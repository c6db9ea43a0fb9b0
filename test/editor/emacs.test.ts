// citekeys-ls with Emacs + eglot as the LSP client (Debian's Emacs 28 with elpa-eglot and elpa-markdown-mode, batch
// mode), configured by the README's own Emacs snippets: Markdown then LaTeX in one session, hover, flymake, a chapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingEmacs, missingServerBundle, repoRoot, skipUnlessAvailable } from './support/tools';

interface Seen {
  error?: string;
  log: string[] | null;
  versions?: [string, string];
  mode?: string[];
  languageId?: string;
  undefinedLine?: number;
  diagnostics?: { line: number; type: string; text: string }[];
  hoverMarkdown?: string;
  hoverShown?: string;
  markdownCompletion?: string[];
  latexCompletion?: string[];
  chapterRoot?: string;
  chapterCompletion?: string[];
  servers?: number;
}

/** The elisp blocks of the README's Emacs section, in order: what a reader pastes into their init file. */
function readmeEmacsSnippets(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('**Emacs**'), readme.indexOf('**Helix**'));
  const blocks = [...section.matchAll(/^( *)```elisp\n([\s\S]*?)^\1```$/gm)].map((match) => match[2]);
  assert.ok(blocks.length >= 3, `the README's Emacs section has its setup, project-root and settings blocks; found ${blocks.length}`);
  return blocks.join('\n');
}

function runSession(): { seen: Seen; workspace: string } {
  const dir = mkdtempSync(join(tmpdir(), 'citekeys-emacs-'));
  try {
    const workspace = join(dir, 'paper');
    cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    writeFileSync(join(workspace, '.project'), '');
    mkdirSync(join(workspace, 'chapters'));
    writeFileSync(join(workspace, 'chapters/ch1.md'), '---\nbibliography: ../ethics.bib\n---\n\nAs @barrientos2011 show.\n');
    // `citekeys-ls` on PATH, as `npm install -g citekeys` puts it there.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'citekeys-ls'), `#!/bin/sh\nexec '${process.execPath}' '${join(repoRoot, 'dist/server.js')}' "$@"\n`);
    chmodSync(join(bin, 'citekeys-ls'), 0o755);
    const snippet = join(dir, 'readme-snippet.el');
    writeFileSync(snippet, readmeEmacsSnippets());
    const resultFile = join(dir, 'result.json');
    const run = spawnSync('emacs', ['--batch', '-Q', '-l', join(repoRoot, 'test/editor/emacs/eglot-session.el')], {
      cwd: dir,
      env: { ...process.env, HOME: dir, PATH: `${bin}:${process.env.PATH}`, CITEKEYS_WORKSPACE: workspace, CITEKEYS_RESULT: resultFile, CITEKEYS_SNIPPET: snippet },
      encoding: 'utf8',
      timeout: 120_000,
    });
    let text: string;
    try {
      text = readFileSync(resultFile, 'utf8');
    } catch {
      throw new Error(`emacs wrote no result (status ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
    }
    return { seen: JSON.parse(text) as Seen, workspace };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('Emacs with eglot, set up as the README says, gets completion, hover and diagnostics from citekeys-ls', { skip: skipUnlessAvailable(missingEmacs(), missingServerBundle()), timeout: 150_000 }, async (t) => {
  const { seen, workspace } = runSession();
  assert.equal(seen.error, undefined, `the elisp session failed: ${seen.error}\n${(seen.log ?? []).join('\n')}`);
  assert.deepEqual(seen.mode, ['markdown-mode', 'latex-mode'], 'paper.md and paper.tex open in their modes');
  assert.equal(seen.servers, 1, 'one server for the whole project, chapter included');

  await t.test('typing [@gere in Markdown completes Gereffi keys', () => {
    for (const key of ['gereffi1994', 'gereffi2005a', 'gereffi2009']) assert.ok(seen.markdownCompletion?.includes(key), `${key} missing from ${JSON.stringify(seen.markdownCompletion)}`);
  });

  await t.test('then \\cite{gere in LaTeX, on the same server and its one languageId, completes from ethics.bib', () => {
    assert.equal(seen.languageId, 'markdown', 'eglot 1.9 names every file of the server after the mode that started it');
    assert.ok(seen.latexCompletion?.includes('gereffi2005'), `gereffi2005 missing from ${JSON.stringify(seen.latexCompletion)}`);
  });

  await t.test('hover shows the reference as plain text, parentheses without backslashes', () => {
    assert.match(seen.hoverShown ?? '', /Barrientos, S\., Gereffi, G\., & Rossi, A\. \(2011\)\. Economic and social upgrading in global production networks/);
    assert.doesNotMatch(seen.hoverShown ?? '', /\\/, `a backslash shows in ${seen.hoverShown}`);
  });

  await t.test('flymake shows the undefined key, at the level the README\'s settings block sets', () => {
    const onLine = (seen.diagnostics ?? []).filter((d) => d.line === seen.undefinedLine);
    assert.equal(onLine.length, 1, JSON.stringify(seen.diagnostics));
    assert.match(onLine[0].text, /Undefined citation `gerefi2019`/);
    assert.equal(onLine[0].type, 'eglot-error', 'citekeys.diagnostics.levels reached the server through eglot-workspace-configuration');
    assert.ok(!(seen.diagnostics ?? []).some((d) => d.text.includes('reviewer@example')), 'an e-mail address is not a citation');
  });

  await t.test('a chapter one folder down keeps the .project root and reads ../ethics.bib', () => {
    assert.equal(seen.chapterRoot?.replace(/\/$/, ''), workspace);
    assert.ok(seen.chapterCompletion?.includes('gereffi2005'), `gereffi2005 missing from ${JSON.stringify(seen.chapterCompletion)}`);
  });
});
