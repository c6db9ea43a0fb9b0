// Child process for the editor benchmark: loads dist/client.js with a stand-in `vscode` module and prints how
// long evaluating the bundle took (the part of activation that does not depend on VS Code itself).
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);

/** Every property is another stand-in, callable and constructible, so module-level code can run. */
function standIn() {
  const target = function () {};
  return new Proxy(target, {
    get: (t, key) => (key === 'prototype' ? t.prototype : key === Symbol.toPrimitive ? () => '' : standIn()),
    apply: () => standIn(),
    construct: () => standIn(),
  });
}
const vscode = standIn();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const started = performance.now();
const extension = require(path.resolve(process.argv[2] ?? 'dist/client.js'));
const loadMs = performance.now() - started;
process.stderr.write(JSON.stringify({ loadMs, exportsActivate: typeof extension.activate === 'function' }) + '\n');
