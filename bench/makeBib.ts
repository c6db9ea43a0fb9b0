// The project's generator of large, realistic BibTeX/BibLaTeX files for tests and benchmarks: deterministic per seed,
// with the mess real libraries have (accents, @string, odd keys, comments, junk) and, on request, broken entries.
import * as words from './bibWords';

export interface BibOptions {
  /** Seed of every choice: the same n, seed and shares always give the same text. Default 1. */
  seed?: number;
  /** Share of entries written broken (evenly spaced, never the first or last), cycling through MALFORMED_KINDS. Default 0.01. */
  malformed?: number;
  /** Share of entries that reuse an earlier entry's key (evenly spaced, never the first or last). Default 0.002. */
  duplicates?: number;
}

/** No broken entries and no repeated keys: what a benchmark corpus or a well-kept library looks like. */
export const CLEAN: BibOptions = { malformed: 0, duplicates: 0 };

/** The ways an entry is broken. Each keeps its key, stays on its own lines, and is one syntax error for a tolerant reader. */
export const MALFORMED_KINDS = [
  'unclosed-value-brace', 'extra-closing-brace', 'missing-comma-between-fields', 'missing-comma-after-key', 'unclosed-entry',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

export interface BibStats {
  entries: number;
  /** Every entry's key in file order, repeats included. */
  keys: string[];
  malformed: number;
  malformedKinds: Partial<Record<MalformedKind, number>>;
  /** Entries whose key an earlier entry already has. */
  duplicateKeys: number;
  /** @string definitions, and entries that use one. */
  strings: number;
  stringUses: number;
  /** @comment blocks, and runs of free text between entries (BibTeX ignores both). */
  comments: number;
  junk: number;
  bytes: number;
}

type Random = () => number;

/** splitmix32: small, fast, and the same sequence for the same seed on every platform. */
function seeded(seed: number): Random {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

interface Person { bib: string; ascii: string; display: string }
interface Entry { type: string; key: string; fields: [string, string][] }

/** Writes one bibliography through `write`, in chunks, and says what it holds. */
export function writeBib(n: number, options: BibOptions, write: (chunk: string) => void): BibStats {
  const random = seeded(options.seed ?? 1);
  const malformedShare = options.malformed ?? 0.01;
  const duplicateShare = options.duplicates ?? 0.002;
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const chance = (p: number) => random() < p;
  const capital = (word: string) => word[0].toUpperCase() + word.slice(1);

  const stats: BibStats = {
    entries: 0, keys: [], malformed: 0, malformedKinds: {}, duplicateKeys: 0, strings: 0, stringUses: 0, comments: 0,
    junk: 0, bytes: 0,
  };
  let pending: string[] = [];
  const emit = (text: string) => {
    pending.push(text);
    stats.bytes += Buffer.byteLength(text);
    if (pending.length >= 1000) flush();
  };
  const flush = () => {
    if (pending.length) write(pending.join(''));
    pending = [];
  };

  function person(): Person {
    const r = random();
    if (r < 0.02) {
      const [bib, ascii] = pick(words.CORPORATE);
      return { bib, ascii, display: bib };
    }
    const given = pick(words.GIVEN_NAMES);
    if (r < 0.1) {
      const [particle, particleAscii] = pick(words.PARTICLES);
      const family = pick(words.PARTICLE_FAMILIES);
      const bib = chance(0.5) ? `${particle} ${family}, ${given}` : `${given} ${particle} ${family}`;
      return { bib, ascii: particleAscii + family.toLowerCase(), display: family };
    }
    const s = random();
    const [family, ascii] = s < 0.7 ? plainFamily() : s < 0.96 ? pick(words.ACCENTED_FAMILIES) : pick(words.OTHER_SCRIPT_FAMILIES);
    if (r < 0.13) return { bib: `${family}, ${pick(words.SUFFIXES)}, ${given}`, ascii, display: family };
    if (r < 0.15) return { bib: `{${family}}, ${given}`, ascii, display: family };
    if (r < 0.35) return { bib: `${given} ${family}`, ascii, display: family };
    return { bib: `${family}, ${given}`, ascii, display: family };
  }
  function plainFamily(): words.Family {
    const family = pick(words.PLAIN_FAMILIES);
    return [family, family.toLowerCase().replace(/[^a-z]/g, '')];
  }

  function names(): { bib: string; first: Person } {
    const count = chance(0.06) ? int(6, 15) : int(1, 4);
    const people: Person[] = [];
    for (let i = 0; i < count; i++) people.push(person());
    let bib = people.map((p) => p.bib).join(' and ');
    if (count > 8 && chance(0.4)) bib = people.slice(0, 3).map((p) => p.bib).join(' and ') + ' and others';
    return { bib, first: people[0] };
  }

  function title(): { bib: string; firstWord: string } {
    const length = int(3, 11);
    const parts: string[] = [];
    let firstWord = '';
    for (let i = 0; i < length; i++) {
      const r = random();
      if (r < 0.1) parts.push(pick(words.TITLE_SPECIALS));
      else if (r < 0.3 && i > 0) parts.push(pick(words.LINK_WORDS));
      else {
        const word = pick(words.TOPIC_WORDS);
        firstWord ||= word;
        parts.push(i === 0 || chance(0.4) ? capital(word) : word);
      }
    }
    if (chance(0.15)) parts.splice(int(1, parts.length - 1), 0, ':');
    let bib = parts.join(' ').replace(/ :/g, ':');
    if (chance(0.03)) bib += '?';
    if (chance(0.05)) bib = `{${bib}}`;
    return { bib, firstWord: firstWord || 'untitled' };
  }

  const usedKeys = new Set<string>();
  const uniqueKeys: string[] = [];
  function makeKey(first: Person, year: number, word: string): string {
    const family = first.ascii;
    const Family = capital(family);
    const r = random();
    let key: string;
    if (r < 0.5) key = `${family}${year}${word}`;
    else if (r < 0.64) key = `${Family}${year}`;
    else if (r < 0.72) key = `${family}_${word}_${year}`;
    else if (r < 0.79) key = `${Family}:${year}${String.fromCharCode(97 + int(0, 25), 97 + int(0, 25))}`;
    else if (r < 0.84) key = `${family}-${year}-${word}`;
    else if (r < 0.87) key = `${Family}.${year}.${word}`;
    else if (r < 0.9) key = `${Family}+${String(year).slice(2)}`;
    else if (r < 0.93) key = `arXiv:${String(year).slice(2)}${String(int(1, 12)).padStart(2, '0')}.${int(10000, 99999)}`;
    else if (r < 0.95) key = `${pick(words.ARXIV_CATEGORIES)}/${String(year).slice(2)}${String(int(1, 12)).padStart(2, '0')}${int(100, 999)}`;
    else if (r < 0.97) key = `10.${int(1000, 9999)}/${word}.${year}.${int(1, 999)}`;
    else if (r < 0.98) key = `${first.display.replace(/[^\p{L}]/gu, '')}${year}`; // biber reads Unicode keys
    else key = `${family}${year}${word.slice(0, 3)}${int(1, 99)}`;
    if (!/^[^\s,{}()"#%'=\\~]+$/.test(key)) key = `${family}${year}`; // a display name with no letters left, say
    const base = key;
    for (let suffix = 0; usedKeys.has(key); suffix++) key = base + String.fromCharCode(97 + (suffix % 26)) + (suffix >= 26 ? Math.floor(suffix / 26) : '');
    usedKeys.add(key);
    uniqueKeys.push(key);
    return key;
  }

  const braced = (value: string) => (chance(0.1) && !value.includes('"') ? `"${value}"` : `{${value}}`);
  const pages = () => {
    const from = int(1, 2400);
    return pick([`{${from}--${from + int(2, 40)}}`, `{${from}-${from + int(2, 40)}}`, `${from}`, `{e${int(100000, 999999)}}`]);
  };

  function makeEntry(duplicate: boolean): Entry {
    const r = random();
    const type = r < 0.42 ? 'article' : r < 0.64 ? 'inproceedings' : r < 0.72 ? 'book' : r < 0.78 ? 'incollection'
      : r < 0.82 ? 'phdthesis' : r < 0.85 ? 'techreport' : r < 0.93 ? 'misc' : r < 0.97 ? 'online' : 'unpublished';
    const biblatex = chance(0.2); // journaltitle, date and location instead of journal, year and address
    const people = names();
    const heading = title();
    const year = int(1948, 2026);
    const key = duplicate ? pick(uniqueKeys) : makeKey(people.first, year, heading.firstWord);
    if (duplicate) stats.duplicateKeys++;
    const macro = chance(0.06);
    if (macro) stats.stringUses++;
    const fields: [string, string][] = [['author', braced(people.bib)], ['title', braced(heading.bib)]];
    if (biblatex) fields.push(['date', `{${year}${chance(0.5) ? `-${String(int(1, 12)).padStart(2, '0')}` : ''}}`]);
    else fields.push(['year', chance(0.3) ? String(year) : `{${year}}`]);
    if (type === 'article') {
      fields.push([biblatex ? 'journaltitle' : 'journal', macro ? pick(words.JOURNAL_MACROS) : braced(pick(words.JOURNALS))]);
      if (chance(0.8)) fields.push(['volume', chance(0.4) ? String(int(1, 140)) : `{${int(1, 140)}}`]);
      if (chance(0.6)) fields.push(['number', `{${int(1, 12)}}`]);
      if (chance(0.85)) fields.push(['pages', pages()]);
    } else if (type === 'inproceedings' || type === 'incollection') {
      fields.push(['booktitle', macro ? 'icml' : braced(pick(words.VENUES))]);
      if (chance(0.3)) fields.push(['series', macro ? 'lnai' : '{Lecture Notes in Artificial Intelligence}']);
      if (chance(0.5)) fields.push(['publisher', macro ? 'springer' : braced(pick(words.PUBLISHERS))]);
      if (chance(0.7)) fields.push(['pages', pages()]);
      if (type === 'incollection' || chance(0.15)) fields.push(['editor', braced(names().bib)]);
    } else if (type === 'book') {
      fields.push(['publisher', macro ? 'cup' : braced(pick(words.PUBLISHERS))]);
      if (chance(0.6)) fields.push([biblatex ? 'location' : 'address', braced(pick(words.PLACES))]);
      if (chance(0.5)) fields.push(['isbn', `{${isbn()}}`]);
      if (chance(0.3)) fields.push(['edition', chance(0.5) ? `{${int(2, 7)}}` : '{Second}']);
    } else if (type === 'phdthesis' || type === 'techreport') {
      fields.push([type === 'phdthesis' ? 'school' : 'institution', braced(pick(words.INSTITUTIONS))]);
      if (type === 'techreport') fields.push(['number', `{TR-${year}-${int(1, 99)}}`]);
    } else if (type === 'misc' || type === 'unpublished') {
      if (chance(0.5)) fields.push(['eprint', `{${String(year).slice(2)}${String(int(1, 12)).padStart(2, '0')}.${int(10000, 99999)}}`], ['archiveprefix', '{arXiv}'], ['primaryclass', `{${pick(words.ARXIV_CATEGORIES)}}`]);
      else fields.push([type === 'misc' ? 'howpublished' : 'note', chance(0.5) ? `{\\url{https://example.org/${year}/${heading.firstWord}}}` : '{Manuscript}']);
    } else {
      fields.push(['url', `{https://example.org/${year}/${encodeURIComponent(heading.firstWord)}/${int(1, 99999)}}`]);
      fields.push(['urldate', `{${int(2015, 2026)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}}`]);
    }
    const extras: (() => [string, string])[] = [
      () => (biblatex ? ['pubstate', '{inpress}'] : ['month', pick([pick(words.MONTHS), `{${int(1, 12)}}`])]),
      () => ['doi', `{10.${int(1000, 9999)}/${heading.firstWord}.${year}.${int(100, 99999)}}`],
      () => ['keywords', `{${pick(words.KEYWORD_TERMS)}, ${pick(words.KEYWORD_TERMS)}}`],
      () => ['abstract', abstract()],
      () => ['language', pick(['{english}', '{german}', '{french}', '{spanish}', '{English}'])],
      () => ['note', macro ? '"Extended version of a talk at the " # procof # "workshop"' : braced(pick(['In press', 'To appear', 'Preprint', 'Translated from the {French}', 'Reprinted 2019']))],
      () => ['file', `{:papers/${key.replace(/[^\w-]/g, '_')}.pdf:PDF}`],
      () => ['url', `{https://doi.org/10.${int(1000, 9999)}/${int(100000, 999999)}}`],
      () => ['issn', `{${int(1000, 9999)}-${int(1000, 9999)}}`],
      () => ['timestamp', `{${int(2010, 2026)}.${String(int(1, 12)).padStart(2, '0')}.${String(int(1, 28)).padStart(2, '0')}}`],
    ];
    const wanted = int(4, 14);
    for (let tries = 0; fields.length < wanted && tries < 20; tries++) {
      const field = pick(extras)();
      if (!fields.some(([name]) => name === field[0])) fields.push(field);
    }
    return { type, key, fields };
  }

  /** An ISBN-13 with a correct check digit (biber checks them). */
  function isbn(): string {
    const digits = `978${int(0, 9)}${int(100, 999)}${int(10000, 99999)}`;
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i % 2 ? 3 : 1);
    return `${digits.slice(0, 3)}-${digits[3]}-${digits.slice(4, 7)}-${digits.slice(7)}-${(10 - (sum % 10)) % 10}`;
  }

  function abstract(): string {
    const sentences: string[] = [];
    for (let s = int(2, 6); s > 0; s--) {
      const sentenceWords: string[] = [];
      for (let w = int(8, 22); w > 0; w--) sentenceWords.push(chance(0.3) ? pick(words.LINK_WORDS) : pick(words.TOPIC_WORDS));
      sentences.push(capital(sentenceWords.join(' ')) + '.');
    }
    return `{${sentences.join(chance(0.2) ? '\n    ' : ' ')}}`; // some abstracts keep their line breaks
  }

  /** One entry as text. Always in braces: pandoc cannot read `@type(...)`, and the benchmarks convert these files with it. */
  function render(entry: Entry, broken: MalformedKind | undefined): string {
    const casing = random();
    const type = casing < 0.85 ? entry.type : casing < 0.95 ? capital(entry.type) : entry.type.toUpperCase();
    if (!broken && chance(0.03)) { // a short one-liner, as people type them by hand
      return `@${type}{${entry.key}, ${entry.fields.slice(0, 4).map(([name, value]) => `${name} = ${value}`).join(', ')}}`;
    }
    const upper = chance(0.05);
    const indent = chance(0.15) ? '\t' : '  ';
    let width = 0;
    if (chance(0.6)) for (const [name] of entry.fields) width = Math.max(width, name.length);
    const lines = entry.fields.map(([name, value]) => `${indent}${(upper ? capital(name) : name).padEnd(width)} = ${value}`);
    let head = `@${type}{${entry.key},`;
    let tail = `${!broken && chance(0.3) ? ',' : ''}\n}`;
    let separator = ',\n';
    const inner = int(1, lines.length - 2); // a field with another after it
    if (broken === 'unclosed-value-brace') lines[1] = lines[1].replace(/= ([{"])/, '= $1{'); // the title, always delimited
    if (broken === 'extra-closing-brace') lines[inner] += '}';
    if (broken === 'missing-comma-after-key') head = head.slice(0, -1);
    if (broken === 'unclosed-entry') tail = '';
    if (broken === 'missing-comma-between-fields') {
      const before = lines.slice(0, inner).join(separator);
      separator = '';
      return `${head}\n${before}\n${lines.slice(inner).join(',\n')}${tail}`;
    }
    return `${head}\n${lines.join(separator)}${tail}`;
  }

  emit('% Encoding: UTF-8\n');
  emit(`% Made by citekeys bench/makeBib.ts: ${n} entries, seed ${options.seed ?? 1}, malformed ${malformedShare}, duplicates ${duplicateShare}.\n`);
  emit('% Every person, title and venue here is invented.\n\n');
  emit('@preamble{ "\\providecommand{\\noopsort}[1]{}" # "\\providecommand{\\url}[1]{\\texttt{#1}}" }\n\n');
  for (const [name, definition] of words.STRING_MACROS) {
    emit(`@${chance(0.3) ? 'String' : 'string'}{${name} = ${definition}}\n`);
    stats.strings++;
  }
  emit('\n');
  /** Evenly spaced picks, so counts are exact: entry i is picked when i % period === offset, never the first or last. */
  const spaced = (share: number, i: number, offset: number) => {
    if (share <= 0 || i === 0 || i >= n - 1) return false;
    const period = Math.max(2, Math.round(1 / share));
    return i % period === offset % period;
  };
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.008) {
      emit(`@comment{Imported from {an older library} on ${int(2010, 2026)}-0${int(1, 9)}-1${int(0, 9)}}\n\n`);
      stats.comments++;
    } else if (r < 0.013) {
      emit(`Notes kept between entries, which BibTeX skips (${i}); ask ${pick(words.PLAIN_FAMILIES)} before editing\n% ---- section ${i} ----\n\n`);
      stats.junk++;
    }
    let broken: MalformedKind | undefined;
    if (spaced(malformedShare, i, 3)) {
      broken = MALFORMED_KINDS[stats.malformed % MALFORMED_KINDS.length];
      stats.malformed++;
      stats.malformedKinds[broken] = (stats.malformedKinds[broken] ?? 0) + 1;
    }
    const entry = makeEntry(uniqueKeys.length > 0 && spaced(duplicateShare, i, 7));
    stats.keys.push(entry.key);
    stats.entries++;
    emit(render(entry, broken) + (chance(0.05) ? '\n' : '\n\n'));
  }
  emit('@Comment{jabref-meta: databaseType:biblatex;}\n\n@Comment{jabref-meta: grp-version:3;}\n');
  flush();
  return stats;
}

/** The whole bibliography as one string, with what it holds. */
export function makeBib(n: number, options: BibOptions = {}): { text: string; stats: BibStats } {
  const chunks: string[] = [];
  const stats = writeBib(n, options, (chunk) => chunks.push(chunk));
  return { text: chunks.join(''), stats };
}
