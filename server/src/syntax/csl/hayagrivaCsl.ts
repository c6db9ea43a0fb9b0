// Converts one Hayagriva entry (plain data from YAML) to a CSL-JSON item: its type by the entry type and its parent,
// names, dates, the parent's title, publisher, volume and issue, pages, identifiers and URL.

type Data = Record<string, unknown>;

function isMapping(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A formattable string: `title: X` or `title: { value: X, short: Y }`. */
function text(value: unknown): string | undefined {
  let inner = value;
  // A few levels at most: an alias can make `value` refer back to its own mapping.
  for (let depth = 0; isMapping(inner) && depth < 4; depth++) inner = inner.value;
  if (typeof inner === 'string') return inner;
  if (typeof inner === 'number' || typeof inner === 'boolean') return String(inner);
  return undefined;
}

/** Numbers stay numbers (`volume: 5`), anything else is its text. */
function numeric(value: unknown): string | number | undefined {
  return typeof value === 'number' ? value : text(value);
}

function lowerType(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** The first parent: `parent:` may be one entry or a list. */
function firstParent(entry: Data): Data | undefined {
  const parent = entry.parent;
  if (Array.isArray(parent)) return parent.find(isMapping);
  return isMapping(parent) ? parent : undefined;
}

/** Hayagriva's default parent types, for parents that do not say. */
const DEFAULT_PARENT: Record<string, string> = {
  article: 'periodical', chapter: 'book', entry: 'reference', anthos: 'anthology', web: 'web', scene: 'video',
  artwork: 'exhibition', legislation: 'anthology', post: 'post', video: 'video', audio: 'audio',
};

const SIMPLE_TYPES: Record<string, string> = {
  book: 'book', chapter: 'chapter', anthos: 'chapter', entry: 'entry', report: 'report', thesis: 'thesis',
  web: 'webpage', scene: 'motion_picture', artwork: 'graphic', patent: 'patent', case: 'legal_case',
  newspaper: 'article-newspaper', legislation: 'legislation', manuscript: 'manuscript', post: 'post',
  performance: 'performance', periodical: 'periodical', proceedings: 'paper-conference', conference: 'paper-conference',
  blog: 'post-weblog', reference: 'book', anthology: 'book', repository: 'software', thread: 'post',
  video: 'motion_picture', audio: 'song', exhibition: 'event', original: 'document', misc: 'document',
};

/** The CSL type of an entry: an article's type depends on what it appeared in. */
function cslType(type: string, parent: Data | undefined): string {
  if (type === 'article') {
    const parentType = parent ? lowerType(parent.type) || DEFAULT_PARENT.article : DEFAULT_PARENT.article;
    if (parentType === 'periodical') return 'article-journal';
    if (parentType === 'newspaper') return 'article-newspaper';
    if (parentType === 'blog' || parentType === 'web') return 'post-weblog';
    if (parentType === 'proceedings' || parentType === 'conference') return 'paper-conference';
    return 'article';
  }
  return SIMPLE_TYPES[type] ?? 'document';
}

/** `Last, First`, `Luther King, Jr., Martin`, `von der Leyen, Ursula`, `UNICEF`, or `{ name, given-name, … }`. */
function person(value: unknown): Data | undefined {
  if (isMapping(value)) {
    const name = text(value.name);
    if (name === undefined) return undefined;
    const result: Data = { family: name };
    const given = text(value['given-name']);
    if (given !== undefined) result.given = given;
    const prefix = text(value.prefix);
    if (prefix !== undefined) result['non-dropping-particle'] = prefix;
    const suffix = text(value.suffix);
    if (suffix !== undefined) result.suffix = suffix;
    return result;
  }
  const written = text(value);
  if (written === undefined || written.trim() === '') return undefined;
  const parts = written.split(',').map((part) => part.trim());
  if (parts.length === 1) return { literal: parts[0] };
  const result: Data = {};
  // BibTeX's rule: leading lower-case words of the last name are its prefix.
  const words = parts[0].split(/\s+/);
  let particles = 0;
  while (particles < words.length - 1 && /^\p{Ll}/u.test(words[particles])) particles++;
  if (particles > 0) result['non-dropping-particle'] = words.slice(0, particles).join(' ');
  result.family = words.slice(particles).join(' ');
  const given = parts.length >= 3 ? parts.slice(2).join(', ') : parts[1];
  if (given) result.given = given;
  if (parts.length >= 3 && parts[1]) result.suffix = parts[1];
  return result;
}

function persons(value: unknown): Data[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  const result = list.map(person).filter((each): each is Data => each !== undefined);
  return result.length ? result : undefined;
}

/** `2020`, `2003-06`, `2003-06-21`, `-0044-03-15` → CSL date parts; anything else is kept raw. */
function date(value: unknown): Data | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return { 'date-parts': [[value]] };
  const written = text(value);
  if (written === undefined) return undefined;
  const match = /^\s*([+-]?\d{1,6})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$/.exec(written);
  if (!match) return { raw: written };
  const parts = [Number(match[1])];
  if (match[2] !== undefined) parts.push(Number(match[2]));
  if (match[3] !== undefined) parts.push(Number(match[3]));
  return { 'date-parts': [parts] };
}

const SERIAL_NUMBERS: Record<string, string> = { doi: 'DOI', isbn: 'ISBN', issn: 'ISSN', pmid: 'PMID', pmcid: 'PMCID' };

function set(item: Data, name: string, value: unknown): void {
  if (value !== undefined && item[name] === undefined) item[name] = value;
}

/** Fields an entry and its parent both may have; the entry's own come first. */
function publication(item: Data, entry: Data): void {
  const publisher = entry.publisher;
  set(item, 'publisher', isMapping(publisher) && publisher.name !== undefined ? text(publisher.name) : text(publisher));
  if (isMapping(publisher)) set(item, 'publisher-place', text(publisher.location));
  set(item, 'publisher-place', text(entry.location));
  set(item, 'publisher', text(entry.organization));
  set(item, 'volume', numeric(entry.volume));
  set(item, 'issue', numeric(entry.issue));
  set(item, 'edition', numeric(entry.edition));
}

/** The CSL-JSON item for the Hayagriva entry `key`. */
export function hayagrivaToCsl(key: string, entry: Data): Data {
  const parent = firstParent(entry);
  const item: Data = { id: key, type: cslType(lowerType(entry.type) || 'misc', parent) };
  set(item, 'title', text(entry.title));
  if (isMapping(entry.title)) set(item, 'title-short', text(entry.title.short));
  set(item, 'author', persons(entry.author));
  set(item, 'editor', persons(entry.editor));
  set(item, 'issued', date(entry.date));
  publication(item, entry);
  if (parent) {
    set(item, 'container-title', text(parent.title));
    publication(item, parent);
    set(item, 'editor', persons(parent.editor));
    set(item, 'issued', date(parent.date));
  }
  set(item, 'page', numeric(entry['page-range']) ?? numeric(parent?.['page-range']));
  set(item, 'number-of-pages', numeric(entry['page-total']));
  set(item, 'chapter-number', numeric(entry.chapter));
  const serial = entry['serial-number'];
  if (isMapping(serial)) {
    for (const [name, csl] of Object.entries(SERIAL_NUMBERS)) set(item, csl, text(serial[name]));
  } else {
    set(item, 'number', text(serial));
  }
  set(item, 'DOI', text(entry.doi));
  const url = entry.url;
  set(item, 'URL', text(isMapping(url) ? url.value : url));
  if (isMapping(url)) set(item, 'accessed', date(url.date));
  for (const [name, csl] of [['abstract', 'abstract'], ['genre', 'genre'], ['note', 'note'], ['language', 'language'],
    ['archive', 'archive'], ['archive-location', 'archive_location'], ['call-number', 'call-number']]) {
    set(item, csl, text(entry[name]));
  }
  return item;
}
