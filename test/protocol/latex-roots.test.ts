// A LaTeX chapter in a subfolder, opened alone in the editor, over stdio: the server finds the root that includes
// it, so completion offers the root's entries and diagnostics flag only keys the root's bibliography lacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CompletionRequest, type CompletionItem, type CompletionList } from 'vscode-languageserver-protocol/node';
import { LspTestClient, undefinedKeys } from './lspClient';

/** The CVPR author kit's layout: main.tex inputs sec/*.tex without extension and holds \bibliography{main}. */
function cvprPaper(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-roots-'));
  mkdirSync(path.join(folder, 'sec'));
  writeFileSync(
    path.join(folder, 'main.tex'),
    '\\documentclass[10pt,twocolumn]{article}\n\\begin{document}\n\\input{sec/0_abstract}\n\\input{sec/1_intro}\n{\\small\\bibliographystyle{ieeenat_fullname}\n\\bibliography{main}}\n\\end{document}\n',
  );
  writeFileSync(path.join(folder, 'sec', '0_abstract.tex'), '\\begin{abstract}\nWe frobnicate.\n\\end{abstract}\n');
  writeFileSync(
    path.join(folder, 'main.bib'),
    '@article{Alpher02, author={A. Alpher}, title={Frobnication}, year={2002}}\n@article{Alpher03, author={A. Alpher and J. Fotheringham-Smythe}, title={Frobnication revisited}, year={2003}}\n@misc{Authors14, author={FirstName LastName}, title={The frobnicatable foo filter}, year={2014}}\n',
  );
  return folder;
}

test('in sec/1_intro.tex, completion lists main.tex’s entries and only the key main.bib lacks is undefined', async () => {
  const folder = cvprPaper();
  const intro = path.join(folder, 'sec', '1_intro.tex');
  const text = 'As in \\cite{Alpher02, Authors14}, and unlike \\cite{Nobody99}, see \\cite{Alph}.\n';
  writeFileSync(intro, text);
  const client = new LspTestClient();
  try {
    await client.initialize(folder);
    const uri = await client.open(intro, 'latex', text);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(undefinedKeys(published).sort(), ['Alph', 'Nobody99']);
    const message = published.diagnostics.find((d) => d.code === 'undefined-citation')?.message;
    assert.doesNotMatch(typeof message === 'string' ? message : message?.value ?? '', /no bibliography/);

    const result = await client.request<CompletionList | CompletionItem[]>(CompletionRequest.method, {
      textDocument: { uri },
      position: { line: 0, character: text.indexOf('Alph}') + 4 },
      context: { triggerKind: 1 },
    });
    const labels = (Array.isArray(result) ? result : result.items).map((item) => item.label);
    assert.ok(labels.includes('Alpher02') && labels.includes('Alpher03'), labels.join(' '));
  } finally {
    await client.stop();
  }
});

test('a chapter beside the book’s folder uses the book’s bibliography, not every .bib of the workspace', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'citekeys-roots-'));
  for (const sub of ['book', 'chapters', 'drafts']) mkdirSync(path.join(folder, sub));
  writeFileSync(path.join(folder, 'book', 'main.tex'), '\\documentclass{book}\n\\usepackage{import}\n\\begin{document}\n\\import{../chapters/}{one}\n\\bibliography{refs}\n\\end{document}\n');
  writeFileSync(path.join(folder, 'book', 'refs.bib'), '@book{knuth84, author={Donald Knuth}, title={The TeXbook}, year={1984}}\n');
  writeFileSync(path.join(folder, 'drafts', 'old.bib'), '@book{lamport86, author={Leslie Lamport}, title={LaTeX}, year={1986}}\n');
  const chapter = path.join(folder, 'chapters', 'one.tex');
  const text = 'See \\cite{knuth84} and \\cite{lamport86}; \\cite{k}.\n';
  writeFileSync(chapter, text);
  const client = new LspTestClient();
  try {
    await client.initialize(folder);
    const uri = await client.open(chapter, 'latex', text);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(undefinedKeys(published).sort(), ['k', 'lamport86'], 'drafts/old.bib is not the book’s');
    const result = await client.request<CompletionList | CompletionItem[]>(CompletionRequest.method, {
      textDocument: { uri },
      position: { line: 0, character: text.indexOf('k}.') + 1 },
      context: { triggerKind: 1 },
    });
    const labels = (Array.isArray(result) ? result : result.items).map((item) => item.label);
    assert.deepEqual(labels, ['knuth84']);
  } finally {
    await client.stop();
  }
});
