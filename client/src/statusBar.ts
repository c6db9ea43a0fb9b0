// The status bar item: how many entries from how many bibliography files the server has indexed, a spinner while
// it indexes; shown while a citekeys language is in the active editor. Clicking lists the document's bibliographies.
import * as vscode from 'vscode';
import type { ServerStatus } from './protocol';
import { describeStatus } from './statusText';

export class IndexStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('citekeys.status', vscode.StatusBarAlignment.Right, 100);
  private readonly languages: ReadonlySet<string>;
  private readonly editorWatch: vscode.Disposable;

  constructor(languages: readonly string[]) {
    this.languages = new Set(languages);
    this.item.name = 'citekeys';
    this.editorWatch = vscode.window.onDidChangeActiveTextEditor(() => this.updateVisibility());
    this.showStarting();
  }

  showStarting(): void {
    this.render(describeStatus(undefined), 'citekeys.showOutput');
  }

  showStatus(status: ServerStatus): void {
    this.render(describeStatus(status), 'citekeys.showBibliographies');
  }

  showStopped(): void {
    this.render({ text: '$(error) citekeys', tooltip: 'citekeys: the language server is not running. Click to restart it.' }, 'citekeys.restartServer');
  }

  dispose(): void {
    this.editorWatch.dispose();
    this.item.dispose();
  }

  private render(view: { text: string; tooltip: string }, command: string): void {
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = command;
    this.updateVisibility();
  }

  private updateVisibility(): void {
    const language = vscode.window.activeTextEditor?.document.languageId;
    if (language !== undefined && this.languages.has(language)) this.item.show();
    else this.item.hide();
  }
}
