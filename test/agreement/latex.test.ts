// Agreement with real LaTeX: the keys pdflatex records (.aux/.bcf) and the citations it reports as undefined
// must match what parseLatexDocument finds, on our fixtures (each must agree) and on every main document of the
// real-world corpus (at least 95% of them must agree, per document).
//
// Intended differences from LaTeX (documents that show one say so with `% agreement:` lines, see below):
// - Brackets inside a note pair up: `\citep[see [1]][p.~2]{a}` cites `a`. LaTeX ends the note at the first
//   `]` and cites `]` (natbib) or garbage; authors mean the brackets to nest, and flagging `]` helps nobody.
// - A note that is one braced group, `\citep[{x]}]{a}`, cites `a`; natbib strips the braces, re-reads the note
//   and cites `]`.
// - `\cite{a ,b}` cites `a` and reports a problem on `a`: natbib and biblatex keep the trailing space and then
//   call `a ` undefined. The key the author meant is `a`; the problem tells them why LaTeX disagrees.
// - A citation inside another's note (`\footcite[see \cite{b}]{a}`) is found. biblatex ignores nested citation
//   commands (with a warning); natbib runs them. The parser cannot know which package a file ends up in.
// - `\addsectionbib{x.bib}` is a bibliography of the document; biblatex uses it only in refsections that ask.
// - Empty slots (`\cite{a,,b}`, `\cite{}`) are reported as empty citations, not as the key ``.
// - Macro parameters (`\cite{#1}` inside `\newcommand`) are not keys; keys that come from expanding a macro
//   (`\cite{\mykey}`) are read as written. User commands count only when named in `extraCiteCommands`.
// - Conditionals are not evaluated: citations inside `\iffalse ... \fi` or unused macro bodies are found.
// - Citations come in text order. LaTeX records an outer command's keys before those of a citation inside its
//   note (`% agreement: order-differs` skips the order check for such documents).
// - `\nocite{*}` is one occurrence of the key `*`; LaTeX records `*` the same way.
// - Keys in braces: `\cite{{a}}` cites `a`, as the kernel and natbib read it; biblatex keeps the braces and looks
//   for `{a}`, and there the parser reports the braced key.
// - Cite commands count whatever packages the document loads: `\citet{a}` without natbib is a citation of `a`
//   (LaTeX stops with "Undefined control sequence"). Commands a file declares with `\DeclareCiteCommand` count.
// - Macros are not expanded: a citation in the argument of a user macro that never runs it (a document printing
//   `\cite{a}` as code through `\detokenize`) is found.
// Corpus documents cannot carry annotations; CORPUS_DIFFERENCES below names theirs. For the corpus, undefined keys
// are the cited keys the .bbl does not define (one LaTeX run); fixtures compare LaTeX's own warnings after all runs.
// `% agreement: latex-only KEY` / `parser-only KEY` in a main file name a difference that document shows;
// `% agreement: cite-commands NAME...` passes extra cite commands to the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  annotationsOf, compare, fixtureRoot, pooled, runLatex, tools, type AgreementDocument, type ExpectedDifferences,
  type LatexOutcome,
} from './latexAgreement';
import { withoutCorpus } from '../unit/helpers/corpus';

const corpusRoot = join(__dirname, '../../../shared/corpus/tex');
/** The done-when line of issue 12: documents of the corpus that agree with LaTeX, per document. */
const CORPUS_TARGET = 0.95;
/** CI has two cores. */
const WORKERS = 2;

/**
 * Corpus documents where citekeys is right and LaTeX's run is not what the author meant; the README's list of
 * intended differences names each kind. Such a document counts as agreeing when the difference is exactly this.
 */
const CORPUS_DIFFERENCES: Record<string, Partial<ExpectedDifferences> & { why: string }> = {
  'biblatex--74-style-verbose-trad1/74-style-verbose-trad1.tex': {
    parserOnly: ['a1', 'b1', 'a2'],
    why: 'citations inside a user macro are found: \\code{\\cite{a1}} prints the command through \\detokenize',
  },
  'vimtex--test-syntax--test-core/test-core.tex': {
    parserOnly: ['bibkey2', 'bibkey3', 'bibkey4'],
    why: 'cite commands count whatever packages are loaded: \\citet without natbib stops LaTeX (undefined control sequence)',
  },
};

function fixtureDocuments(): AgreementDocument[] {
  return readdirSync(fixtureRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(fixtureRoot, entry.name, 'main.tex')))
    .map((entry) => {
      const folder = join(fixtureRoot, entry.name);
      return { name: entry.name, folder, mainFile: 'main.tex', withCommonBib: true, expected: annotationsOf(join(folder, 'main.tex')) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function texFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return texFiles(path);
    return entry.name.endsWith('.tex') ? [path] : [];
  });
}

