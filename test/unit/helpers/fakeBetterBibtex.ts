// A loopback stand-in for Zotero with Better BibTeX, following BBT's JSON-RPC contract as retorquere/zotero-better-bibtex
// defines it (content/json-rpc.ts), plus the few local-API answers of Zotero's server_localAPI.js the fallback uses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Zotero item as Zotero keeps it (the fields the fake searches and converts). */
export interface FakeZoteroItem {
  key: string;
  itemType: string;
  title: string;
  creators: { creatorType: string; firstName?: string; lastName?: string; name?: string }[];
  date?: string;
  publicationTitle?: string;
  DOI?: string;
  /** Better BibTeX's key (KeyManager); '' for items it gives none (attachments). */
  citationKey: string;
  parentKey?: string;
}

export const LIBRARY: FakeZoteroItem[] = [
  { key: 'ABCD1234', itemType: 'journalArticle', title: 'Zotero as a research tool', creators: [{ creatorType: 'author', firstName: 'John', lastName: 'Smith' }, { creatorType: 'author', firstName: 'Jane', lastName: 'Doe' }], date: '2020-05', publicationTitle: 'Journal of Tools', DOI: '10.1000/zot', citationKey: 'smith2020zotero' },
  { key: 'EFGH5678', itemType: 'book', title: 'Reference managers compared', creators: [{ creatorType: 'author', firstName: 'Ann', lastName: 'Miller' }], date: '2019', citationKey: 'miller2019reference' },
  { key: 'IJKL9012', itemType: 'conferencePaper', title: 'Citations in plain text', creators: [{ creatorType: 'author', firstName: 'Luis', lastName: 'Garcia' }, { creatorType: 'editor', name: 'Plain Text Society' }], date: '2021', publicationTitle: 'Proceedings of Plain Text', citationKey: 'garcia2021citations' },
  { key: 'MNOP3456', itemType: 'attachment', title: 'Smith full text PDF', creators: [], citationKey: '', parentKey: 'ABCD1234' },
];

export type Fault = 'http-500' | 'malformed-json' | 'rpc-error';

// JSON-RPC error codes as content/json-rpc.ts declares them.
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMETERS = -32602;
const INTERNAL_ERROR = -32603;

/** Parameter names and required ones, as BBT's generated schema (setup/apis.js) derives them from the signatures. */
const SCHEMAS: Record<string, { parameters: string[]; required: string[]; validate: Record<string, (v: unknown) => boolean> }> = {
  'api.ready': { parameters: [], required: [], validate: {} },
  'item.search': {
    parameters: ['terms', 'library'], required: ['terms'],
    validate: { terms: (v) => typeof v === 'string' || (Array.isArray(v) && v.every(validTuple)), library: (v) => typeof v === 'string' || typeof v === 'number' },
  },
  'item.export': {
    parameters: ['citekeys', 'translator', 'libraryID'], required: ['citekeys', 'translator'],
    validate: { citekeys: (v) => Array.isArray(v) && v.every((k) => typeof k === 'string'), translator: (v) => typeof v === 'string', libraryID: (v) => typeof v === 'string' || typeof v === 'number' },
  },
};

/** `[string] | [string, string] | [string, string, string | number] | [string, string, string | number, boolean]` */
function validTuple(t: unknown): boolean {
  if (!Array.isArray(t) || t.length < 1 || t.length > 4) return false;
  return typeof t[0] === 'string' && (t.length < 2 || typeof t[1] === 'string')
    && (t.length < 3 || typeof t[2] === 'string' || typeof t[2] === 'number') && (t.length < 4 || typeof t[3] === 'boolean');
}

export class FakeBetterBibtex {
  /** Every request: its path, and for JSON-RPC the method and params as sent. */
  readonly requests: { path: string; method?: string; params?: unknown }[] = [];
  /** Per method: answer with this fault instead. */
  readonly faults = new Map<string, Fault>();
  /** Off: Zotero without BBT (the JSON-RPC path is unknown to Zotero's server: 404). */
  betterBibtex = true;
  /** Zotero's "Allow other applications on this computer to communicate with Zotero". */
  localApi = false;
  private readonly held = new Map<string, Promise<void>>();
  private server: Server | undefined;

