// One parsed bibliography (BibTeX, CSL-JSON, CSL-YAML or a document's inline references) and its entry definitions.
import type { BibtexEntry, BibtexFile, CslFile, CslItemSyntax, SyntaxProblem, TextRange } from '../syntax/types';
import { scanBibtex, scanBibtexWindow } from '../syntax/bibtex/scanner';
import { mergeBibtexSlices, rescanBibtexEdit, scanBibtexSlice, sliceBoundaries } from '../syntax/bibtex/slices';
import { parseCslJson } from '../syntax/csl/json';
import { parseCslYaml } from '../syntax/csl/yaml';
import { looksLikeHayagriva, parseHayagrivaYaml } from '../syntax/csl/hayagriva';
import { LineIndex } from '../util/lineIndex';
import { authorYearLabel, bibtexAuthorYearLabel, decodeBibtexEntry, decodeCslItem, type DecodedEntry } from './entry';
import type { PersonName } from './names';
import { detached } from '../util/detached';

/** `hayagriva` (Typst's YAML) is told from CSL-YAML by content: both come from `.yml`/`.yaml` files. */
export type BibliographyFormat = 'bibtex' | 'csl-json' | 'csl-yaml' | 'hayagriva' | 'inline';

/** One place where a key is defined. A key defined twice has two definitions. */
export interface EntryDefinition {
  key: string;
  keyRange: TextRange;
  range: TextRange;
  /** Entry type as the file says it (`article`, `article-journal`, ...). */
  type: string;
  file: BibliographyFile;
  bibtex?: BibtexEntry;
  csl?: CslItemSyntax;
}

/** A text with a path, as diagnostics and positions need it. */
export interface SourceText {
  readonly path: string;
  readonly text: string;
  lineIndex(): LineIndex;
}

/** BibTeX files larger than this are scanned in slices of about this many characters. */
const SLICE_SIZE = 1 << 20;

const BIBTEX_EXTENSIONS = new Set(['.bib', '.bibtex', '.biblatex']);

/** Extensions of the files bibliographyFormatOf recognises. */
export const BIBLIOGRAPHY_FILE_EXTENSIONS: readonly string[] = ['.bib', '.bibtex', '.biblatex', '.json', '.yaml', '.yml'];

export function bibliographyFormatOf(path: string): BibliographyFormat | undefined {
  const dot = path.lastIndexOf('.');
  const ext = dot < 0 ? '' : path.slice(dot).toLowerCase();
  if (BIBTEX_EXTENSIONS.has(ext)) return 'bibtex';
  if (ext === '.json') return 'csl-json';
  if (ext === '.yaml' || ext === '.yml') return 'csl-yaml';
  return undefined;
}

export class BibliographyFile implements SourceText {
  readonly entries: EntryDefinition[];
  readonly problems: SyntaxProblem[];
  /** Definitions by exact key: the one definition, or a list for a key defined more than once (no array per key). */
  private keyMap: Map<string, EntryDefinition | EntryDefinition[]> | undefined;
  private lines: LineIndex | undefined;
  private decodedCache = new Map<EntryDefinition, DecodedEntry>();
  private labelCache = new Map<EntryDefinition, string>();

  private constructor(
    readonly path: string,
    readonly text: string,
    readonly format: BibliographyFormat,
    readonly version: number,
    private readonly bibtex: BibtexFile | undefined,
    csl: CslFile | undefined,
    /** Problems found before parsing (unreadable, too large, binary), reported as the file's only content. */
    extraProblems: SyntaxProblem[] = [],
    /** For an edited BibTeX file: the previous version, whose definitions outside the edit are taken over. */
    takeOver?: { previous: BibliographyFile; edited: { from: number; oldCount: number; newCount: number } },
  ) {
    this.entries = [];
    if (bibtex && takeOver) {
      // The same definition objects (their ranges already moved by the re-scan) now belong to this version.
      const { previous, edited } = takeOver;
      const define = (entry: BibtexEntry): EntryDefinition => ({ key: entry.key, keyRange: entry.keyRange, range: entry.range, type: entry.type, file: this, bibtex: entry });
      const kept = (definition: EntryDefinition) => {
        definition.file = this;
        this.entries.push(definition);
      };
      for (let i = 0; i < edited.from; i++) kept(previous.entries[i]);
      for (let i = edited.from; i < edited.from + edited.newCount; i++) this.entries.push(define(bibtex.entries[i]));
      for (let i = edited.from + edited.oldCount; i < previous.entries.length; i++) kept(previous.entries[i]);
    } else if (bibtex) {
      for (const entry of bibtex.entries) {
        this.entries.push({ key: entry.key, keyRange: entry.keyRange, range: entry.range, type: entry.type, file: this, bibtex: entry });
      }
    }
    if (csl) {
      for (const item of csl.items) {
        const type = typeof item.data.type === 'string' ? item.data.type : 'document';
        this.entries.push({ key: item.key, keyRange: item.keyRange, range: item.range, type, file: this, csl: item });
      }
    }
    this.problems = [...extraProblems, ...(bibtex?.problems ?? []), ...(csl?.problems ?? [])];
  }

