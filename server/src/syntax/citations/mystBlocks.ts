// MyST block syntax the Markdown block scanner needs: which directives have a Markdown body (```{note}) and which
// hold code (```{code-cell}), the option lines at a directive's top, `(label)=` targets, colon fences and comments.
import type { Line } from './markdownLines';
import { lowerBound } from '../../util/lowerBound';

/**
 * Directives whose body is not Markdown: code, math, data, paths. From mystmd 1.8.3's directives whose body is a
 * string or absent, plus Sphinx / Jupyter Book 1 ones of the kind. Any other directive's body is read as Markdown.
 */
const NON_MARKDOWN_DIRECTIVES = new Set([
  'code', 'code-block', 'sourcecode', 'code-cell', 'csv-table', 'math', 'mermaid', 'myst', 'raw', 'mdast', 'index',
  'anywidget', 'include', 'literalinclude', 'embed', 'bibliography', 'iframe', 'image', 'toc', 'tableofcontents',
  'table-of-contents', 'toctree', 'contents', 'show-index', 'genindex', 'eval-rst', 'jupyter-execute', 'ipython',
  'graphviz', 'plantuml', 'glue', 'glue:figure', 'glue:math', 'footbibliography', 'highlight', 'only',
]);

/** `{name}` as a fence's info (` ```{note} Title`), or undefined for an ordinary code fence. */
export function directiveName(info: string): string | undefined {
  const match = /^\{([^{}\s]+)\}/.exec(info.trim());
  return match ? match[1] : undefined;
}

/** A directive whose body MyST parses as Markdown (its citations count). */
export function hasMarkdownBody(name: string): boolean {
  return !NON_MARKDOWN_DIRECTIVES.has(name) && !name.startsWith('raw:');
}

/**
 * The first line of a directive's body after its options: `:key: value` lines, or a `---` YAML block, right after the
 * opening line. `targets` receives `:label:` and `:name:` values (lower-cased, as mystmd compares labels).
 */
export function directiveBodyStart(text: string, lines: Line[], opener: number, closer: number, targets: Set<string>): number {
  let n = opener + 1;
  const first = lines[n];
  if (first && n < closer && /^---[ \t]*$/.test(text.slice(first.contentStart, first.end))) {
    for (let m = n + 1; m < closer; m++) {
      const content = text.slice(lines[m].contentStart, lines[m].end);
      if (/^---[ \t]*$/.test(content)) return m + 1;
      const label = /^(?:label|name):[ \t]*(\S+)/.exec(content);
      if (label) targets.add(label[1].toLowerCase());
    }
    return n;
  }
  while (n < closer) {
    const option = /^:([\w-]+):(?:[ \t]+(.*))?$/.exec(text.slice(lines[n].contentStart, lines[n].end));
    if (!option) break;
    if ((option[1] === 'label' || option[1] === 'name') && option[2]) targets.add(option[2].trim().toLowerCase());
    n++;
  }
  return n;
}

/** A MyST target line `(label)=`: the label, lower-cased. */
export function targetLabel(content: string): string | undefined {
  const match = /^\(([^()\s]+)\)=[ \t]*$/.exec(content);
  return match ? match[1].toLowerCase() : undefined;
}

/** A colon fence opening a directive, `:::{name}` (three or more colons): its length and name. */
export function colonFenceOpener(content: string): { length: number; name: string } | undefined {
  const match = /^(:{3,})\{([^{}\s]+)\}/.exec(content);
  return match ? { length: match[1].length, name: match[2] } : undefined;
}

/** Finds the lines closing colon fences (`:::` alone on a line), remembering answers per length, so it stays linear. */
export class ColonFenceIndex {
  private readonly closers: { line: number; length: number }[] = [];
  private readonly cache = new Map<number, { from: number; found: number }>();

  constructor(text: string, lines: Line[]) {
    lines.forEach((line, n) => {
      const match = /^(:{3,})[ \t]*$/.exec(text.slice(line.contentStart, line.end));
      if (match) this.closers.push({ line: n, length: match[1].length });
    });
  }

  /** The first line after `after` that closes a colon fence of `length` colons, or -1. */
  closerAfter(after: number, length: number): number {
    const known = this.cache.get(length);
    if (known && known.from <= after && (known.found < 0 || known.found > after)) return known.found;
    let found = -1;
    for (let i = lowerBound(this.closers.length, (k) => this.closers[k].line <= after); i < this.closers.length; i++) {
      if (this.closers[i].length >= length) {
        found = this.closers[i].line;
        break;
      }
    }
    this.cache.set(length, { from: after, found });
    return found;
  }
}
