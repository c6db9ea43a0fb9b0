// Bundles the entry points: the VS Code client, the language server (and its formatting worker) and the CLI
// (Node 20, CommonJS, sourcemaps).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeThirdPartyNotices } from './scripts/third-party-notices.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * A digest of the server's sources: the index cache is keyed by it too, so a cache file written by other code (same
 * version number, changed word rules) is never read.
 */
function sourceDigest(folder) {
  const hash = createHash('sha1');
  const files = readdirSync(folder, { recursive: true }).filter((name) => name.endsWith('.ts')).sort();
  for (const name of files) hash.update(`${name}\0`).update(readFileSync(join(folder, name))).update('\0');
  return hash.digest('hex').slice(0, 12);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
  define: { CITEKEYS_VERSION: JSON.stringify(version), CITEKEYS_BUILD: JSON.stringify(sourceDigest('server/src')) },
};

const results = await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'], minify: true }),
  esbuild.build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // citation-js in a worker thread of the server (see server/src/lsp/workerFormatEngine.ts).
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/formatWorker.ts'], outfile: 'dist/formatWorker.js' }),
]);

// The bundles drop legal comments; the licences of what they contain travel in one notices file instead.
writeThirdPartyNotices(results.map((result) => result.metafile), 'dist/THIRD-PARTY-NOTICES.txt');
