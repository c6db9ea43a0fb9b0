// citeprocCase.ts: title case and capitalize-first as pandoc's citeproc (citeproc-hs) applies them to rendered text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pandocTextCaseInstalled } from '../../server/src/bibliography/citationJs';
import { pandocCapitalizeFirst, pandocTitleCase } from '../../server/src/bibliography/citeprocCase';

test('title case capitalises words but leaves stop words, one-letter words and upper-case words as they are', () => {
  assert.equal(pandocTitleCase('the growth of n-type layers between a-plane and in-situ GaN'), 'The Growth of n-Type Layers Between a-Plane and in-Situ GaN');
  assert.equal(pandocTitleCase('a study: the end of it'), 'A Study: The End of It');
});

test('title case lower-cases a capitalised word with digits after the first, as citeproc-hs does ("4H" → "4h")', () => {
  assert.equal(pandocTitleCase('defects in 4H-SiC'), 'Defects in 4h-SiC');
  assert.equal(pandocTitleCase('icalp95 proceedings'), 'Icalp95 Proceedings');
});

test('title case does not enter nocase spans, small caps, sub- or superscripts, but does enter italics', () => {
  assert.equal(pandocTitleCase('on <span class="nocase">de novo</span> <i>fast</i> methods'), 'On <span class="nocase">de novo</span> <i>Fast</i> Methods');
  assert.equal(pandocTitleCase('water <sub>two</sub> drops <sc>small</sc>'), 'Water <sub>two</sub> Drops <sc>small</sc>');
});

test('the last word is capitalised even when it is a stop word, unless it is part of a hyphenated word', () => {
  assert.equal(pandocTitleCase('what they are made of'), 'What They Are Made Of');
  assert.equal(pandocTitleCase('what they are made-of'), 'What They Are Made-of');
});

test('capitalize-first capitalises a first word of lower-case letters only', () => {
  assert.equal(pandocCapitalizeFirst('technical report'), 'Technical report');
  assert.equal(pandocCapitalizeFirst('icalp95 proceedings'), 'icalp95 proceedings');
  assert.equal(pandocCapitalizeFirst('iPhone apps'), 'iPhone apps');
});

test('citeproc-js takes pandoc’s title case and capitalize-first (the hook into citeproc-js is in place)', () => {
  assert.equal(pandocTextCaseInstalled(), true);
});
