// Splits a Pandoc Markdown document into the runs of inline text whose citations count, skipping fenced and
// indented code, raw HTML/LaTeX blocks, YAML blocks and reference definitions; collects example-list labels.
import type { TextRange } from '../types';
import { FenceIndex, type Line, NextOccurrence, splitLines } from './markdownLines';
import { ColonFenceIndex, colonFenceOpener, directiveBodyStart, directiveName, hasMarkdownBody, targetLabel } from './mystBlocks';

export interface YamlBlock {
  /** The whole block with its `---` / `...` lines. */
  range: TextRange;
  /** The YAML between the fences. */
  content: TextRange;
}

export interface MarkdownBlocks {
  /** Runs of inline text (paragraphs, headings, table rows, ...); none contains a blank line. */
  inlineRuns: TextRange[];
  /** YAML metadata blocks, the front matter first when there is one. */
  yamlBlocks: YamlBlock[];
  /** Labels of example list items `(@label)`: a bare `@label` refers to the example, not to a reference. */
  exampleLabels: Set<string>;
  /** MyST: labels of `(label)=` targets and of directives' `:label:` options, lower-cased; `@label` refers to them. */
  targets: Set<string>;
}

export interface BlockScanOptions {
  /**
   * MyST (CommonMark and mystmd's extensions): fenced directives with a Markdown body (```{note}, :::{tip}) are read
   * inside, code-like ones (```{code-cell}) are not; `%` lines are comments; metadata is front matter only; no title
   * block and no raw LaTeX blocks.
   */
  myst?: boolean;
}

/** Decides whether the text between `---` lines is a YAML mapping (Pandoc reads other YAML as ordinary text). */
export type IsYamlMapping = (content: TextRange) => boolean;

const LIST_MARKER =
  /^(?:[-+*]|\(?(?:\d{1,9}|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]|\((?:\d{1,9}|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+)\)|\(@[\p{L}\p{N}_-]*\)|@[\p{L}\p{N}_-]*[.)])(?=[ \t]|$)/u;
