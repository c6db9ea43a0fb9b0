// Splits a BibTeX name list (`author`, `editor`) into people: `and` at brace level 0 separates names, each name is
// read in the `First von Last` / `von Last, First` / `von Last, Jr, First` forms, and parts are decoded to Unicode.
import { controlSequenceEnd } from '../util/latexCommands';
import { latexToUnicode } from './latexText';

/** One name from a name list, in CSL's terms. A braced name such as `{World Bank}` is a `literal`. */
export interface PersonName {
  given?: string;
  family?: string;
  /** The lowercase `von` part (`van`, `van der`, `de`). */
  particle?: string;
  /** The `Jr` part. */
  suffix?: string;
  literal?: string;
  /** Set on the marker for `and others` (then `literal` is `'others'`); display it as "et al.". */
  others?: true;
}

/** The marker that stands for `and others` at the end of a name list. */
export const OTHERS_MARKER: PersonName = Object.freeze({ literal: 'others', others: true });

/** Parses a raw (undecoded) BibTeX name list. Empty names between `and`s are dropped. */
export function parseBibtexNames(raw: string): PersonName[] {
  const names: PersonName[] = [];
  for (const part of splitTopLevel(raw, isAndSeparator)) {
    const trimmed = part.text.trim();
    if (trimmed === '') continue;
    if (trimmed.toLowerCase() === 'others') names.push({ ...OTHERS_MARKER });
    else names.push(parseOneName(trimmed));
  }
  return names;
}

/** Splits a raw list whose items are joined by ` and ` (publisher, location lists) and decodes each item. */
export function splitBibtexList(raw: string): string[] {
  return splitTopLevel(raw, isAndSeparator)
    .map((part) => latexToUnicode(part.text))
    .filter((item) => item !== '');
}

function parseOneName(name: string): PersonName {
  if (isSingleGroup(name)) return { literal: latexToUnicode(name) };
  const commaParts = splitTopLevel(name, (text, i) => (text[i] === ',' ? 1 : 0)).map((p) => p.text.trim());
  let vonLast: string[];
  let first: string[] = [];
  let suffix: string | undefined;
  if (commaParts.length === 1) {
    // First von Last: the von part starts at the first lowercase word that is not the last word.
    const words = splitWords(name);
    const lastIndex = words.length - 1;
    let vonStart = words.findIndex((word, i) => i < lastIndex && isLowercaseWord(word));
    if (vonStart < 0) vonStart = lastIndex;
    first = words.slice(0, vonStart);
    vonLast = words.slice(vonStart);
  } else {
    vonLast = splitWords(commaParts[0]);
    first = splitWords(commaParts[commaParts.length - 1]);
    if (commaParts.length >= 3) suffix = commaParts.slice(1, -1).join(', ');
  }
  // The von part runs to the last lowercase word before the last word; the last word is always family.
  let vonEnd = 0;
  for (let i = 0; i < vonLast.length - 1; i++) if (isLowercaseWord(vonLast[i])) vonEnd = i + 1;
  const particle = vonLast.slice(0, vonEnd).join(' ');
  const family = vonLast.slice(vonEnd).join(' ');
  const person: PersonName = {};
  const given = first.join(' ');
  if (given) person.given = latexToUnicode(given);
  if (family) person.family = latexToUnicode(family);
  if (particle) person.particle = latexToUnicode(particle);
  if (suffix) person.suffix = latexToUnicode(suffix);
  if (!person.family && person.given && !person.particle) return { literal: person.given };
  return person;
}

/** Whether the whole name is one brace group, e.g. `{World Bank}` or `{{Economic and Social Research Council}}`. */
function isSingleGroup(name: string): boolean {
  if (name[0] !== '{') return false;
  let depth = 0;
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '\\') i++;
    else if (name[i] === '{') depth++;
    else if (name[i] === '}' && --depth === 0) return i === name.length - 1;
  }
  return false;
}

/**
 * BibTeX's rule: a word is lowercase when its first letter at brace level 0 is. A special character (`{\v{s}}`) or a
 * command at level 0 (`\v{S}koda`, `\'\i`) counts by the letter it prints, as biber reads it after decoding.
 */
function isLowercaseWord(word: string): boolean {
  let depth = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (depth === 0 && (c === '\\' || (c === '{' && word[i + 1] === '\\'))) {
      const end = c === '{' ? groupEnd(word, i) : word.length;
      const letter = /\p{L}/u.exec(latexToUnicode(word.slice(i, end)));
      if (letter) return isLowercaseLetter(letter[0]);
      i = end - 1;
    } else if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 0 && /\p{L}/u.test(c)) return isLowercaseLetter(c);
  }
  return false;
}

const isLowercaseLetter = (c: string): boolean => c === c.toLowerCase() && c !== c.toUpperCase();

/** The offset after the brace group that opens at `open`, or the end of the text when it never closes. */
function groupEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Words separated by whitespace or `~` at brace level 0. */
function splitWords(text: string): string[] {
  return splitTopLevel(text, (s, i) => (/[\s~]/.test(s[i]) ? 1 : 0))
    .map((part) => part.text)
    .filter((word) => word !== '');
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '~';

/** Length of a whitespace-`and`-whitespace separator (any case) starting at `i`, or 0 (the leading whitespace may
 *  be missing at the start of a part). Checked only where a whitespace run begins, so runs are not rescanned. */
function isAndSeparator(text: string, i: number, partStart: number): number {
  if (i !== partStart && (!isSpace(text[i]) || (i > 0 && isSpace(text[i - 1])))) return 0;
  let j = i;
  while (isSpace(text[j])) j++;
  if (text.slice(j, j + 3).toLowerCase() !== 'and' || !isSpace(text[j + 3])) return 0;
  let end = j + 3;
  while (isSpace(text[end])) end++;
  return end - i;
}

/** Splits `text` at brace level 0 wherever `separatorAt` returns a separator length; never inside a control
 *  sequence (`\~` is an accent, not a tie) or between a control word and the blanks TeX swallows after it. */
function splitTopLevel(text: string, separatorAt: (text: string, i: number, partStart: number) => number): { text: string }[] {
  const parts: { text: string }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i = controlSequenceEnd(text, i) - 1;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      const length = separatorAt(text, i, start);
      if (length > 0) {
        parts.push({ text: text.slice(start, i) });
        start = i + length;
        i = start - 1;
      }
    }
  }
  parts.push({ text: text.slice(start) });
  return parts;
}
