// The commands the client adds: Insert Citation (a picker that searches the server as you type), Show
// Bibliographies, Check Workspace and Create Bibliography of Cited Entries. Each asks the server through a custom
// request; none parses anything itself.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { citationInsertion, citationSyntaxFor } from './citationInsertion';
import type { ServerSession } from './extension';
import {
  checkWorkspaceRequest,
  extractBibliographyRequest,
  type ExtractBibliographyParams,
  type ExtractBibliographyResult,
  documentBibliographiesRequest,
  searchEntriesRequest,
  type CheckWorkspaceResult,
  type DocumentBibliographiesResult,
  type SearchEntriesParams,
  type SearchEntriesResult,
} from './protocol';

const pickerLimit = 50;

export async function insertCitation(session: ServerSession): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return void vscode.window.showInformationMessage('citekeys: open a document to insert a citation into.');
  const client = await runningClient(session);
  if (!client) return;
  const key = await pickEntryKey(client, editor.document.uri.toString());
  if (key === undefined) return;
  const syntax = citationSyntaxFor(editor.document.languageId);
  await editor.edit((edit) => {
    for (const selection of editor.selections) {
      const line = editor.document.lineAt(selection.start.line).text;
      const before = line.slice(0, selection.start.character);
      const after = selection.isSingleLine ? line.slice(selection.end.character) : '';
      const insertion = citationInsertion(syntax, before, after, key);
      edit.replace(new vscode.Range(selection.start.translate(0, -insertion.deleteBefore), selection.end), insertion.text);
    }
  });
}

type SearchClient = NonNullable<Awaited<ReturnType<ServerSession['ready']>>>;

/** A picker whose items come from the server on every keystroke; answers to older queries are dropped. */
function pickEntryKey(client: SearchClient, uri: string): Promise<string | undefined> {
  const picker = vscode.window.createQuickPick<vscode.QuickPickItem & { key: string }>();
  picker.title = 'citekeys: Insert Citation';
  picker.placeholder = 'Search by key, author, title or year';
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  let pending: vscode.CancellationTokenSource | undefined;
  let latest = 0;
  const search = async (query: string) => {
    pending?.cancel();
    const source = (pending = new vscode.CancellationTokenSource());
    const request = ++latest;
    picker.busy = true;
    try {
      const params: SearchEntriesParams = { query, uri, limit: pickerLimit };
      const result = await client.sendRequest<SearchEntriesResult>(searchEntriesRequest, params, source.token);
      if (request !== latest) return;
      // The server already ranked and filtered: `alwaysShow` keeps the picker's own filter from hiding its matches.
      picker.items = result.items.map((item) => ({ key: item.key, label: item.label || item.key, description: item.description, detail: item.detail, alwaysShow: true }));
    } catch {
      if (request === latest) picker.items = [];
    } finally {
      if (request === latest) picker.busy = false;
    }
  };
  return new Promise((resolve) => {
    let chosen: string | undefined;
    picker.onDidChangeValue((query) => void search(query));
    picker.onDidAccept(() => {
      chosen = picker.selectedItems[0]?.key ?? picker.activeItems[0]?.key;
      picker.hide();
    });
    picker.onDidHide(() => {
      pending?.cancel();
      picker.dispose();
      resolve(chosen);
    });
    picker.show();
    void search('');
  });
}

export async function showBibliographies(session: ServerSession): Promise<void> {
  const client = await runningClient(session);
  if (!client) return;
  const document = vscode.window.activeTextEditor?.document;
  let files = session.lastStatus?.bibliographies ?? [];
  if (document) {
    const result = await client.sendRequest<DocumentBibliographiesResult>(documentBibliographiesRequest, { uri: document.uri.toString() });
    files = result.files;
  }
  if (files.length === 0) {
    return void vscode.window.showInformationMessage(
      'citekeys: this document uses no bibliography. Declare one with `bibliography:` front matter, `\\bibliography{}` or ' +
        '`\\addbibresource{}`, or list files in the `citekeys.bibliographies` setting.',
    );
  }
  const items = files.map((file) => {
    const uri = toUri(file);
    return { uri, label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri) };
  });
  const choice = await vscode.window.showQuickPick(items, { title: 'citekeys: Bibliographies of this document', placeHolder: 'Open a bibliography file' });
  if (choice) await vscode.window.showTextDocument(choice.uri);
}

export async function checkWorkspace(session: ServerSession): Promise<void> {
  const client = await runningClient(session);
  if (!client) return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'citekeys: checking citations in the workspace…', cancellable: true },
    (_progress, token) => client.sendRequest<CheckWorkspaceResult>(checkWorkspaceRequest, {}, token),
  );
  const summary = `citekeys: checked ${result.documents} document${result.documents === 1 ? '' : 's'}, ` +
    `found ${result.diagnostics} problem${result.diagnostics === 1 ? '' : 's'}.`;
  if (result.diagnostics === 0) return void vscode.window.showInformationMessage(summary);
  const choice = await vscode.window.showInformationMessage(summary, 'Show Problems');
  if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
}

/**
 * The entries cited in the active document's workspace folder (or the whole workspace), as `citekeys extract` writes
 * them, in a new unsaved BibTeX editor: the user saves it where they want; nothing is written here.
 */
export async function extractBibliography(session: ServerSession): Promise<void> {
  const client = await runningClient(session);
  if (!client) return;
  const active = vscode.window.activeNotebookEditor?.notebook.uri ?? vscode.window.activeTextEditor?.document.uri;
  const params: ExtractBibliographyParams = active && active.scheme !== 'output' ? { uri: active.toString() } : {};
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'citekeys: collecting the cited entries…', cancellable: true },
    (_progress, token) => client.sendRequest<ExtractBibliographyResult>(extractBibliographyRequest, params, token),
  );
  const missing = result.missing.length;
  const named = result.missing.slice(0, 5).map((m) => m.key).join(', ') + (missing > 5 ? ', …' : '');
  if (result.entries === 0) {
    return void vscode.window.showInformationMessage(
      missing ? `citekeys: no cited key has an entry (${named}).` : `citekeys: the ${result.documents} document${result.documents === 1 ? '' : 's'} cite nothing.`,
    );
  }
  const document = await vscode.workspace.openTextDocument({ language: 'bibtex', content: result.text });
  await vscode.window.showTextDocument(document);
  if (!missing) return;
  const choice = await vscode.window.showWarningMessage(`citekeys: ${missing} cited key${missing === 1 ? ' has' : 's have'} no entry: ${named}.`, 'Show First');
  if (choice) await vscode.commands.executeCommand('citekeys.openLocation', result.missing[0]);
}

async function runningClient(session: ServerSession): Promise<SearchClient | undefined> {
  const client = await session.ready();
  if (client) return client;
  const choice = await vscode.window.showErrorMessage('citekeys: the language server is not running.', 'Restart');
  if (choice) await vscode.commands.executeCommand('citekeys.restartServer');
  return undefined;
}

/** The server reports files as URIs or absolute paths. */
function toUri(fileOrUri: string): vscode.Uri {
  return /^[a-zA-Z][\w+.-]+:/.test(fileOrUri) ? vscode.Uri.parse(fileOrUri) : vscode.Uri.file(fileOrUri);
}
