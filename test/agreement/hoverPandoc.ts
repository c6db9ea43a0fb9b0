// Renders BibTeX entries with `pandoc --citeproc` (one batched run per sample and style) and with citekeys' hover
// formatting, and compares the two as normalised plain text: the helper of hover-pandoc.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bibtexEntrySourceText } from '../../server/src/bibliography/bibtexSource';
import { formatInput, type StyleSpec } from '../../server/src/bibliography/format';
import { scanBibtex } from '../../server/src/syntax/bibtex/scanner';

/** One entry as both sides read it: its self-contained text (the @strings it uses, then the entry). */
export interface SampleEntry {
  key: string;
  text: string;
}

export interface Comparison {
  key: string;
  pandoc: string;
  ours: string;
}

export interface Agreement {
  total: number;
  agreeing: number;
  differences: Comparison[];
}

export const pandocAvailable = spawnSync('pandoc', ['--version']).status === 0;

/**
 * The entries of a .bib file, every `stride`-th from `offset` (all when stride is 1), at most `limit`. Keys pandoc
 * cannot read as a citation key, repeated keys, and entries written `@type(…)` (Pandoc's reader takes only braces and
 * rejects the whole file), are left out: they test the reader, not the formatting.
 */
export function sampleEntries(path: string, options: { stride?: number; offset?: number; limit?: number } = {}): SampleEntry[] {
  const { stride = 1, offset = 0, limit = Infinity } = options;
  const text = readFileSync(path, 'utf8');
  const file = scanBibtex(text);
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const entry of file.entries) {
    const lower = entry.key.toLowerCase();
    if (seen.has(lower)) repeated.add(lower);
    seen.add(lower);
  }
  const sample: SampleEntry[] = [];
  for (let i = offset; i < file.entries.length && sample.length < limit; i += stride) {
    const entry = file.entries[i];
    if (repeated.has(entry.key.toLowerCase()) || !/^[\w:.#$%&+?<>~/-]+$/.test(entry.key)) continue;
    if (['string', 'preamble', 'comment', 'xdata', 'set'].includes(entry.type.toLowerCase())) continue;
    const source = bibtexEntrySourceText({ text, entry, strings: file.strings });
    if (/(?:^|\n)\s*@\w+\s*\(/.test(source)) continue;
    sample.push({ key: entry.key, text: source });
  }
  return sample;
}

/**
 * Pandoc's bibliography text per key, for all entries in one run: the entries go into one .bib, a document cites
 * them all with `nocite: '@*'`, and each `ref-KEY` div of the JSON output is turned into plain text.
 */
export function renderWithPandoc(entries: SampleEntry[], cslPath: string): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'citekeys-hover-pandoc-'));
  try {
    writeFileSync(join(dir, 'refs.bib'), entries.map((e) => e.text).join('\n\n'));
    writeFileSync(join(dir, 'style.csl'), singleEntryStyle(readFileSync(cslPath, 'utf8')));
    writeFileSync(join(dir, 'paper.md'), `---\nbibliography: refs.bib\ncsl: style.csl\nnocite: '@*'\n---\n`);
    const run = spawnSync('pandoc', ['paper.md', '--citeproc', '-t', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 60_000 });
    if (run.status !== 0) throw new Error(`pandoc failed: ${run.stderr || run.error?.message}`);
    const texts = new Map<string, string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const child of node) walk(child);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const element = node as { t?: string; c?: unknown };
      if (element.t === 'Div') {
        const [[id], blocks] = element.c as [[string], unknown];
        if (id.startsWith('ref-')) {
          texts.set(id.slice(4), plainText(blocks));
          return;
        }
      }
      for (const child of Object.values(node)) walk(child);
    };
    walk((JSON.parse(run.stdout) as { blocks: unknown }).blocks);
    return texts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The style as it behaves for one entry alone, which is what a hover shows: the batch puts many entries in one
 * bibliography, where the style would add year suffixes (2010a) and disambiguating names, and replace a repeated
 * author by "———". Those attributes are removed from Pandoc's copy of the style.
 */
export function singleEntryStyle(xml: string): string {
  return xml.replace(/\s(?:subsequent-author-substitute(?:-rule)?|disambiguate-add-[a-z-]+|givenname-disambiguation-rule)="[^"]*"/g, '');
}

