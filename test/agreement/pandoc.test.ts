// Checks that the Markdown citation parser sees the same citation keys as real Pandoc (`pandoc -f markdown -t json`)
// on our tricky fixtures (test/fixtures/markdown/) and on the real documents of ../shared/corpus/md/ (skipped without it).
//
// Intended differences from Pandoc (the README quotes this list):
// - `@{}` (an empty braced key) is a citation of "" for Pandoc; we report it as an empty citation instead, so a
//   diagnostic can point at it. Pandoc's empty ids are dropped before comparing.
// - Cross-references (`@fig-plot`, `@sec:intro`, ...) are `Cite` nodes for Pandoc but not citations for us; both
//   sides drop keys with the configured crossref prefixes before comparing.
// - Citations inside YAML metadata values other than `nocite:` (e.g. `title: "After @doe"`) are Pandoc metadata,
//   not document text; only the document body (`blocks`) is compared. `nocite:` keys are ours with kind 'nocite'.
// - Pandoc moves footnote text to the footnote reference and table captions before the table; for documents with
//   footnote definitions or table captions only the multiset of keys is compared, not their order.
// - A knitr/Quarto chunk header with options (```` ```{r setup, echo=FALSE} ````) opens a code chunk for us. Pandoc
//   alone reads such a line as text (it takes one word or valid attributes only), but knitr/Quarto execute the
//   chunks before Pandoc runs; so the test rewrites such headers to ```` ```{r} ```` before calling Pandoc.
// - Raw LaTeX commands swallow only their `[...]` and `{...}` arguments. Pandoc's LaTeX reader knows which commands
//   take arguments and may take an unbraced next token (`\emph @a` hides `@`); such input is rare in real documents
//   (random-input fuzzing against Pandoc finds only this kind of difference).
// - Documents that Pandoc refuses to read (e.g. malformed YAML metadata, which is fatal for Pandoc) are skipped;
//   we read what we can and report a problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parseMarkdownDocument } from '../../server/src/syntax/citations/markdown';
import { withoutCorpus } from '../unit/helpers/corpus';

const CROSSREF_PREFIXES = ['fig-', 'tbl-', 'sec-', 'eq-', 'lst-', 'thm-', 'lem-', 'cor-', 'prp-', 'cnj-', 'def-', 'exm-',
  'exr-', 'sol-', 'rem-', 'fig:', 'sec:', 'tbl:', 'eq:', 'lst:'];
const FIXTURES = join(__dirname, '..', 'fixtures', 'markdown');
const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'md');
const PANDOC_TIMEOUT_MS = 20_000;

const pandocAvailable = spawnSync('pandoc', ['--version']).status === 0;

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return /\.(md|qmd|rmd)$/i.test(name) ? [path] : [];
  });
}

const isCrossref = (key: string): boolean => CROSSREF_PREFIXES.some((prefix) => key.startsWith(prefix));

/** Citation ids of a Pandoc JSON AST's body, in reading order (prefix, id, suffix for each citation). */
function pandocCitationIds(json: string): string[] {
  const ids: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const element = node as { t?: string; c?: unknown };
    if (element.t === 'Cite') {
      const [citations] = element.c as [{ citationId: string; citationPrefix: unknown; citationSuffix: unknown }[]];
      for (const citation of citations) {
        walk(citation.citationPrefix);
        ids.push(citation.citationId);
        walk(citation.citationSuffix);
      }
      return;
    }
    Object.values(node).forEach(walk);
  };
  walk((JSON.parse(json) as { blocks: unknown }).blocks);
  return ids.filter((id) => id !== '' && !isCrossref(id));
}

/** What knitr leaves of chunk headers: ```` ```{r label, echo=FALSE} ```` becomes ```` ```{r} ````. */
function withPlainChunkHeaders(text: string): string {
  return text.replace(/^([ \t>]*(?:`{3,}|~{3,})[ \t]*)\{([A-Za-z0-9_]+)[ ,][^{}\n]*\}[ \t]*$/gm, '$1{$2}');
}

function runPandoc(path: string): Promise<{ ok: true; json: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const child = spawn('pandoc', ['-f', 'markdown', '-t', 'json']);
    child.stdin.end(withPlainChunkHeaders(readFileSync(path, 'utf8')));
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill(), PANDOC_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? { ok: true, json: stdout } : { ok: false, error: stderr.trim() || `exit ${code}` });
    });
  });
}

async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Order is not comparable where Pandoc moves text: footnote definitions and table captions. */
function orderIsComparable(text: string): boolean {
  return !/^ {0,3}\[\^[^\]]+\]:/m.test(text) && !/^ {0,3}(?:Table)?:[ \t]/m.test(text);
}

interface Mismatch {
  file: string;
  pandoc: string[];
  ours: string[];
}

async function compare(files: string[]): Promise<{ mismatches: Mismatch[]; skipped: string[] }> {
  const mismatches: Mismatch[] = [];
  const skipped: string[] = [];
  const results = await inParallel(files, Math.max(2, cpus().length), runPandoc);
  files.forEach((file, i) => {
    const result = results[i];
    const name = relative(join(__dirname, '..', '..'), file);
    if (!result.ok) {
      skipped.push(`${name}: ${result.error.split('\n')[0]}`);
      return;
    }
    const text = readFileSync(file, 'utf8');
    const pandoc = pandocCitationIds(result.json);
    const ours = parseMarkdownDocument(text, { crossrefPrefixes: CROSSREF_PREFIXES })
      .citations.filter((c) => c.kind === 'citation')
      .map((c) => c.key);
    const same = orderIsComparable(text)
      ? JSON.stringify(pandoc) === JSON.stringify(ours)
      : JSON.stringify([...pandoc].sort()) === JSON.stringify([...ours].sort());
    if (!same) mismatches.push({ file: name, pandoc, ours });
  });
  return { mismatches, skipped };
}

function report(mismatches: Mismatch[]): string {
  return mismatches
    .map((m) => `${m.file}\n  pandoc: ${JSON.stringify(m.pandoc)}\n  ours:   ${JSON.stringify(m.ours)}`)
    .join('\n');
}

test('our fixtures yield the citation keys Pandoc reads', { skip: !pandocAvailable && 'pandoc is not installed', timeout: 60_000 }, async () => {
  const files = markdownFiles(FIXTURES);
  assert.ok(files.length >= 30, `expected 30+ fixtures, found ${files.length}`);
  const { mismatches, skipped } = await compare(files);
  assert.deepEqual(skipped, [], 'Pandoc should read every fixture');
  assert.equal(mismatches.length, 0, `citation keys differ from Pandoc's:\n${report(mismatches)}`);
});

test(
  'real documents of the corpus yield the citation keys Pandoc reads',
  { skip: (!pandocAvailable && 'pandoc is not installed') || withoutCorpus('md'), timeout: 240_000 },
  async (t) => {
    const files = markdownFiles(CORPUS);
    const { mismatches, skipped } = await compare(files);
    if (skipped.length > 0) t.diagnostic(`Pandoc could not read ${skipped.length} documents:\n${skipped.join('\n')}`);
    assert.equal(mismatches.length, 0, `citation keys differ from Pandoc's:\n${report(mismatches)}`);
  },
);