/** Every main document (a .tex with an uncommented `\documentclass`) in every folder of the corpus. */
function corpusDocuments(): AgreementDocument[] {
  if (!existsSync(corpusRoot)) return [];
  return readdirSync(corpusRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const folder = join(corpusRoot, entry.name);
      return texFiles(folder)
        .filter((file) => /^[^%\n]*\\documentclass\b/m.test(readFileSync(file, 'utf8')))
        .map((file) => relative(folder, file))
        .map((mainFile) => {
          const name = `${entry.name}/${mainFile}`;
          const known = CORPUS_DIFFERENCES[name];
          const expected = known && { latexOnly: [], parserOnly: [], citeCommands: [], orderDiffers: false, ...known };
          return { name, folder, mainFile, withCommonBib: false, expected };
        });
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const fixtures = fixtureDocuments();
const corpus = corpusDocuments();
let outcomes: Map<AgreementDocument, Promise<LatexOutcome>> | undefined;
let started = 0;

/** The folder's files and the main file's name: corpus folders that are copies of each other compile once. */
function contentKey(document: AgreementDocument): string {
  const hash = createHash('sha256').update(document.mainFile);
  for (const file of filesUnder(document.folder).sort()) {
    hash.update(relative(document.folder, file)).update(readFileSync(file));
  }
  return hash.digest('hex');
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(directory, entry.name)) : [join(directory, entry.name)]));
}

/** LaTeX runs on all documents, two at a time, from the first test that needs one; identical copies run once. */
function latexOutcome(document: AgreementDocument): Promise<LatexOutcome> {
  if (!outcomes) {
    started = performance.now();
    const byContent = new Map<string, AgreementDocument>();
    const keyOf = new Map<AgreementDocument, string>();
    for (const each of [...fixtures, ...corpus]) {
      const key = fixtures.includes(each) ? each.name : contentKey(each);
      keyOf.set(each, key);
      if (!byContent.has(key)) byContent.set(key, each);
    }
    const unique = [...byContent.values()];
    const results = pooled(unique, WORKERS, (each) => runLatex(each, fixtures.includes(each)));
    const resultOf = new Map(unique.map((each, n) => [keyOf.get(each)!, results[n]]));
    outcomes = new Map([...keyOf].map(([each, key]) => [each, resultOf.get(key)!]));
  }
  return outcomes.get(document)!;
}

test('there are enough agreement documents, natbib and biblatex, some spanning several files', () => {
  assert.ok(fixtures.length >= 20, `only ${fixtures.length} fixture documents`);
  assert.ok(fixtures.some((document) => document.name.startsWith('natbib-multifile')));
  assert.ok(fixtures.some((document) => document.name.startsWith('biblatex-multifile')));
});

for (const document of fixtures) {
  test(`LaTeX and the parser agree on ${document.name}`, { skip: !tools.pdflatex && 'pdflatex is not installed' }, async (t) => {
    const latex = await latexOutcome(document);
    if (!latex.undefinedKeys) t.diagnostic('bibtex/biber missing: undefined citations not compared');
    const problems = compare(document, latex);
    if (problems.length) assert.fail(`${document.name} (${document.mainFile}):\n  ${problems.join('\n  ')}`);
  });
}

const corpusSkip = withoutCorpus('tex') || (!tools.pdflatex && 'pdflatex is not installed');

test(`LaTeX and the parser agree on at least ${CORPUS_TARGET * 100}% of the corpus documents`, { skip: corpusSkip }, async (t) => {
  const agreeing: string[] = [];
  const disagreeing: string[] = [];
  const notCompiled: string[] = [];
  for (const document of corpus) {
    const latex = await latexOutcome(document);
    if (latex.failure) {
      notCompiled.push(`${document.name}: ${latex.failure}`);
      continue;
    }
    const problems = compare(document, latex);
    if (problems.length) disagreeing.push(`${document.name}:\n    ${problems.join('\n    ')}`);
    else agreeing.push(document.name);
    if (!problems.length && CORPUS_DIFFERENCES[document.name]) {
      t.diagnostic(`agrees but for an intended difference: ${document.name}: ${CORPUS_DIFFERENCES[document.name].why}`);
    }
  }
  const compiled = agreeing.length + disagreeing.length;
  const rate = compiled === 0 ? 1 : agreeing.length / compiled;
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const runs = new Set(corpus.map((document) => outcomes!.get(document))).size;
  t.diagnostic(`corpus: ${agreeing.length} of ${compiled} compiled documents agree (${(rate * 100).toFixed(1)}%); `
    + `${notCompiled.length} do not compile here; ${runs} LaTeX runs for ${corpus.length} documents (copies run once) `
    + `and the fixtures took ${seconds} s`);
  for (const line of notCompiled) t.diagnostic(`not compiled: ${line}`);
  for (const line of disagreeing) t.diagnostic(`disagrees: ${line}`);
  assert.ok(compiled >= corpus.length / 2, `LaTeX could compile only ${compiled} of ${corpus.length} corpus documents`);
  assert.ok(rate >= CORPUS_TARGET, `only ${(rate * 100).toFixed(1)}% of the corpus documents agree:\n${disagreeing.join('\n')}`);
});
