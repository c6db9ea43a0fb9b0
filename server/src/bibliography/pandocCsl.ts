// BibTeX/BibLaTeX entry → CSL item, following pandoc's BibLaTeX reader (what `pandoc --citeproc` renders a paper
// with): its type map, sentence-cased English titles, names, dates, numbers, publishers and places, links.
import { bibtexFieldMap } from '../syntax/bibtex/values';
import type { BibtexEntry, BibtexField } from '../syntax/types';
import { latexRuns, runsToCsl, sentenceCase } from './latexRich';
import { latexToUnicode } from './latexText';
import { pandocNames, parseOptions, splitTopLevel } from './pandocNames';

export type CslItem = Record<string, unknown>;

const ARTICLE_TYPES = new Set(['article', 'periodical', 'suppperiodical', 'review']);
const CHAPTER_TYPES = new Set(['inbook', 'incollection', 'inproceedings', 'inreference', 'bookinbook']);
const BOOK_NUMBER_TYPES = new Set(['book', 'collection', 'proceedings', 'reference', 'mvbook', 'mvcollection', 'mvproceedings',
  'mvreference', 'bookinbook', 'inbook', 'incollection', 'inproceedings', 'inreference', 'suppbook', 'suppcollection']);

/** BibLaTeX entry type → CSL type, as pandoc maps them ('' for `@misc` and unknown types). */
const TYPES: Record<string, string> = {
  book: 'book', booklet: 'pamphlet', bookinbook: 'chapter', collection: 'book', dataset: 'dataset', electronic: 'webpage',
  inbook: 'chapter', incollection: 'chapter', inreference: 'entry-encyclopedia', inproceedings: 'paper-conference',
  manual: 'book', mastersthesis: 'thesis', misc: '', mvbook: 'book', mvcollection: 'book',
  mvproceedings: 'book', mvreference: 'book', online: 'webpage', patent: 'patent', phdthesis: 'thesis', proceedings: 'book',
  reference: 'book', report: 'report', software: 'book', suppbook: 'chapter', suppcollection: 'chapter', techreport: 'report',
  thesis: 'thesis', www: 'webpage', artwork: 'graphic', audio: 'song', commentary: 'book', image: 'graphic',
  jurisdiction: 'legal_case', legislation: 'legislation', legal: 'treaty', letter: 'personal_communication',
  movie: 'motion_picture', music: 'song', performance: 'speech', standard: 'legislation', video: 'motion_picture',
  data: 'dataset', letters: 'personal_communication', newsarticle: 'article-newspaper',
};

/** biblatex's English localisation keys that appear in `type` fields (what pandoc resolves them to). */
const BIBSTRINGS: Record<string, string> = {
  mathesis: 'Master’s thesis', phdthesis: 'PhD thesis', candthesis: 'Candidate thesis', techreport: 'technical report',
  resreport: 'research report', software: 'computer software', datacd: 'CD-ROM', audiocd: 'audio CD', patent: 'patent',
  patentus: 'U.S. patent', patentde: 'German patent', patentuk: 'British patent', newseries: 'new series', oldseries: 'old series',
};

