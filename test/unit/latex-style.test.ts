// The CSL style a LaTeX document's hover uses: the bibliography style the document names (biblatex `style=`,
// `\bibliographystyle{…}`), the nearest CSL style to it, `citekeys.style` overriding it, and the hover's style line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLatexDocument } from '../../server/src/syntax/citations/latex';
import { nearestCslStyle } from '../../server/src/bibliography/latexStyles';
import { provideHover } from '../../server/src/features/hover';
import type { Settings } from '../../server/src/config/settings';
import { fixture } from './helpers/fixture';

const styleOf = (tex: string): unknown => parseLatexDocument(tex, { extraCiteCommands: [] }).latexBibliographyStyle;

test('the LaTeX parser reads the bibliography style a document names', () => {
  assert.deepEqual(styleOf('\\usepackage[backend=biber, style=apa]{biblatex}'), { via: 'biblatex', name: 'apa' });
  assert.deepEqual(styleOf('\\usepackage[citestyle=authoryear, bibstyle=authoryear-comp,style=numeric]{biblatex}'), { via: 'biblatex', name: 'authoryear-comp' });
  assert.deepEqual(styleOf('\\usepackage{biblatex}'), { via: 'biblatex', name: 'numeric' }, "biblatex's own default");
  assert.deepEqual(styleOf('\\usepackage{natbib}\n\\bibliographystyle{plainnat}\n\\bibliography{refs}'), { via: 'bibtex', name: 'plainnat' });
  assert.equal(styleOf('\\documentclass{article}\n\\cite{a}'), undefined);
});

test('each LaTeX style maps to the CSL style family nearest it', () => {
  const first = (via: 'biblatex' | 'bibtex', name: string): string | undefined => {
    const candidate = nearestCslStyle({ via, name })?.candidates[0];
    return candidate && ('file' in candidate ? candidate.file : candidate.builtIn);
  };
  assert.equal(first('biblatex', 'apa'), 'apa');
  assert.equal(first('biblatex', 'authoryear'), 'chicago-author-date.csl');
  assert.equal(first('biblatex', 'authoryear-icomp'), 'chicago-author-date.csl');
  assert.equal(first('biblatex', 'numeric-comp'), 'ieee.csl');
  assert.equal(first('bibtex', 'plainnat'), 'chicago-author-date.csl');
  assert.equal(first('bibtex', 'apalike'), 'apa');
  assert.equal(first('bibtex', 'IEEEtran'), 'ieee.csl');
  assert.equal(first('bibtex', 'mycustom'), undefined);
  const last = nearestCslStyle({ via: 'biblatex', name: 'authoryear' })?.candidates.at(-1);
  assert.deepEqual(last, { builtIn: 'harvard1', title: 'Harvard' }, 'a built-in closes every list, so one is always there');
});

const REFS = '%! refs.bib\n@book{doe2020, author = {Doe, Jane}, title = {A book}, date = {2020}, publisher = {Pub}}\n';

async function hoverLines(tex: string, settings: Partial<Settings> = {}): Promise<string[]> {
  const f = fixture(`%! paper.tex\n${tex}\n${REFS}`, settings);
  const result = await provideHover(f.workspace, f.file, f.offset, () => false);
  return (result?.markdown ?? '').split('\n\n');
}

test('hover in a LaTeX document uses the style the document names, and says which', async () => {
  const apa = await hoverLines('\\usepackage[style=apa]{biblatex}\n\\addbibresource{refs.bib}\n\\cite{doe2020|}');
  assert.equal(apa[0], 'Doe, J. (2020). *A book*. Pub.');
  assert.ok(apa.includes('*APA style (from biblatex style=apa)*'), apa.join(' | '));
  // No style file is installed in the in-memory workspace: the built-in of the same family is used, and said so.
  const authorYear = await hoverLines('\\usepackage{natbib}\n\\cite{doe2020|}\n\\bibliographystyle{plainnat}\n\\bibliography{refs}');
  assert.match(authorYear[0], /^Doe, J\. \(2020\)/);
  assert.ok(authorYear.includes('*Harvard style (nearest to \\\\bibliographystyle{plainnat}; Chicago author-date is not installed)*'), authorYear.join(' | '));
  const numeric = await hoverLines('\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n\\cite{doe2020|}');
  assert.match(numeric[0], /^1\\\. Doe J\./);
  assert.ok(numeric.some((line) => line.startsWith('*Vancouver style (nearest to biblatex style=numeric')), numeric.join(' | '));
});

test('citekeys.style set to anything but its default overrides the document\'s style, and the hover says so', async () => {
  const lines = await hoverLines('\\usepackage[style=apa]{biblatex}\n\\addbibresource{refs.bib}\n\\cite{doe2020|}', { style: 'vancouver' });
  assert.match(lines[0], /^1\\\. Doe J\./);
  assert.ok(lines.includes('*Vancouver style (citekeys.style)*'), lines.join(' | '));
});

test('a chapter without a bibliography style of its own uses its root\'s', async () => {
  const f = fixture(`%! main.tex\n\\documentclass{article}\n\\usepackage[style=apa]{biblatex}\n\\addbibresource{refs.bib}\n\\begin{document}\n\\input{chapter}\n\\end{document}\n%! chapter.tex\nSee \\cite{doe2020|}.\n${REFS}`);
  const result = await provideHover(f.workspace, f.file, f.offset, () => false);
  assert.ok(result?.markdown.includes('*APA style (from biblatex style=apa)*'), result?.markdown);
});

test('a Markdown document\'s hover has no style line', async () => {
  const f = fixture(`%! paper.md\n---\nbibliography: refs.bib\n---\n[@doe2020|]\n${REFS}`);
  const result = await provideHover(f.workspace, f.file, f.offset, () => false);
  assert.doesNotMatch(result?.markdown ?? '', /style \(/);
});
