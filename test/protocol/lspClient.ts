// A real JSON-RPC client for protocol tests: starts dist/server.js over stdio and speaks LSP to it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
  InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification, PublishDiagnosticsNotification,
  type PublishDiagnosticsParams, type ClientCapabilities, ShutdownRequest, ExitNotification,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve('dist/server.js');

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcess;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly diagnosticWaiters: { uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  stderr = '';

  constructor(env: NodeJS.ProcessEnv = {}) {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.process.stderr?.on('data', (chunk) => (this.stderr += String(chunk)));
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
      });
    }
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  settings: unknown = {};

  async initialize(folder: string, capabilities: ClientCapabilities = {}): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: path.basename(folder) }],
      capabilities: { workspace: { configuration: true }, ...capabilities },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  async open(file: string, languageId: string, text = readFileSync(file, 'utf8')): Promise<string> {
    const uri = uriOf(file);
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
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // the process may be gone already
    }
    this.connection.dispose();
    this.process.kill();
  }
}
