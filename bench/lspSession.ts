// The server benchmark's LSP session: the protocol tests' client (test/protocol/lspClient.ts), plus the server
// process's memory from /proc and an optional CPU profile of the server.
import * as path from 'node:path';
import { InitializedNotification, InitializeRequest } from 'vscode-languageserver-protocol/node';
import { LspTestClient, uriOf } from '../test/protocol/lspClient';
import { readVmHwm, readVmRss } from './measure';

export { uriOf };

export class LspSession extends LspTestClient {
  /**
   * `plain`: started as a bare `citekeys-ls` (another editor, a shell), without the flags and environment VS Code gives.
   * `env` adds to the server's environment (`CITEKEYS_CACHE_DIR`: its index cache; else a fresh empty one).
   */
  constructor(plain = false, env: NodeJS.ProcessEnv = {}) {
    // CITEKEYS_BENCH_PROFILE=DIR runs the server under `node --cpu-prof`, writing a .cpuprofile into DIR at exit.
    const profileDir = process.env.CITEKEYS_BENCH_PROFILE;
    // CITEKEYS_BENCH_SERVER=PATH/dist/server.js measures another build (an A/B across commits), and
    // CITEKEYS_BENCH_PLAIN=1 starts every server bare (as VS Code started it before the launch flags existed).
    const server = process.env.CITEKEYS_BENCH_SERVER ? path.resolve(process.env.CITEKEYS_BENCH_SERVER) : undefined;
    super(env, profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [], plain || process.env.CITEKEYS_BENCH_PLAIN ? 'plain' : 'vscode', server);
  }

  memory(): { rssBytes?: number; peakRssBytes?: number } {
    return { rssBytes: readVmRss(this.pid), peakRssBytes: readVmHwm(this.pid) };
  }

  /** Initializes like an editor without snippet support, answering the server's own requests. */
  override async initialize(folder: string): Promise<void> {
    await this.request(InitializeRequest.method, {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: path.basename(folder) }],
      capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: false } } } },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }
}
