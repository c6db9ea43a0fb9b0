// Drives VS Code's workbench in Chromium the way a user does: keyboard shortcuts, Quick Open, the command palette,
// and reading what is on screen (suggest rows, hovers, squiggles, Problems). Every wait is bounded.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifactsDir, chromiumBin, resolvePlaywright } from './tools';

export const selectors = {
  workbench: '.monaco-workbench',
  quickInput: '.quick-input-widget input',
  quickInputTitle: '.quick-input-widget .quick-input-title',
  quickInputRows: '.quick-input-widget .monaco-list-row',
  suggestRows: '.editor-widget.suggest-widget.visible .monaco-list-row',
  hover: '.monaco-hover:not(.hidden)',
  squiggles: '.squiggly-warning, .squiggly-error',
  problemRows: '.markers-panel .monaco-list-row',
  problemsFilter: '.panel .viewpane-filter input, .panel .markers-panel-action-filter input',
  editorLines: '.editor-instance .view-lines',
  /** The text editor of the active editor group (not a notebook cell's). */
  activeEditor: '.editor-group-container.active .editor-instance',
  /** The active editor's cursor position in the status bar (`Ln 2, Col 10`). */
  cursorPosition: '[id="status.editor.selection"]',
};

/** 1-based line and column of the first `needle` in `text`, plus `offset` characters (for Go to Line/Column). */
export function positionOf(text: string, needle: string, offset = 0): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`example is missing ${JSON.stringify(needle)}`);
  const before = text.slice(0, index + offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = createRequire(__filename)(resolvePlaywright()!) as typeof import('playwright-core');
  return chromium.launch({
    executablePath: chromiumBin,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export class Workbench {
  private shot = 0;

  constructor(readonly page: Page, private readonly prefix: string) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForSelector(selectors.workbench, { timeout: 60_000 });
  }

  async screenshot(step: string): Promise<void> {
    this.shot++;
    await this.page.screenshot({ path: join(artifactsDir, `${this.prefix}-${String(this.shot).padStart(2, '0')}-${step}.png`) });
  }

  /**
   * Quick Open (Ctrl+P) a workspace file (`name` may be a path, `chapters/intro.typ`) and wait until its tab is
   * active; a text editor is then clicked so that it has the keyboard, a notebook is left as it opened.
   */
  async openFile(name: string, { kind = 'text' }: { kind?: 'text' | 'notebook' } = {}): Promise<void> {
    const base = name.slice(name.lastIndexOf('/') + 1);
    await this.page.keyboard.press('Control+KeyP');
    await this.page.waitForSelector(selectors.quickInput, { timeout: 10_000 });
    await this.page.keyboard.type(name);
    // Results arrive in batches (recent files, then the file search), so the first row may not be the file yet:
    // click the file's own row rather than pressing Enter.
    await this.page.locator(`${selectors.quickInputRows}[aria-label*="${base}"]`).first().click({ timeout: 15_000 });
    await this.page.waitForSelector(`.tab.active[aria-label*="${base}"]`, { timeout: 15_000 });
    if (kind === 'text') await this.page.click(`${selectors.activeEditor} .view-lines`);
  }

  /** Shows the Problems panel (without toggling it away when it is already open) filtered to `filter`. */
  async showProblems(filter: string): Promise<void> {
    if (!(await this.page.locator(selectors.problemsFilter).first().isVisible())) await this.page.keyboard.press('Control+Shift+KeyM');
    const input = this.page.locator(selectors.problemsFilter).first();
    await input.waitFor({ timeout: 10_000 });
    await input.fill(filter);
  }

  /** Go to Line/Column (Ctrl+G), both 1-based. */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+KeyG');
    await this.page.waitForSelector(selectors.quickInput, { timeout: 10_000 });
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 10_000 });
  }

  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.page.waitForSelector(selectors.quickInput, { timeout: 10_000 });
    await this.page.keyboard.type(title);
    await this.page.waitForSelector(`${selectors.quickInputRows}[aria-label*="${title}"]`, { timeout: 15_000 });
    await this.page.keyboard.press('Enter');
  }

  async ariaLabels(selector: string): Promise<string[]> {
    return this.page.$$eval(selector, (rows) => rows.map((row) => row.getAttribute('aria-label') ?? row.textContent ?? ''));
  }

  /**
   * Types `text` and waits for a suggest row matching `wanted`. The extension activates and indexes asynchronously,
   * so when no such row shows, the typed text is erased and typed again (every `retryMs`, up to `timeoutMs`).
   */
  async typeUntilSuggested(text: string, wanted: RegExp, timeoutMs = 60_000, retryMs = 3_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let labels: string[] = [];
    while (Date.now() < deadline) {
      await this.page.keyboard.type(text, { delay: 20 });
      try {
        await this.waitForText(selectors.suggestRows, wanted, retryMs);
        return this.ariaLabels(selectors.suggestRows);
      } catch {
        labels = await this.ariaLabels(selectors.suggestRows);
        await this.page.keyboard.press('Escape');
        for (let i = 0; i < text.length; i++) await this.page.keyboard.press('Backspace');
      }
    }
    throw new Error(`no suggestion matching ${wanted} within ${timeoutMs} ms; last rows: ${JSON.stringify(labels)}`);
  }

  /** Waits until an element matching `selector` shows text matching `wanted`. */
  async waitForText(selector: string, wanted: RegExp, timeoutMs: number): Promise<void> {
    await this.page.locator(selector).filter({ hasText: wanted }).first().waitFor({ timeout: timeoutMs });
  }

  /** The visible text of the active editor (Monaco renders spaces as non-breaking). */
  async editorText(): Promise<string> {
    const text = await this.page.locator(selectors.editorLines).first().innerText();
    return text.replace(/\u00a0/g, ' ');
  }
}