  static parse(path: string, text: string, format: BibliographyFormat, version = 0): BibliographyFile {
    switch (format) {
      case 'bibtex':
        return new BibliographyFile(path, text, format, version, scanBibtex(text), undefined);
      case 'csl-json':
        return new BibliographyFile(path, text, format, version, undefined, parseCslJson(text));
      case 'csl-yaml':
      case 'hayagriva':
        return looksLikeHayagriva(text)
          ? new BibliographyFile(path, text, 'hayagriva', version, undefined, parseHayagrivaYaml(text))
          : new BibliographyFile(path, text, 'csl-yaml', version, undefined, parseCslYaml(text));
      case 'inline':
        return new BibliographyFile(path, text, format, version, undefined, parseCslYaml(text));
    }
  }

  /**
   * Like `parse`, but a large BibTeX file is scanned in slices with `pause()` awaited between them, so a server
   * stays responsive while it indexes a 100 MB file.
   */
  static async parseInSlices(
    path: string, text: string, format: BibliographyFormat, version: number, pause: () => Promise<void>,
  ): Promise<BibliographyFile> {
    if (format !== 'bibtex' || text.length <= SLICE_SIZE) return BibliographyFile.parse(path, text, format, version);
    const bounds = sliceBoundaries(text, SLICE_SIZE);
    const parts = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      if (i > 0) await pause();
      parts.push(scanBibtexSlice(text, bounds[i], bounds[i + 1]));
    }
    return new BibliographyFile(path, text, format, version, mergeBibtexSlices(parts), undefined);
  }

  /** The file after an edit: a BibTeX file re-scans only the entries the edit touched. */
  static reparse(previous: BibliographyFile, text: string, version: number): BibliographyFile {
    if (previous.format === 'bibtex' && previous.bibtex) {
      const rescanned = rescanBibtexEdit(previous.text, previous.bibtex, text);
      if (rescanned) {
        const { edited, change } = rescanned;
        const next = new BibliographyFile(previous.path, text, 'bibtex', version, rescanned, undefined, [], { previous, edited });
        next.previous = previous;
        next.edited = edited;
        previous.previous = undefined; // one link only: older texts can be freed
        next.takeOverDerived(previous, edited, change);
        return next;
      }
    }
    return BibliographyFile.parse(previous.path, text, previous.format, version);
  }

  /**
   * What the previous version worked out and this one can keep: decoded entries (the same definitions), the key map
   * (less the replaced definitions, plus the new ones) and the line index (moved past the change).
   */
  private takeOverDerived(previous: BibliographyFile, edited: { from: number; oldCount: number; newCount: number }, change: { start: number; oldEnd: number; newEnd: number }): void {
    const replaced = previous.entries.slice(edited.from, edited.from + edited.oldCount);
    const added = this.entries.slice(edited.from, edited.from + edited.newCount);
    this.decodedCache = previous.decodedCache;
    this.labelCache = previous.labelCache;
    for (const definition of replaced) {
      this.decodedCache.delete(definition);
      this.labelCache.delete(definition);
    }
    if (previous.keyMap) {
      const map = previous.keyMap;
      previous.keyMap = undefined;
      for (const definition of replaced) {
        const list = listOf(map.get(definition.key)).filter((d) => d !== definition);
        if (list.length) map.set(definition.key, list.length === 1 ? list[0] : list);
        else map.delete(definition.key);
      }
      for (const definition of added) {
        const held = map.get(definition.key);
        if (!held) map.set(definition.key, definition);
        else {
          const list = listOf(held).slice();
          const later = list.findIndex((d) => d.range.start > definition.range.start);
          list.splice(later < 0 ? list.length : later, 0, definition);
          map.set(definition.key, list);
        }
      }
      this.keyMap = map;
    }
    if (previous.lines) this.lines = LineIndex.afterEdit(previous.lines, this.text, change.start, change.oldEnd, change.newEnd);
  }

  /** The version this one was re-parsed from, kept so derived data (the search index) can be reused meanwhile. */
  previous: BibliographyFile | undefined;
  /** With `previous`: the entries [from, from + newCount) that replaced the previous [from, from + oldCount). */
  edited: { from: number; oldCount: number; newCount: number } | undefined;

  /**
   * A BibTeX file a LaTeX document writes itself (`filecontents`): the entries of `content`, with offsets into the
   * document's text, so definitions, hovers and renames point into the document.
   */
  static embedded(path: string, text: string, content: TextRange, version: number): BibliographyFile {
    return new BibliographyFile(path, text, 'bibtex', version, scanBibtexWindow(text, content.start, content.end), undefined);
  }

  /** A document's `references:` front matter, already parsed, as a bibliography of its own. */
  static fromInlineReferences(path: string, text: string, csl: CslFile, version = 0): BibliographyFile {
    return new BibliographyFile(path, text, 'inline', version, undefined, csl);
  }

  /** A file that could not be read as text: no entries, one problem at its start. */
  static unreadable(path: string, format: BibliographyFormat, message: string): BibliographyFile {
    const file = new BibliographyFile(path, '', format, 0, undefined, undefined, [{ range: { start: 0, end: 0 }, message }]);
    file.unreadable = true;
    return file;
  }

  /** True when the file could not be read as text; its one problem says why. */
  unreadable = false;

  /** Set when the bytes were not UTF-8 and were decoded as Latin-1: says what was assumed (an info diagnostic). */
  encodingNote: string | undefined;

  get strings() {
    return this.bibtex?.strings ?? new Map();
  }

  lineIndex(): LineIndex {
    this.lines ??= new LineIndex(this.text);
    return this.lines;
  }

  /** The line index, built in steps with `pause()` between them when it is not there yet (for a long text). */
  async lineIndexInSteps(pause: () => Promise<void>): Promise<LineIndex> {
    if (!this.lines) {
      const built = await LineIndex.inSteps(this.text, pause);
      this.lines ??= built;
    }
    return this.lines;
  }

  /** Definitions by exact key, built on first use. */
  private keys(): Map<string, EntryDefinition | EntryDefinition[]> {
    if (!this.keyMap) {
      const map = new Map<string, EntryDefinition | EntryDefinition[]>();
      for (const entry of this.entries) {
        const held = map.get(entry.key);
        if (!held) map.set(entry.key, entry);
        else if (Array.isArray(held)) held.push(entry);
        else map.set(entry.key, [held, entry]);
      }
      this.keyMap = map;
    }
    return this.keyMap;
  }

  definitions(key: string): EntryDefinition[] {
    return listOf(this.keys().get(key));
  }

  hasKey(key: string): boolean {
    return this.keys().has(key);
  }

  /** Keys with more than one definition in this file. */
  duplicateKeys(): EntryDefinition[][] {
    const out: EntryDefinition[][] = [];
    for (const held of this.keys().values()) if (Array.isArray(held)) out.push(held);
    return out;
  }

  /** Authors, title, year, ... decoded for display and search, computed once per entry. */
  decoded(entry: EntryDefinition): DecodedEntry {
    let decoded = this.decodedCache.get(entry);
    if (!decoded) {
      decoded = entry.bibtex
        ? detachedEntry(decodeBibtexEntry(this.text, entry.bibtex, this.strings))
        : decodeCslItem(entry.csl as CslItemSyntax);
      this.decodedCache.set(entry, decoded);
    }
    return decoded;
  }

  /**
   * `Author (Year)` of an entry, for completion: from the decoded entry when there is one, else from the names and
   * year alone (cached apart, so a keystroke that lists 100 entries does not decode their titles and containers).
   */
  authorYear(entry: EntryDefinition): string {
    const decoded = this.decodedCache.get(entry);
    if (decoded || !entry.bibtex) return authorYearLabel(decoded ?? this.decoded(entry));
    let label = this.labelCache.get(entry);
    if (label === undefined) {
      label = detached(bibtexAuthorYearLabel(this.text, entry.bibtex, this.strings));
      this.labelCache.set(entry, label);
    }
    return label;
  }

  /** The entry's text as written in the file. */
  source(entry: EntryDefinition): string {
    return this.text.slice(entry.range.start, entry.range.end);
  }
}

/**
 * The decoded entry with strings of its own: decoded values are often slices of the file's text, and the cache
 * outlives the text when an edited file takes it over (see util/detached).
 */
function detachedEntry(decoded: DecodedEntry): DecodedEntry {
  const withOwnStrings = <T extends object>(value: T): T => {
    const copy = { ...value } as Record<string, unknown>;
    for (const [name, field] of Object.entries(copy)) if (typeof field === 'string') copy[name] = detached(field);
    return copy as T;
  };
  const person = (name: PersonName) => (name.others ? name : withOwnStrings(name));
  return { ...withOwnStrings(decoded), authors: decoded.authors.map(person), editors: decoded.editors.map(person) };
}

/** A key map's value as a list (a fresh one for a single definition: callers may keep or change it). */
function listOf(held: EntryDefinition | EntryDefinition[] | undefined): EntryDefinition[] {
  if (held === undefined) return [];
  return Array.isArray(held) ? held : [held];
}
