// The packaged extension: `npm run package` produces a .vsix holding exactly the bundles, grammars, icon, manifest
// and docs, and every file the manifest points at is inside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingForPackaging, skipUnlessAvailable } from './support/tools';
import { packageRoot, packageVsix, zipEntryNames } from './support/vsix';

// vsce lower-cases the readme and changelog names and adds .txt to LICENSE.
const expectedFiles = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/media/icon.png',
  'extension/dist/client.js',
  'extension/dist/client.js.map',
  'extension/dist/formatWorker.js',
  'extension/dist/formatWorker.js.map',
  'extension/dist/THIRD-PARTY-NOTICES.txt',
  'extension/dist/server.js',
  'extension/dist/server.js.map',
  'extension/syntaxes/bibtex.language-configuration.json',
  'extension/syntaxes/bibtex.tmLanguage.json',
  'extension/syntaxes/citekeys.citations.injection.json',
];

test('the vsix holds only the bundles, grammars, icon, manifest and docs', { skip: skipUnlessAvailable(missingForPackaging()), timeout: 240_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'citekeys-vsix-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = zipEntryNames(packageVsix(join(dir, 'citekeys.vsix')));
  assert.deepEqual([...files].sort(), [...expectedFiles].sort());

  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
  const pointedAt = [
    manifest.main,
    manifest.icon,
    ...(manifest.contributes?.grammars ?? []).map((grammar: { path: string }) => grammar.path),
    ...(manifest.contributes?.languages ?? []).flatMap((language: { configuration?: string }) => language.configuration ?? []),
  ].map((path: string) => `extension/${path.replace(/^\.\//, '')}`);
  assert.ok(pointedAt.length >= 5, `the manifest names main, icon, two grammars and a language configuration: ${pointedAt}`);
  for (const path of pointedAt) assert.ok(files.includes(path), `${path} is named in package.json but missing from the vsix`);
});
