// The packaged extension in a real VS Code workbench (code-server + Chromium via playwright-core), checked the way
// a user sees it: completion rows, a hover, squiggles and Problems, Insert Citation, and LaTeX completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installExtension, startCodeServer } from './support/codeServer';
import { artifactsDir, missingForCodeServer, repoRoot, skipUnlessAvailable } from './support/tools';
import { packageVsix } from './support/vsix';
import { launchChromium, positionOf, selectors, Workbench } from './support/workbench';

test('citekeys works in VS Code (code-server) as a user sees it', { skip: skipUnlessAvailable(missingForCodeServer()), timeout: 420_000 }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'citekeys-code-server-'));
  const workspace = join(home, 'examples');
  cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
  mkdirSync(artifactsDir, { recursive: true });
  for (const old of readdirSync(artifactsDir)) if (old.startsWith('code-server-')) rmSync(join(artifactsDir, old));
  const paperMd = readFileSync(join(workspace, 'paper.md'), 'utf8');
  const paperTex = readFileSync(join(workspace, 'paper.tex'), 'utf8');

  installExtension(packageVsix(join(home, 'citekeys.vsix')), home);
  const server = await startCodeServer(home, workspace, join(artifactsDir, 'code-server.log'));
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const workbench = new Workbench(page, 'code-server');
  await workbench.open(server.url);
  await workbench.openFile('paper.md');
  await workbench.screenshot('paper-md-open');
  /** A sub-test that leaves a screenshot behind when it fails. */
  const step = (name: string, body: () => Promise<void>) =>
    t.test(name, async () => {
      try {
        await body();
      } catch (error) {
        await workbench.screenshot('FAILED').catch(() => undefined);
        throw error;
      }
    });

  await step('typing [@gere in Markdown suggests Gereffi entries from the bibliography', async () => {
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('As argued ');
    const rows = await workbench.typeUntilSuggested('[@gere', /gereffi/);
    await workbench.screenshot('markdown-completion');
    assert.ok(rows.some((row) => /gereffi2005a/i.test(row)), `suggest rows: ${JSON.stringify(rows)}`);
    await page.keyboard.press('Enter');
    // Accepting puts the whole key in place of the typed prefix (Monaco renders spaces as non-breaking, hence `\s`).
    await workbench.waitForText(selectors.editorLines, /As\sargued\s\[@gereffi\d{4}/, 10_000);
  });

  await step('hovering a key shows the formatted reference', async () => {
    const at = positionOf(paperMd, '@barrientos2011', 3);
    await workbench.goTo(at.line, at.column);
    await page.keyboard.press('Control+KeyK');
    await page.keyboard.press('Control+KeyI');
    await workbench.waitForText(selectors.hover, /economic and social upgrading/i, 15_000);
    await workbench.screenshot('markdown-hover');
    const text = await page.locator(selectors.hover).filter({ hasText: /economic and social upgrading/i }).first().innerText();
    assert.match(text, /Barrientos/);
    assert.match(text, /2011/);
    assert.match(text, /Economic and social upgrading in global production networks/i);
    await page.keyboard.press('Escape');
  });

  await step('the undefined key is squiggled and listed in Problems', async () => {
    const at = positionOf(paperMd, '@gerefi2019', 1);
    await workbench.goTo(at.line, at.column);
    await page.waitForSelector(selectors.squiggles, { timeout: 20_000 });
    await page.keyboard.press('Control+Shift+KeyM');
    // The Problems list is virtualised and also holds the bibliographies' duplicates: filter it to the key.
    await page.locator(selectors.problemsFilter).first().fill('gerefi2019');
    await workbench.waitForText(selectors.problemRows, /gerefi2019/, 20_000);
    await workbench.screenshot('markdown-problems');
    const problems = await workbench.ariaLabels(selectors.problemRows);
    assert.ok(problems.some((row) => row.includes('gerefi2019')), `problems: ${JSON.stringify(problems)}`);
    await page.locator(selectors.problemsFilter).first().fill('');
  });

  await step('citekeys: Insert Citation searches the bibliography and inserts [@key]', async () => {
    await page.click(selectors.editorLines);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Competitive advantage ');
    await workbench.runCommand('citekeys: Insert Citation');
    await workbench.waitForText(selectors.quickInputTitle, /Insert Citation/, 10_000);
    await page.keyboard.type('porter');
    await page.waitForSelector(`${selectors.quickInputRows}[aria-label*="porter1990"]`, { timeout: 20_000 });
    await workbench.screenshot('insert-citation-picker');
    await page.keyboard.press('Enter');
    await workbench.waitForText(selectors.editorLines, /\[@porter1990\]/, 10_000);
    await workbench.screenshot('insert-citation-done');
    assert.match(await workbench.editorText(), /Competitive advantage \[@porter1990\]/);
  });

  await step('LaTeX gets completion inside \\citep{...} too', async () => {
    await workbench.openFile('paper.tex');
    const at = positionOf(paperTex, '\\bibliographystyle');
    await workbench.goTo(at.line, at.column);
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    const rows = await workbench.typeUntilSuggested('\\citep{gere', /gereffi/);
    await workbench.screenshot('latex-completion');
    assert.ok(rows.some((row) => /gereffi2005/i.test(row)), `suggest rows: ${JSON.stringify(rows)}`);
  });
});
