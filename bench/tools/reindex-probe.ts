// Child process for the server benchmark: a one-entry edit of a large .bib handled in process, split into what the
// editor sync costs (a new UTF-16 string of the whole text) and what re-indexing costs (re-scan of the edited
// entries, definitions, key map and line index taken over, search with the borrowed index). Prints JSON on stderr.
import { readFileSync } from 'node:fs';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { prepareSearchIndex, searchIndexOf } from '../../server/src/bibliography/searchIndex';
import { SyncedDocument } from '../../server/src/lsp/syncedDocument';

async function main(): Promise<void> {
  const file = process.argv[2];
  const text = readFileSync(file, 'utf8');
  const document = SyncedDocument.create(`file://${file}`, 'bibtex', 1, text);
  let bibliography = BibliographyFile.parse(file, text, 'bibtex', 1);
  await prepareSearchIndex(bibliography, async () => undefined);
  bibliography.lineIndex();
  bibliography.definitions('');
  const syncRuns: number[] = [];
  const reindexRuns: number[] = [];
  for (let i = 0; i < 7; i++) {
    const entry = bibliography.entries[Math.floor(((i + 1) * bibliography.entries.length) / 9)];
    const at = document.positionAt(entry.keyRange.end);
    let started = performance.now();
    SyncedDocument.update(document, [{ range: { start: at, end: at }, text: `zq${i}` }], i + 2);
    const newText = document.getText();
    newText.charCodeAt(newText.length >> 1); // the whole new string exists now
    syncRuns.push(performance.now() - started);
    started = performance.now();
    bibliography = BibliographyFile.reparse(bibliography, newText, i + 2);
    const renamed = `${entry.key}zq${i}`;
    const found = searchIndexOf(bibliography).search(renamed, 100).hits.some((hit) => hit.entry.key === renamed);
    bibliography.lineIndex().positionAt(entry.range.start);
    reindexRuns.push(performance.now() - started);
    if (!found || !bibliography.hasKey(renamed)) throw new Error(`the edited key ${renamed} is not found after re-indexing`);
  }
  process.stderr.write(JSON.stringify({ entries: bibliography.entries.length, syncRuns, reindexRuns }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`reindex-probe: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
