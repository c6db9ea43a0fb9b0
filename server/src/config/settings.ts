// The settings schema and defaults: read once per change at the edge, then passed down as a plain object.

export type RuleLevel = 'ignore' | 'hint' | 'info' | 'warning' | 'error';

export interface Settings {
  /** Globs of bibliography files used in addition to what documents declare. */
  bibliographies: string[];
  /**
   * The user's libraries (absolute, `~/…`, or relative to the first workspace folder): every document may cite from
   * them, and accepting one of their entries copies it into the document's bibliography. Listing one is the user's
   * permission to read it, wherever it lies.
   */
  libraries: string[];
  /** citation-js built-in style name or a path to a `.csl` file. */
  style: string;
  /** Severity per diagnostic code; codes not listed keep their default. */
  diagnosticLevels: Record<string, RuleLevel>;
  /** `@` references with these prefixes are cross-references, not citations. */
  crossrefPrefixes: string[];
  /** Extra LaTeX commands whose argument is a list of keys. */
  extraCiteCommands: string[];
  completionLimit: number;
  /** Bibliography files larger than this are refused with a diagnostic. */
  maxFileSizeBytes: number;
  /** Allow bibliography paths outside the workspace folders (off: only those, home for `~`, and TeX's search path). */
  allowOutsideWorkspace: boolean;
  /** How `.md` files are read: `auto` (MyST inside a mystmd or Jupyter Book project, else Pandoc), `pandoc` or `myst`. */
  markdownFlavor: MarkdownFlavor;
  /** Search a running Zotero (Better BibTeX, else its local API); off: Zotero is never contacted. */
  zoteroEnabled: boolean;
  /** Where Zotero's server listens; the default is loopback, another address only because the user set it. */
  zoteroUrl: string;
  /** Keep the search indexes of large bibliographies in a cache on disk, for a quicker next start. */
  indexCache: boolean;
}

export type MarkdownFlavor = 'auto' | 'pandoc' | 'myst';
const FLAVORS = new Set<MarkdownFlavor>(['auto', 'pandoc', 'myst']);

export const DEFAULT_CROSSREF_PREFIXES = [
  'fig-', 'tbl-', 'sec-', 'eq-', 'lst-', 'thm-', 'lem-', 'cor-', 'prp-', 'cnj-', 'def-', 'exm-', 'exr-', 'sol-', 'rem-',
  'fig:', 'sec:', 'tbl:', 'eq:', 'lst:',
];

export const DEFAULT_ZOTERO_URL = 'http://127.0.0.1:23119';

/** An http(s) URL without trailing slashes, else the default. */
function zoteroUrl(value: unknown): string {
  if (typeof value !== 'string') return DEFAULT_ZOTERO_URL;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href.replace(/\/+$/, '') : DEFAULT_ZOTERO_URL;
  } catch {
    return DEFAULT_ZOTERO_URL;
  }
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  bibliographies: [],
  libraries: [],
  style: 'apa',
  diagnosticLevels: {},
  crossrefPrefixes: DEFAULT_CROSSREF_PREFIXES,
  extraCiteCommands: [],
  completionLimit: 100,
  maxFileSizeBytes: 512 * 1024 * 1024,
  allowOutsideWorkspace: false,
  markdownFlavor: 'auto',
  zoteroEnabled: true,
  zoteroUrl: DEFAULT_ZOTERO_URL,
  indexCache: true,
});

const LEVELS = new Set<RuleLevel>(['ignore', 'hint', 'info', 'warning', 'error']);

function stringList(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : fallback;
}

/** Reads the `citekeys` settings section as the client sends it (nested objects), tolerating junk. */
export function readSettings(section: unknown): Settings {
  const raw = (section && typeof section === 'object' ? section : {}) as Record<string, unknown>;
  const nested = (name: string): Record<string, unknown> => {
    const value = raw[name];
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  };
  const levels: Record<string, RuleLevel> = {};
  for (const [code, level] of Object.entries(nested('diagnostics').levels ?? {})) {
    if (LEVELS.has(level as RuleLevel)) levels[code] = level as RuleLevel;
  }
  const limit = Number(nested('completion').limit ?? DEFAULT_SETTINGS.completionLimit);
  const maxMB = Number(raw.maxFileSizeMB ?? DEFAULT_SETTINGS.maxFileSizeBytes / 1024 / 1024);
  return {
    bibliographies: stringList(raw.bibliographies, []),
    libraries: stringList(raw.libraries, []).map((entry) => entry.trim()).filter(Boolean),
    style: typeof raw.style === 'string' && raw.style.trim() ? raw.style.trim() : DEFAULT_SETTINGS.style,
    diagnosticLevels: levels,
    crossrefPrefixes: stringList(nested('markdown').crossrefPrefixes, DEFAULT_CROSSREF_PREFIXES),
    extraCiteCommands: stringList(nested('latex').citeCommands, []),
    completionLimit: Number.isFinite(limit) ? Math.max(10, Math.min(1000, Math.round(limit))) : DEFAULT_SETTINGS.completionLimit,
    maxFileSizeBytes: Number.isFinite(maxMB) && maxMB > 0 ? maxMB * 1024 * 1024 : DEFAULT_SETTINGS.maxFileSizeBytes,
    allowOutsideWorkspace: raw.allowOutsideWorkspace === true,
    markdownFlavor: FLAVORS.has(nested('markdown').flavor as MarkdownFlavor) ? (nested('markdown').flavor as MarkdownFlavor) : 'auto',
    zoteroEnabled: nested('zotero').enabled !== false,
    zoteroUrl: zoteroUrl(nested('zotero').url),
    indexCache: raw.indexCache !== false,
  };
}
