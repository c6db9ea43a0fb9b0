// A format-neutral, decoded view of one bibliography entry (BibTeX or CSL): names, title, year, container, links.
// Used for completion details, hover fallbacks and duplicate checks; computed lazily, one entry at a time.
import { bibtexFieldMap } from '../syntax/bibtex/values';
import type { BibtexEntry, BibtexField, CslItemSyntax } from '../syntax/types';
import { latexToUnicode } from './latexText';
import { OTHERS_MARKER, parseBibtexNames, splitBibtexList, type PersonName } from './names';

export interface DecodedEntry {
  key: string;
  /** The type as the file says it: BibTeX `article`, CSL `article-journal`, ... */
  type: string;
  authors: PersonName[];
  editors: PersonName[];
  title?: string;
  /** The year as written (`2005`, `2005a`, `n.d.` are kept); from `year`, biblatex `date`, or CSL `issued`. */
  year?: string;
  /** Journal, book or proceedings the entry is part of. */
  container?: string;
  doi?: string;
  url?: string;
  /** Publisher (or institution, school, organization); several are joined with "; ". */
  publisher?: string;
}

/** The BibTeX fields decodeBibtexEntry reads. */
const DECODED_FIELDS: ReadonlySet<string> = new Set([
  'author', 'editor', 'title', 'subtitle', 'year', 'date', 'journaltitle', 'journal', 'booktitle', 'maintitle', 'eventtitle',
  'series', 'publisher', 'institution', 'organization', 'school', 'doi', 'url',
]);

/** The fields authorYearLabel reads (the title only stands in when there are no names). */
const LABEL_FIELDS: ReadonlySet<string> = new Set(['author', 'editor', 'title', 'subtitle', 'year', 'date']);

/**
 * `authorYearLabel` of a BibTeX entry, decoding only the names and the year (the title only when there are no
 * names): completion labels up to 100 entries a keystroke, most of them never hovered.
 */
export function bibtexAuthorYearLabel(text: string, entry: BibtexEntry, strings: ReadonlyMap<string, BibtexField>): string {
  return authorYearLabel(decodeBibtexEntry(text, entry, strings, LABEL_FIELDS));
}

/** Decodes a BibTeX entry's fields to Unicode. `strings` are the file's `@string` macros. */
export function decodeBibtexEntry(
  text: string, entry: BibtexEntry, strings: ReadonlyMap<string, BibtexField>, wanted: ReadonlySet<string> = DECODED_FIELDS,
): DecodedEntry {
  // Only the fields read below: an abstract or a file list can be long, and completion decodes 100 entries a keystroke.
  const fields = bibtexFieldMap(text, entry, strings, wanted);
  const field = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = fields.get(name);
      if (value !== undefined && value.trim() !== '') return value;
    }
    return undefined;
  };
  const decoded: DecodedEntry = {
    key: entry.key,
    type: entry.type,
    authors: parseBibtexNames(field('author') ?? ''),
    editors: parseBibtexNames(field('editor') ?? ''),
  };
  const title = field('title');
  const subtitle = field('subtitle');
  if (title && (wanted !== LABEL_FIELDS || (!decoded.authors.length && !decoded.editors.length))) decoded.title = latexToUnicode(subtitle ? `${title}: ${subtitle}` : title);
  const year = yearFrom(field('year') ?? field('date'));
  if (year) decoded.year = year;
  const container = field('journaltitle', 'journal', 'booktitle', 'maintitle', 'eventtitle', 'series');
  if (container) decoded.container = latexToUnicode(container);
  const publisher = field('publisher', 'institution', 'organization', 'school');
  if (publisher) decoded.publisher = splitBibtexList(publisher).join('; ');
  const doi = field('doi');
  if (doi) decoded.doi = unescapeIdentifier(doi);
  const url = field('url');
  if (url) decoded.url = unescapeIdentifier(url);
  return decoded;
}