/** biblatex/babel language names → the IETF tags pandoc gives CSL (only `en-` titles are sentence-cased). */
const LANGUAGES: Record<string, string> = {
  english: 'en-US', american: 'en-US', usenglish: 'en-US', british: 'en-GB', ukenglish: 'en-GB', australian: 'en-AU',
  newzealand: 'en-NZ', canadian: 'en-CA', german: 'de-DE', ngerman: 'de-DE', austrian: 'de-AT', naustrian: 'de-AT',
  swissgerman: 'de-CH', nswissgerman: 'de-CH', french: 'fr-FR', francais: 'fr-FR', spanish: 'es-ES', italian: 'it-IT',
  dutch: 'nl-NL', portuguese: 'pt-PT', brazilian: 'pt-BR', russian: 'ru-RU', swedish: 'sv-SE', norsk: 'nb-NO',
  danish: 'da-DK', finnish: 'fi-FI', polish: 'pl-PL', czech: 'cs-CZ', greek: 'el-GR', latin: 'la', japanese: 'ja-JP',
  chinese: 'zh-CN', turkish: 'tr-TR', hungarian: 'hu-HU', catalan: 'ca-AD', croatian: 'hr-HR', slovene: 'sl-SI',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The CSL item pandoc's reader makes of one entry. `strings` are the file's `@string` macros. */
export function pandocCslItem(text: string, entry: BibtexEntry, strings: ReadonlyMap<string, BibtexField>): CslItem {
  return pandocCslFromFields(entry.key, entry.type, bibtexFieldMap(text, entry, strings));
}

/** The same from an entry type and its field values (macros expanded, LaTeX as written). */
export function pandocCslFromFields(key: string, entryType: string, fields: ReadonlyMap<string, string>): CslItem {
  const et = entryType.toLowerCase();
  const raw = (name: string): string | undefined => {
    const value = fields.get(name);
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const options = parseOptions(raw('options'));
  const langid = raw('langid')?.toLowerCase();
  const language = langid !== undefined || raw('hyphenation') !== undefined ? toIetf(langid ?? (raw('hyphenation') as string).toLowerCase()) : undefined;
  const english = language === undefined || language.startsWith('en-');
  const rich = (value: string | undefined): string | undefined => (value === undefined ? undefined : runsToCsl(latexRuns(value)) || undefined);
  const plain = (value: string | undefined): string | undefined => (value === undefined ? undefined : latexToUnicode(value) || undefined);
  const title = (name: string): string | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    const runs = latexRuns(value);
    return runsToCsl(english ? sentenceCase(runs) : runs) || undefined;
  };

  const item: CslItem = { id: key, type: typeOf(et, raw('entrysubtype'), raw('eventdate') ?? raw('eventtitle') ?? raw('venue')) };
  const set = (name: string, value: unknown): void => {
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) item[name] = value;
  };

  const typeField = raw('type');
  const genre = typeField !== undefined ? BIBSTRINGS[typeField.toLowerCase()] ?? plain(typeField)
    : et === 'mastersthesis' ? BIBSTRINGS.mathesis : et === 'phdthesis' ? BIBSTRINGS.phdthesis : undefined;
  set('genre', genre);
  set('language', language);

  // Names
  const names = (name: string): unknown => (raw(name) === undefined ? undefined : pandocNames(raw(name) as string, options));
  const editors = names('editor');
  set('author', names('author'));
  set('container-author', names('bookauthor'));
  set('translator', names('translator'));
  if (raw('editortype')?.toLowerCase() === 'director') set('director', editors);
  else {
    set('editor', editors);
    set('director', names('director'));
  }

  // Dates
  set('issued', dateOf(raw('date')) ?? oldDate(raw, ''));
  set('event-date', dateOf(raw('eventdate')) ?? oldDate(raw, 'event'));
  set('original-date', dateOf(raw('origdate')) ?? oldDate(raw, 'orig'));
  set('accessed', dateOf(raw('urldate')) ?? oldDate(raw, 'url'));

  // Locators
  set('page', plain(raw('pages'))?.replace(/–/g, '-'));
  set('number-of-pages', plain(raw('pagetotal')));
  const volume = plain(raw('volume'));
  const part = plain(raw('part'));
  set('volume', volume && part ? `${volume}.${part}` : volume ?? part);
  set('number-of-volumes', plain(raw('volumes')));
  set('chapter-number', plain(raw('chapter')));
  set('edition', plain(raw('edition')));
  set('version', plain(raw('version')));
  const number = plain(raw('number'));
  if (number !== undefined && BOOK_NUMBER_TYPES.has(et)) set('collection-number', number);
  else if (number !== undefined && ARTICLE_TYPES.has(et)) set('issue', joinWith(',', [number, plain(raw('issue'))]));
  else set('number', number);

  // Titles
  const isPeriodical = et === 'periodical';
  const isChapterlike = CHAPTER_TYPES.has(et);
  const hasMaintitle = raw('maintitle') !== undefined;
  const mainOwn = hasMaintitle && !isChapterlike;
  const first = (...candidates: (string | undefined)[]): string | undefined => candidates.find((c) => c !== undefined);
  const titleMain = first(isPeriodical ? title('issuetitle') : undefined, mainOwn ? title('maintitle') : undefined, title('title'));
  const subtitle = first(isPeriodical ? title('issuesubtitle') : undefined, mainOwn ? title('mainsubtitle') : undefined, title('subtitle'));
  const addon = first(mainOwn ? title('maintitleaddon') : undefined, title('titleaddon'));
  if (titleMain !== undefined) set('title', joinWith('.', [joinWith(':', [titleMain, subtitle]), addon]));
  if (hasMaintitle) {
    const volumeTitle = mainOwn ? title('title') : isChapterlike ? title('booktitle') : undefined;
    const volumeSub = mainOwn ? title('subtitle') : isChapterlike ? title('booksubtitle') : undefined;
    const volumeAddon = mainOwn ? title('titleaddon') : isChapterlike ? title('booktitleaddon') : undefined;
    if (volumeTitle !== undefined) set('volume-title', joinWith('.', [joinWith(':', [volumeTitle, volumeSub]), volumeAddon]));
  }
  const container = first(
    isPeriodical ? rich(raw('title')) : undefined,
    isChapterlike ? title('maintitle') : undefined,
    isChapterlike ? title('booktitle') : undefined,
    rich(raw('journaltitle')),
    rich(raw('journal')),
  );
  const containerSub = first(
    isPeriodical ? plain(raw('subtitle')) : undefined,
    isChapterlike ? title('mainsubtitle') : undefined,
    isChapterlike ? title('booksubtitle') : undefined,
    plain(raw('journalsubtitle')),
  );
  const containerAddon = first(
    isPeriodical ? rich(raw('titleaddon')) : undefined,
    isChapterlike ? title('maintitleaddon') : undefined,
    isChapterlike ? title('booktitleaddon') : undefined,
  );
  if (container !== undefined) set('container-title', joinWith('.', [joinWith(':', [container, containerSub]), containerAddon]));
  set('container-title-short', plain(raw('shortjournal')));
  set('collection-title', title('series'));
  set('event', plainTitle(title('eventtitle')));
  set('original-title', title('origtitle'));

  // Publisher and places
  const literalList = (name: string): string | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    return splitTopLevel(value, /\s+and\s+/y).map((part) => plain(part)).filter((part) => part !== undefined).join('; ') || undefined;
  };
  const publishers = ['school', 'institution', 'organization', 'howpublished', 'publisher']
    .map((name) => (name === 'howpublished' ? plain(raw(name)) : literalList(name)))
    .filter((value): value is string => value !== undefined);
  set('publisher', joinWith(';', publishers));
  set('original-publisher', plain(raw('origpublisher')));
  set('event-place', plain(raw('venue')));
  set('publisher-place', literalList('address') ?? (et !== 'patent' ? literalList('location') : undefined));
  set('original-publisher-place', literalList('origlocation'));
  if (item.type === 'patent') set('jurisdiction', literalList('location'));

  // Links and identifiers: pandoc takes these as written, without decoding LaTeX.
  const eprintBase: Record<string, string> = {
    arxiv: 'https://arxiv.org/abs/', jstor: 'https://www.jstor.org/stable/', pubmed: 'https://www.ncbi.nlm.nih.gov/pubmed/',
    googlebooks: 'https://books.google.com?id=',
  };
  const eprintType = (raw('eprinttype') ?? raw('archiveprefix'))?.toLowerCase();
  const url = options.get('url') !== 'false' || et === 'online' ? raw('url') : undefined;
  set('URL', url ?? (eprintType && eprintBase[eprintType] && raw('eprint') ? eprintBase[eprintType] + raw('eprint') : undefined));
  if (options.get('doi') !== 'false') set('DOI', raw('doi'));
  set('ISBN', raw('isbn'));
  set('ISSN', raw('issn'));
  set('PMID', raw('pmid'));
  set('PMCID', raw('pmcid'));
  set('call-number', raw('library'));

  // Notes
  if (et !== 'periodical') set('note', joinWith('.', [plain(raw('note')), plain(raw('addendum'))].filter((v): v is string => v !== undefined)));
  set('status', plain(raw('pubstate')));
  if (item.status === undefined && (item.issued as { literal?: string } | undefined)?.literal === 'forthcoming') item.status = 'forthcoming';
  return item;
}

