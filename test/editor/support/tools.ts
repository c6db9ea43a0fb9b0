// Finds the tools the real-editor tests drive (Node 24 + code-server + vsce from scripts/editor-tools.sh, Debian's
// chromium, Neovim, Emacs + eglot) and why a test must be skipped; under CI=true a missing tool fails, not skips.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

export const repoRoot = resolve(__dirname, '../../..');
export const toolsDir = process.env.CITEKEYS_TOOLS ?? join(homedir(), '.cache', 'citekeys-tools');
export const node24 = join(toolsDir, 'node_modules/node/bin/node');
export const codeServerBin = join(toolsDir, 'node_modules/.bin/code-server');
export const vsceBin = join(toolsDir, 'node_modules/.bin/vsce');
export const chromiumBin = process.env.CITEKEYS_CHROMIUM ?? '/usr/bin/chromium';
export const inCI = process.env.CI === 'true';
/** Screenshots and logs of the editor tests (gitignored). */
export const artifactsDir = join(repoRoot, 'test/.artifacts');

const setupHint = 'run scripts/editor-tools.sh to install it';

export function missingForPackaging(): string | undefined {
  if (!existsSync(node24)) return `Node 24 is not in ${toolsDir} (${setupHint})`;
  if (!existsSync(vsceBin)) return `vsce is not in ${toolsDir} (${setupHint})`;
  return undefined;
}

export function missingForCodeServer(): string | undefined {
  const packaging = missingForPackaging();
  if (packaging) return packaging;
  if (!existsSync(codeServerBin)) return `code-server is not in ${toolsDir} (${setupHint})`;
  if (!existsSync(chromiumBin)) return `Chromium is not at ${chromiumBin} (${setupHint}, or apt-get install chromium)`;
  if (!resolvePlaywright()) return 'playwright-core is not installed (npm install --no-save playwright-core)';
  return undefined;
}

export function missingNeovim(): string | undefined {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'nvim is not installed (apt-get install neovim)';
  const version = /NVIM v(\d+)\.(\d+)/.exec(probe.stdout);
  if (!version || Number(version[1]) === 0 && Number(version[2]) < 7) return `nvim ${version?.[0] ?? '?'} is older than 0.7`;
  return undefined;
}

/** Debian's site folder of Emacs packages (elpa-eglot, elpa-markdown-mode). */
export const debianElpa = '/usr/share/emacs/site-lisp/elpa';

export function missingEmacs(): string | undefined {
  const probe = spawnSync('emacs', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'emacs is not installed (apt-get install emacs-nox elpa-eglot elpa-markdown-mode)';
  const major = Number(/GNU Emacs (\d+)/.exec(probe.stdout)?.[1] ?? 0);
  const packages = existsSync(debianElpa) ? readdirSync(debianElpa) : [];
  const has = (name: string): boolean => packages.some((folder) => folder.startsWith(`${name}-`));
  if (major < 29 && !has('eglot')) return `eglot is not in ${debianElpa} (apt-get install elpa-eglot)`;
  if (!has('markdown-mode')) return `markdown-mode is not in ${debianElpa} (apt-get install elpa-markdown-mode)`;
  return undefined;
}

export function missingServerBundle(): string | undefined {
  return existsSync(join(repoRoot, 'dist/server.js')) ? undefined : 'dist/server.js is missing (npm run build)';
}

/**
 * The `skip` option for a test: a reason string when something is missing (printed, so a skipped run says why),
 * false when the test can run. Under CI=true nothing is skipped: the test runs and fails on the missing tool.
 */
export function skipUnlessAvailable(...reasons: (string | undefined)[]): string | false {
  const reason = reasons.find((r) => r !== undefined);
  if (!reason) return false;
  if (inCI) return false;
  console.log(`# skipped: ${reason}`);
  return reason;
}

/** playwright-core from the repo's node_modules (a devDependency) or, failing that, from the tools folder. */
export function resolvePlaywright(): string | undefined {
  for (const base of [join(repoRoot, 'package.json'), join(toolsDir, 'package.json')]) {
    try {
      return createRequire(base).resolve('playwright-core');
    } catch {
      // try the next place
    }
  }
  return undefined;
}
