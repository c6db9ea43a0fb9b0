// The real-world corpus beside the clone (../shared/corpus, there in CI, absent in a fresh clone): where it is, and
// the one-line reason a test that compares against it skips when the part it reads is missing.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The corpus folder, read in place and never copied into the repo. */
export const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');

/** A folder or file of the corpus, e.g. `corpusPath('bib')`. */
export function corpusPath(...parts: string[]): string {
  return path.join(CORPUS, ...parts);
}

/** For `test(name, { skip: withoutCorpus('bib') }, ...)`: false when the corpus part is there, else why the test skips. */
export function withoutCorpus(...parts: string[]): string | false {
  const wanted = corpusPath(...parts);
  return existsSync(wanted) ? false : `needs the real-world corpus: ${path.relative(process.cwd(), wanted)} is not there`;
}