/** A title as plain text, for variables citeproc-js prints without reading markup (`event`). */
function plainTitle(csl: string | undefined): string | undefined {
  return csl?.replace(/<[^>]*>/g, '');
}

function typeOf(et: string, subtype: string | undefined, event: string | undefined): string {
  if (et === 'article' || et === 'periodical' || et === 'suppperiodical') {
    if (subtype === 'magazine') return 'article-magazine';
    if (subtype === 'newspaper') return 'article-newspaper';
    return 'article-journal';
  }
  if (et === 'unpublished') return event !== undefined ? 'speech' : 'manuscript';
  return TYPES[et] ?? '';
}

function toIetf(name: string): string {
  const trimmed = name.trim();
  return LANGUAGES[trimmed] ?? trimmed;
}

/** Joins title parts as pandoc does: with `sep` and a space, or only a space after a part ending in punctuation. */
function joinWith(sep: string, parts: (string | undefined)[]): string | undefined {
  let out: string | undefined;
  for (const part of parts) {
    if (part === undefined || part === '') continue;
    if (out === undefined) out = part;
    else out += /[!?.,:;]$/.test(out.replace(/<[^>]*>$/, '')) ? ` ${part}` : `${sep} ${part}`;
  }
  return out;
}

type DateParts = number[];
type CslDate = { 'date-parts': DateParts[]; circa?: boolean } | { literal: string };

