// The cite command table: every command of every package cites its keys in the parser, and completion finds the key
// position in the same commands (and in no others), so the two can never disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { latexKeyAt } from '../../server/src/syntax/citations/keyAtCursor';
import { parseLatexDocument } from '../../server/src/syntax/citations/latex';
import { CITE_COMMANDS_BY_PACKAGE, citeCommands, type CiteCommand } from '../../server/src/syntax/citations/latexCiteCommands';

/** The keys the parser finds, each checked against the text its range covers. */
function keys(text: string, extraCiteCommands: string[] = []): string[] {
  return parseLatexDocument(text, { extraCiteCommands }).citations.map((citation) => {
    assert.equal(text.slice(citation.range.start, citation.range.end), citation.key, `range of ${citation.key} in ${text}`);
    return citation.key;
  });
}

/** What completion sees with the cursor at `|`: the query and the text its range covers. */
function completing(source: string, extraCiteCommands: string[] = []): { query: string; replaces: string } | undefined {
  const offset = source.indexOf('|');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const found = latexKeyAt(text, offset, extraCiteCommands);
  return found && { query: found.query, replaces: text.slice(found.range.start, found.range.end) };
}

/** A use of the command with every argument its shape allows; the keys are `a` and `x`, `|` after the `x`. */
function sample(name: string, command: CiteCommand): string {
  const prefix = command.prefix ? '<e.g.,>' : '';
  switch (command.shape) {
    case 'single': return `\\${name}${prefix}[see][p.~2]{a, x|}`;
    case 'pair': return `\\${name}[p. 5]{a}{x|}`;
    case 'volume': return `\\${name}[see]{3}[12]{a,x|}`;
    case 'multi': return `\\${name}(all)(of them)[see]{a}[p.~2]{x|}`;
    case 'multivolume': return `\\${name}(all)(of them)[see]{3}[12]{a}{4}{x|}`;
    case 'extra': return `\\${name}[see]{a,x|}`;
  }
}

test('every command of the table cites its keys, and completion finds the key being typed in it', () => {
  const table = citeCommands(['mycite']);
  assert.ok(table.size > 140, `only ${table.size} commands`);
  for (const [name, command] of table) {
    const source = sample(name, command);
    const text = source.replace('|', '');
    assert.deepEqual(keys(text, ['mycite']), ['a', 'x'], text);
    const kinds = parseLatexDocument(text, { extraCiteCommands: ['mycite'] }).citations.map((citation) => citation.kind);
    assert.deepEqual(kinds, [command.kind, command.kind]);
    assert.deepEqual(completing(source, ['mycite']), { query: 'x', replaces: 'x' }, source);
    const starred = source.replace(`\\${name}`, `\\${name}*`);
    assert.deepEqual(keys(starred.replace('|', ''), ['mycite']), ['a', 'x'], starred);
    assert.deepEqual(completing(starred, ['mycite']), { query: 'x', replaces: 'x' }, starred);
  }
});

test('no command name has two shapes in the table', () => {
  const shapes = new Map<string, string>();
  for (const group of CITE_COMMANDS_BY_PACKAGE) {
    for (const name of group.names) {
      assert.match(name, /^[A-Za-z]+$/);
      assert.equal(shapes.get(name) ?? group.shape, group.shape, `\\${name} is '${shapes.get(name)}' and '${group.shape}'`);
      shapes.set(name, group.shape);
    }
  }
});

