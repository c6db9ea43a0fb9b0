// The likely-duplicate search: grouping by hashes gives the findings plain string grouping gives (generated,
// adversarial and real bibliographies); a large file's search in slices finds the same as in one go, and stops when
// the file it searches is replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { BibliographyFile } from '../../server/src/bibliography/bibliographyFile';
import { likelyDuplicateFindings, likelyDuplicateFindingsInSlices } from '../../server/src/features/likelyDuplicates';
import { bibliographyFindings, bibliographyFindingsInSlices, cachedBibliographyFindings } from '../../server/src/features/diagnostics';
import type { Finding } from '../../server/src/features/rules';
import { makeBib } from '../../bench/makeBib';
import { fieldNameOf, fieldOf } from '../../server/src/syntax/bibtex/fields';
import { bibtexFieldValue } from '../../server/src/syntax/bibtex/values';
import { corpusPath, withoutCorpus } from './helpers/corpus';
import { seededRandom } from './helpers/random';

/** A generated 12,000-entry file with likely duplicates planted in different slices (by DOI, by title and year). */
function plantedFile(): BibliographyFile {
  const text = `${makeBib(12_000, { seed: 7 }).text}
@article{copyOfFirstDoi, title = {Another title entirely}, year = {2001}, doi = {https://doi.org/10.5555/planted.1}}
@article{plantedDoi, title = {Something else}, year = {1999}, doi = {10.5555/PLANTED.1}}
@book{plantedTitle, title = {A {Planted} Title About Value Chains}, year = {2010}}
@book{plantedTitleAgain, title = {A planted title about value chains}, date = {2010-03}}
`;
  return BibliographyFile.parse('/w/big.bib', text, 'bibtex');
}