/** A biblatex `date` (EDTF-like: `2020`, `2020-03-14`, `2019/2020`, `2020~`); a literal when it is none of these. */
function dateOf(value: string | undefined): CslDate | undefined {
  if (value === undefined) return undefined;
  const text = value.replace(/[{}]/g, '').trim();
  let circa = false;
  const parts: DateParts[] = [];
  for (const piece of text.split('/')) {
    const match = /^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?([~?%]?)$/.exec(piece.trim());
    if (!match) {
      if (piece.trim() === '' || piece.trim() === '..') continue;
      return { literal: text };
    }
    if (match[4]) circa = true;
    parts.push([match[1], match[2], match[3]].filter((p) => p !== undefined).map(Number));
  }
  if (parts.length === 0) return { literal: text };
  return circa ? { 'date-parts': parts, circa: true } : { 'date-parts': parts };
}

/** `year`, `month`, `day` (and their `end…` forms) with a prefix: `event`, `orig`, `url` or none. */
function oldDate(raw: (name: string) => string | undefined, prefix: string): CslDate | undefined {
  const yearText = raw(`${prefix}year`);
  const year = integer(yearText === undefined ? undefined : latexToUnicode(yearText).replace(/^[–—]/, '-'));
  const start = year === undefined ? [] : withMonthDay([year], raw(`${prefix}month`), raw(`${prefix}day`));
  const endYear = integer(raw(`${prefix}endyear`));
  const end = endYear === undefined ? [] : withMonthDay([endYear], raw(`${prefix}endmonth`), raw(`${prefix}endday`));
  const parts = [start, end].filter((p) => p.length > 0);
  if (parts.length > 0) return { 'date-parts': parts };
  return yearText === undefined ? undefined : { literal: latexToUnicode(yearText) };
}

function withMonthDay(parts: number[], month: string | undefined, day: string | undefined): number[] {
  const m = monthNumber(month);
  if (m === undefined) return parts;
  const d = integer(day);
  return d === undefined ? [parts[0], m] : [parts[0], m, d];
}

function monthNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const lower = value.replace(/[{}]/g, '').trim().toLowerCase();
  const index = MONTHS.indexOf(lower) >= 0 ? MONTHS.indexOf(lower) : FULL_MONTHS.indexOf(lower);
  return index >= 0 ? index + 1 : integer(lower);
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.replace(/[{}]/g, '').trim();
  return /^-?\d+$/.test(text) ? Number(text) : undefined;
}
