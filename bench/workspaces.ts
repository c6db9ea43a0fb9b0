// Generated workspaces for the server benchmark, cached under bench/.data/: a paper over a large .bib with a
// 5,000-line document citing 2,000 times, and a notes workspace of Markdown notes and LaTeX files (~20 citations each).
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DATA, syntheticBib } from './corpora';

/** Keys of a BibTeX file in file order (a bench-side scan; the server does its own). */
export function keysOf(bibFile: string): string[] {
  const text = readFileSync(bibFile, 'utf8');
  return [...text.matchAll(/^@(?!string|comment|preamble)\w+\s*\{\s*([^,\s]+)\s*,/gim)].map((m) => m[1]);
}

/** Deterministic pseudo-random numbers, so every run writes the same files. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    state ^= state >>> 13;
    return (state >>> 0) / 4294967296;
  };
}

const WORDS = 'the results of this study suggest that models trained on larger samples generalise better across regions and time'.split(' ');

function prose(random: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

export interface PaperWorkspace {
  folder: string;
  bib: string;
  paper: string;
  longDocument: string;
  keys: string[];
  /** Citations in the long document, and how many of them cite keys the bibliography lacks. */
  citations: number;
  undefinedCitations: number;
}

/** A folder with refs.bib (the n-entry corpus), paper.md and a 5,000-line long.md citing 2,000 times. */
export function paperWorkspace(entries: number): PaperWorkspace {
  const folder = path.join(DATA, `ws-${entries / 1000}k`);
  const bib = path.join(folder, 'refs.bib');
  const paper = path.join(folder, 'paper.md');
  const longDocument = path.join(folder, 'long.md');
  mkdirSync(folder, { recursive: true });
  if (!existsSync(bib)) copyFileSync(syntheticBib(entries), bib);
  const keys = keysOf(bib);
  writeFileSync(paper, '---\nbibliography: refs.bib\n---\n# Paper\n\nSee [@\n');
  const random = seeded(7);
  const lines = ['---', 'title: A long document', 'bibliography: refs.bib', '---', ''];
  let citations = 0;
  let undefinedCitations = 0;
  const cite = () => {
    citations++;
    if (citations % 100 === 0) {
      undefinedCitations++;
      return `missing${citations}`;
    }
    return keys[Math.floor(random() * keys.length)];
  };
  while (lines.length < 5000) {
    const n = lines.length;
    if (n % 50 === 0) lines.push(`## Section ${n / 50}`);
    else if (citations < 2000 && n % 5 < 2) lines.push(`${prose(random, 8)} [@${cite()}, p. ${n}] ${prose(random, 4)}.`);
    else if (citations < 2000 && n % 5 === 2) lines.push(`As @${cite()} argues, ${prose(random, 6)} [see @${cite()}; @${cite()}].`);
    else lines.push(prose(random, 12) + '.');
  }
  writeFileSync(longDocument, lines.join('\n') + '\n');
  return { folder, bib, paper, longDocument, keys, citations, undefinedCitations };
}

export interface NotesWorkspace {
  folder: string;
  bib: string;
  notes: string[];
  latex: string[];
  keys: string[];
}

/** A vault of `markdownCount` notes and `latexCount` LaTeX files citing a 10k-entry refs.bib, ~20 citations each. */
export function notesWorkspace(markdownCount: number, latexCount: number): NotesWorkspace {
  const folder = path.join(DATA, `ws-notes-${markdownCount}-${latexCount}`);
  const bib = path.join(folder, 'refs.bib');
  const notes = Array.from({ length: markdownCount }, (_, i) => path.join(folder, 'notes', `note-${String(i).padStart(5, '0')}.md`));
  const latex = Array.from({ length: latexCount }, (_, i) => path.join(folder, 'tex', `chapter-${String(i).padStart(4, '0')}.tex`));
  const done = path.join(folder, '.complete');
  if (!existsSync(done)) {
    process.stderr.write(`bench: generating a workspace of ${markdownCount} notes and ${latexCount} LaTeX files\n`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(path.join(folder, 'notes'), { recursive: true });
    mkdirSync(path.join(folder, 'tex'), { recursive: true });
    copyFileSync(syntheticBib(10000), bib);
    const keys = keysOf(bib);
    const random = seeded(11);
    // Skewed choice: a few keys are cited everywhere, most rarely, as in a real vault.
    const pick = () => keys[Math.floor(Math.pow(random(), 3) * keys.length)];
    notes.forEach((file, i) => {
      const body = Array.from({ length: 10 }, () => `${prose(random, 10)} [@${pick()}; @${pick()}].`).join('\n\n');
      writeFileSync(file, `---\ntitle: Note ${i}\nbibliography: ../refs.bib\n---\n\n${body}\n`);
    });
    latex.forEach((file, i) => {
      const body = Array.from({ length: 10 }, () => `${prose(random, 10)} \\cite{${pick()},${pick()}}.`).join('\n\n');
      writeFileSync(file, `\\documentclass{article}\n\\addbibresource{../refs.bib}\n\\begin{document}\n\\section{Chapter ${i}}\n${body}\n\\printbibliography\n\\end{document}\n`);
    });
    writeFileSync(`${done}.partial`, '');
    renameSync(`${done}.partial`, done);
  }
  return { folder, bib, notes, latex, keys: keysOf(bib) };
}

/**
 * Issue 14: a paper whose own refs.bib has 50 entries, with the `entries`-entry corpus as the user's library (outside
 * the folder, named by `citekeys.libraries`). `keys` are the paper's and the library's, in that order.
 */
export function libraryWorkspace(entries: number): PaperWorkspace & { library: string; ownKeys: number } {
  const folder = path.join(DATA, `ws-lib-${entries / 1000}k`);
  const bib = path.join(folder, 'refs.bib');
  const paper = path.join(folder, 'paper.md');
  mkdirSync(folder, { recursive: true });
  if (!existsSync(bib)) copyFileSync(syntheticBib(50), bib);
  const library = syntheticBib(entries);
  const own = keysOf(bib);
  writeFileSync(paper, '---\nbibliography: refs.bib\n---\n# Paper\n\nSee [@\n');
  return { folder, bib, paper, longDocument: paper, keys: [...own, ...keysOf(library)], citations: 0, undefinedCitations: 0, library, ownKeys: own.length };
}
