// Reads a Markdown document's YAML metadata blocks: `bibliography:` paths, `nocite:` keys, `csl:` and inline
// `references:`, each with exact ranges into the document. Malformed YAML becomes a problem, never an exception.
import { type Document, isMap, isScalar, isSeq, type Node, parseDocument, Scalar } from 'yaml';
import type { BibliographyDeclaration, CitationOccurrence, CslFile, SyntaxProblem, TextRange } from '../types';
import { parseCslYamlReferences } from '../csl/yaml';
import { excessiveYamlNesting, YAML_TOO_DEEP_MESSAGE } from '../yamlNesting';
import { codePointAt, isAlphaNumCodePoint, readCiteKey } from './markdownCiteKey';
import { appendAll } from '../../util/appendAll';

export interface FrontMatter {
  bibliographies: BibliographyDeclaration[];
  nocites: CitationOccurrence[];
  cslStyle?: string;
  inlineReferences?: CslFile;
  problems: SyntaxProblem[];
}

/**
 * `key: value` on one line, the value a plain YAML scalar that cannot hold anything but text: no indicator first, no
 * `#`, `:` or quote anywhere, no trailing blanks. Keys are simple names.
 */
const SIMPLE_LINE = /^([A-Za-z][\w-]*):( +)([A-Za-z0-9_./~(][^#:'"\t\r\\]*?[^#:'"\s\\]|[A-Za-z0-9_./~(])$/;
/** Plain scalars YAML 1.2's core schema may read as null, booleans or numbers (`../refs.bib` is text, `.5` is not). */
const NOT_A_STRING = /^(?:(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|~)$|[0-9]|\.(?:[0-9]|inf|Inf|INF|nan|NaN|NAN))/;

/** Reads the YAML metadata blocks of one document. */
export class YamlBlockReader {
  constructor(private readonly text: string) {}

  /**
   * Pandoc only takes a `---` block as metadata when it holds a mapping (or nothing but comments). Decided from the
   * first line that says something (`key:`, `"key":`, `? key`), without parsing, so hostile input stays cheap.
   */
  isMetadata(content: TextRange): boolean {
    const firstLine = /^(?!#)[^\s].*$/m.exec(this.text.slice(content.start, content.end));
    return !firstLine || /^(?:[^\s:#-][^:]*|"[^"]*"|'[^']*'):(?:\s|$)|^\?\s/.test(firstLine[0]);
  }

  /** How many metadata blocks a document may have read: real documents have one or two. */
  private remainingReads = 20;

  read(content: TextRange, into: FrontMatter): void {
    if (this.remainingReads-- <= 0) return;
    const tooDeep = excessiveYamlNesting(this.text.slice(content.start, content.end));
    if (tooDeep !== undefined) {
      into.problems.push({ range: { start: content.start + tooDeep, end: content.start + tooDeep + 1 }, message: YAML_TOO_DEEP_MESSAGE });
      return;
    }
    if (this.readSimpleBlock(content, into)) return;
    const document = this.parse(content);
    const base = content.start;
    for (const error of document.errors) {
      // Clamped: the yaml package may point one past the end of the block.
      const length = content.end - content.start;
      const [start, end] = [Math.min(error.pos[0], length), Math.min(error.pos[1], length)];
      into.problems.push({
        range: { start: base + start, end: base + Math.max(end, start + 1) },
        message: `This YAML metadata block cannot be read: ${error.message.split('\n')[0]}`,
      });
    }
    const root = document.contents;
    if (!isMap(root)) return;
    for (const pair of root.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value as Node | null;
      if (name === 'bibliography') this.readBibliographies(value, base, into);
      else if (name === 'nocite') this.readNocites(value, base, into);
      else if (name === 'csl' && isScalar(value) && typeof value.value === 'string') into.cslStyle = value.value;
      else if (name === 'references') {
        const references = parseCslYamlReferences(this.text.slice(content.start, content.end), base);
        const known = new Set(into.problems.map((p) => `${p.range.start}:${p.message}`));
        references.problems = references.problems.filter((p) => !known.has(`${p.range.start}:${p.message}`));
        into.inlineReferences = mergeCslFiles(into.inlineReferences, references);
      }
    }
  }

  /**
   * Most metadata blocks are lines of `key: plain words` (`title: Notes on X`, `bibliography: refs.bib`). Such a
   * block is read here without the yaml package, which costs ~30 µs a block and adds up over a vault of thousands
   * of notes. Anything else (lists, quotes, comments, `nocite:`, `references:`, values YAML would read as numbers,
   * booleans or null) returns false and goes to the full parser, which gives the same answer for simple blocks.
   */
  private readSimpleBlock(content: TextRange, into: FrontMatter): boolean {
    const found: BibliographyDeclaration[] = [];
    let style: string | undefined;
    let lineStart = content.start;
    while (lineStart < content.end) {
      let lineEnd = this.text.indexOf('\n', lineStart);
      if (lineEnd < 0 || lineEnd > content.end) lineEnd = content.end;
      const line = SIMPLE_LINE.exec(this.text.slice(lineStart, lineEnd));
      if (!line) {
        if (this.text.slice(lineStart, lineEnd).trim() !== '') return false;
      } else {
        const [, name, spacing, value] = line;
        if (name === 'nocite' || name === 'references') return false;
        if (name === 'bibliography' || name === 'csl') {
          if (NOT_A_STRING.test(value)) return false;
          const start = lineStart + name.length + 1 + spacing.length;
          if (name === 'csl') style = value;
          else found.push({ path: value, range: { start, end: start + value.length } });
        }
      }
      lineStart = lineEnd + 1;
    }
    appendAll(into.bibliographies, found);
    if (style !== undefined) into.cslStyle = style;
    return true;
  }

  private parse(content: TextRange): Document.Parsed {
    return parseDocument(this.text.slice(content.start, content.end), { uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  }

  private readBibliographies(value: Node | null, base: number, into: FrontMatter): void {
    const scalars = isSeq(value) ? value.items : [value];
    for (const item of scalars) {
      if (isScalar(item) && typeof item.value === 'string' && item.value !== '') {
        into.bibliographies.push({ path: item.value, range: scalarTextRange(item, base) });
      } else if (item != null) {
        into.problems.push({
          range: nodeRange(item as Node, base),
          message: '`bibliography` should be a path or a list of paths.',
        });
      }
    }
  }

  /** `nocite:` is Markdown: every `@key` in it (`@*` for all) is used without being cited. */
  private readNocites(value: Node | null, base: number, into: FrontMatter): void {
    const scalars = isSeq(value) ? value.items : [value];
    for (const item of scalars) {
      if (!isScalar(item) || !item.range) continue;
      const [start, end] = item.range;
      const from = base + start;
      const to = base + end;
      for (let at = this.text.indexOf('@', from); at >= 0 && at < to; at = this.text.indexOf('@', at + 1)) {
        const before = at > from ? codePointAt(this.text, at - 1) : -1;
        if (before >= 0 && isAlphaNumCodePoint(before)) continue;
        const key = readCiteKey(this.text, at, to);
        if (!key || key.key === '') continue;
        into.nocites.push({ key: key.key, range: { start: key.keyStart, end: key.keyEnd }, kind: 'nocite' });
        at = key.end - 1;
      }
    }
  }
}

function nodeRange(node: Node, base: number): TextRange {
  const range = node.range ?? [0, 0, 0];
  return { start: base + range[0], end: base + range[1] };
}

/** The characters of a string scalar, without its quotes. */
function scalarTextRange(node: Scalar, base: number): TextRange {
  const range = nodeRange(node, base);
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) {
    return { start: range.start + 1, end: Math.max(range.start + 1, range.end - 1) };
  }
  return range;
}

function mergeCslFiles(first: CslFile | undefined, second: CslFile): CslFile {
  if (!first) return second;
  return { items: [...first.items, ...second.items], problems: [...first.problems, ...second.problems] };
}
