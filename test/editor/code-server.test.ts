// The packaged extension in a real VS Code workbench (code-server + Chromium via playwright-core), checked the way
// a user sees it: completion rows, a hover, squiggles and Problems, Insert Citation, and LaTeX completion; and the
// user's library outside the workspace: its entry completes and is copied into the .bib, and the multi-select
// Insert Citation picker cites two entries chosen with the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installExtension, startCodeServer } from './support/codeServer';
import { artifactsDir, missingForCodeServer, repoRoot, skipUnlessAvailable } from './support/tools';
import { packageVsix } from './support/vsix';
import { launchChromium, positionOf, selectors, Workbench } from './support/workbench';

const LIBRARY = `@book{ostrom1990,
  author = {Ostrom, Elinor},
  title = {Governing the Commons: The Evolution of Institutions for Collective Action},
  publisher = {Cambridge University Press},
  year = {1990}
}

@book{hirschman1970,
  author = {Hirschman, Albert O.},
  title = {Exit, Voice, and Loyalty},
  publisher = {Harvard University Press},
  year = {1970}
}
`;

/** Waits until `file` on disk matches `wanted` (the editor saves asynchronously), woken by the folder's change events. */
function fileMatches(file: string, wanted: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return false; // between the write of a new file and its rename over the old one
      }
      if (!wanted.test(text)) return false;
      finish();
      resolve(text);
      return true;
    };
    // The folder, not the file: an editor may save by writing a new file and renaming it over the old one.
    const watcher = watch(dirname(file), () => void check());
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${file} does not match ${wanted} within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      watcher.close();
      clearTimeout(timer);
    };
    check();
  });
}

test('citekeys works in VS Code (code-server) as a user sees it', { skip: skipUnlessAvailable(missingForCodeServer()), timeout: 420_000 }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'citekeys-code-server-'));
  const workspace = join(home, 'examples');
  cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
  mkdirSync(artifactsDir, { recursive: true });
  for (const old of readdirSync(artifactsDir)) if (old.startsWith('code-server-')) rmSync(join(artifactsDir, old));
  const paperMd = readFileSync(join(workspace, 'paper.md'), 'utf8');
  const paperTex = readFileSync(join(workspace, 'paper.tex'), 'utf8');

  // The user's library, outside the workspace folder; Zotero is left alone.
  const library = join(home, 'library.bib');
  writeFileSync(library, LIBRARY);
  const geographyBib = join(workspace, 'geography.bib');

  installExtension(packageVsix(join(home, 'citekeys.vsix')), home);
  const server = await startCodeServer(home, workspace, join(artifactsDir, 'code-server.log'), {
    'citekeys.libraries': [library],
    'citekeys.zotero.enabled': false,
  });
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

  await step('an entry of the library outside the workspace completes, and accepting it copies it into geography.bib', async () => {
    await page.click(selectors.editorLines);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Commons ');
    const rows = await workbench.typeUntilSuggested('[@ostr', /ostrom1990/);
    await workbench.waitForText(selectors.suggestRows, /library\.bib/, 10_000);
    await workbench.screenshot('library-completion');
    assert.ok(rows.some((row) => /ostrom1990/.test(row)), `suggest rows: ${JSON.stringify(rows)}`);
    await page.keyboard.press('Enter');
    await workbench.waitForText(selectors.editorLines, /Commons\s\[@ostrom1990/, 10_000);
    // The copy is an edit of geography.bib (not open), which arrives after the accept (executeCommand, then the
    // server's applyEdit): wait until its tab shows the edit, then save it with the document.
    await page.waitForSelector('.tab.dirty[aria-label*="geography.bib"]', { timeout: 20_000 });
    await workbench.runCommand('File: Save All');
    const bib = await fileMatches(geographyBib, /@book\{ostrom1990,/, 20_000);
    assert.ok(bib.endsWith(`\n${LIBRARY.split('\n\n')[0]}\n`), bib.slice(-400));
  });

  await step('Insert Citation checks two entries with the keyboard, cites both and copies the library one', async () => {
    await page.click(selectors.editorLines);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Exit and clusters ');
    await workbench.runCommand('citekeys: Insert Citation');
    await workbench.waitForText(selectors.quickInputTitle, /Insert Citation/, 10_000);
    const rows = () => workbench.ariaLabels(selectors.quickInputRows);
    /** Waits until the picker shows the answer to the whole query: `settled` holds for its rows. */
    const settle = async (settled: (labels: string[]) => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!settled(await rows())) {
        if (Date.now() > deadline) throw new Error(`picker rows: ${JSON.stringify(await rows())}`);
        await page.waitForTimeout(100);
      }
    };
    // A library entry, found by its author: the only row, marked with the library's name.
    await page.keyboard.type('hirschman');
    await settle((labels) => labels.length === 1 && labels[0].includes('hirschman1970'));
    assert.match((await rows())[0], /library\.bib/);
    await page.keyboard.press('ArrowDown'); // into the list, on the first row
    await page.keyboard.press('Space');
    await page.waitForSelector(`${selectors.quickInputRows}[aria-checked="true"][aria-label*="hirschman1970"]`, { timeout: 10_000 });
    // Back to the query (Shift+Tab past the OK button), a new search: the checked entry stays on top.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('clusters porter');
    await settle((labels) => labels.length > 1 && labels[0].includes('hirschman1970') && labels[1].includes('porter1998'));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await page.waitForSelector(`${selectors.quickInputRows}[aria-checked="true"][aria-label*="porter1998"]`, { timeout: 10_000 });
    assert.match((await rows())[0], /hirschman1970/);
    await workbench.screenshot('insert-citation-two-checked');
    await page.keyboard.press('Enter');
    await workbench.waitForText(selectors.editorLines, /Exit\sand\sclusters\s\[@hirschman1970;\s@porter1998\]/, 10_000);
    await workbench.runCommand('File: Save All');
    const bib = await fileMatches(geographyBib, /@book\{hirschman1970,/, 20_000);
    // porter1998 is the document's own (ethics.bib): nothing to copy.
    assert.doesNotMatch(bib, /porter1998/);
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
