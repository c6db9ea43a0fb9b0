// package.json follows the one list of document languages (server/src/syntax/documentLanguages.ts): activation,
// the commands' `when` clauses and the citation grammar's injection targets. Adding a dialect without updating the
// manifest fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DIALECT_NAMES, DOCUMENT_LANGUAGES, servedLanguageIds } from '../../server/src/syntax/documentLanguages';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

test('the extension activates on every language the server serves, and on no other', () => {
  const events = (manifest.activationEvents as string[]).filter((event) => event.startsWith('onLanguage:'));
  assert.deepEqual(events.map((event) => event.slice('onLanguage:'.length)).sort(), servedLanguageIds().sort());
});

test('the citation grammar is injected into every scope the dialects name', () => {
  const injection = (manifest.contributes.grammars as { scopeName: string; injectTo?: string[] }[]).find((g) => g.scopeName === 'citekeys.citations.injection');
  const scopes = DIALECT_NAMES.flatMap((name) => [...DOCUMENT_LANGUAGES[name].grammarScopes]);
  assert.deepEqual([...(injection?.injectTo ?? [])].sort(), scopes.sort());
});

test('the commands that need a document show for exactly the served languages', () => {
  const documentIds = DIALECT_NAMES.flatMap((name) => [...DOCUMENT_LANGUAGES[name].languageIds]);
  const clauses = [...JSON.stringify(manifest.contributes.menus).matchAll(/editorLangId =~ \/\^\(([^)]*)\)\$\//g)].map((m) => m[1].split('|').sort());
  assert.ok(clauses.length >= 3, 'the menus have language clauses');
  for (const ids of clauses) {
    const served = ids.includes('bibtex') ? servedLanguageIds() : documentIds;
    assert.deepEqual(ids, [...served].sort());
  }
});