const shown = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.key}:${f.message}`);

test('in slices, the likely-duplicate search finds exactly what it finds in one go, pausing between slices', async () => {
  const file = plantedFile();
  let pauses = 0;
  const sliced = await likelyDuplicateFindingsInSlices(file, async () => {
    pauses++;
  }, () => true);
  const whole = likelyDuplicateFindings([file]);
  assert.ok(sliced);
  assert.deepEqual(shown(sliced), shown(whole));
  assert.ok(shown(whole).some((line) => line.startsWith('likely-duplicate:plantedDoi:')), shown(whole).join('\n'));
  assert.ok(shown(whole).some((line) => line.startsWith('likely-duplicate:plantedTitleAgain:')), shown(whole).join('\n'));
  assert.equal(pauses, Math.ceil(file.entries.length / 1_000) - 1);
});

test('the sliced search stops at a pause once its file is no longer wanted, and caches nothing', async () => {
  const file = plantedFile();
  let pauses = 0;
  const stopped = await bibliographyFindingsInSlices(file, async () => {
    pauses++;
  }, () => pauses < 2);
  assert.equal(stopped, undefined);
  assert.equal(pauses, 2);
  assert.equal(cachedBibliographyFindings(file, { likelyDuplicates: true }), undefined);
});

test('the sliced findings of a file are its findings with likely duplicates, cached for the next pass', async () => {
  const file = plantedFile();
  const sliced = await bibliographyFindingsInSlices(file, async () => undefined, () => true);
  assert.ok(sliced);
  assert.equal(cachedBibliographyFindings(file, { likelyDuplicates: true }), sliced);
  const again = BibliographyFile.parse(file.path, file.text, 'bibtex');
  assert.deepEqual(shown(sliced), shown(bibliographyFindings(again, { likelyDuplicates: true })));
});

/**
 * The rule as it reads, with strings: each entry's DOI and title+year as the documentation of the rule defines them,
 * grouped in maps keyed by those strings; a group's first entry is the one the others are reported against.
 */
function referenceFindings(file: BibliographyFile): string[] {
  const field = (entry: (typeof file.entries)[number], wanted: string[]) => {
    const bibtex = entry.bibtex!;
    for (let i = 0; i < bibtex.fieldCount; i++) if (wanted.includes(fieldNameOf(bibtex, i))) return fieldOf(bibtex, i);
    return undefined;
  };
  const doiOf = (entry: (typeof file.entries)[number]) => {
    const doi = entry.bibtex ? (() => {
      const f = field(entry, ['doi']);
      return f && bibtexFieldValue(file.text, f, file.strings);
    })() : file.decoded(entry).doi;
    const clean = doi?.trim().toLowerCase().replace(/^https?:\/\/(dx\.)?doi\.org\//, '').replace(/^doi:\s*/, '');
    return clean || undefined;
  };
  const titleYearOf = (entry: (typeof file.entries)[number]) => {
    let title: string | undefined;
    let year: string | undefined;
    if (entry.bibtex) {
      const t = field(entry, ['title']);
      title = t && file.text.slice(t.valueStart, t.valueEnd).replace(/\\[a-zA-Z]+\s*|[{}"\\]/g, '');
      const y = field(entry, ['year', 'date']);
      year = y && /\d{4}/.exec(file.text.slice(y.valueStart, y.valueEnd))?.[0];
    } else ({ title, year } = file.decoded(entry));
    if (!title || !year) return undefined;
    const clean = /[^\x00-\x7f]/.test(title)
      ? title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()
      : title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    return clean.length >= 8 ? `${clean}|${year}` : undefined;
  };
  const out: string[] = [];
  const reported = new Set<string>();
  for (const [signatureOf, reason] of [[doiOf, 'DOI'], [titleYearOf, 'title']] as const) {
    const groups = new Map<string, (typeof file.entries)[number][]>();
    for (const entry of file.entries) {
      const signature = signatureOf(entry);
      if (!signature) continue;
      const group = groups.get(signature) ?? [];
      if (!group.some((e) => e.key === entry.key)) group.push(entry);
      groups.set(signature, group);
    }
    for (const [first, ...rest] of groups.values()) {
      for (const entry of rest) {
        const id = `${entry.key}@${entry.keyRange.start}`;
        if (reported.has(id)) continue;
        reported.add(id);
        out.push(`${entry.key}@${entry.keyRange.start} ~ ${first.key} (${reason})`);
      }
    }
  }
  return out;
}

const brief = (findings: Finding[]) => findings.map((f) => `${f.key}@${f.range.start} ~ ${f.related![0].message.slice(1, -1)} (${/same DOI/.test(f.message) ? 'DOI' : 'title'})`);

test('likely duplicates found through hashes are exactly those plain string grouping finds', () => {
  const file = plantedFile();
  assert.deepEqual(brief(likelyDuplicateFindings([file])), referenceFindings(file));
});

test('titles with commands, braces, quotes, accents, odd spaces and short words group as their normalized text does', () => {
  const random = seededRandom(15);
  const pieces = ['Value', 'value', ' chains', '{C}hains', '\\emph{Global}', '\\textit  {x}', '\\"{o}', 'ö', 'o\u0308', '\\&',
    '"', '--', ' ', '\t', '\u00a0', '\\ ', '\\', 'naïve', 'NAIVE', 'Ab', '12', '{', '}', ',', 'Straße', 'strasse', 'ﬁ', 'fi'];
  const entries: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const title = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const year = ['2001', '2002', 'n.d.', '{2001}', '2001-05'][Math.floor(random() * 5)];
    const yearField = random() < 0.5 ? `year = {${year}}` : `date = {${year}}`;
    const doi = random() < 0.3 ? `, doi = {${['10.1/A', 'https://doi.org/10.1/a', ' doi:10.1/a ', '10.2/b'][Math.floor(random() * 4)]}}` : '';
    const key = random() < 0.05 ? `k${i - 1}` : `k${i}`;
    entries.push(`@article{${key}, title = {${title.replace(/[{}]/g, '')}} # "${title.includes('"') ? '' : 'x'}", ${yearField}${doi}}`);
    entries.push(`@misc{m${i}, title = "${title.replace(/"/g, '')}", ${yearField}}`);
  }
  const file = BibliographyFile.parse('/w/odd.bib', entries.join('\n'), 'bibtex');
  const expected = referenceFindings(file);
  assert.ok(expected.length > 100, `${expected.length} findings`);
  assert.deepEqual(brief(likelyDuplicateFindings([file])), expected);
});

test('likely duplicates in the real bibliographies of the corpus are those plain string grouping finds', { skip: withoutCorpus('bib') }, () => {
  let compared = 0;
  let found = 0;
  for (const folder of ['bib', 'bench']) {
    for (const name of readdirSync(corpusPath(folder)).filter((n) => n.endsWith('.bib'))) {
      const file = BibliographyFile.parse(name, readFileSync(corpusPath(folder, name), 'utf8'), 'bibtex');
      assert.deepEqual(brief(likelyDuplicateFindings([file])), referenceFindings(file), name);
      compared++;
      found += referenceFindings(file).length;
    }
  }
  assert.ok(compared > 20 && found > 0, `${compared} files, ${found} findings`);
});
