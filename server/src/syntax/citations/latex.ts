// Citations in LaTeX documents (the cite commands of latexCiteCommands.ts), \bibitem,
// \bibliography/\addbibresource, \input-like includes, `% !TEX root` and which backend the document uses.
import type {
  BibitemDefinition, BibliographyDeclaration, CitationKind, CitationOccurrence, DocumentSyntax, IncludeDirective,
  LatexBibliographyStyle, SyntaxProblem, TextRange,
} from '../types';
import {
  groupContent, isParagraphBreakAt, nextGroup, readKeyList, skipFiller, type ArgumentGroup, type ListItem,
} from './latexArguments';
import { citeCommands, type CiteCommand } from './latexCiteCommands';
import { scanLatex, type CommandToken } from './latexScan';

export interface LatexParseOptions {
  /** Extra command names (without backslash) whose last mandatory argument is a list of citation keys. */
  extraCiteCommands: string[];
}

const BIBLIOGRAPHY_COMMANDS = ['bibliography', 'addbibresource', 'addglobalbib', 'addsectionbib'];
const INCLUDE_COMMANDS = ['input', 'include', 'InputIfFileExists', 'subfile', 'subfileinclude'];
const IMPORT_COMMANDS = ['import', 'subimport', 'inputfrom', 'subinputfrom', 'includefrom', 'subincludefrom'];
const OTHER_COMMANDS = ['bibitem', 'usepackage', 'RequirePackage', 'bibliographystyle', 'documentclass'];

/** How far an apacite `<prefix>` may run, so that many unclosed ones cost linear time. */
const MAX_PREFIX_LENGTH = 2000;

/** Packages that mean BibTeX does the bibliography. */
const BIBTEX_PACKAGES = new Set([
  'natbib', 'cite', 'overcite', 'apacite', 'chicago', 'harvard', 'jurabib', 'abntex2cite', 'achemso',
]);

/**
 * The table plus the commands the file declares with biblatex's `\DeclareCiteCommand{\name}` and
 * `\DeclareMultiCiteCommand{\name}` (a known command keeps its shape).
 */