test('each package\'s commands cite their keys as the package documents them', () => {
  const samples: Array<[string, string[]]> = [
    // natbib
    [String.raw`\citet[chap.~2]{a} \citep*[see][]{b} \Citealp{c} \citeyearpar{d} \citenum{e} \citetalias{f}`, ['a', 'b', 'c', 'd', 'e', 'f']],
    // biblatex
    [String.raw`\Parencite*{a} \footcitetext{b} \citetitle*{c} \fullcite{d} \footfullcite{e} \nocite{*}`, ['a', 'b', 'c', 'd', 'e', '*']],
    [String.raw`\textcites(see)()[p.~1]{a}[]{b} \Autocites{c}{d} \volcite[see]{2}[45]{e} \pvolcites(cf.)(){1}{f}[3]{2}[9]{g}`, ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
    // apacite, with its <prefix>
    [String.raw`\cite<e.g.,>[p.~11]{a,b} \citeA{c} \citeNP<see>{d} \shortcite{e} \fullcite{f} \citeyearNP{g} \citeauthorNP{h}`, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']],
    // harvard, whose \cite** takes two stars
    [String.raw`\citeasnoun{a} \possessivecite[p.~3]{b} \citename{c} \citeaffixed{d}{see} \cite**{e}`, ['a', 'b', 'c', 'd', 'e']],
    // chicago
    [String.raw`\citeN{a} \citeNP[p.~2]{b} \shortciteA{c} \citeyearNP{d}`, ['a', 'b', 'c', 'd']],
    // jurabib
    [String.raw`\footcite[p.~2]{a} \citetitleonly{b} \footcitetitle{c} \footciteyear{d}`, ['a', 'b', 'c', 'd']],
    // cite, overcite
    [String.raw`\citen{a} \citenum{b} \citeonline{c}`, ['a', 'b', 'c']],
    // achemso, through mciteplus: `*key` merges the key into the one before
    [String.raw`\cite{a,*b} \citenum{c}`, ['a', 'b', 'c']],
    // abntex2cite
    [String.raw`\citeonline[p.~2]{a} \citeauthoronline{b} \apud[p.~5]{c}{d} \apudonline{e}{f}`, ['a', 'b', 'c', 'd', 'e', 'f']],
  ];
  for (const [text, expected] of samples) assert.deepEqual(keys(text), expected, text);
});

test('completion finds the key after an apacite <prefix> and after multicite (pre)(post) notes', () => {
  const key = { query: 'gere', replaces: 'gere' };
  assert.deepEqual(completing(String.raw`\cite<e.g.,>[p.~11]{a,gere|}`), key);
  assert.deepEqual(completing(String.raw`\citeA<see>{gere|}`), key);
  assert.deepEqual(completing(String.raw`\parencites(see)(and)[p.~1]{a}[]{gere|}`), key);
  assert.deepEqual(completing(String.raw`\pvolcites(cf.)(){1}{a}{2}{gere|}`), key);
  assert.deepEqual(completing(String.raw`\apud{a}{gere|}`), key);
});

test('completion stays out of arguments the parser does not read as keys', () => {
  assert.equal(completing(String.raw`\cite{a}{gere|}`), undefined);
  assert.equal(completing(String.raw`\citep(see){gere|}`), undefined);
  assert.equal(completing(String.raw`\citep<see>{gere|}`), undefined);
  assert.equal(completing(String.raw`\volcite{3}{4}{gere|}`), undefined);
  assert.equal(completing(String.raw`\textbf{{gere|}}`), undefined);
  assert.equal(completing(String.raw`\citations{gere|}`), undefined);
  assert.deepEqual(keys(String.raw`\cite{a}{gere} \citep(see){b} \textbf{{c}} \citations{d}`), ['a']);
});

test('keys written in braces are read as LaTeX reads them, with ranges on the key text', () => {
  assert.deepEqual(keys(String.raw`\cite{{a},b} \citep[p.~2]{ {c}, d} \cite{{e,f}}`), ['a', 'b', 'c', 'd', 'e', 'f']);
  const key = { query: 'gere', replaces: 'gere' };
  assert.deepEqual(completing(String.raw`\cite{{gere|}}`), key);
  assert.deepEqual(completing(String.raw`\cite{{a}, {gere|}, b}`), key);
  assert.deepEqual(completing(String.raw`\cite{{a},gere|}`), key);
});

test('biblatex keeps the braces, so a braced key there is reported', () => {
  const withBiblatex = parseLatexDocument(String.raw`\usepackage{biblatex}\cite{{a},b}`, { extraCiteCommands: [] });
  assert.deepEqual(withBiblatex.problems.map((problem) => problem.message), [
    'biblatex keeps the braces around `a` and will look for a key with braces: remove them.',
  ]);
  assert.deepEqual(parseLatexDocument(String.raw`\usepackage{natbib}\cite{{a},b}`, { extraCiteCommands: [] }).problems, []);
});

test('the settings\' extra cite commands count in the parser and in completion alike', () => {
  assert.deepEqual(keys(String.raw`\keylist{a} \keylist*[x]{b}{c}`, ['\\keylist*']), ['a', 'c']);
  assert.deepEqual(keys(String.raw`\keylist{a}`), []);
  assert.deepEqual(completing(String.raw`\keylist{gere|}`, ['\\keylist*']), { query: 'gere', replaces: 'gere' });
  assert.equal(completing(String.raw`\keylist{gere|}`), undefined);
  // A built-in command named there keeps its own shape.
  assert.deepEqual(keys(String.raw`\citeyear{a}{b}`, ['citeyear']), ['a']);
});

test('a command the document declares with \\DeclareCiteCommand cites its keys', () => {
  const text = String.raw`\DeclareCiteCommand{\citeurn}{}{}{}{} \DeclareMultiCiteCommand{\citeurns}{\citeurn}{}
\citeurn[p.~2]{a} \citeurns{b}{c}`;
  assert.deepEqual(keys(text), ['a', 'b', 'c']);
});

test('the highlighting grammar starts a citation at every command of the table', () => {
  const grammar = JSON.parse(readFileSync(join(__dirname, '../../syntaxes/citekeys.citations.injection.json'), 'utf8')) as {
    repository: Record<string, { begin: string }>;
  };
  const begin = new RegExp(`^${grammar.repository['latex-citation'].begin}`);
  for (const [name, command] of citeCommands()) {
    const written = sample(name, command).replace('|', '');
    assert.equal(begin.exec(written)?.[1], `\\${name}`, written);
    assert.equal(begin.exec(written.replace(name, `${name}**`))?.[1], `\\${name}`);
  }
});

test('the packages of the table that work through BibTeX make the document a BibTeX one', () => {
  for (const name of ['natbib', 'cite', 'overcite', 'apacite', 'chicago', 'harvard', 'jurabib', 'abntex2cite', 'achemso']) {
    assert.equal(parseLatexDocument(`\\usepackage{${name}}`, { extraCiteCommands: [] }).backend, 'bibtex', name);
  }
});
