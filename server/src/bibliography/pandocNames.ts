// BibLaTeX name lists → CSL names, read the way pandoc's BibLaTeX reader reads them: `and others` kept as a marker,
// a braced name as a literal, `von` parts as dropping particles (unless `useprefix`), biblatex's `family=` syntax.
import { latexToUnicode } from './latexText';

export interface CslName {
  family?: string;
  given?: string;
  'dropping-particle'?: string;
  'non-dropping-particle'?: string;
  suffix?: string;
  'comma-suffix'?: boolean;
  literal?: string;
}

/** The CSL name that stands for `and others`; the formatter shows it as "et al.". */
export const OTHERS_LITERAL = 'others';

/** BibLaTeX `options = {useprefix=true, juniorcomma}` as a map (values lower-cased, a bare option is ''). */
export function parseOptions(raw: string | undefined): Map<string, string> {
  const options = new Map<string, string>();
  for (const part of (raw ?? '').split(',')) {
    const [name, value = ''] = part.split('=');
    if (name.trim() !== '') options.set(name.trim().toLowerCase(), value.trim().toLowerCase());
  }
  return options;
}

const optionSet = (options: Map<string, string>, name: string): boolean => {
  const value = options.get(name);
  return value === 'true' || value === '';
};

/** Splits `text` at top-level (brace depth 0) matches of `separator` (a sticky regular expression). */
export function splitTopLevel(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      separator.lastIndex = i;
      const match = separator.exec(text);
      if (match && match.index === i) {
        parts.push(text.slice(start, i));
        start = i + match[0].length;
        i = start - 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A name list (`author`, `editor`) as CSL names. */
export function pandocNames(raw: string, options: Map<string, string>): CslName[] {
  const names: CslName[] = [];
  for (const part of splitTopLevel(raw.trim(), /\s+and\s+/y)) {
    const name = toName(part.trim(), options);
    if (name) names.push(name);
  }
  return names;
}

function toName(text: string, options: Map<string, string>): CslName | undefined {
  if (text === '') return undefined;
  if (text === 'others') return { literal: OTHERS_LITERAL };
  if (/^\{.*\}$/.test(text) && splitTopLevel(text.slice(1, -1), /[{}]/y).length === 1 && balanced(text.slice(1, -1))) {
    return { literal: latexToUnicode(text) };
  }
  if (/^[^\s{}]*=/.test(text)) return extendedName(text);
  const commaParts = splitTopLevel(text, /,/y).map((part) => words(part));
  let first: string[] = [];
  let vonLast: string[] = [];
  let jr: string[] = [];
  if (commaParts.length === 1) {
    const all = commaParts[0];
    const capsEnd = all.findIndex((word) => !isCapitalized(word));
    if (capsEnd < 0 && all.length > 0) {
      first = all.slice(0, -1);
      vonLast = all.slice(-1);
    } else {
      first = all.slice(0, Math.max(0, capsEnd));
      vonLast = all.slice(Math.max(0, capsEnd));
    }
  } else if (commaParts.length === 2) {
    [vonLast, first] = commaParts;
  } else {
    [vonLast, jr, first] = commaParts;
  }
  let vonEnd = vonLast.findIndex(isCapitalized);
  if (vonEnd < 0) vonEnd = Math.max(0, vonLast.length - 1);
  const von = vonLast.slice(0, vonEnd);
  const family = vonLast.slice(vonEnd);
  const decode = (parts: string[]): string => parts.map((word) => latexToUnicode(word)).join(' ').trim();
  const name: CslName = {};
  if (decode(family)) name.family = decode(family);
  if (decode(first)) name.given = decode(first);
  if (decode(von)) name[optionSet(options, 'useprefix') ? 'non-dropping-particle' : 'dropping-particle'] = decode(von);
  if (decode(jr)) name.suffix = decode(jr);
  if (optionSet(options, 'juniorcomma')) name['comma-suffix'] = true;
  // A braced family name starting in lowercase ("{van Leeuwen}") stays whole: pandoc's reader hands citeproc the
  // parts, which it prints as they are ("van Leeuwen, Jan" in Chicago too). format.ts stops citeproc-js parsing it.
  return Object.keys(name).length > 0 ? name : undefined;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** biblatex's `family=Doe, given=Jane, prefix=van, useprefix=true`. */
function extendedName(text: string): CslName {
  const name: CslName = {};
  let prefix: string | undefined;
  let usePrefix = false;
  for (const part of splitTopLevel(text, /,/y)) {
    const [key, ...rest] = part.split('=');
    const value = latexToUnicode(rest.join('=').trim());
    const field = key.trim().toLowerCase();
    if (field === 'given') name.given = name.given ? `${name.given} ${value}` : value;
    else if (field === 'family') name.family = value;
    else if (field === 'prefix') prefix = value;
    else if (field === 'suffix') name.suffix = value;
    else if (field === 'useprefix') usePrefix = value === 'true';
  }
  if (prefix) name[usePrefix ? 'non-dropping-particle' : 'dropping-particle'] = prefix;
  return name;
}

/**
 * The words of a name part: split at top-level spaces and `~`, with "J.G." read as "J. G." (pandoc treats both
 * the same).
 */
function words(part: string): string[] {
  const spaced = part.replace(/(^|[\s.~])([A-Z])\.(?=[A-Z](?:\.|$|[\s~]))/g, '$1$2. ');
  return splitTopLevel(spaced, /[\s~]+/y).map((word) => word.trim()).filter((word) => word !== '');
}

/**
 * Pandoc's test for a capitalised word: its first letter (after digits, skipping braced groups, which pandoc sees
 * as separate pieces) is uppercase; a word of only braces counts as capitalised.
 */
function isCapitalized(word: string): boolean {
  let i = 0;
  while (i < word.length) {
    const c = word[i];
    if (c === '{') {
      let depth = 0;
      for (; i < word.length; i++) {
        if (word[i] === '\\') i++;
        else if (word[i] === '{') depth++;
        else if (word[i] === '}' && --depth === 0) break;
      }
      i++;
      continue;
    }
    if (c === '\\') {
      const letter = latexToUnicode(word.slice(i, i + 4)).charAt(0);
      return letter !== '' && letter === letter.toUpperCase() && letter !== letter.toLowerCase();
    }
    if (/\d/.test(c)) {
      i++;
      continue;
    }
    if (/\p{Lu}/u.test(c)) return true;
    return false;
  }
  return true;
}