function withDeclaredCommands(text: string, table: ReadonlyMap<string, CiteCommand>): ReadonlyMap<string, CiteCommand> {
  if (!text.includes('CiteCommand')) return table;
  let declared: Map<string, CiteCommand> | undefined;
  for (const match of text.matchAll(/\\Declare(Multi)?CiteCommand\*?\s*\{?\s*\\([A-Za-z]+)/g)) {
    if (table.has(match[2]) || declared?.has(match[2])) continue;
    declared ??= new Map(table);
    declared.set(match[2], { shape: match[1] ? 'multi' : 'single', kind: 'citation', prefix: false });
  }
  return declared ?? table;
}

/** Reads one LaTeX file. Never throws; unreadable bits become `problems`. */
export function parseLatexDocument(text: string, options: LatexParseOptions): DocumentSyntax {
  const commands = withDeclaredCommands(text, citeCommands(options?.extraCiteCommands ?? []));
  const interesting = new Set<string>([
    ...commands.keys(), ...BIBLIOGRAPHY_COMMANDS, ...INCLUDE_COMMANDS, ...IMPORT_COMMANDS, ...OTHER_COMMANDS,
  ]);
  const scan = scanLatex(text, interesting);
  const reader = new LatexCommandReader(text, scan.closerAt);
  for (const command of scan.commands) {
    // Commands inside another command's key list or path are not commands LaTeX would run.
    if (reader.isInsideConsumed(command.start)) continue;
    const cite = commands.get(command.name);
    if (cite) reader.readCitation(command, cite);
    else reader.readOther(command);
  }
  const syntax: DocumentSyntax = {
    citations: reader.citations.sort((a, b) => a.range.start - b.range.start),
    emptyCitations: reader.emptyCitations.sort((a, b) => a.start - b.start),
    bibliographies: reader.bibliographies,
    bibitems: reader.bibitems,
    includes: reader.includes,
    problems: reader.problems,
  };
  if (scan.magicRoot !== undefined) syntax.magicRoot = scan.magicRoot;
  if (reader.documentClass !== undefined) syntax.documentClass = reader.documentClass;
  if (reader.subfilesRoot !== undefined) syntax.subfilesRoot = reader.subfilesRoot;
  if (scan.embeddedFiles.length) syntax.embeddedFiles = scan.embeddedFiles;
  const backend = reader.biblatexBackend ?? (reader.usesBibtex ? 'bibtex' : undefined);
  if (backend) syntax.backend = backend;
  const style = reader.biblatexStyle ?? reader.bibtexStyle;
  if (style) syntax.latexBibliographyStyle = style;
  return syntax;
}

/** Include commands the subfiles package defines: they find their file as `\subimport` does. */
const SUBFILE_COMMANDS = ['subfile', 'subfileinclude'];

/** Collects what the commands found by the scan declare, reading their arguments. */
class LatexCommandReader {
  readonly citations: CitationOccurrence[] = [];
  readonly emptyCitations: TextRange[] = [];
  readonly bibliographies: BibliographyDeclaration[] = [];
  readonly bibitems: BibitemDefinition[] = [];
  readonly includes: IncludeDirective[] = [];
  readonly problems: SyntaxProblem[] = [];
  biblatexBackend: 'bibtex' | 'biber' | undefined;
  biblatexStyle: LatexBibliographyStyle | undefined;
  bibtexStyle: LatexBibliographyStyle | undefined;
  usesBibtex = false;
  /** The citation command being read, and its key list being read: shared by their keys, widened as they are read. */
  private citation: TextRange | undefined;
  private citationKeyList: TextRange | undefined;
  documentClass: string | undefined;
  subfilesRoot: string | undefined;
  /** The last `<prefix>` scanned: from its `<` to where the scan stopped (its `>`, or -1 as `close` when none). */
  private lastPrefix: { open: number; close: number; end: number } | undefined;
  /**
   * Key lists and paths already read that end after the current command, earliest on top. They do not
   * overlap, and a command's arguments lie before the key list of any command whose note contains it.
   */
  private readonly consumed: TextRange[] = [];

  constructor(private readonly text: string, private readonly closerAt: Int32Array) {}

  isInsideConsumed(offset: number): boolean {
    const consumed = this.consumed;
    while (consumed.length > 0 && consumed[consumed.length - 1].end <= offset) consumed.pop();
    return consumed.length > 0 && consumed[consumed.length - 1].start <= offset;
  }

  private consume(start: number, end: number): void {
    const top = this.consumed[this.consumed.length - 1];
    if (!top || end <= top.start) this.consumed.push({ start, end });
  }

  readCitation(command: CommandToken, cite: CiteCommand): void {
    this.citation = { start: command.start, end: command.end };
    this.citationKeyList = undefined;
    const kind = cite.kind;
    let at = command.end;
    while (this.text[at] === '*') at++; // harvard's \cite**
    if (cite.shape === 'extra') return this.extraCommand(command, at, kind);
    if (cite.shape === 'multi' || cite.shape === 'multivolume') {
      for (let n = 0; n < 2; n++) {
        const global = this.group(at, '(');
        if (!global) break;
        if (global.close < 0) return this.unclosed(command, global.open, ')');
        at = global.close + 1;
      }
      for (let groups = 0; ; groups++) {
        const next = cite.shape === 'multi'
          ? this.optionalsThenKeys(command, at, kind, groups === 0)
          : this.volumeThenKeys(command, at, kind);
        if (next === undefined) return;
        at = next;
      }
    }
    if (cite.prefix) {
      const prefix = this.angleGroup(at);
      if (prefix && prefix.close < 0) return this.unclosed(command, prefix.open, '>');
      if (prefix) at = prefix.close + 1;
    }
    if (cite.shape === 'volume') {
      this.volumeThenKeys(command, at, kind);
      return;
    }
    const next = this.optionalsThenKeys(command, at, kind, true);
    const second = cite.shape === 'pair' && next !== undefined ? this.group(next, '{') : undefined;
    if (second) this.keyList(command, second.open, kind);
  }

  /**
   * apacite's `<prefix>`: up to the first `>` outside braces, within the paragraph and the next 2000 characters.
   * A `<` inside the span of the last scan ends where that scan ended, so many `<` cost linear time.
   */
  private angleGroup(from: number): ArgumentGroup | undefined {
    const at = skipFiller(this.text, from);
    if (at < 0 || this.text[at] !== '<') return undefined;
    const last = this.lastPrefix;
    if (last && last.open < at && at < last.end) return { open: at, close: last.close };
    const limit = Math.min(this.text.length, at + MAX_PREFIX_LENGTH);
    let close = -1;
    let i = at + 1;
    for (; i < limit; i++) {
      const c = this.text[i];
      if (c === '>') {
        close = i;
        break;
      }
      if (c === '{' && this.closerAt[i] > i) i = this.closerAt[i];
      else if (c === '\\') i++;
      else if ((c === '\n' || c === '\r') && isParagraphBreakAt(this.text, i)) break;
    }
    this.lastPrefix = { open: at, close, end: i };
    return { open: at, close };
  }

  readOther(command: CommandToken): void {
    switch (command.name) {
      case 'bibitem': return this.bibitem(command);
      case 'usepackage':
      case 'RequirePackage': return this.usePackage(command);
      case 'bibliographystyle':
        this.usesBibtex = true;
        return this.bibliographyStyle(command);
      case 'bibliography': return this.bibliography(command);
      case 'documentclass': return this.documentClassDeclaration(command);
    }
    if (BIBLIOGRAPHY_COMMANDS.includes(command.name)) return this.bibResource(command);
    if (INCLUDE_COMMANDS.includes(command.name)) return this.include(command);
    if (IMPORT_COMMANDS.includes(command.name)) return this.importFile(command);
  }

  private group(at: number, opener: string): ArgumentGroup | undefined {
    return nextGroup(this.text, this.closerAt, at, opener);
  }

  private unclosed(command: CommandToken, at: number, closer: string): void {
    this.problems.push({
      range: { start: command.start, end: at + 1 },
      message: `\\${command.name} has an argument that is never closed: add the missing \`${closer}\`.`,
    });
  }

  /** Skips up to two `[..]`; returns the offset after them, or undefined when one is not closed. */
  private skipOptionals(command: CommandToken, from: number, max = 2): number | undefined {
    let at = from;
    for (let n = 0; n < max; n++) {
      const optional = this.group(at, '[');
      if (!optional) break;
      if (optional.close < 0) {
        this.unclosed(command, optional.open, ']');
        return undefined;
      }
      at = optional.close + 1;
    }
    return at;
  }

  /** `[..][..]{keys}` starting at `from`; returns the offset after the keys, or undefined when there are none. */
  private optionalsThenKeys(command: CommandToken, from: number, kind: CitationKind, required: boolean): number | undefined {
    this.citationKeyList = { start: from, end: from };
    const at = this.skipOptionals(command, from);
    if (at === undefined) return undefined;
    const keys = this.group(at, '{');
    if (!keys) {
      if (!required && at !== from) this.unclosed(command, at - 1, '{keys}');
      return undefined;
    }
    return this.keyList(command, keys.open, kind);
  }

  /** `[pre]{volume}[pages]{keys}` starting at `from`; returns the offset after the keys, or undefined. */
  private volumeThenKeys(command: CommandToken, from: number, kind: CitationKind): number | undefined {
    this.citationKeyList = { start: from, end: from };
    let at = this.skipOptionals(command, from, 1);
    if (at === undefined) return undefined;
    const volume = this.group(at, '{');
    if (!volume || volume.close < 0) return undefined;
    at = this.skipOptionals(command, volume.close + 1, 1);
    if (at === undefined) return undefined;
    const keys = this.group(at, '{');
    return keys ? this.keyList(command, keys.open, kind) : undefined;
  }

  private keyList(command: CommandToken, open: number, kind: CitationKind): number {
    const list = readKeyList(this.text, this.closerAt, open);
    if (!list.closed) this.unclosed(command, open, '}');
    this.consume(open, list.end);
    if (this.citation) this.citation.end = list.end;
    if (this.citationKeyList) this.citationKeyList.end = list.end;
    for (const item of list.items) this.addKey(item, kind);
    return list.end;
  }

  private addKey(listed: ListItem, kind: CitationKind): void {
    // mciteplus (achemso loads it) merges `*b` into the entry before it; the key is `b`.
    const item = listed.text.length > 1 && listed.text[0] === '*' && !listed.braced
      ? { ...listed, text: listed.text.slice(1), range: { start: listed.range.start + 1, end: listed.range.end } }
      : listed;
    if (item.text === '') this.emptyCitations.push(item.range);
    // `#1` in a macro definition is a parameter, not a key.
    else if (!/#\d/.test(item.text)) {
      this.citations.push({ key: item.text, range: item.range, kind, citation: this.citation, keyList: this.citationKeyList });
      if (item.braced && this.biblatexBackend) {
        this.problems.push({
          range: item.range,
          message: `biblatex keeps the braces around \`${item.text}\` and will look for a key with braces: remove them.`,
        });
      }
      if (item.trailingSpace) {
        this.problems.push({
          range: item.range,
          message: `LaTeX reads the space after \`${item.text}\` as part of the key and will not find it: remove the space.`,
        });
      }
    }
  }

  /** A user command: leading optional arguments, then adjacent `{..}` groups; keys are in the last one. */
  private extraCommand(command: CommandToken, from: number, kind: CitationKind): void {
    const at = this.skipOptionals(command, from, 4);
    if (at === undefined) return;
    let last = this.group(at, '{');
    if (!last) return;
    while (last.close >= 0 && this.text[last.close + 1] === '{') {
      last = { open: last.close + 1, close: this.closerAt[last.close + 1] };
    }
    this.keyList(command, last.open, kind);
  }

  private bibitem(command: CommandToken): void {
    const at = this.skipOptionals(command, command.end, 1);
    if (at === undefined) return;
    const key = this.group(at, '{');
    if (!key || key.close < 0) return;
    const content = groupContent(this.text, key);
    this.consume(key.open, key.close + 1);
    if (content.text) this.bibitems.push({ key: content.text, range: content.range });
  }

  private usePackage(command: CommandToken): void {
    const options = this.group(command.end, '[');
    if (options && options.close < 0) return;
    const names = this.group(options ? options.close + 1 : command.end, '{');
    if (!names || names.close < 0) return;
    this.consume(names.open, names.close + 1);
    const packages = withoutComments(this.text.slice(names.open + 1, names.close)).split(',').map((name) => name.trim());
    if (packages.includes('biblatex')) {
      const optionText = options ? withoutComments(this.text.slice(options.open + 1, options.close)) : '';
      const backend = /(?:^|,)\s*backend\s*=\s*([A-Za-z0-9]+)/.exec(optionText)?.[1];
      this.biblatexBackend = backend?.startsWith('bibtex') ? 'bibtex' : 'biber';
      const style = /(?:^|,)\s*bibstyle\s*=\s*([\w-]+)/.exec(optionText)?.[1] ?? /(?:^|,)\s*style\s*=\s*([\w-]+)/.exec(optionText)?.[1];
      this.biblatexStyle = { via: 'biblatex', name: style ?? 'numeric' };
    }
    if (packages.some((name) => BIBTEX_PACKAGES.has(name))) this.usesBibtex = true;
  }

  /** `\bibliographystyle{plainnat}`: the first one counts, as BibTeX complains about a second. */
  private bibliographyStyle(command: CommandToken): void {
    const name = this.group(command.end, '{');
    if (!name || name.close < 0 || this.bibtexStyle) return;
    const text = withoutComments(this.text.slice(name.open + 1, name.close)).trim();
    if (/^[\w.-]+$/.test(text)) this.bibtexStyle = { via: 'bibtex', name: text };
  }

  private bibliography(command: CommandToken): void {
    const paths = this.group(command.end, '{');
    if (!paths) return;
    const list = readKeyList(this.text, this.closerAt, paths.open);
    if (!list.closed) this.unclosed(command, paths.open, '}');
    this.consume(paths.open, list.end);
    for (const item of list.items) {
      if (item.text) this.bibliographies.push({ path: item.text, range: item.range, defaultExtension: '.bib' });
    }
  }

  private bibResource(command: CommandToken): void {
    const path = this.pathArgument(command, this.skipOptionals(command, command.end, 1));
    if (path?.content.text) this.bibliographies.push({ path: path.content.text, range: path.content.range });
  }

  /** `\input{x}`, `\include{x}`; `\subfile{dir/x}`, which the subfiles package runs as `\subimport{dir/}{x}`. */
  private include(command: CommandToken): void {
    const path = this.pathArgument(command, command.end) ?? this.bracelessInput(command);
    const written = path?.content.text.replace(/^"(.*)"$/, '$1');
    if (!path || !written) return;
    if (SUBFILE_COMMANDS.includes(command.name)) {
      const folder = written.slice(0, written.lastIndexOf('/') + 1);
      this.includes.push({ path: written, range: path.content.range, via: 'subimport', folder });
    } else {
      this.includes.push({ path: written, range: path.content.range, via: 'input' });
    }
  }

  /** `\import{dir/}{file}`: the path is the two joined; the range is the file's. */
  private importFile(command: CommandToken): void {
    const directory = this.pathArgument(command, command.end);
    if (!directory) return;
    const file = this.pathArgument(command, directory.end);
    if (!file?.content.text) return;
    const dir = directory.content.text;
    const folder = dir === '' || dir.endsWith('/') ? dir : `${dir}/`;
    const via = command.name.startsWith('sub') ? 'subimport' : 'import';
    this.includes.push({ path: folder + file.content.text, range: file.content.range, via, folder });
  }

  /** TeX's own `\input chapter1`: the name runs to the next space, on the same line. */
  private bracelessInput(command: CommandToken): { content: ListItem; end: number } | undefined {
    if (command.name !== 'input' || !/[ \t]/.test(this.text[command.end] ?? '')) return undefined;
    const match = /^[ \t]+([\w./-]+)/.exec(this.text.slice(command.end, command.end + 300));
    if (!match) return undefined;
    const start = command.end + match[0].length - match[1].length;
    return { content: { text: match[1], range: { start, end: start + match[1].length } }, end: start + match[1].length };
  }

  /** The first `\documentclass[options]{class}`; a subfiles chapter names its main file in the options. */
  private documentClassDeclaration(command: CommandToken): void {
    if (this.documentClass !== undefined) return;
    const options = this.group(command.end, '[');
    if (options && options.close < 0) return;
    const name = this.group(options ? options.close + 1 : command.end, '{');
    if (!name || name.close < 0) return;
    this.consume(options?.open ?? name.open, name.close + 1);
    this.documentClass = withoutComments(this.text.slice(name.open + 1, name.close)).trim();
    const main = options ? withoutComments(this.text.slice(options.open + 1, options.close)).trim() : '';
    if (this.documentClass === 'subfiles' && main) this.subfilesRoot = main;
  }

  /** A closed `{path}` after `at`, trimmed, and the offset after it. */
  private pathArgument(command: CommandToken, at: number | undefined): { content: ListItem; end: number } | undefined {
    if (at === undefined) return undefined;
    const group = this.group(at, '{');
    if (!group) return undefined;
    if (group.close < 0) {
      this.unclosed(command, group.open, '}');
      return undefined;
    }
    this.consume(group.open, group.close + 1);
    return { content: groupContent(this.text, group), end: group.close + 1 };
  }
}

function withoutComments(text: string): string {
  return text.replace(/(^|[^\\])%[^\n\r]*/g, '$1');
}
