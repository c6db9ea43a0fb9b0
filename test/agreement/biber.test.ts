// Checks that names and titles with LaTeX accents and special letters decode as biber decodes them: biber's tool mode
// (`biber --tool --output-format=bibtex --output-encoding=UTF-8`) writes each name as `von Last, Jr, First` in
// Unicode, which we split again and compare with our own reading of the raw BibTeX. Skipped when biber is missing.
//
// Intended differences from biber (the README quotes this list):
// - An accent on a dotless i (`\'\i`) is the accented i (í) for us; biber keeps the dotless ı with a combining mark.
// - `\t{oo}` is the tie accent, U+0361 between the two letters (o͡o); biber puts U+0311 before them.
// - `\|` is not an accent for us (it is the norm bar of math far more often in a bibliography), and `\SS` (capital
//   sharp s, printed SS) is a letter for us; biber's table has neither.
// - A tie in a name (`Mar\'{\i}a P\'erez~Garc\'{\i}a`) separates words as in BibTeX (family García); biber keeps the
//   tied words together (family Pérez García).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { fieldsOf } from '../../server/src/syntax/bibtex/fields';
import { latexToUnicode } from '../../server/src/bibliography/latexText';
import { parseBibtexNames, type PersonName } from '../../server/src/bibliography/names';
import { ACCENT_COMMANDS, LETTER_COMMANDS } from '../../server/src/util/latexCommands';

const biberAvailable = spawnSync('biber', ['--version']).status === 0;

/** Raw words "Ab…cd" with every accent (braced, in a group, bare) and every special letter biber knows. */
function words(): string[] {
  const out: string[] = [];
  for (const command of ACCENT_COMMANDS.keys()) {
    if (command === 't') continue; // see the intended differences
    const isWord = /^[a-zA-Z]+$/.test(command);
    out.push(`Ab\\${command}{e}cd`, `Ab{\\${command}${isWord ? ' ' : ''}e}cd`, isWord ? `Ab\\${command} ecd` : `Ab\\${command}ecd`);
  }
  for (const command of LETTER_COMMANDS.keys()) {
    if (command !== 'SS') out.push(`Ab{\\${command}}cd`, `Ab\\${command}{}cd`, `Ab\\${command} cd`);
  }
  out.push("R\\'\\i o", "R\\'{\\i}o", "{\\'\\i}o", 'Ha\\"{\\i}ti', "N\\'{u}\\~{n}ez", "N{\\'u}{\\~n}ez", 'Ca\\~nones');
  return out;
}

/** The name lists we compare: each word as a family name in both name forms, and names whose case is decided by an accent. */
function nameLists(): string[] {
  return [
    ...words().map((word) => `Jean ${word} and ${word}, Ann and Ann ${word} Smith`),
    "Anna \\v{S}koda Nov\\'ak and Jean \\'{e}t Smith and Hans \\\"{u}ber Alles and Jean Gar\\c con",
    "K. \\AA ngstr\\\"om and Jens \\O stergaard and \\o{}rsted, H. and Jos\\'e N\\'{u}\\~{n}ez and Mar\\'{\\i}a P\\'erez-Garc\\'{\\i}a",
  ];
}

/** Dotless i + combining marks (biber's `\'\i`) as the accented i, then NFC. */
const comparable = (text: string): string => text.normalize('NFD').replace(/ı(?=\p{M})/gu, 'i').normalize('NFC');

function comparableNames(names: PersonName[]): PersonName[] {
  return names.map((name) => Object.fromEntries(Object.entries(name).map(([part, value]) => [part, typeof value === 'string' ? comparable(value) : value])));
}

test('names and titles with every LaTeX accent and special letter decode as biber decodes them', { skip: !biberAvailable && 'biber is not installed' }, () => {
  const lists = nameLists();
  const titles = words().map((word) => `On ${word} now`);
  const count = Math.max(lists.length, titles.length);
  const bib = Array.from({ length: count }, (_, i) => `@article{e${i},\n  author = {${lists[i % lists.length]}},\n  title = {${titles[i % titles.length]}},\n}\n`).join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'citekeys-biber-'));
  try {
    writeFileSync(join(dir, 'in.bib'), bib);
    const run = spawnSync('biber', ['--tool', '--quiet', '--output-format=bibtex', '--output-encoding=UTF-8', '--output-file=out.bib', 'in.bib'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr || run.stdout);
    const out = BibliographyFile.parse(join(dir, 'out.bib'), readFileSync(join(dir, 'out.bib'), 'utf8'), 'bibtex');
    const differences: string[] = [];
    for (let i = 0; i < count; i++) {
      const entry = out.definitions(`e${i}`)[0];
      const field = (name: string): string => {
        const found = (entry.bibtex ? fieldsOf(entry.bibtex) : []).find((f) => f.name === name);
        return found ? out.text.slice(found.valueStart + 1, found.valueEnd - 1) : '';
      };
      const theirs = comparableNames(parseBibtexNames(field('author')));
      const ours = comparableNames(parseBibtexNames(lists[i % lists.length]));
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) differences.push(`${lists[i % lists.length]}\n  ours:  ${JSON.stringify(ours)}\n  biber: ${JSON.stringify(theirs)}`);
      const theirTitle = comparable(field('title').replace(/[{}]/g, ''));
      const ourTitle = comparable(latexToUnicode(titles[i % titles.length]));
      if (ourTitle !== theirTitle) differences.push(`${titles[i % titles.length]}\n  ours:  ${ourTitle}\n  biber: ${theirTitle}`);
    }
    assert.deepEqual(differences, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
