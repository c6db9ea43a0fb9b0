// Runs code-server (VS Code's workbench on localhost) with a fresh profile, the packaged extension installed and a
// workspace folder open; stops it by its process group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { codeServerBin, toolsDir } from './tools';

export interface CodeServer {
  url: string;
  stop(): Promise<void>;
}

const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'editor.hover.delay': 200,
  'editor.acceptSuggestionOnEnter': 'on',
  'files.autoSave': 'off',
  'chat.disableAIFeatures': true,
};

function codeServerEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(toolsDir, 'node_modules/node/bin')}:${process.env.PATH}`,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
  };
}

export function installExtension(vsix: string, home: string): void {
  const result = spawnSync(codeServerBin, ['--install-extension', vsix, '--extensions-dir', join(home, 'extensions'), '--user-data-dir', join(home, 'user-data')], {
    env: codeServerEnv(home),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`code-server --install-extension failed:\n${result.stdout}\n${result.stderr}`);
}

/** `settings`: more user settings for the test (`citekeys.libraries`, …), over the fixed ones. */
export async function startCodeServer(home: string, workspace: string, logFile: string, settings: Record<string, unknown> = {}): Promise<CodeServer> {
  mkdirSync(join(home, 'user-data/User'), { recursive: true });
  writeFileSync(join(home, 'user-data/User/settings.json'), JSON.stringify({ ...userSettings, ...settings }, null, 2));
  const port = await freePort();
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--reconnection-grace-time', '5', '--user-data-dir', join(home, 'user-data'),
    '--extensions-dir', join(home, 'extensions'), workspace,
  ];
  const child = spawn(codeServerBin, args, { env: codeServerEnv(home), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  await waitForPort(port, child, 60_000);
  return { url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, stop: () => stopGroup(child) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls until the port accepts a connection, failing early if code-server exits. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not listen on ${port} within ${timeoutMs} ms`);
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    }, 5_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
