// Citations in LaTeX documents: the natbib and biblatex \cite families, \nocite, \bibitem,
// \bibliography/\addbibresource, \input-like includes, `% !TEX root` and which backend the document uses.
import type {
  BibitemDefinition, BibliographyDeclaration, CitationKind, CitationOccurrence, DocumentSyntax, IncludeDirective,
  SyntaxProblem, TextRange,
} from '../types';
import { groupContent, nextGroup, readKeyList, type ArgumentGroup, type ListItem } from './latexArguments';
import { scanLatex, type CommandToken } from './latexScan';

export interface LatexParseOptions {
  /** Extra command names (without backslash) whose last mandatory argument is a list of citation keys. */
  extraCiteCommands: string[];
}

/** How a command's arguments are laid out. */
type CiteShape =
  /** `\cite[pre][post]{keys}` */
  | 'single'
  /** `\cites(pre)(post)[pre][post]{k1}[pre][post]{k2}...` */
  | 'multi'
  /** `\volcite[pre]{volume}[pages]{keys}` */
  | 'volume'
  /** A user command: optional arguments, then mandatory ones; the last mandatory one holds the keys. */
  | 'extra';

const SINGLE_CITE_COMMANDS = [
  // LaTeX and natbib
  'cite', 'Cite', 'citep', 'Citep', 'citet', 'Citet', 'citealp', 'Citealp', 'citealt', 'Citealt', 'citeauthor',
  'Citeauthor', 'citefullauthor', 'Citefullauthor', 'citeyear', 'citeyearpar', 'citenum',
  // biblatex
  'parencite', 'Parencite', 'textcite', 'Textcite', 'autocite', 'Autocite', 'footcite', 'Footcite', 'footcitetext',
  'Footcitetext', 'smartcite', 'Smartcite', 'supercite', 'fullcite', 'footfullcite', 'citeurl', 'citetitle',
  'Citetitle', 'citedate', 'citeurldate', 'citename', 'citefield', 'citelist', 'notecite', 'Notecite', 'pnotecite',
  'Pnotecite', 'fnotecite', 'nocite',
];
const MULTI_CITE_COMMANDS = [
  'cites', 'Cites', 'parencites', 'Parencites', 'textcites', 'Textcites', 'autocites', 'Autocites', 'footcites',
  'Footcites', 'footcitetexts', 'Footcitetexts', 'smartcites', 'Smartcites', 'supercites',
];
const VOLUME_CITE_COMMANDS = [
  'volcite', 'Volcite', 'pvolcite', 'Pvolcite', 'fvolcite', 'Fvolcite', 'ftvolcite', 'Ftvolcite', 'svolcite',
  'Svolcite', 'tvolcite', 'Tvolcite', 'avolcite', 'Avolcite',
];
const BIBLIOGRAPHY_COMMANDS = ['bibliography', 'addbibresource', 'addglobalbib', 'addsectionbib'];
const INCLUDE_COMMANDS = ['input', 'include', 'InputIfFileExists', 'subfile', 'subfileinclude'];
const IMPORT_COMMANDS = ['import', 'subimport', 'inputfrom', 'subinputfrom', 'includefrom', 'subincludefrom'];
const OTHER_COMMANDS = ['bibitem', 'usepackage', 'RequirePackage', 'bibliographystyle', 'documentclass'];

/** Packages that mean BibTeX does the bibliography. */
const BIBTEX_PACKAGES = new Set(['natbib', 'cite', 'apacite', 'chicago', 'harvard', 'jurabib']);

function citeShapes(extra: string[]): Map<string, CiteShape> {
  const shapes = new Map<string, CiteShape>();
  for (const raw of extra) {
    const name = raw.replace(/^\\/, '').replace(/\*$/, '');
    if (name) shapes.set(name, 'extra');
  }
  for (const name of SINGLE_CITE_COMMANDS) shapes.set(name, 'single');
  for (const name of MULTI_CITE_COMMANDS) shapes.set(name, 'multi');
  for (const name of VOLUME_CITE_COMMANDS) shapes.set(name, 'volume');
  return shapes;
}

/** Reads one LaTeX file. Never throws; unreadable bits become `problems`. */
export function parseLatexDocument(text: string, options: LatexParseOptions): DocumentSyntax {
  const shapes = citeShapes(options?.extraCiteCommands ?? []);
  const interesting = new Set<string>([
    ...shapes.keys(), ...BIBLIOGRAPHY_COMMANDS, ...INCLUDE_COMMANDS, ...IMPORT_COMMANDS, ...OTHER_COMMANDS,
  ]);
  const scan = scanLatex(text, interesting);
  const reader = new LatexCommandReader(text, scan.closerAt);
  for (const command of scan.commands) {
    // Commands inside another command's key list or path are not commands LaTeX would run.
    if (reader.isInsideConsumed(command.start)) continue;
    const shape = shapes.get(command.name);
    if (shape) reader.readCitation(command, shape);
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
  usesBibtex = false;
  /** The citation command being read, and its key list being read: shared by their keys, widened as they are read. */
  private citation: TextRange | undefined;
  private citationKeyList: TextRange | undefined;
  documentClass: string | undefined;
  subfilesRoot: string | undefined;
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

  readCitation(command: CommandToken, shape: CiteShape): void {
    this.citation = { start: command.start, end: command.end };
    this.citationKeyList = undefined;
    const kind: CitationKind = command.name === 'nocite' ? 'nocite' : 'citation';
    let at = command.end;
    if (shape === 'multi') {
      for (let n = 0; n < 2; n++) {
        const global = this.group(at, '(');
        if (!global) break;
        if (global.close < 0) return this.unclosed(command, global.open, ')');
        at = global.close + 1;
      }
      let groups = 0;
      for (;;) {
        const next = this.optionalsThenKeys(command, at, kind, groups === 0);
        if (next === undefined) return;
        at = next;
        groups++;
      }
    }
    if (shape === 'volume') {
      const afterVolume = this.optionalsThenMandatory(command, at, 1);
      if (afterVolume === undefined) return;
      at = afterVolume;
    }
    if (shape === 'extra') {
      this.extraCommand(command, at, kind);
      return;
    }
    this.optionalsThenKeys(command, at, kind, true);
  }

  readOther(command: CommandToken): void {
    switch (command.name) {
      case 'bibitem': return this.bibitem(command);
      case 'usepackage':
      case 'RequirePackage': return this.usePackage(command);
      case 'bibliographystyle':
        this.usesBibtex = true;
        return;
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

  /** Skips optional arguments and `count` mandatory groups; returns the offset after them. */
  private optionalsThenMandatory(command: CommandToken, from: number, count: number): number | undefined {
    let at = this.skipOptionals(command, from);
    for (let n = 0; n < count && at !== undefined; n++) {
      const mandatory = this.group(at, '{');
      if (!mandatory || mandatory.close < 0) return undefined;
      at = this.skipOptionals(command, mandatory.close + 1, 1);
    }
    return at;
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

  private addKey(item: ListItem, kind: CitationKind): void {
    if (item.text === '') this.emptyCitations.push(item.range);
    // `#1` in a macro definition is a parameter, not a key.
    else if (!/#\d/.test(item.text)) {
      this.citations.push({ key: item.text, range: item.range, kind, citation: this.citation, keyList: this.citationKeyList });
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
    }
    if (packages.some((name) => BIBTEX_PACKAGES.has(name))) this.usesBibtex = true;
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
