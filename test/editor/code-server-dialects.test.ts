// The packaged extension in a real VS Code workbench (code-server + Chromium via playwright-core) on the Typst, MyST
// and notebook examples: completion rows, hovers, go to definition, squiggles and Problems, as a user sees them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installExtension, startCodeServer } from './support/codeServer';
import { artifactsDir, missingForCodeServer, repoRoot, skipUnlessAvailable } from './support/tools';
import { packageVsix } from './support/vsix';
import { launchChromium, positionOf, selectors, Workbench } from './support/workbench';

const PREFIX = 'code-server-dialects';

test('Typst, MyST and notebooks work in VS Code (code-server) as a user sees them', { skip: skipUnlessAvailable(missingForCodeServer()), timeout: 290_000 }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'citekeys-code-server-dialects-'));
  const workspace = join(home, 'examples');
  cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
  mkdirSync(artifactsDir, { recursive: true });
  for (const old of readdirSync(artifactsDir)) if (old.startsWith(`${PREFIX}-`)) rmSync(join(artifactsDir, old));
  const example = (file: string) => readFileSync(join(workspace, file), 'utf8');

  installExtension(packageVsix(join(home, 'citekeys.vsix')), home);
  const server = await startCodeServer(home, workspace, join(artifactsDir, `${PREFIX}.log`));
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const workbench = new Workbench(page, PREFIX);
  await workbench.open(server.url);
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
  /** Hover (Ctrl+K Ctrl+I) at a position and return the hover's text once it shows `wanted`. */
  const hoverAt = async (at: { line: number; column: number }, wanted: RegExp, shot: string): Promise<string> => {
    await workbench.goTo(at.line, at.column);
    await page.keyboard.press('Control+KeyK');
    await page.keyboard.press('Control+KeyI');
    await workbench.waitForText(selectors.hover, wanted, 20_000);
    await workbench.screenshot(shot);
    const text = await page.locator(selectors.hover).filter({ hasText: wanted }).first().innerText();
    await page.keyboard.press('Escape');
    return text;
  };
  /** The Problems rows for `filter`, once one of them matches `wanted`. */
  const problemsFor = async (filter: string, wanted: RegExp, shot: string): Promise<string[]> => {
    await workbench.showProblems(filter);
    await workbench.waitForText(selectors.problemRows, wanted, 20_000);
    await workbench.screenshot(shot);
    return workbench.ariaLabels(selectors.problemRows);
  };

  const paperTyp = example('typst/paper.typ');
  await step('Typst: typing @gere in the main file suggests gereffi2005a from its Hayagriva bibliography', async () => {
    await workbench.openFile('typst/paper.typ');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Governance again ');
    const rows = await workbench.typeUntilSuggested('@gere', /gereffi2005a/);
    await workbench.screenshot('typst-completion');
    assert.ok(rows.some((row) => /gereffi2005a/.test(row)), `suggest rows: ${JSON.stringify(rows)}`);
    await page.keyboard.press('Enter');
    await workbench.waitForText(selectors.editorLines, /Governance\sagain\s@gereffi2005a/, 10_000);
  });

  await step('Typst: hovering a key shows the reference, from Hayagriva and from BibTeX', async () => {
    const hayagriva = await hoverAt(positionOf(paperTyp, '@gereffi2005a', 3), /governance of global value chains/i, 'typst-hover-hayagriva');
    assert.match(hayagriva, /Gereffi/);
    assert.match(hayagriva, /2005/);
    const bibtex = await hoverAt(positionOf(paperTyp, '@schmitz1995', 3), /Collective efficiency/i, 'typst-hover-bibtex');
    assert.match(bibtex, /Schmitz/);
    assert.match(bibtex, /1995/);
  });

  await step('Typst: go to definition on a key opens refs.bib at its entry', async () => {
    const at = positionOf(paperTyp, '@schmitz1995', 5);
    await workbench.goTo(at.line, at.column);
    await page.keyboard.press('F12');
    await page.waitForSelector('.tab.active[aria-label*="refs.bib"]', { timeout: 15_000 });
    const entry = positionOf(example('typst/refs.bib'), '@article{schmitz1995');
    await workbench.waitForText(selectors.cursorPosition, new RegExp(`Ln ${entry.line},`), 10_000);
    await workbench.screenshot('typst-definition');
  });

  await step('Typst: the key defined twice in refs.bib is a duplicate-entry in Problems', async () => {
    const rows = await problemsFor('schmitz2000', /Duplicate entry/, 'typst-duplicate-problems');
    assert.ok(rows.some((row) => /Duplicate entry `?schmitz2000/.test(row)), `problems: ${JSON.stringify(rows)}`);
  });

  await step('Typst: the misspelt key of the chapter is squiggled and in Problems with a did-you-mean', async () => {
    await workbench.openFile('chapters/intro.typ');
    const at = positionOf(example('typst/chapters/intro.typ'), '@humprey2002', 1);
    await workbench.goTo(at.line, at.column);
    await page.waitForSelector(`${selectors.activeEditor} .squiggly-warning`, { timeout: 20_000 });
    const rows = await problemsFor('humprey2002', /humprey2002/, 'typst-undefined-problems');
    assert.ok(rows.some((row) => /Undefined citation `?humprey2002.*humphrey2002/.test(row)), `problems: ${JSON.stringify(rows)}`);
    // The chapter's other keys are defined by the main file's bibliography: no other problem in this file.
    await workbench.showProblems('Undefined citation');
    const all = (await workbench.ariaLabels(selectors.problemRows)).filter((row) => row.includes('Undefined citation'));
    assert.ok(!all.some((row) => /Undefined citation `(schmitz1999|humphrey2002|governance|intro)`/.test(row)), `problems: ${JSON.stringify(all)}`);
  });

  const indexMd = example('myst/index.md');
  await step('MyST: typing inside a {cite:p} role suggests keys of the project bibliography', async () => {
    await workbench.openFile('myst/index.md');
    const at = positionOf(indexMd, 'Code is never scanned');
    await workbench.goTo(at.line, at.column);
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.type('Codes of conduct ');
    const rows = await workbench.typeUntilSuggested('{cite:p}`barr', /barrientos2011/);
    await workbench.screenshot('myst-completion');
    assert.ok(rows.some((row) => /barrientos2011/.test(row)), `suggest rows: ${JSON.stringify(rows)}`);
    await page.keyboard.press('Escape');
  });

  await step('MyST: hovering a key in a role shows its reference', async () => {
    const text = await hoverAt(positionOf(indexMd, 'locke2013', 2), /Locke/, 'myst-hover');
    assert.match(text, /2013/);
  });

  await step('MyST: the misspelt key in a role is in Problems', async () => {
    const rows = await problemsFor('lundthomsen2041', /lundthomsen2041/, 'myst-undefined-problems');
    assert.ok(rows.some((row) => /Undefined citation `?lundthomsen2041/.test(row)), `problems: ${JSON.stringify(rows)}`);
  });

  await step('notebook: a markdown cell of analysis.ipynb completes keys and squiggles the misspelt one', async () => {
    await workbench.openFile('notebook/analysis.ipynb', { kind: 'notebook' });
    await page.waitForSelector('.notebook-editor .cell-list-container', { timeout: 20_000 });
    await workbench.screenshot('notebook-open');
    // Click into the first cell (the raw front matter), leave its editor for the cell list (Escape), go to the last
    // cell (Ctrl+End), which holds the misspelt key, and edit it (Enter: its source replaces the rendered Markdown).
    await page.locator('.notebook-editor .cell-editor-container .view-lines').first().click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+End');
    await workbench.waitForText('.statusbar-item', /Cell 4 of 4/, 10_000);
    await page.keyboard.press('Enter');
    const cellEditor = '.notebook-editor .monaco-list-row.focused .cell-editor-container';
    await page.waitForSelector(`${cellEditor} .view-lines`, { timeout: 15_000 });
    await page.waitForSelector(`${cellEditor} .squiggly-warning`, { timeout: 30_000 });
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Clusters in Italy ');
    const rows = await workbench.typeUntilSuggested('[@stor', /storper1997/);
    await workbench.screenshot('notebook-completion');
    assert.ok(rows.some((row) => /storper1997/.test(row)), `suggest rows: ${JSON.stringify(rows)}`);
    await page.keyboard.press('Escape');
    const problems = await problemsFor('portr1990', /portr1990/, 'notebook-problems');
    // The raw cell's front matter names geography.bib: the message says so (not the workspace's every bibliography).
    assert.ok(problems.some((row) => /Undefined citation `?portr1990`?: not in geography\.bib\. Did you mean `?porter1990/.test(row)), `problems: ${JSON.stringify(problems)}`);
  });
});
