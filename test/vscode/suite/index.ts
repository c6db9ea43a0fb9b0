// The extension-host suite: the same scenarios as the code-server test, asserted through VS Code's API with
// node:assert (no mocha): completion, hover, the undefined-key diagnostic, LaTeX completion and the commands.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';

type Scenario = [name: string, body: () => Promise<void>];

const workspace = process.env.CITEKEYS_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

/** Re-asks `probe` until it returns something (the server starts and indexes asynchronously), for at most `timeoutMs`. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function open(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(join(workspace, name));
  return vscode.window.showTextDocument(document);
}

function positionOf(document: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const index = document.getText().indexOf(needle);
  assert.ok(index >= 0, `${needle} not in ${document.uri.fsPath}`);
  return document.positionAt(index + offset);
}

async function completionLabels(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position, '@');
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

/** Appends a line to the editor's document and returns the position at its end. */
async function typeLine(editor: vscode.TextEditor, text: string): Promise<vscode.Position> {
  const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
  await editor.edit((edit) => edit.insert(end, `\n${text}`));
  return editor.document.lineAt(editor.document.lineCount - 1).range.end;
}

const scenarios: Scenario[] = [
  ['typing [@gere in Markdown completes Gereffi keys', async () => {
    const editor = await open('paper.md');
    const at = await typeLine(editor, 'As argued [@gere');
    const labels = await eventually('Gereffi completions', async () => {
      const found = await completionLabels(editor.document.uri, at);
      return found.includes('gereffi2005a') ? found : undefined;
    });
    assert.ok(labels.includes('gereffi1994'));
  }],
  ['hovering a key shows the formatted reference', async () => {
    const editor = await open('paper.md');
    const at = positionOf(editor.document, '@barrientos2011', 3);
    const text = await eventually('a hover', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at);
      const joined = hovers.flatMap((hover) => hover.contents.map((part) => (typeof part === 'string' ? part : part.value))).join('\n');
      return joined ? joined : undefined;
    });
    assert.match(text, /Economic and social upgrading in global production networks/i);
    assert.match(text, /Barrientos/);
  }],
  ['the undefined key gets a diagnostic on its range', async () => {
    const editor = await open('paper.md');
    const at = positionOf(editor.document, '@gerefi2019', 1);
    const diagnostic = await eventually('the undefined-key diagnostic', async () =>
      vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.range.start.isEqual(at)),
    );
    assert.match(diagnostic.message, /gerefi2019/);
  }],
  ['\\citep{gere in LaTeX completes Gereffi keys', async () => {
    const editor = await open('paper.tex');
    const line = positionOf(editor.document, '\\bibliographystyle').line;
    await editor.edit((edit) => edit.insert(new vscode.Position(line, 0), '\\citep{gere}\n'));
    const labels = await eventually('LaTeX completions', async () => {
      const found = await completionLabels(editor.document.uri, new vscode.Position(line, 11));
      return found.includes('gereffi2005') ? found : undefined;
    });
    assert.ok(labels.length > 0);
  }],
  ['the commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['citekeys.insertCitation', 'citekeys.showBibliographies', 'citekeys.checkWorkspace', 'citekeys.restartServer']) {
      assert.ok(commands.includes(command), `${command} is not registered`);
    }
  }],
  ['Restart Language Server brings completion back', async () => {
    await vscode.commands.executeCommand('citekeys.restartServer');
    const editor = await open('paper.md');
    const at = await typeLine(editor, 'Again [@port');
    await eventually('completions after a restart', async () => ((await completionLabels(editor.document.uri, at)).includes('porter1990') ? true : undefined));
  }],
];

/** Entry point called by the extension host (`--extensionTestsPath`); rejects when any scenario fails. */
export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, body] of scenarios) {
    try {
      await body();
      console.log(`ok - ${name}`);
    } catch (error) {
      failures.push(name);
      console.log(`not ok - ${name}\n  ${String(error instanceof Error ? error.stack : error).replace(/\n/g, '\n  ')}`);
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length} of ${scenarios.length} scenarios failed: ${failures.join('; ')}`);
}