  constructor(readonly library: FakeZoteroItem[] = LIBRARY) {}

  /** Listens on 127.0.0.1 (on `port`, else a free one) and answers the base URL. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Holds answers to `method` until the returned function is called (a slow Zotero). */
  hold(method: string): () => void {
    let release = (): void => undefined;
    this.held.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(method);
      release();
    };
  }

  /** How many JSON-RPC calls of `method` arrived. */
  calls(method: string): number {
    return this.requests.filter((r) => r.method === method).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/better-bibtex/json-rpc' && this.betterBibtex && req.method === 'POST') {
      await this.jsonRpc(Buffer.concat(chunks).toString('utf8'), res);
      return;
    }
    this.requests.push({ path: url.pathname + url.search });
    if (url.pathname.startsWith('/api/')) return this.localApiAnswer(url, res);
    send(res, 404, 'text/plain', 'No endpoint found'); // Zotero's server for a path nobody registered
  }

  /** content/json-rpc.ts, `Handler.init` and `API.handle`. */
  private async jsonRpc(body: string, res: ServerResponse): Promise<void> {
    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch (err) {
      // BBT answers a parse error with HTTP 200 too.
      return send(res, 200, 'application/json', JSON.stringify({ jsonrpc: '2.0', error: { code: PARSE_ERROR, message: `Parse error: ${err} in ${body}` }, id: null }));
    }
    const requests = Array.isArray(request) ? request : [request];
    for (const r of requests) this.requests.push({ path: '/better-bibtex/json-rpc', method: (r as { method?: string })?.method, params: (r as { params?: unknown })?.params });
    const method = (requests[0] as { method?: string })?.method ?? '';
    await this.held.get(method);
    const fault = this.faults.get(method);
    if (fault === 'http-500') return send(res, 500, 'text/plain', 'Internal Server Error');
    if (fault === 'malformed-json') return send(res, 200, 'application/json', '{"jsonrpc": "2.0", "result": [');
    const answers = await Promise.all(requests.map((r) => this.answer(r, fault)));
    send(res, 200, 'application/json', JSON.stringify(Array.isArray(request) ? answers : answers[0]));
  }

  private async answer(request: unknown, fault: Fault | undefined): Promise<unknown> {
    const req = request as { jsonrpc?: unknown; method?: unknown; params?: unknown; id?: unknown };
    if (typeof req !== 'object' || req === null || req.jsonrpc !== '2.0' || typeof req.method !== 'string') {
      return { jsonrpc: '2.0', error: { code: INVALID_REQUEST, message: 'Invalid Request' }, id: null };
    }
    // `$item` and `$items` are the same namespace object in BBT.
    const [namespace, name] = req.method.split('.');
    const method = `${namespace === 'items' ? 'item' : namespace}.${name}`;
    const schema = SCHEMAS[method];
    if (!schema) return { jsonrpc: '2.0', error: { code: METHOD_NOT_FOUND, message: `Method not found: ${req.method}` }, id: null };
    let params: unknown[] = [];
    if (Array.isArray(req.params)) params = req.params;
    else if (req.params && typeof req.params === 'object') {
      params = schema.parameters.map(() => undefined);
      for (const [k, v] of Object.entries(req.params)) {
        const i = schema.parameters.indexOf(k);
        if (i < 0) return invalid(`unsupported argument ${k} for ${method}`);
        params[i] = v;
      }
    }
    const errors = schema.parameters.map((p, i) => {
      const v = params[i];
      if (schema.required.includes(p) && v === undefined) return `required argument ${p} missing`;
      if (v !== undefined && !schema.validate[p](v)) return [`${p} does not match its schema`];
      return undefined;
    }).filter((e) => e);
    if (errors.length) return invalid(JSON.stringify(errors));
    try {
      if (fault === 'rpc-error') throw new Error('database is locked');
      return { jsonrpc: '2.0', result: this.run(method, params), id: req.id || null };
    } catch (err) {
      const coded = err as { code?: number; message?: string };
      if (coded.code) return { jsonrpc: '2.0', error: { code: coded.code, message: coded.message }, id: null };
      return { jsonrpc: '2.0', error: { code: INTERNAL_ERROR, message: `${err}` }, id: null };
    }
  }

  private run(method: string, params: unknown[]): unknown {
    if (method === 'api.ready') return { zotero: '7.0.15', betterbibtex: '7.0.40' }; // NSAPI.ready
    if (method === 'item.search') return this.search(params[0] as string | unknown[][]);
    return this.export(params[0] as string[], params[1] as string);
  }

  /** NSItem.search: result items are `{ ...itemToCSLJSON(item), library, citekey }`. */
  private search(terms: string | unknown[][]): unknown[] {
    const contains = (value: string | undefined, needle: unknown): boolean => (value ?? '').toLowerCase().includes(String(needle).toLowerCase());
    let match: (item: FakeZoteroItem) => boolean;
    if (typeof terms === 'string') {
      // The string form: a block over title, publicationTitle, shortTitle, court, year, citationKey; no attachments.
      match = (item) => item.itemType !== 'attachment' && (!terms.length
        || [item.title, item.publicationTitle, item.date?.slice(0, 4), item.citationKey].some((f) => contains(f, terms)));
    } else {
      let any = false;
      const optional: ((item: FakeZoteroItem) => boolean)[] = [];
      const required: ((item: FakeZoteroItem) => boolean)[] = [];
      for (const term of terms) {
        const [condition, operator, value, isRequired] = term as [string, string?, (string | number)?, boolean?];
        if (term.length === 1 && condition === 'ignore_feeds') continue; // the fake has no feeds
        if (condition === 'joinMode') {
          any = operator === 'any';
          continue;
        }
        const test = conditionTest(condition, operator, value, contains);
        (isRequired ? required : optional).push(test);
      }
      match = (item) => required.every((t) => t(item))
        && (!optional.length || (any ? optional.some((t) => t(item)) : optional.every((t) => t(item))));
    }
    return this.library.filter(match).map((item) => ({ ...toCsl(item), library: 'My Library', citekey: item.citationKey }));
  }

  /** NSItem.export: every key must match exactly one item, then `Translators.getTranslatorId` resolves the name. */
  private export(citekeys: string[], translator: string): string {
    const wanted = citekeys.map((k) => k.replace('@', ''));
    const found = this.library.filter((item) => item.citationKey && wanted.includes(item.citationKey));
    const missing = wanted.filter((k) => !found.some((item) => item.citationKey === k));
    if (missing.length) throw { code: INVALID_PARAMETERS, message: `not found: ${missing.join(', ')}` };
    const name = translator.toLowerCase().replace(/ /g, '');
    const format = ({ json: 'csl', bib: 'biblatex', biblatex: 'biblatex', bibtex: 'bibtex', betterbiblatex: 'biblatex', betterbibtex: 'bibtex', bettercsljson: 'csl' } as Record<string, string>)[name];
    if (!format) throw new Error(`getTranslatorId: ${JSON.stringify(translator)} could not be resolved to a translator`);
    if (format === 'csl') {
      // translators/csl/json.ts `flush`: one JSON object per line; csl.ts sets `id` and `citation-key` to the key.
      const items = found.map((item) => JSON.stringify({ ...toCsl(item), id: item.citationKey, 'citation-key': item.citationKey }));
      return `[\n${items.map((i) => `  ${i}`).join(',\n')}\n]\n`;
    }
    return found.map((item) => bibtex(item, item.citationKey, format === 'biblatex')).join('\n');
  }

  /** server_localAPI.js: `/api/` and `/api/users/0/items[/top|/KEY]` with `q` and `format`. */
  private localApiAnswer(url: URL, res: ServerResponse): void {
    if (!this.localApi) return send(res, 403, 'text/plain', 'Local API is not enabled');
    if (url.pathname === '/api/') return send(res, 200, 'text/plain', 'Nothing to see here.');
    const one = /^\/api\/users\/0\/items\/([A-Z0-9]{8})$/.exec(url.pathname);
    const format = url.searchParams.get('format');
    let items = this.library;
    if (one) items = items.filter((item) => item.key === one[1]);
    else if (url.pathname === '/api/users/0/items/top') {
      const words = (url.searchParams.get('q') ?? '').toLowerCase().split(/\s+/).filter((w) => w);
      items = items.filter((item) => !item.parentKey && words.every((w) => quickSearchText(item).includes(w)));
    } else return send(res, 404, 'text/plain', 'Not found');
    if (format === 'csljson') return send(res, 200, 'text/plain', JSON.stringify(items.map(toCsl), null, '\t'));
    if (format === 'biblatex' || format === 'bibtex') {
      // Zotero's own BibTeX translators make keys like creator_word_year.
      return send(res, 200, 'text/plain', items.map((item) => bibtex(item, `${(item.creators[0]?.lastName ?? '').toLowerCase()}_${item.title.split(' ')[0].toLowerCase()}_${item.date?.slice(0, 4)}`, format === 'biblatex')).join('\n'));
    }
    send(res, 400, 'text/plain', `Invalid 'format' value '${format}'`);
  }
}

