// Issue 15's soak run, a working day compressed: 5,000 edits to a note and an open 10k-entry .bib, with completions,
// hovers and saves between them. Does RSS stay within 1.2× of what it was after 100 edits, and requests as fast?
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DidSaveTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { DATA, syntheticBib } from './corpora';
import { LspSession } from './lspSession';
import { median } from './measure';
import { formatBytes, formatMs, renderTable } from './table';
import type { TargetCheck } from './targets';
import { keysOf } from './workspaces';

export interface SoakResult {
  edits: number;
  completions: number;
  hovers: number;
  saves: number;
  /** Server RSS after the first 100 edits (and their requests) and at the end, each read after a one-second pause. */
  rssEarlyBytes?: number;
  rssEndBytes?: number;
  peakRssBytes?: number;
  /** Medians of the first and the last `window` requests of each kind. */
  window: number;
  completionFirstMs: number;
  completionLastMs: number;
  hoverFirstMs: number;
  hoverLastMs: number;
  wallMs: number;
}

interface CompletionList {
  isIncomplete?: boolean;
  items: { label: string }[];
}

const EARLY_EDITS = 100;
/** Typed lines the note keeps. */
const NOTE_LINES = 40;

/** A scratch copy of the n-entry corpus with an empty note beside it (the runs edit and save both). */
function soakFolder(entries: number): { folder: string; bib: string; note: string } {
  const folder = path.join(DATA, `soak-${entries / 1000}k`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const bib = path.join(folder, 'refs.bib');
  copyFileSync(syntheticBib(entries), bib);
  const note = path.join(folder, 'notes.md');
  writeFileSync(note, '---\nbibliography: refs.bib\n---\n# Notes\n\n');
  return { folder, bib, note };
}

export async function runSoak(options: { entries: number; edits: number }): Promise<SoakResult> {
  const { folder, bib, note } = soakFolder(options.entries);
  const keys = keysOf(bib);
  const bibLines = readFileSync(bib, 'utf8').split('\n');
  // Title values to edit: the line and the column of the first letter, whose case an edit flips (lengths stay).
  const titles: { line: number; character: number }[] = [];
  bibLines.forEach((line, i) => {
    const m = /^\s+title\s*=\s*\{+(?=[A-Za-z])/.exec(line);
    if (m) titles.push({ line: i, character: m[0].length });
  });
  const noteLines = readFileSync(note, 'utf8').split('\n');
  const session = new LspSession();
  const result: SoakResult = {
    edits: 0, completions: 0, hovers: 0, saves: 0, window: 0, completionFirstMs: NaN, completionLastMs: NaN, hoverFirstMs: NaN, hoverLastMs: NaN, wallMs: 0,
  };
  const completionMs: number[] = [];
  const hoverMs: number[] = [];
  const started = performance.now();
  try {
    await session.initialize(folder);
    const noteUri = await session.open(note, 'markdown', noteLines.join('\n'));
    const bibUri = await session.open(bib, 'bibtex', bibLines.join('\n'));
    // A user's pause: the server collects the dead texts of an edited .bib then (lsp/memoryKeeper.ts). Without one,
    // RSS at an instant is wherever V8's collection cycle happens to be (a sawtooth of hundreds of MB here).
    const settledRss = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return session.memory().rssBytes;
    };
    const counted = async () => {
      result.edits++;
      if (result.edits === EARLY_EDITS) result.rssEarlyBytes = await settledRss();
      // CITEKEYS_BENCH_SERIES=1 prints the settled RSS every 500 edits, to tell steady growth from a plateau.
      else if (process.env.CITEKEYS_BENCH_SERIES && result.edits % 500 === 0) process.stderr.write(`${result.edits}: ${((await settledRss()) ?? 0) >> 20} MB\n`);
    };
    const edit = async (uri: string, lines: string[], line: number, start: number, end: number, text: string) => {
      await session.change(uri, { start: { line, character: start }, end: { line, character: end } }, text);
      const parts = (lines[line].slice(0, start) + text + lines[line].slice(end)).split('\n');
      lines.splice(line, 1, ...parts);
      await counted();
    };
    const complete = async (line: number, character: number) => {
      const t = performance.now();
      await session.request<CompletionList | null>('textDocument/completion', { textDocument: { uri: noteUri }, position: { line, character } });
      completionMs.push(performance.now() - t);
      result.completions++;
    };
    const save = async () => {
      writeFileSync(note, noteLines.join('\n'));
      writeFileSync(bib, bibLines.join('\n'));
      await session.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: noteUri } });
      await session.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: bibUri } });
      result.saves++;
    };
    // Wait until the server knows the last key: the run measures a warm server, not its start.
    const last = keys[keys.length - 1];
    const probeLine = noteLines.length - 1;
    await edit(noteUri, noteLines, probeLine, 0, 0, `[@${last}`);
    for (let attempt = 0; attempt < 3000; attempt++) {
      const answer = await session.request<CompletionList | null>('textDocument/completion', { textDocument: { uri: noteUri }, position: { line: probeLine, character: 2 + last.length } });
      if (answer && !answer.isIncomplete && answer.items.some((item) => item.label === last)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await edit(noteUri, noteLines, probeLine, 0, 2 + last.length, '');
    completionMs.length = 0;
    result.completions = 0;

    let added = 0;
    const firstTyped = noteLines.length - 1;
    for (let cycle = 0; result.edits < options.edits; cycle++) {
      // The note: `See [@` and three letters typed one by one (each completed), then the whole key, a hover, a new line.
      const key = keys[(cycle * 7919) % keys.length];
      const line = noteLines.length - 1;
      await edit(noteUri, noteLines, line, 0, 0, 'See [@');
      await complete(line, 6);
      for (let i = 0; i < 3 && i < key.length; i++) {
        await edit(noteUri, noteLines, line, 6 + i, 6 + i, key[i]);
        await complete(line, 7 + i);
      }
      await edit(noteUri, noteLines, line, 6, 6 + Math.min(3, key.length), `${key}] for the details.`);
      const t = performance.now();
      await session.request<unknown>('textDocument/hover', { textDocument: { uri: noteUri }, position: { line, character: 7 } });
      hoverMs.push(performance.now() - t);
      result.hovers++;
      await edit(noteUri, noteLines, line, noteLines[line].length, noteLines[line].length, '\n');
      // Older lines are deleted as new ones come, so the note keeps its size and first and last requests compare.
      if (noteLines.length > firstTyped + NOTE_LINES) {
        await session.change(noteUri, { start: { line: firstTyped, character: 0 }, end: { line: firstTyped + 1, character: 0 } }, '');
        noteLines.splice(firstTyped, 1);
        await counted();
      }
      // The .bib: a title's first letter flips case (twice a cycle); every tenth cycle a new entry at the end.
      for (let i = 0; i < 2; i++) {
        const title = titles[(cycle * 2 + i) * 104729 % titles.length];
        const letter = bibLines[title.line][title.character];
        const flipped = letter === letter.toUpperCase() ? letter.toLowerCase() : letter.toUpperCase();
        await edit(bibUri, bibLines, title.line, title.character, title.character + 1, flipped);
      }
      if (cycle % 10 === 9) {
        const end = bibLines.length - 1;
        await edit(bibUri, bibLines, end, bibLines[end].length, bibLines[end].length, `\n@misc{soak${++added},\n  title = {Soak entry ${added}},\n  year = {2024}\n}\n`);
      }
      if (cycle % 25 === 24) await save();
    }
    result.peakRssBytes = session.memory().peakRssBytes;
    result.rssEndBytes = await settledRss();
  } finally {
    await session.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  result.wallMs = performance.now() - started;
  result.window = Math.min(300, Math.floor(completionMs.length / 3));
  const hoverWindow = Math.max(1, Math.floor(result.window / 4));
  result.completionFirstMs = median(completionMs.slice(0, result.window));
  result.completionLastMs = median(completionMs.slice(-result.window));
  result.hoverFirstMs = median(hoverMs.slice(0, hoverWindow));
  result.hoverLastMs = median(hoverMs.slice(-hoverWindow));
  return result;
}

export function renderSoak(r: SoakResult, entries: number): string {
  const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : '–');
  const hoverWindow = Math.max(1, Math.floor(r.window / 4));
  return renderTable(['measure', 'value', 'note'], [
    ['edits / completions / hovers / saves', `${r.edits} / ${r.completions} / ${r.hovers} / ${r.saves}`, `notes.md and the open ${entries / 1000}k refs.bib, ${formatMs(r.wallMs)} in all`],
    [`server RSS after the first ${EARLY_EDITS} edits → at the end (each after a 1 s pause)`, `${formatBytes(r.rssEarlyBytes)} → ${formatBytes(r.rssEndBytes)}`, ratio(r.rssEndBytes, r.rssEarlyBytes)],
    ['server peak RSS (VmHWM) over the run', formatBytes(r.peakRssBytes), 'edits back to back: dead texts wait for V8'],
    [`completion median, first → last ${r.window}`, `${formatMs(r.completionFirstMs)} → ${formatMs(r.completionLastMs)}`, ratio(r.completionLastMs, r.completionFirstMs)],
    [`hover median, first → last ${hoverWindow}`, `${formatMs(r.hoverFirstMs)} → ${formatMs(r.hoverLastMs)}`, ratio(r.hoverLastMs, r.hoverFirstMs)],
  ]);
}

/** RSS within 1.2× of the early figure; the last requests' medians within 1.2× of the first (the machine's noise). */
export function soakTargets(r: SoakResult): TargetCheck[] {
  const within = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && a <= 1.2 * b;
  const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : 'not measured');
  return [
    { target: `issue 15 soak: RSS after ${r.edits} edits ≤ 1.2× RSS after the first ${EARLY_EDITS}`, measured: ratio(r.rssEndBytes, r.rssEarlyBytes), met: within(r.rssEndBytes, r.rssEarlyBytes) },
    { target: 'issue 15 soak: last completions no slower than the first (medians, ≤ 1.2×)', measured: ratio(r.completionLastMs, r.completionFirstMs), met: within(r.completionLastMs, r.completionFirstMs) },
    { target: 'issue 15 soak: last hovers no slower than the first (medians, ≤ 1.2×)', measured: ratio(r.hoverLastMs, r.hoverFirstMs), met: within(r.hoverLastMs, r.hoverFirstMs) },
  ];
}
