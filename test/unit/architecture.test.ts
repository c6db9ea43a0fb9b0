// Keeps the architecture true: dependencies point one way, only workspace/ does I/O, only lsp/ knows the connection,
// every source file says what it is for, the README's code map lists every folder, and tests need nothing beside the
// clone but the real-world corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve('server/src');
const LAYERS = ['util', 'syntax', 'bibliography', 'workspace', 'features', 'lsp'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function layerOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0];
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
}

test('layers import only from layers below them (util ← syntax ← bibliography ← workspace ← features ← lsp)', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const layer = layerOf(file);
    const rank = LAYERS.indexOf(layer);
    if (rank < 0) continue;
    for (const spec of imports(file)) {
      if (!spec.startsWith('.')) continue;
      const target = layerOf(path.resolve(path.dirname(file), spec));
      const targetRank = LAYERS.indexOf(target);
      if (target === 'config') continue;
      if (targetRank > rank) violations.push(`${path.relative(SRC, file)} imports ${spec} (${target} is above ${layer})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('only workspace/ touches the file system and only lsp/ touches the connection', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const layer = layerOf(file);
    for (const spec of imports(file)) {
      if (/^(node:)?fs(\/promises)?$/.test(spec) && layer !== 'workspace') violations.push(`${path.relative(SRC, file)} imports ${spec}`);
      if (spec.startsWith('vscode-languageserver') && !['lsp', 'main.ts'].includes(layer)) violations.push(`${path.relative(SRC, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('every source file starts with a comment saying what it is for', () => {
  const roots = ['server/src', 'client/src'].map((d) => path.resolve(d));
  const missing = roots.flatMap(sourceFiles).filter((file) => !readFileSync(file, 'utf8').startsWith('//'));
  assert.deepEqual(missing.map((f) => path.relative(process.cwd(), f)), []);
});

test('the README code map lists every folder of the code', () => {
  const readme = readFileSync('README.md', 'utf8');
  const folders = ['client', 'server', 'syntaxes', 'test', 'examples', 'bench'];
  for (const dir of readdirSync(SRC)) if (statSync(path.join(SRC, dir)).isDirectory()) folders.push(`server/src/${dir}`);
  const missing = folders.filter((folder) => !readme.includes(`\`${folder}/\``));
  assert.deepEqual(missing, []);
});

test('tests and benchmarks read nothing beside the clone but the real-world corpus', () => {
  // A fresh clone has no ../shared: the fixtures are in examples/, the generator is bench/makeBib.ts. Only tests
  // that compare with ../shared/corpus may reach outside, and they skip without it (test/unit/helpers/corpus.ts).
  const files = ['test', 'bench'].flatMap((dir) => allFiles(path.resolve(dir))).filter((file) => /\.(ts|mjs|js)$/.test(file));
  const outside = /shared\/(?!corpus\b)[\w.-]+\/|'shared',\s*'(?!corpus')/;
  const offenders = files.filter((file) => file !== path.resolve('test/unit/architecture.test.ts'))
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').map((line, i) => ({ file, line, i })))
    .filter(({ line }) => /\.\.\/shared|'shared',/.test(line) && outside.test(line) && !line.includes('%! '))
    .map(({ file, line, i }) => `${path.relative(process.cwd(), file)}:${i + 1}: ${line.trim()}`);
  assert.deepEqual(offenders, []);
});

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === '.data' || name === '.artifacts') return [];
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}
