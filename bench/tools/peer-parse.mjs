// Child process for the index benchmark: parses one bibliography with a peer parser (or the regex key scan)
// and prints {parseMs, entries} as JSON; usage: node peer-parse.mjs <peer> FILE.
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [peer, file] = process.argv.slice(2);

/** Each peer: load its module (not timed), then a parse function returning the number of entries read. */
const PEERS = {
  // The lower bound: keys only, no fields, no positions. Prints the keys like a CLI would.
  'regex-scan': async () => (text) => {
    const keys = [];
    for (const match of text.matchAll(/@\w+\s*\{\s*([^,\s]+)\s*,/g)) keys.push(match[1]);
    writeSync(1, keys.join('\n') + '\n');
    return keys.length;
  },
  // Lower bounds for CSL inputs: a plain JSON.parse and the yaml package's parse, no positions.
  'json-parse': async () => (text) => JSON.parse(text).length,
  'yaml-parse': async () => {
    const { parse } = require('yaml');
    return (text) => parse(text, { maxAliasCount: -1 }).references.length;
  },
  'citation-js': async () => {
    const { Cite } = require('@citation-js/core');
    require('@citation-js/plugin-bibtex');
    require('@citation-js/plugin-csl');
    return (text) => new Cite(text).data.length;
  },
  '@retorquere/bibtex-parser': async () => {
    const { parse } = await import('@retorquere/bibtex-parser');
    return (text) => parse(text).entries.length;
  },
  'latex-utensils': async () => {
    const { bibtexParser } = require('latex-utensils');
    return (text) => bibtexParser.parse(text).content.filter((node) => 'internalKey' in node).length;
  },
  'biblatex-csl-converter': async () => {
    const { BibLatexParser } = require('biblatex-csl-converter');
    return (text) => Object.keys(new BibLatexParser(text, { processUnexpected: true, processUnknown: true }).parse().entries).length;
  },
};

const load = PEERS[peer];
if (!load) {
  process.stderr.write(`peer-parse: unknown peer ${peer} (known: ${Object.keys(PEERS).join(', ')})\n`);
  process.exit(2);
}
const parse = await load();
const text = readFileSync(file, 'utf8');
const started = performance.now();
const entries = parse(text);
const parseMs = performance.now() - started;
process.stderr.write(JSON.stringify({ parseMs, entries }) + '\n');
