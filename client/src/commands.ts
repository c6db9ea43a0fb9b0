// The commands the client adds: Insert Citation (a multi-select picker that searches the server as you type), Show
// Bibliographies, Check Workspace and Create Bibliography of Cited Entries. Each asks the server through a custom
// request; none parses anything itself.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerSession } from './extension';
import {
  checkWorkspaceRequest,
  extractBibliographyRequest,
  type ExtractBibliographyParams,
  type ExtractBibliographyResult,
  documentBibliographiesRequest,
  insertCitationRequest,
  searchEntriesRequest,
  type InsertCitationParams,
  type InsertCitationResult,
  type SearchEntryItem,
  type CheckWorkspaceResult,
  type DocumentBibliographiesResult,
  type SearchEntriesParams,
  type SearchEntriesResult,
} from './protocol';

const pickerLimit = 50;

/** Insert Citation: pick one or more entries, and apply the server's edit (the citation, and the copied entries). */
export async function insertCitation(session: ServerSession): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return void vscode.window.showInformationMessage('citekeys: open a document to insert a citation into.');
  const client = await runningClient(session);
  if (!client) return;
  const uri = editor.document.uri.toString();
  const picked = await pickEntries(client, uri);
  if (!picked?.length) return;
  const params: InsertCitationParams = {
    uri,
    position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    keys: picked.map((item) => (item.from === undefined ? { key: item.key } : { key: item.key, from: item.from })),
  };
  const result = await client.sendRequest<InsertCitationResult>(insertCitationRequest, params);
  if (!result) return void vscode.window.showInformationMessage('citekeys: this is not a document citekeys can insert a citation into.');
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) return void vscode.window.showWarningMessage('citekeys: the citation could not be inserted (the document changed meanwhile?).');
  if (result.message) void vscode.window.showInformationMessage(`citekeys: ${result.message}`);
}

type SearchClient = NonNullable<Awaited<ReturnType<ServerSession['ready']>>>;
type EntryPick = vscode.QuickPickItem & { key: string; from?: string };

/** How often one query is asked again while Zotero has not answered it, and how long apart. */
const incompleteRetries = 3;
const retryDelayMs = 300;

/**
 * A multi-select picker whose items come from the server on every keystroke (answers to older queries are dropped).
 * The chosen entries stay checked at the top while the list changes. Enter inserts the checked entries, or the
 * highlighted (else the first) one when none is checked; Escape inserts nothing.
 */
function pickEntries(client: SearchClient, uri: string): Promise<EntryPick[] | undefined> {
  const picker = vscode.window.createQuickPick<EntryPick>();
  picker.title = 'citekeys: Insert Citation';
  picker.placeholder = 'Search by key, author, title or year; ↓ and Space check entries, Enter inserts them';
  picker.canSelectMany = true;
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  /** The checked entries, in the order they were checked (the citation's order). */
  const chosen = new Map<string, EntryPick>();
  let pending: vscode.CancellationTokenSource | undefined;
  let retry: NodeJS.Timeout | undefined;
  let latest = 0;
  let shown = '';
  const show = (found: SearchEntryItem[]) => {
    const items = [...chosen.values()];
    for (const item of found) if (!chosen.has(item.key)) items.push(toPick(item));
    // The same rows again (a longer query with the same answer): leave the list, and the row the user is on, alone.
    const rows = items.map((item) => `${chosen.has(item.key) ? '+' : ''}${item.key}\u0000${item.description ?? ''}`).join('\n');
    if (rows === shown) return;
    shown = rows;
    picker.items = items;
    picker.selectedItems = [...chosen.values()];
  };
  const search = async (query: string, retries = incompleteRetries) => {
    pending?.cancel();
    clearTimeout(retry);
    const source = (pending = new vscode.CancellationTokenSource());
    const request = ++latest;
    picker.busy = true;
    try {
      const params: SearchEntriesParams = { query, uri, limit: pickerLimit };
      const result = await client.sendRequest<SearchEntriesResult>(searchEntriesRequest, params, source.token);
      if (request !== latest) return;
      show(result.items);
      // Zotero answers the next request: ask again while the query stands.
      if (result.isIncomplete && retries > 0) retry = setTimeout(() => void search(query, retries - 1), retryDelayMs);
    } catch {
      if (request === latest) show([]);
    } finally {
      if (request === latest) picker.busy = false;
    }
  };
  return new Promise((resolve) => {
    let accepted: EntryPick[] | undefined;
    picker.onDidChangeValue((query) => void search(query));
    picker.onDidChangeSelection((selected) => {
      // Only the shown items can change; the checked ones are always shown.
      const checked = new Set(selected.map((item) => item.key));
      for (const item of picker.items) {
        if (checked.has(item.key) && !chosen.has(item.key)) chosen.set(item.key, item);
        else if (!checked.has(item.key)) chosen.delete(item.key);
      }
    });
    picker.onDidAccept(() => {
      // Nothing checked: the highlighted row, else the first (a multi-select list highlights none until ↓).
      const active = picker.activeItems[0] ?? picker.items[0];
      accepted = chosen.size ? [...chosen.values()] : active ? [active] : undefined;
      picker.hide();
    });
    picker.onDidHide(() => {
      pending?.cancel();
      clearTimeout(retry);
      picker.dispose();
      resolve(accepted);
    });
    picker.show();
    void search('');
  });
}

/** A picker row: the key; author and year, and where an entry the document lacks comes from; the title below. */
function toPick(item: SearchEntryItem): EntryPick {
  const description = item.source ? `${item.detail} · ${item.source}` : item.detail;
  // The server already ranked and filtered: `alwaysShow` keeps the picker's own filter from hiding its matches.
  return { key: item.key, from: item.from, label: item.label || item.key, description, detail: item.description || undefined, alwaysShow: true };
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