function conditionTest(condition: string, operator: string | undefined, value: unknown, contains: (v: string | undefined, n: unknown) => boolean): (item: FakeZoteroItem) => boolean {
  const op = (actual: string | undefined): boolean => (operator === 'is' ? actual === value : operator === 'isNot' ? actual !== value : contains(actual, value));
  switch (condition) {
    case 'itemType': return (item) => op(item.itemType);
    case 'title': return (item) => op(item.title);
    case 'citationKey': return (item) => op(item.citationKey);
    case 'year': return (item) => op(item.date?.slice(0, 4));
    case 'publicationTitle': return (item) => op(item.publicationTitle);
    case 'creator': return (item) => item.creators.some((c) => op(c.lastName) || op(c.firstName) || op(c.name));
    // Zotero's quick search: every word of the value must be in a title, a creator or the year.
    case 'quicksearch-titleCreatorYear': return (item) => String(value).toLowerCase().split(/\s+/).every((w) => quickSearchText(item).includes(w));
    // Zotero's Search.addCondition refuses a condition it does not know; BBT passes that error on as -32603.
    default: throw new Error(`Invalid search condition '${condition}'`);
  }
}

function quickSearchText(item: FakeZoteroItem): string {
  return [item.title, item.date?.slice(0, 4), ...item.creators.map((c) => `${c.firstName ?? ''} ${c.lastName ?? ''} ${c.name ?? ''}`)].join(' ').toLowerCase();
}

