// Bundles the entry points: the VS Code client, the language server (and its formatting worker) and the CLI
// (Node 20, CommonJS, sourcemaps).
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { writeThirdPartyNotices } from './scripts/third-party-notices.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
  define: { CITEKEYS_VERSION: JSON.stringify(version) },
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
