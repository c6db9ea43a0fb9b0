// The VS Code client: starts citekeys-ls (dist/server.js), restarts it after a crash, and wires the status bar
// and commands to it. No language logic lives here: completion, hover, diagnostics etc. all come from the server.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { checkWorkspace, extractBibliography, insertCitation, showBibliographies } from './commands';
import { CrashPolicy } from './crashPolicy';
import { citekeysLanguages, statusNotification, type ServerStatus } from './protocol';
import { IndexStatusBar } from './statusBar';
import { SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from '../../server/src/serverLaunch';

/** The running client (replaced on restart) and what the commands need from it. */
export interface ServerSession {
  readonly client: LanguageClient | undefined;
  /** Resolves once the server has answered `initialize`; undefined when it is not running. */
  ready(): Promise<LanguageClient | undefined>;
  readonly lastStatus: ServerStatus | undefined;
}

let session: ClientSession | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('citekeys', { log: true });
  const statusBar = new IndexStatusBar(citekeysLanguages);
  // The server keeps the search indexes of large bibliographies here between sessions (safe to delete).
  const cacheDirectory = vscode.Uri.joinPath(context.globalStorageUri, 'index-cache').fsPath;
  session = new ClientSession(context.asAbsolutePath('dist/server.js'), output, statusBar, cacheDirectory);
  const current = session;
  context.subscriptions.push(
    output,
    statusBar,
    vscode.commands.registerCommand('citekeys.restartServer', () => current.restart()),
    vscode.commands.registerCommand('citekeys.insertCitation', () => insertCitation(current)),
    vscode.commands.registerCommand('citekeys.showBibliographies', () => showBibliographies(current)),
    vscode.commands.registerCommand('citekeys.checkWorkspace', () => checkWorkspace(current)),
    vscode.commands.registerCommand('citekeys.extractBibliography', () => extractBibliography(current)),
    vscode.commands.registerCommand('citekeys.showOutput', () => output.show(true)),
    // Used by the server's "Go to other definition" quick fix: `{ uri, range }` with an LSP range.
    vscode.commands.registerCommand('citekeys.openLocation', async (location: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }) => {
      const { start, end } = location.range;
      const selection = new vscode.Range(start.line, start.character, end.line, end.character);
      await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { selection });
    }),
  );
  await current.start();
}

export async function deactivate(): Promise<void> {
  await session?.dispose();
  session = undefined;
}

class ClientSession implements ServerSession {
  client: LanguageClient | undefined;
  lastStatus: ServerStatus | undefined;
  private starting: Promise<void> | undefined;
  private readonly crashes = new CrashPolicy();

  constructor(
    private readonly serverModule: string,
    private readonly output: vscode.LogOutputChannel,
    private readonly statusBar: IndexStatusBar,
    private readonly cacheDirectory: string,
  ) {}

  async start(): Promise<void> {
    const client = new LanguageClient('citekeys', 'citekeys', this.serverOptions(), this.clientOptions());
    this.client = client;
    this.lastStatus = undefined;
    this.statusBar.showStarting();
    client.onNotification(statusNotification, (status: ServerStatus) => {
      this.lastStatus = status;
      this.statusBar.showStatus(status);
    });
    this.starting = client.start().catch((error: unknown) => {
      this.output.error(`the language server failed to start: ${String(error)}`);
      this.statusBar.showStopped();
    });
    await this.starting;
  }

  async ready(): Promise<LanguageClient | undefined> {
    await this.starting;
    return this.client?.isRunning() ? this.client : undefined;
  }

  async restart(): Promise<void> {
    this.crashes.reset();
    await this.dispose();
    await this.start();
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    // A client that never got running cannot be stopped cleanly; disposing it is enough.
    await client?.dispose().catch(() => undefined);
  }

  private serverOptions(): ServerOptions {
    const env = { ...process.env, ...SERVER_ENVIRONMENT };
    const run = { module: this.serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], env } };
    const debug = { ...run, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'], env } };
    return { run, debug };
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: [
        ...citekeysLanguages.flatMap((language) => [
          { scheme: 'file', language },
          { scheme: 'untitled', language },
        ]),
        // The markdown cells of Jupyter notebooks, which the server syncs as notebook documents (LSP 3.17).
        { notebook: 'jupyter-notebook', language: 'markdown' },
      ],
      synchronize: {
        configurationSection: 'citekeys',
        // Bibliographies and Quarto project files (`_quarto.yml` is matched by `*.yml`, so one watcher sees it once).
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.bib,*.bibtex,*.json,*.yaml,*.yml,_quarto.yml}'),
      },
      initializationOptions: { cacheDirectory: this.cacheDirectory },
      outputChannel: this.output,
      errorHandler: this.crashHandler(),
    };
  }

  private crashHandler(): ErrorHandler {
    return {
      error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
      closed: () => {
        const decision = this.crashes.recordCrash();
        if (decision.action === 'restart') {
          this.output.warn(`the language server stopped unexpectedly; restarting it (attempt ${decision.attempt}).`);
          void vscode.window.showWarningMessage('citekeys: the language server stopped unexpectedly and was restarted.');
          return { action: CloseAction.Restart, handled: true };
        }
        this.statusBar.showStopped();
        void this.offerRestart(decision.crashes);
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  private async offerRestart(crashes: number): Promise<void> {
    const choice = await vscode.window.showErrorMessage(
      `citekeys: the language server crashed ${crashes} times in a few minutes, so it was not restarted again. ` +
        'The "citekeys" output shows why.',
      'Restart',
      'Show Output',
    );
    if (choice === 'Restart') await this.restart();
    else if (choice === 'Show Output') this.output.show(true);
  }
}
