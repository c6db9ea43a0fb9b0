// Runs the extension-host suite (suite/index.ts) in a downloaded VS Code with @vscode/test-electron, on a copy of
// examples/. Needs network access to download VS Code; test/editor/vscode-electron.test.ts calls this when allowed.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repoRoot = resolve(__dirname, '../..');
  const scratch = mkdtempSync(join(tmpdir(), 'citekeys-vscode-'));
  try {
    const workspace = join(scratch, 'examples');
    cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    // The extension host loads plain JavaScript: bundle the suite with `vscode` left to the host.
    const suite = join(scratch, 'suite.js');
    await build({ entryPoints: [join(__dirname, 'suite/index.ts')], outfile: suite, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] });
    const status = await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { CITEKEYS_TEST_WORKSPACE: workspace },
    });
    process.exitCode = status;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