/** Plain text of Pandoc AST inlines, as its plain writer prints them (quotes as curly quotes, links as their text). */
function plainText(node: unknown): string {
  let out = '';
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      out += current;
      continue;
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push(current[i]);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const { t, c } = current as { t: string; c?: unknown };
    if (t === 'Str') out += c as string;
    else if (t === 'Space' || t === 'SoftBreak' || t === 'LineBreak') out += ' ';
    else if (t === 'Quoted') {
      const [kind, inlines] = c as [{ t: string }, unknown];
      const [open, close] = kind.t === 'SingleQuote' ? ['‘', '’'] : ['“', '”'];
      stack.push(close, inlines, open);
    } else if (t === 'Code' || t === 'Math') out += (c as [unknown, string])[1];
    else if (t === 'Link' || t === 'Span' || t === 'Cite') stack.push((c as unknown[])[1]);
    else if (t === 'Note' || t === 'RawInline') continue;
    else if (t === 'Para' || t === 'Plain') stack.push(' ', c);
    else if (t === 'Emph' || t === 'Strong' || t === 'SmallCaps' || t === 'Superscript' || t === 'Subscript' || t === 'Underline'
      || t === 'Strikeout') stack.push(c);
    else if (t === 'Div') stack.push((c as unknown[])[1]);
  }
  return out;
}

/** citekeys' hover text for each entry, formatted in this thread exactly as the formatting worker does it. */
export function renderWithCitekeys(entries: SampleEntry[], style: StyleSpec): Map<string, string> {
  const texts = new Map<string, string>();
  for (const entry of entries) {
    const result = formatInput({ bibtex: entry.text, key: entry.key }, style);
    texts.set(entry.key, 'text' in result ? result.text : `(no reference: ${result.error})`);
  }
  return texts;
}

/**
 * The text both sides are compared as. Each step removes a difference of presentation, not of content:
 * - whitespace runs (no-break spaces included) become one space, ends trimmed: Pandoc's AST and citeproc-js's HTML
 *   space inline markup differently (the markup itself is dropped on both sides, "formatting marks aside");
 * - curly and straight quotes are the same character: citeproc-js and citeproc-hs apply typographic quotes to
 *   different parts of the text (`'` in a title, the quotes a style adds);
 */
export function normalise(text: string): string {
  return text
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .replace(/[“”„]/g, '"')
    .replace(/[‘’‚]/g, "'")
    .trim();
}

export function compareRenderings(entries: SampleEntry[], pandoc: Map<string, string>, ours: Map<string, string>): Agreement {
  const differences: Comparison[] = [];
  let total = 0;
  for (const entry of entries) {
    const theirs = pandoc.get(entry.key);
    if (theirs === undefined) continue; // pandoc's reader skipped it; nothing to compare with
    total++;
    const mine = ours.get(entry.key) ?? '';
    if (normalise(theirs) !== normalise(mine)) differences.push({ key: entry.key, pandoc: normalise(theirs), ours: normalise(mine) });
  }
  return { total, agreeing: total - differences.length, differences };
}

/** Renders a sample both ways in one style and compares. */
export function agreement(entries: SampleEntry[], cslPath: string): Agreement {
  const style: StyleSpec = { name: cslPath, xml: readFileSync(cslPath, 'utf8') };
  return compareRenderings(entries, renderWithPandoc(entries, cslPath), renderWithCitekeys(entries, style));
}

/**
 * What kind of difference one comparison shows, for the report: case only (the engines title-case differently),
 * dashes only (citeproc-js prints number ranges with an en dash), `and others`, or anything else.
 */
export function differenceKind(difference: Comparison): string {
  const { pandoc, ours } = difference;
  if (/\bothers\b/.test(pandoc) && /\bet al\./.test(ours)) return 'and others (pandoc prints "J.others" in APA)';
  if (pandoc.toLowerCase() === ours.toLowerCase()) return 'letter case (title case of the formatting engine)';
  const dashless = (text: string): string => text.replace(/[–-]/g, '-').replace(/(\d+)-(\d+)/g, (_, a: string, b: string) => `${a}-${b.length < a.length ? a.slice(0, a.length - b.length) + b : b}`);
  if (dashless(pandoc) === dashless(ours)) return 'number ranges (en dash, page-range form)';
  if (pandoc.replace(/ /g, '') === ours.replace(/ /g, '')) return 'spacing around punctuation ("In ," for an empty container)';
  if (pandoc.replace(/[.,"]/g, '') === ours.replace(/[.,"]/g, '')) return 'punctuation inside or outside quotes';
  return 'other';
}
