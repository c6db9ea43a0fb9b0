// Child process for the index benchmark: indexes one bibliography in process with our parser
// (BibliographyFile.parse, which scans BibTeX or reads CSL) and prints timings as JSON on stderr.
import { readFileSync } from 'node:fs';
import { BibliographyFile, bibliographyFormatOf } from '../../server/src/bibliography/bibliographyFile';

const file = process.argv[2];
const format = bibliographyFormatOf(file);
if (!format) {
  process.stderr.write(`ours-index: not a bibliography: ${file}\n`);
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const bibliography = BibliographyFile.parse(file, text, format);
const parseMs = performance.now() - started;
const rssAfter = process.memoryUsage().rss;
// Keep the first index alive while measuring a warm re-parse, as a server holding the old version would.
const warmStarted = performance.now();
const again = BibliographyFile.parse(file, text, format);
const warmMs = performance.now() - warmStarted;
process.stderr.write(JSON.stringify({
  parseMs, warmMs, entries: bibliography.entries.length, problems: bibliography.problems.length,
  heldRssBytes: rssAfter - rssBefore, same: again.entries.length === bibliography.entries.length,
}) + '\n');
