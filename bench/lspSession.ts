// A minimal LSP client for the server benchmark: starts dist/server.js over stdio, sends requests with a
// time limit, tracks published diagnostics, and reads the server process's memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
  InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification, ShutdownRequest, ExitNotification, type PublishDiagnosticsParams, type Range,
} from 'vscode-languageserver-protocol/node';
import { readVmHwm, readVmRss } from './measure';

export const uriOf = (file: string): string => pathToFileURL(file).href;

export class LspSession {
  private readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  private readonly versions = new Map<string, number>();
  private readonly diagnosticWaiters: { uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  stderr = '';

  constructor(serverScript = path.resolve('dist/server.js')) {
    // CITEKEYS_BENCH_PROFILE=DIR runs the server under `node --cpu-prof`, writing a .cpuprofile into DIR at exit.
    const profileDir = process.env.CITEKEYS_BENCH_PROFILE;
    const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    this.child = spawn(process.execPath, [...nodeArgs, serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr?.on('data', (chunk) => {
      if (this.stderr.length < 20_000) this.stderr += String(chunk);
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      for (const waiter of [...this.diagnosticWaiters]) {
        if (waiter.uri === params.uri && waiter.predicate(params)) {
          this.diagnosticWaiters.splice(this.diagnosticWaiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  memory(): { rssBytes?: number; peakRssBytes?: number } {
    return { rssBytes: readVmRss(this.child.pid), peakRssBytes: readVmHwm(this.child.pid) };
  }

  async initialize(folder: string): Promise<void> {
    await this.request(InitializeRequest.method, {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: path.basename(folder) }],
      capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: false } } } },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /** Sends a request; rejects after `timeoutMs` so a stuck feature cannot hang the benchmark. */
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

  async open(file: string, languageId: string, text: string): Promise<string> {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** An incremental change: replace `range` with `text`. */
  async change(uri: string, range: Range, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** The next diagnostics for `uri` satisfying `predicate` (registered before the change that causes them). */
  nextDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 120_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${path.basename(uri)} within ${timeoutMs / 1000} s`)), timeoutMs);
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
    const exited = new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}
