// BibTeX name lists → people: `and` splitting, the three name forms, particles, braced literals, `and others`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBibtexNames, splitBibtexList } from '../../server/src/bibliography/names';

test('a braced corporate author is one literal name', () => {
  assert.deepEqual(parseBibtexNames('{European Commission}'), [{ literal: 'European Commission' }]);
  assert.deepEqual(parseBibtexNames('{ILO}'), [{ literal: 'ILO' }]);
});

test('"and" inside double braces does not split an institution', () => {
  assert.deepEqual(parseBibtexNames('{{Economic and Social Research Council}}'), [
    { literal: 'Economic and Social Research Council' },
  ]);
});

test('lowercase von parts become particles in every name form', () => {
  assert.deepEqual(parseBibtexNames('Kolk, A. and van Tulder, R.'), [
    { family: 'Kolk', given: 'A.' },
    { family: 'Tulder', particle: 'van', given: 'R.' },
  ]);
  assert.deepEqual(parseBibtexNames('Porter, M. E. and van der Linde, C.'), [
    { family: 'Porter', given: 'M. E.' },
    { family: 'Linde', particle: 'van der', given: 'C.' },
  ]);
  assert.deepEqual(parseBibtexNames('Claas van der Linde'), [{ given: 'Claas', particle: 'van der', family: 'Linde' }]);
  assert.deepEqual(parseBibtexNames('Jean de La Fontaine'), [{ given: 'Jean', particle: 'de', family: 'La Fontaine' }]);
});

test('capitalised prefixes stay in the family name', () => {
  assert.deepEqual(parseBibtexNames('De Marchi, V. and Di Maria, E. and Van Biesebroeck, J.'), [
    { family: 'De Marchi', given: 'V.' },
    { family: 'Di Maria', given: 'E.' },
    { family: 'Van Biesebroeck', given: 'J.' },
  ]);
});

test('a braced compound family name keeps its lowercase words', () => {
  assert.deepEqual(parseBibtexNames('{Puppim de Oliveira}, J. A.'), [{ family: 'Puppim de Oliveira', given: 'J. A.' }]);
});

test('hyphens, apostrophes, accents and initials survive', () => {
  assert.deepEqual(parseBibtexNames('Lund-Thomsen, P. and O’Rourke, D. and Rodríguez-Garavito, C. A.'), [
    { family: 'Lund-Thomsen', given: 'P.' },
    { family: 'O’Rourke', given: 'D.' },
    { family: 'Rodríguez-Garavito', given: 'C. A.' },
  ]);
  assert.deepEqual(parseBibtexNames("Rodr{\\'\\i}guez-Garavito, C. A."), [{ family: 'Rodríguez-Garavito', given: 'C. A.' }]);
  assert.deepEqual(parseBibtexNames('MacKinnon, D. and He, C. F. and Wei, Y. H. D.'), [
    { family: 'MacKinnon', given: 'D.' },
    { family: 'He', given: 'C. F.' },
    { family: 'Wei', given: 'Y. H. D.' },
  ]);
});

test('"and others" ends the list with the others marker', () => {
  assert.deepEqual(parseBibtexNames('Coe, N. and Hess, M. and Yeung, H. and others'), [
    { family: 'Coe', given: 'N.' },
    { family: 'Hess', given: 'M.' },
    { family: 'Yeung', given: 'H.' },
    { literal: 'others', others: true },
  ]);
});

test('the Jr form, First Last form and a lone word', () => {
  assert.deepEqual(parseBibtexNames('King, Jr, Martin Luther'), [{ family: 'King', suffix: 'Jr', given: 'Martin Luther' }]);
  assert.deepEqual(parseBibtexNames('Gary Gereffi'), [{ given: 'Gary', family: 'Gereffi' }]);
  assert.deepEqual(parseBibtexNames('Aristotle'), [{ family: 'Aristotle' }]);
});

test('"and" is found in any case and around any whitespace, but not inside words or braces', () => {
  assert.deepEqual(
    parseBibtexNames('Smith, A.\n      AND Jones, B. aNd {Anderson and Sons}').map((n) => n.family ?? n.literal),
    ['Smith', 'Jones', 'Anderson and Sons'],
  );
  assert.deepEqual(parseBibtexNames('Sand, George and Andrews, J.').map((n) => n.family), ['Sand', 'Andrews']);
  assert.deepEqual(parseBibtexNames(' and  and Smith, A. and '), [{ family: 'Smith', given: 'A.' }]);
});

test('LaTeX in names is decoded and a special character decides a von part by its letter', () => {
  assert.deepEqual(parseBibtexNames('G{\\"o}del, Kurt'), [{ family: 'Gödel', given: 'Kurt' }]);
  assert.deepEqual(parseBibtexNames('Jean {\\\'e}t Smith'), [{ given: 'Jean', particle: 'ét', family: 'Smith' }]);
});

test('publisher lists split on "and" and decode', () => {
  assert.deepEqual(splitBibtexList('World Trade Organization and Fung Global Institute and Centre for Trade \\& Negotiations'), [
    'World Trade Organization',
    'Fung Global Institute',
    'Centre for Trade & Negotiations',
  ]);
});

test('every author and editor in the fixtures parses into named people', () => {
  for (const file of ['geography', 'ethics']) {
    const bib = readFileSync(join(__dirname, `../../examples/${file}.bib`), 'utf8');
    for (const match of bib.matchAll(/^\s*(?:author|editor) = \{(.*)\},$/gm)) {
      for (const name of parseBibtexNames(match[1])) {
        assert.ok(name.literal || (name.family && name.given), `${match[1]} → ${JSON.stringify(name)}`);
        assert.doesNotMatch(Object.values(name).join(' '), /[{}\\]/);
      }
    }
  }
});