/** Decodes a CSL item (from CSL-JSON, CSL-YAML or front matter); markup such as `<i>` or `[x]{.nocase}` is dropped. */
export function decodeCslItem(item: CslItemSyntax): DecodedEntry {
  const data = item.data;
  const decoded: DecodedEntry = {
    key: item.key,
    type: typeof data.type === 'string' ? data.type : '',
    authors: cslNames(data.author),
    editors: cslNames(data.editor),
  };
  const title = cslText(data.title);
  if (title) decoded.title = title;
  const year = cslYear(data.issued);
  if (year) decoded.year = year;
  const container = cslText(data['container-title']) ?? cslText(data['collection-title']) ?? cslText(data['event-title']);
  if (container) decoded.container = container;
  const publisher = cslText(data.publisher);
  if (publisher) decoded.publisher = publisher;
  const doi = cslText(data.DOI ?? data.doi);
  if (doi) decoded.doi = doi;
  const url = cslText(data.URL ?? data.url);
  if (url) decoded.url = url;
  return decoded;
}

/** A short author–year label: `Gereffi (1994)`, `Gereffi & Humphrey (2005)`, `Gereffi et al. (2005)`. */
export function authorYearLabel(d: DecodedEntry): string {
  const names = d.authors.length > 0 ? d.authors : d.editors;
  const real = names.filter((n) => !n.others);
  const hasOthers = real.length < names.length;
  const year = d.year ?? 'n.d.';
  let who: string;
  if (real.length === 0) who = d.title ?? d.key;
  else if (real.length === 1) who = displayName(real[0]) + (hasOthers ? ' et al.' : '');
  else if (real.length === 2 && !hasOthers) who = `${displayName(real[0])} & ${displayName(real[1])}`;
  else who = `${displayName(real[0])} et al.`;
  return `${who} (${year})`;
}

/** The name as it is cited: `van Tulder`, `European Commission`. */
export function displayName(name: PersonName): string {
  if (name.literal) return name.literal;
  const family = [name.particle, name.family].filter(Boolean).join(' ');
  return family || name.given || '';
}

/** The year in a `year` or `date` value: the leading digits of `2020-05-01`, `2020/2021`; other text as written. */
function yearFrom(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const value = latexToUnicode(raw);
  const dated = /^(\d{4})[-/]/.exec(value);
  return dated ? dated[1] : value || undefined;
}

/** DOIs and URLs keep their characters: only TeX escapes and grouping braces go. */
function unescapeIdentifier(raw: string): string {
  return raw.replace(/\\([_%&#$~])/g, '$1').replace(/[{}]/g, '').trim();
}

function cslNames(value: unknown): PersonName[] {
  if (!Array.isArray(value)) return [];
  const names: PersonName[] = [];
  for (const raw of value) {
    if (typeof raw !== 'object' || raw === null) continue;
    const n = raw as Record<string, unknown>;
    const literal = cslText(n.literal);
    const family = cslText(n.family);
    const given = cslText(n.given);
    if ((literal ?? family) === 'others' && !given) {
      names.push({ ...OTHERS_MARKER });
      continue;
    }
    if (literal) {
      names.push({ literal });
      continue;
    }
    const person: PersonName = {};
    if (given) person.given = given;
    if (family) person.family = family;
    const particle = [cslText(n['dropping-particle']), cslText(n['non-dropping-particle'])].filter(Boolean).join(' ');
    if (particle) person.particle = particle;
    const suffix = cslText(n.suffix);
    if (suffix) person.suffix = suffix;
    if (person.family || person.given) names.push(person);
  }
  return names;
}

/** A CSL text value without rich-text markup; numbers become strings, lists are joined with "; ". */
function cslText(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(cslText).filter((part): part is string => part !== undefined);
    return parts.length ? parts.join('; ') : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const plain = value
    .replace(/\[([^\]]*)\]\{\.[\w-]+\}/g, '$1') // Pandoc Markdown spans: [Torreon's]{.nocase}
    .replace(/<\/?(?:i|b|sup|sub|span)\b[^>]*>/g, '') // CSL rich text
    .replace(/\s+/g, ' ')
    .trim();
  return plain || undefined;
}

/** The year of a CSL date: `{"date-parts": [[2005]]}`, `{"raw": "2005"}`, `{"literal": ...}`, or YAML's `2005`. */
function cslYear(issued: unknown): string | undefined {
  if (typeof issued === 'number' || typeof issued === 'string') return yearFrom(String(issued));
  if (typeof issued !== 'object' || issued === null) return undefined;
  const date = issued as Record<string, unknown>;
  const parts = date['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0]) && parts[0].length > 0) {
    const first = parts[0][0];
    if (typeof first === 'number' || (typeof first === 'string' && first !== '')) return String(first);
  }
  return yearFrom(cslText(date.raw) ?? cslText(date.literal));
}
