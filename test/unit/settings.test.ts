// Settings are a contract: what the manifest declares is what the server reads and what the README documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/config/settings';
import { RULES } from '../../server/src/features/rules';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const properties: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;

/** The nested object VS Code sends for the `citekeys` section, built from dotted names. */
function section(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const parts = name.replace(/^citekeys\./, '').split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

test('the manifest defaults read back as the server defaults', () => {
  const defaults = Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, p.default]));
  assert.deepEqual(readSettings(section(defaults)), DEFAULT_SETTINGS);
});

test('every declared setting changes what the server reads', () => {
  const changed: Record<string, unknown> = {
    'citekeys.bibliographies': ['refs/*.bib'],
    'citekeys.libraries': ['~/Zotero/library.bib'],
    'citekeys.style': 'vancouver',
    'citekeys.diagnostics.levels': { 'undefined-citation': 'error' },
    'citekeys.markdown.crossrefPrefixes': ['fig:'],
    'citekeys.markdown.flavor': 'myst',
    'citekeys.latex.citeCommands': ['mycite'],
    'citekeys.completion.limit': 50,
    'citekeys.maxFileSizeMB': 10,
    'citekeys.allowOutsideWorkspace': true,
    'citekeys.zotero.enabled': false,
    'citekeys.zotero.url': 'http://127.0.0.1:23120',
    'citekeys.indexCache': false,
  };
  assert.deepEqual(Object.keys(changed).sort(), Object.keys(properties).sort(), 'this test names every declared setting');
  const read = readSettings(section(changed));
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof typeof DEFAULT_SETTINGS)[]) {
    assert.notDeepEqual(read[key], DEFAULT_SETTINGS[key], `${key} follows its setting`);
  }
});

test('junk settings fall back to defaults instead of breaking the server', () => {
  const read = readSettings({ style: 42, completion: { limit: 'many' }, diagnostics: { levels: { 'undefined-citation': 'loud' } }, bibliographies: 'x', zotero: { enabled: 'no', url: 'ftp://x' } });
  assert.deepEqual(read, DEFAULT_SETTINGS);
});

test('the README documents every setting and every diagnostic code', () => {
  const readme = readFileSync('README.md', 'utf8');
  for (const name of Object.keys(properties)) assert.ok(readme.includes(`\`${name}\``), name);
  for (const code of Object.keys(RULES)) assert.ok(readme.includes(`\`${code}\``), code);
});

test('the Zotero URL loses its trailing slash, and one that is not http falls back to the loopback default', () => {
  assert.equal(readSettings({ zotero: { url: ' http://localhost:23119/ ' } }).zoteroUrl, 'http://localhost:23119');
  assert.equal(readSettings({ zotero: { url: 'file:///etc/passwd' } }).zoteroUrl, 'http://127.0.0.1:23119');
});
