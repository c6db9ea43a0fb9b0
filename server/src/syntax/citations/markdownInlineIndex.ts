// Precomputed lookups over one run of inline Markdown (matching brackets, backtick runs, next occurrences) so the
// inline scanner answers "where does this end?" without rescanning: linear time even on hostile input.
import { lowerBound } from '../../util/lowerBound';

interface BacktickRuns {
  /** Run start offsets, ascending, per run length. */
  byLength: Map<number, number[]>;
}

export class InlineIndex {
  /** For each `(`, `[`, `{` of the run: offset of its matching closer + 1 (0: none). Built on first use. */
  private closers: Int32Array | undefined;
  private whitespaceBefore: Uint32Array | undefined;
  private backtickRuns: BacktickRuns | undefined;
  private readonly nextFound = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** The `)`, `]` or `}` matching the opener at `open` (counting only that kind), or -1. */
  private close(open: number): number {
    if (!this.closers) this.closers = this.matchBrackets();
    return this.closers[open - this.start] - 1;
  }

  private matchBrackets(): Int32Array {
    const closers = new Int32Array(this.end - this.start);
    const parens: number[] = [];
    const brackets: number[] = [];
    const braces: number[] = [];
    for (let i = this.start; i < this.end; i++) {
      const c = this.text.charCodeAt(i);
      let open: number | undefined;
      if (c === 40) parens.push(i);
      else if (c === 91) brackets.push(i);
      else if (c === 123) braces.push(i);
      else if (c === 41) open = parens.pop();
      else if (c === 93) open = brackets.pop();
      else if (c === 125) open = braces.pop();
      if (open !== undefined) closers[open - this.start] = i + 1;
    }
    return closers;
  }

  private whitespaceCount(offset: number): number {
    if (!this.whitespaceBefore) {
      const counts = new Uint32Array(this.end - this.start + 1);
      let whitespace = 0;
      for (let i = this.start; i < this.end; i++) {
        counts[i - this.start] = whitespace;
        const c = this.text.charCodeAt(i);
        if (c === 32 || c === 9 || c === 10 || c === 13) whitespace++;
      }
      counts[this.end - this.start] = whitespace;
      this.whitespaceBefore = counts;
    }
    return this.whitespaceBefore[offset - this.start];
  }

  parenClose(open: number): number {
    return this.close(open);
  }

  bracketClose(open: number): number {
    return this.close(open);
  }

  braceClose(open: number): number {
    return this.close(open);
  }

  /** For `@{...}`: the matching `}` when nothing between the braces is whitespace, else -1. */
  bracedKeyClose(open: number): number {
    const close = this.close(open);
    if (close < 0) return -1;
    return this.whitespaceCount(close) === this.whitespaceCount(open) ? close : -1;
  }

  /**
   * Pandoc's code span at the backtick run starting at `at`: where the span ends, or -1 when none does; and where the
   * run ends. A run of n backticks needs a later run of exactly n; failing that, Pandoc reads one literal backtick
   * and tries again with the rest of the run, so a shorter opener inside the run may still close. `commonMark`:
   * the run is literal as a whole when no run of its length follows.
   */
  codeSpanAt(at: number, commonMark = false): { spanEnd: number; runEnd: number } {
    let runEnd = at;
    while (runEnd < this.end && this.text.charCodeAt(runEnd) === 96) runEnd++;
    if (commonMark) {
      // CommonMark (markdown-it, so MyST): an unmatched run is literal as a whole.
      const closer = this.nextRunOfLength(runEnd - at, runEnd);
      return { spanEnd: closer < 0 ? -1 : closer + (runEnd - at), runEnd };
    }
    for (let open = at; open < runEnd; open++) {
      const closer = this.nextRunOfLength(runEnd - open, runEnd);
      if (closer >= 0) return { spanEnd: closer + (runEnd - open), runEnd };
    }
    return { spanEnd: -1, runEnd };
  }

  private nextRunOfLength(length: number, after: number): number {
    const starts = this.runs().byLength.get(length);
    if (!starts) return -1;
    const low = lowerBound(starts.length, (i) => starts[i] < after);
    return low < starts.length ? starts[low] : -1;
  }

  private runs(): BacktickRuns {
    if (this.backtickRuns) return this.backtickRuns;
    const byLength = new Map<number, number[]>();
    for (let i = this.start; i < this.end; ) {
      if (this.text.charCodeAt(i) !== 96) {
        i++;
        continue;
      }
      const runStart = i;
      while (i < this.end && this.text.charCodeAt(i) === 96) i++;
      const list = byLength.get(i - runStart);
      if (list) list.push(runStart);
      else byLength.set(i - runStart, [runStart]);
    }
    this.backtickRuns = { byLength };
    return this.backtickRuns;
  }

  /** The next `needle` at or after `from` within the run, or -1; answers are cached so repeated asks stay cheap. */
  nextIndexOf(needle: string, from: number): number {
    const known = this.nextFound.get(needle);
    if (known !== undefined && (known === -1 ? true : known >= from) && this.askedFrom(needle) <= from) return known;
    const found = this.text.indexOf(needle, from);
    const result = found < 0 || found + needle.length > this.end ? -1 : found;
    this.nextFound.set(needle, result);
    this.askedFromMap.set(needle, from);
    return result;
  }

  private readonly askedFromMap = new Map<string, number>();

  private askedFrom(needle: string): number {
    return this.askedFromMap.get(needle) ?? Number.MAX_SAFE_INTEGER;
  }

  /** After `</name>` (any case) at or after `from`, or -1. */
  closingTag(name: string, from: number): number {
    const key = `</${name}>`;
    const pattern = new RegExp(`</${name}\\s*>`, 'gi');
    const known = this.nextFound.get(key);
    if (known !== undefined && this.askedFrom(key) <= from && (known === -1 || known >= from)) return known;
    pattern.lastIndex = from;
    const match = pattern.exec(this.text);
    const result = match && match.index + match[0].length <= this.end ? match.index + match[0].length : -1;
    this.nextFound.set(key, result);
    this.askedFromMap.set(key, from);
    return result;
  }

  /** `\begin{env}...\end{env}` inline (`pos` is just after `\begin`): the end of `\end{env}`, or -1. */
  latexEnvironmentEnd(pos: number): number {
    if (this.text.charCodeAt(pos) !== 123) return -1;
    const close = this.close(pos);
    if (close < 0) return -1;
    const ending = `\\end{${this.text.slice(pos + 1, close)}}`;
    const found = this.nextIndexOf(ending, close + 1);
    return found < 0 ? -1 : found + ending.length;
  }
}
