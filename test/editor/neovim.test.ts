// citekeys-ls with Neovim as the LSP client (headless nvim 0.7 over stdio): completion, hover and diagnostics on
// the example papers (Markdown, LaTeX, a Typst chapter), asserted on what Neovim received.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingNeovim, missingServerBundle, repoRoot, skipUnlessAvailable } from './support/tools';

interface Seen {
  error?: string;
  log: string[];
  initialized: boolean;
  undefinedAt: { line: number; character: number };
  diagnostics: { line: number; character: number; message: string; code?: string | number }[];
  hover: { result?: { contents: unknown }; error?: string };
  markdownCompletion: { result?: unknown; error?: string };
  latexCompletion: { result?: unknown; error?: string };
  typstFiletype: string;
  typstUndefinedAt: { line: number; character: number };
  typstDiagnostics: Seen['diagnostics'];
  typstCompletion: { result?: unknown; error?: string };
}

function runSession(): Seen {
  const dir = mkdtempSync(join(tmpdir(), 'citekeys-nvim-'));
  try {
    const workspace = join(dir, 'examples');
    cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    const resultFile = join(dir, 'result.json');
    const script = join(repoRoot, 'test/editor/neovim/lsp-session.lua');
    const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', 'NONE', '-c', `luafile ${script}`], {
      cwd: dir,
      env: { ...process.env, CITEKEYS_SERVER: join(repoRoot, 'dist/server.js'), CITEKEYS_WORKSPACE: workspace, CITEKEYS_RESULT: resultFile, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir },
      encoding: 'utf8',
      timeout: 90_000,
    });
    let text: string;
    try {
      text = readFileSync(resultFile, 'utf8');
    } catch {
      throw new Error(`nvim wrote no result (status ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
    }
    return JSON.parse(text) as Seen;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function completionLabels(response: { result?: unknown }): string[] {
  const result = response.result as { items?: { label: string }[] } | { label: string }[] | undefined;
  const items = Array.isArray(result) ? result : (result?.items ?? []);
  return items.map((item) => item.label);
}

function hoverText(contents: unknown): string {
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map(hoverText).join('\n');
  const markup = contents as { value?: string } | undefined;
  return markup?.value ?? '';
}

test('Neovim gets completion, hover and diagnostics from citekeys-ls', { skip: skipUnlessAvailable(missingNeovim(), missingServerBundle()), timeout: 120_000 }, async (t) => {
  const seen = runSession();
  assert.equal(seen.error, undefined, `the Lua session failed: ${seen.error}\n${seen.log.join('\n')}`);
  assert.ok(seen.initialized, 'the server answered initialize');

  await t.test('typing [@gere in Markdown completes Gereffi keys', () => {
    const labels = completionLabels(seen.markdownCompletion);
    for (const key of ['gereffi1994', 'gereffi2005a', 'gereffi2009']) assert.ok(labels.includes(key), `${key} missing from ${JSON.stringify(labels)}`);
  });

  await t.test('\\citep{gere in LaTeX completes Gereffi keys from ethics.bib', () => {
    const labels = completionLabels(seen.latexCompletion);
    assert.ok(labels.includes('gereffi2005'), `gereffi2005 missing from ${JSON.stringify(labels)}`);
  });

  await t.test('hover on a key mentions the title of its entry', () => {
    assert.equal(seen.hover.error, undefined);
    const text = hoverText(seen.hover.result?.contents);
    assert.match(text, /Economic and social upgrading in global production networks/i);
    assert.match(text, /Barrientos/);
  });

  await t.test('the undefined key gets a diagnostic on its range', () => {
    const { line, character } = seen.undefinedAt;
    const diagnostic = seen.diagnostics.find((d) => d.line === line && d.character === character);
    assert.ok(diagnostic, `no diagnostic at ${line}:${character}; got ${JSON.stringify(seen.diagnostics)}`);
    assert.match(diagnostic.message, /gerefi2019/);
    assert.ok(!seen.diagnostics.some((d) => d.message.includes('reviewer@example')), 'an e-mail address is not a citation');
  });

  await t.test('in a Typst chapter (filetype typst), @gere completes from the main file\'s Hayagriva bibliography', () => {
    assert.equal(seen.typstFiletype, 'typst');
    const labels = completionLabels(seen.typstCompletion);
    assert.ok(labels.includes('gereffi2005a'), `gereffi2005a missing from ${JSON.stringify(labels)}`);
  });

  await t.test('the Typst chapter\'s misspelt key gets a diagnostic with a did-you-mean, and its other keys none', () => {
    const { line, character } = seen.typstUndefinedAt;
    const diagnostic = seen.typstDiagnostics.find((d) => d.line === line && d.character === character);
    assert.ok(diagnostic, `no diagnostic at ${line}:${character}; got ${JSON.stringify(seen.typstDiagnostics)}`);
    assert.equal(diagnostic.code, 'undefined-citation');
    assert.match(diagnostic.message, /humprey2002.*Did you mean `humphrey2002`/);
    assert.equal(seen.typstDiagnostics.length, 1, JSON.stringify(seen.typstDiagnostics));
  });
});
