// A real JSON-RPC client for protocol tests and the server benchmark: starts dist/server.js over stdio and speaks LSP.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from '../../server/src/serverLaunch';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
  InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification, PublishDiagnosticsNotification,
  DidChangeTextDocumentNotification, CodeActionRequest, type CodeAction, type Diagnostic, type PublishDiagnosticsParams, type ClientCapabilities, type Range, ShutdownRequest,
  ExitNotification,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve('dist/server.js');

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** The keys of the `undefined-citation` diagnostics in a publication (from each diagnostic's data). */
export function undefinedKeys(published: PublishDiagnosticsParams): string[] {
  return published.diagnostics.filter((d) => d.code === 'undefined-citation').map((d) => (d.data as { key: string }).key);
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  protected readonly process: ChildProcess;
  private readonly versions = new Map<string, number>();
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly diagnosticWaiters: { uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  private readonly notificationWaiters: { method: string; predicate: (params: unknown) => boolean; resolve: (params: unknown) => void }[] = [];
  stderr = '';

  /**
   * `nodeArgs` go to node before the server script (e.g. `--cpu-prof`). The server is started as the VS Code client
   * starts it, with its Node flags and environment, or `plain`, as a bare `citekeys-ls` from a shell. Its index cache
   * is a fresh empty folder unless `env` names one (`CITEKEYS_CACHE_DIR`): a test never writes into the real one.
   * `server` is the script to start (the bench's A/B runs another commit's build).
   */
  constructor(env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = [], launch: 'vscode' | 'plain' = 'vscode', server = SERVER) {
    const vscode = launch === 'vscode';
    if (!env.CITEKEYS_CACHE_DIR) this.ownCacheDir = mkdtempSync(path.join(tmpdir(), 'citekeys-cache-'));
    this.process = spawn(process.execPath, [...(vscode ? SERVER_NODE_FLAGS : []), ...nodeArgs, server, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...(vscode ? SERVER_ENVIRONMENT : {}), CITEKEYS_CACHE_DIR: this.ownCacheDir, ...env },
    });
    this.process.stderr?.on('data', (chunk) => {
      if (this.stderr.length < 20_000) this.stderr += String(chunk);
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      for (const waiter of [...this.diagnosticWaiters]) {
        if (waiter.uri === params.uri && waiter.predicate(params)) {
          this.diagnosticWaiters.splice(this.diagnosticWaiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    for (const method of ['citekeys/status', '$/progress', 'window/logMessage', 'window/showMessage']) {
      this.connection.onNotification(method, (params: object) => {
        this.notifications.push({ method, params });
        for (const waiter of [...this.notificationWaiters]) {
          if (waiter.method === method && waiter.predicate(params)) {
            this.notificationWaiters.splice(this.notificationWaiters.indexOf(waiter), 1);
            waiter.resolve(params);
          }
        }
      });
    }
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  settings: unknown = {};

  /** The fresh index cache folder made for this server (deleted when it stops), unless the caller named one. */
  private readonly ownCacheDir: string | undefined;

  async initialize(folder: string, capabilities: ClientCapabilities = {}): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: path.basename(folder) }],
      capabilities: { workspace: { configuration: true }, ...capabilities },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Sends a request; rejects after `timeoutMs` so a stuck feature cannot hang the caller. */
  request<T>(method: string, params: unknown, timeoutMs = 120_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      this.connection.sendRequest(method, params).then(
        (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** An incremental change: replace `range` with `text` (the version counts up from the open). */
  async change(uri: string, range: Range, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** The next diagnostics for `uri` satisfying `predicate`, ignoring those already published (register before the change). */
  nextDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 120_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${path.basename(uri)} within ${timeoutMs / 1000} s`)), timeoutMs);
      this.diagnosticWaiters.push({ uri, predicate, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  /** The next notification of `method` (status, progress, log) whose params satisfy `predicate`. */
  nextNotification<T>(method: string, predicate: (params: T) => boolean, timeoutMs = 120_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching ${method} within ${timeoutMs / 1000} s`)), timeoutMs);
      this.notificationWaiters.push({ method, predicate: (params) => predicate(params as T), resolve: (params) => { clearTimeout(timer); resolve(params as T); } });
    });
  }

  /** The code actions the server offers for one diagnostic, at its range. */
  codeActionsFor(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    return this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    }) as Promise<CodeAction[]>;
  }

  async open(file: string, languageId: string, text = readFileSync(file, 'utf8')): Promise<string> {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Resolves with the next diagnostics published for `uri` that satisfy `predicate` (or the current ones if they do). */
  waitForDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const current = this.diagnostics.get(uri);
    if (current && predicate(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.diagnosticWaiters.push({ uri, predicate, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  async stop(): Promise<void> {
    try {
      await this.request(ShutdownRequest.method, undefined, 5000);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // gone already, or stuck: killed below
    }
    const exited = new Promise<void>((resolve) => (this.process.exitCode !== null || this.process.signalCode !== null ? resolve() : this.process.once('exit', () => resolve())));
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
    if (this.ownCacheDir) rmSync(this.ownCacheDir, { recursive: true, force: true });
  }
}