const CSL_TYPES: Record<string, string> = { journalArticle: 'article-journal', book: 'book', conferencePaper: 'paper-conference', attachment: 'document' };

/** Zotero.Utilities.Item.itemToCSLJSON, for the fields the fake keeps: the id is the item's URI. */
function toCsl(item: FakeZoteroItem): Record<string, unknown> {
  const csl: Record<string, unknown> = { id: `http://zotero.org/users/local/AbCdEfGh/items/${item.key}`, type: CSL_TYPES[item.itemType] };
  csl.title = item.title;
  if (item.publicationTitle) csl['container-title'] = item.publicationTitle;
  if (item.DOI) csl.DOI = item.DOI;
  for (const c of item.creators) {
    const role = c.creatorType === 'editor' ? 'editor' : 'author';
    const name = c.name ? { literal: c.name } : { family: c.lastName ?? '', given: c.firstName ?? '' };
    ((csl[role] ??= []) as unknown[]).push(name);
  }
  if (item.date) csl.issued = { 'date-parts': [item.date.split('-').map(Number)] };
  return csl;
}

function bibtex(item: FakeZoteroItem, key: string, biblatex: boolean): string {
  const type = { journalArticle: 'article', book: 'book', conferencePaper: 'inproceedings' }[item.itemType] ?? 'misc';
  const authors = item.creators.filter((c) => c.creatorType === 'author').map((c) => `${c.lastName}, ${c.firstName}`).join(' and ');
  const fields = [`title = {${item.title}}`, `author = {${authors}}`, biblatex ? `date = {${item.date}}` : `year = {${item.date?.slice(0, 4)}}`];
  if (item.DOI) fields.push(`doi = {${item.DOI}}`);
  return `@${type}{${key},\n  ${fields.join(',\n  ')}\n}\n`;
}

function invalid(message: string): unknown {
  return { jsonrpc: '2.0', error: { code: INVALID_PARAMETERS, message }, id: null };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}
