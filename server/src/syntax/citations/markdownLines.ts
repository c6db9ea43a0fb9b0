// Lines of a Markdown document (blockquote markers stripped, indentation measured) and cached lookups of the
// lines that close code fences and YAML blocks, so unclosed openers cannot make the block scan quadratic.

export interface Line {
  start: number;
  /** End of the line's text, before `\n` / `\r\n`. */
  end: number;
  /** First non-space character after any `>` blockquote markers. */
  contentStart: number;
  /** Columns of indentation before `contentStart` (after the markers), tabs to the next multiple of 4. */
  indent: number;
  blank: boolean;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    const next = end < 0 ? text.length + 1 : end + 1;
    if (end < 0) end = text.length;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    lines.push(measureLine(text, start, end));
    start = next;
  }
  if (lines.length > 1 && lines[lines.length - 1].start === text.length) lines.pop();
  return lines;
}

function measureLine(text: string, start: number, end: number): Line {
  let pos = start;
  // Blockquote markers: up to three spaces, `>`, one optional space; repeated for nested quotes.
  for (;;) {
    let probe = pos;
    while (probe < end && probe - pos < 3 && text.charCodeAt(probe) === 32) probe++;
    if (text.charCodeAt(probe) !== 62 || probe >= end) break;
    pos = probe + 1;
    if (text.charCodeAt(pos) === 32) pos++;
  }
  let indent = 0;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === 32) indent++;
    else if (c === 9) indent += 4 - (indent % 4);
    else break;
    pos++;
  }
  return { start, end, contentStart: pos, indent, blank: pos >= end };
}

interface Delimiter {
  line: number;
  char: string;
  length: number;
}

/** Finds closing code fences and YAML block ends, remembering answers per kind of delimiter. */
export class FenceIndex {
  private readonly delimiters: Delimiter[] = [];
  private readonly cache = new Map<string, { from: number; found: number }>();

  /** `anyInfo`: CommonMark's fences, which take any info string (` ```{note} A title`), not just Pandoc's one word. */
  constructor(
    private readonly text: string,
    private readonly lines: Line[],
    private readonly anyInfo = false,
  ) {
    lines.forEach((line, n) => {
      const match = /^(`{3,}|~{3,}|-{3}|\.{3})[ \t]*$/.exec(text.slice(line.contentStart, line.end));
      if (match) this.delimiters.push({ line: n, char: match[1][0], length: match[1].length });
    });
  }

  /**
   * When a code fence opens at `offset` on line `n` and a later line closes it, the closing line; else -1.
   * `backtickOnly`: only backtick fences (the ones that may interrupt a paragraph).
   */
  closedFenceAt(n: number, backtickOnly: boolean, offset = this.lines[n].contentStart): number {
    const line = this.lines[n];
    const match = /^(`{3,}|~{3,})([^\n]*)$/.exec(this.text.slice(offset, line.end));
    if (!match) return -1;
    const char = match[1][0];
    if (backtickOnly && char !== '`') return -1;
    if (char === '`' && match[2].includes('`')) return -1;
    // Pandoc takes one word (`python`, `{r}`) or `{attributes}` after the fence, nothing else. A knitr/Quarto chunk
    // header (`{r setup, echo=FALSE}`) counts too: knitr runs those chunks before Pandoc sees the text.
    const info = match[2].trim();
    if (!this.anyInfo && info !== '' && !/^\S+$/.test(info) && !/^\{[^{}]*\}$/.test(info)) return -1;
    return this.nextDelimiter(char, match[1].length, n, Number.MAX_SAFE_INTEGER);
  }

  /** The line closing a YAML block opened on line `n` (`---` or `...`), or -1. */
  yamlCloserAfter(n: number): number {
    const dashes = this.nextDelimiter('-', 3, n, 3);
    const dots = this.nextDelimiter('.', 3, n, 3);
    if (dashes < 0) return dots;
    if (dots < 0) return dashes;
    return Math.min(dashes, dots);
  }

  private nextDelimiter(char: string, minLength: number, after: number, maxLength: number): number {
    const key = `${char}${minLength}`;
    const known = this.cache.get(key);
    if (known && known.from <= after && (known.found < 0 || known.found > after)) return known.found;
    let low = 0;
    let high = this.delimiters.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.delimiters[mid].line <= after) low = mid + 1;
      else high = mid;
    }
    let found = -1;
    for (let i = low; i < this.delimiters.length; i++) {
      const d = this.delimiters[i];
      if (d.char === char && d.length >= minLength && d.length <= maxLength) {
        found = d.line;
        break;
      }
    }
    this.cache.set(key, { from: after, found });
    return found;
  }
}

/** `indexOf`/regex search with a memory of the last answer per needle, for openers that may repeat unclosed. */
export class NextOccurrence {
  private readonly cache = new Map<string, { from: number; found: number; length: number }>();

  constructor(readonly text: string) {}

  /** Start and length of the next match of `pattern` (a global regex) at or after `from`, or undefined. */
  find(pattern: RegExp, from: number): { index: number; length: number } | undefined {
    const key = pattern.source + pattern.flags;
    const known = this.cache.get(key);
    if (!known || known.from > from || (known.found >= 0 && known.found < from)) {
      pattern.lastIndex = from;
      const match = pattern.exec(this.text);
      this.cache.set(key, { from, found: match ? match.index : -1, length: match ? match[0].length : 0 });
    }
    const answer = this.cache.get(key)!;
    return answer.found < 0 ? undefined : { index: answer.found, length: answer.length };
  }
}