const HORIZONTAL_RULE = /^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const RAW_HTML_BLOCK = /^<(pre|script|style|textarea)(?=[\s>]|$)/i;
const LATEX_BEGIN = /^\\begin\{([^{}\n]+)\}/;
const REFERENCE_DEFINITION = /^\[(?!\^)([^\]\n]+)\]:(?:[ \t]|$)/;
const NOTE_DEFINITION = /^\[\^[^\]\s]+\]:/;
const DEFINITION_MARKER = /^[:~](?=[ \t])/;
const DIV_FENCE = /^:::+/;
const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;
const CITE_IN_LABEL = /(?:^|[^\p{L}\p{N}])-?@[\p{L}\p{N}_{*]/u;

export function scanMarkdownBlocks(text: string, isYamlMapping: IsYamlMapping, options: BlockScanOptions = {}): MarkdownBlocks {
  const myst = options.myst === true;
  const lines = splitLines(text);
  const fences = new FenceIndex(text, lines, myst);
  const colonFences = myst ? new ColonFenceIndex(text, lines) : undefined;
  /** Lines closing a MyST directive whose body is read as Markdown. */
  const directiveClosers = new Set<number>();
  const occurrences = new NextOccurrence(text);
  const result: MarkdownBlocks = { inlineRuns: [], yamlBlocks: [], exampleLabels: new Set(), targets: new Set() };
  const containers: number[] = [];
  let paragraph: TextRange | undefined;
  let prevBlank = true;
  const closeParagraph = (): void => {
    if (paragraph) result.inlineRuns.push(paragraph);
    paragraph = undefined;
  };

  let n = myst ? 0 : skipTitleBlock(text, lines);
  const frontMatter = yamlBlockAt(text, lines, n, fences, isYamlMapping);
  if (n === 0 && frontMatter) {
    result.yamlBlocks.push(frontMatter.block);
    n = frontMatter.nextLine;
  }

  while (n < lines.length) {
    const line = lines[n];
    if (line.blank) {
      closeParagraph();
      prevBlank = true;
      n++;
      continue;
    }
    const content = text.slice(line.contentStart, line.end);
    if (myst && mystLineIsBoundary(n, content)) {
      closeParagraph();
      prevBlank = true;
      n++;
      continue;
    }
    if (paragraph) {
      const fence = fences.closedFenceAt(n, true);
      const listInterrupts = containers.length > 0 && LIST_MARKER.test(content) && !HORIZONTAL_RULE.test(content);
      if (fence < 0 && !listInterrupts && !DIV_FENCE.test(content)) {
        paragraph.end = line.end;
        n++;
        continue;
      }
      closeParagraph();
      if (fence >= 0) {
        n = afterFence(n, line.contentStart, fence); // a backtick fence interrupts a paragraph, however deeply indented
        continue;
      }
    }
    while (containers.length > 0 && containers[containers.length - 1] > line.indent) containers.pop();
    const base = containers.length > 0 ? containers[containers.length - 1] : 0;
    if (line.indent - base >= 4) {
      n++; // indented code
      prevBlank = false;
      continue;
    }
    const next = blockAt(text, lines, n, line.contentStart, line.indent, prevBlank);
    prevBlank = false;
    n = next;
  }
  closeParagraph();
  return result;

  /** A line that is no text and ends a paragraph in MyST: a directive's closing fence, a comment, a target, `+++`. */
  function mystLineIsBoundary(n: number, content: string): boolean {
    if (directiveClosers.has(n) || content.startsWith('%') || /^\+\+\+/.test(content)) return true;
    const label = targetLabel(content);
    if (label !== undefined) result.targets.add(label);
    return label !== undefined;
  }

  /** The line to go on from after the code fence opened at `offset` of line `n` and closed on line `closer`. */
  function afterFence(n: number, offset: number, closer: number): number {
    if (!myst) return closer + 1;
    const name = directiveName(text.slice(offset, lines[n].end).replace(/^[`~]+/, ''));
    if (name === undefined || !hasMarkdownBody(name)) return closer + 1;
    directiveClosers.add(closer);
    return directiveBodyStart(text, lines, n, closer, result.targets);
  }

  /** A MyST colon fence `:::{name}` on line `n`: the line to go on from, or undefined when it is no directive. */
  function afterColonFence(n: number, content: string): number | undefined {
    const opener = colonFences && colonFenceOpener(content);
    if (!opener || !colonFences) return undefined;
    const closer = colonFences.closerAfter(n, opener.length);
    if (hasMarkdownBody(opener.name)) return directiveBodyStart(text, lines, n, closer < 0 ? lines.length : closer, result.targets);
    return closer < 0 ? n + 1 : closer + 1;
  }

  /**
   * Reads the block starting at `offset` (column `column`) of line `n`; returns the next line to look at.
   * Opens `paragraph` when the line is inline text. A list marker or note label followed by more text on the same
   * line (`- - x`, `- ```r`) goes round the loop for what follows: a loop, not recursion, as one line can hold
   * 100,000 markers.
   */
  function blockAt(source: string, all: Line[], n: number, firstOffset: number, firstColumn: number, afterBlank: boolean): number {
    const line = all[n];
    // A thematic break (`- - -`) can only start within the line's trailing run of one rule character and blanks.
    const ruleFrom = ruleTailStart(source, line.contentStart, line.end);
    let offset = firstOffset;
    let column = firstColumn;
    for (let first = true; ; first = false) {
      const content = source.slice(offset, line.end);
      const isRule = offset >= ruleFrom && HORIZONTAL_RULE.test(content);
      const fenceEnd = fences.closedFenceAt(n, false, offset);
      if (fenceEnd >= 0) return afterFence(n, offset, fenceEnd);
      if (first && afterBlank && !myst) {
        const yaml = yamlBlockAt(source, all, n, fences, isYamlMapping);
        if (yaml) {
          result.yamlBlocks.push(yaml.block);
          return yaml.nextLine;
        }
      }
      const colonFenceEnd = myst ? afterColonFence(n, content) : undefined;
      if (colonFenceEnd !== undefined) return colonFenceEnd;
      if (isRule || DIV_FENCE.test(content)) return n + 1;
      if (ATX_HEADING.test(content)) {
        result.inlineRuns.push({ start: offset, end: line.end });
        return n + 1;
      }
      const rawEnd = rawBlockEnd(occurrences, offset, content, myst);
      if (rawEnd !== undefined) {
        let after = n;
        while (after < all.length && all[after].end < rawEnd) after++;
        if (after < all.length && rawEnd < all[after].end) result.inlineRuns.push({ start: rawEnd, end: all[after].end });
        return after + 1;
      }
      const reference = REFERENCE_DEFINITION.exec(content);
      if (reference && !CITE_IN_LABEL.test(reference[1])) return n + 1;
      let restStart: number;
      const note = NOTE_DEFINITION.exec(content);
      const marker = note ? null : LIST_MARKER.exec(content) ?? DEFINITION_MARKER.exec(content);
      if (note) {
        containers.push(column + 4);
        restStart = offset + note[0].length;
        column += note[0].length;
      } else if (marker) {
        const label = /^\(?@([\p{L}\p{N}_-]+)/u.exec(marker[0]);
        if (label) result.exampleLabels.add(label[1]);
        let spaces = 0;
        let pos = offset + marker[0].length;
        while (pos < line.end && (source[pos] === ' ' || source[pos] === '\t')) {
          spaces += source[pos] === '\t' ? 4 - ((column + marker[0].length + spaces) % 4) : 1;
          pos++;
        }
        const markerEnd = column + marker[0].length;
        if (pos >= line.end) {
          containers.push(markerEnd + 1);
          return n + 1;
        }
        if (spaces >= 5) {
          containers.push(markerEnd + 1);
          return n + 1; // `-     code`: the item starts with indented code
        }
        containers.push(markerEnd + spaces);
        restStart = pos;
        column = markerEnd + spaces;
      } else {
        paragraph = { start: offset, end: line.end };
        return n + 1;
      }
      // What follows the marker or label on this line: another block start, or text.
      while (restStart < line.end && (source[restStart] === ' ' || source[restStart] === '\t')) restStart++;
      if (restStart >= line.end) return n + 1;
      offset = restStart;
    }
  }
}

/**
 * The start of a line's trailing run of one thematic-break character (`-`, `*`, `_`) and blanks, or `end + 1` when
 * the line does not end with one. Testing the rule pattern only from there keeps `- - - … x` linear.
 */
function ruleTailStart(source: string, start: number, end: number): number {
  let p = end;
  while (p > start && (source[p - 1] === ' ' || source[p - 1] === '\t')) p--;
  const rule = source[p - 1];
  if (p === start || (rule !== '-' && rule !== '*' && rule !== '_')) return end + 1;
  while (p > start && (source[p - 1] === rule || source[p - 1] === ' ' || source[p - 1] === '\t')) p--;
  return p;
}

/** Pandoc's title block: `%` lines at the very top go to the metadata. Returns the first line after it. */
function skipTitleBlock(text: string, lines: Line[]): number {
  if (lines.length === 0 || text[lines[0].start] !== '%') return 0;
  let n = 0;
  while (n < lines.length && !lines[n].blank) n++;
  return n;
}

/** A `---` line, a non-blank line, YAML, and a closing `---` or `...` line: a metadata block. */
function yamlBlockAt(
  text: string,
  lines: Line[],
  n: number,
  fences: FenceIndex,
  isYamlMapping: IsYamlMapping,
): { block: YamlBlock; nextLine: number } | undefined {
  const line = lines[n];
  if (!line || line.indent !== 0 || !/^---[ \t]*$/.test(text.slice(line.start, line.end))) return undefined;
  if (n + 1 >= lines.length || lines[n + 1].blank) return undefined;
  const close = fences.yamlCloserAfter(n);
  if (close < 0) return undefined;
  const content = { start: lines[n + 1].start, end: lines[close].start };
  if (!isYamlMapping(content)) return undefined;
  return { block: { range: { start: line.start, end: lines[close].end }, content }, nextLine: close + 1 };
}

/** `<!-- -->`, `<pre>`-like elements and `\begin{env}...\end{env}` at a block start: where they end, if they do. */
function rawBlockEnd(occurrences: NextOccurrence, offset: number, content: string, myst: boolean): number | undefined {
  const after = (match: { index: number; length: number } | undefined): number | undefined =>
    match && match.index + match.length;
  if (content.startsWith('<!--')) return after(occurrences.find(/-->/g, offset + 4));
  const html = RAW_HTML_BLOCK.exec(content);
  if (html) return after(occurrences.find(new RegExp(`</${html[1].toLowerCase()}\\s*>`, 'gi'), offset));
  const latex = myst ? null : LATEX_BEGIN.exec(content);
  if (latex) return latexEnvironmentEnd(occurrences, offset, latex[1]);
  return undefined;
}

/** Matching `\end{env}` for the `\begin{env}` at `offset`, counting nested environments of the same name. */
function latexEnvironmentEnd(occurrences: NextOccurrence, offset: number, name: string): number | undefined {
  const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const end = new RegExp(`\\\\end\\{${quoted}\\}`, 'g');
  if (!occurrences.find(end, offset)) return undefined;
  const either = new RegExp(`\\\\(begin|end)\\{${quoted}\\}`, 'g');
  let depth = 0;
  either.lastIndex = offset;
  for (let match = either.exec(occurrences.text); match; match = either.exec(occurrences.text)) {
    depth += match[1] === 'begin' ? 1 : -1;
    if (depth === 0) return match.index + match[0].length;
  }
  return undefined;
}
