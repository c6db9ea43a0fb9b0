// One pass over a Typst file with an explicit stack of syntax modes (markup, code, math), as typst-syntax's lexer and
// parser switch between them: finds references, cite/ref calls, labels, bibliography calls and includes.
import type { CitationOccurrence, TextRange } from '../types';
import type { TypstDocumentSyntax } from './typst';
import {
  blockCommentEnd, closedStringAt, codePointAt, identEnd, isIdContinue, isIdStart, isNewline, isWhitespace, labelCharsEnd, lineCommentEnd,
  linkEnd, numberEnd, rawEnd, stringEnd, unitsOf,
} from './typstLexing';

/** Markup: the whole file, a content block `[…]` in code, or a reference's supplement `@key[…]`. */
interface MarkupFrame {
  kind: 'markup';
  /** False for the file itself, which no `]` ends. */
  content: boolean;
  /** Brackets in markup text pair up: `[a [b] c]` is one block. */
  nesting: number;
  /** `@key[…]`: the occurrence whose citation range ends with this block. */
  closes?: CitationOccurrence;
}

/** `( … )` or `{ … }` in code. */
interface GroupFrame {
  kind: 'group';
  closer: ')' | '}';
  call?: Call;
}

/**
 * Code after `#` in markup or math. `start`: the first token. `postfix`: after an atomic expression, which goes on
 * with `(…)`, `[…]` or `.field` written directly after it. `statement` (let, set, show, import, include, return):
 * up to the line's end or `;`. `clause` (if, while, for): up to its body block; `afterBody`: an `else` may follow.
 */
interface EmbeddedFrame {
  kind: 'embedded';
  phase: 'start' | 'postfix' | 'statement' | 'clause' | 'afterBody';
}

interface MathFrame {
  kind: 'math';
}

type Frame = MarkupFrame | GroupFrame | EmbeddedFrame | MathFrame;

/** A call of `cite`, `ref` or `bibliography`, whose first positional argument matters. */
interface Call {
  name: string;
  /** Where the call starts: its `#`, else its name. */
  start: number;
  argStart: boolean;
  positional: number;
  occurrence?: CitationOccurrence;
}

const CALLS = new Set(['cite', 'ref', 'bibliography']);
const STATEMENTS = new Set(['let', 'set', 'show', 'import', 'include', 'return']);
const CLAUSES = new Set(['if', 'while', 'for']);

export class TypstScanner {
  private at = 0;
  private readonly stack: Frame[] = [{ kind: 'markup', content: false, nesting: 0 }];
  private lastIdent = { name: '', start: -1, end: -1, afterDot: false };

  constructor(private readonly text: string, private readonly syntax: TypstDocumentSyntax) {}

  run(): void {
    const text = this.text;
    if (text.startsWith('#!')) this.at = lineCommentEnd(text, 0);
    while (this.at < text.length) {
      const frame = this.stack[this.stack.length - 1];
      if (frame.kind === 'markup') this.markup(frame);
      else if (frame.kind === 'group') this.group(frame);
      else if (frame.kind === 'embedded') this.embedded(frame);
      else this.math();
    }
    for (const frame of this.stack) this.close(frame, text.length);
  }

  // -------------------------------------------------------------------------------------------
  // Modes: each step consumes at least one character or leaves a frame.

  private markup(frame: MarkupFrame): void {
    const t = this.text;
    const i = this.at;
    if (this.trivia(i)) return;
    switch (t[i]) {
      case '`': this.at = rawEnd(t, i); return;
      case '\\': this.at = this.escapeEnd(i); return;
      case 'h': {
        const scheme = t.startsWith('ttp://', i + 1) ? 7 : t.startsWith('ttps://', i + 1) ? 8 : 0;
        if (scheme) { this.at = linkEnd(t, i + scheme); return; }
        break;
      }
      case '<':
        if (isIdContinue(codePointAt(t, i + 1))) { this.markupLabel(i); return; }
        break;
      case '@':
        if (isIdContinue(codePointAt(t, i + 1))) { this.reference(i); return; }
        break;
      case '#': this.hash(i); return;
      case '[': frame.nesting++; break;
      case ']':
        if (frame.nesting > 0) frame.nesting--;
        else if (frame.content) { this.pop(i + 1); return; }
        break;
      case '$': this.push({ kind: 'math' }, i + 1); return;
    }
    this.at = i + unitsOf(codePointAt(t, i));
  }

  private math(): void {
    const t = this.text;
    const i = this.at;
    if (this.trivia(i)) return;
    switch (t[i]) {
      case '\\': this.at = this.escapeEnd(i); return;
      case '"': this.at = stringEnd(t, i); return;
      case '#': this.hash(i); return;
      case '$': this.pop(i + 1); return;
    }
    this.at = i + unitsOf(codePointAt(t, i));
  }

  private group(frame: GroupFrame): void {
    const t = this.text;
    const i = this.at;
    const c = t[i];
    if (isWhitespace(c)) { this.at = i + 1; return; }
    if (this.trivia(i)) return;
    if (c === ')' || c === '}' || c === ']') {
      // Any closer ends an argument list; a stray one in a code block is an error Typst skips.
      if (c === frame.closer) this.pop(i + 1);
      else if (frame.closer === ')') this.pop(i);
      else this.at = i + 1;
      return;
    }
    const call = frame.call;
    if (call && c === ',') { call.argStart = true; this.at = i + 1; return; }
    if (call && call.argStart) this.argument(call, i);
    this.codeToken(i);
  }

  private embedded(frame: EmbeddedFrame): void {
    const t = this.text;
    const i = this.at;
    const c = t[i];
    if (frame.phase === 'start') { this.embeddedStart(frame, i); return; }
    if (frame.phase === 'postfix') {
      if (c === '(') this.openGroup(i, ')');
      else if (c === '[') this.openContent(i);
      else if (c === '.' && isIdStart(codePointAt(t, i + 1))) this.ident(i + 1);
      else this.pop(i);
      return;
    }
    if (frame.phase === 'afterBody') { this.afterBody(frame, i); return; }
    // A statement or clause: code up to the line's end (embedded code stops at newlines).
    if (isNewline(c)) { this.pop(i); return; }
    if (isWhitespace(c)) { this.at = i + 1; return; }
    if (c === ';') { this.pop(i + 1); return; }
    if (c === ']' || c === ')' || c === '}') { this.pop(i); return; }
    if (this.trivia(i)) return;
    if (frame.phase === 'clause' && (c === '{' || c === '[')) {
      frame.phase = 'afterBody';
      if (c === '{') this.openGroup(i, '}');
      else this.openContent(i);
      return;
    }
    this.codeToken(i);
  }

  private embeddedStart(frame: EmbeddedFrame, i: number): void {
    const t = this.text;
    const c = t[i];
    if (isIdStart(codePointAt(t, i))) {
      const word = this.ident(i);
      if (STATEMENTS.has(word)) {
        frame.phase = 'statement';
        if (word === 'include') this.include(this.at);
      } else if (CLAUSES.has(word)) {
        frame.phase = 'clause';
      } else if (word === 'context') {
        while (t[this.at] === ' ' || t[this.at] === '\t') this.at++;
      } else {
        frame.phase = 'postfix';
      }
      return;
    }
    frame.phase = 'postfix';
    if (c === '(' || c === '{') this.openGroup(i, c === '(' ? ')' : '}');
    else if (c === '[') this.openContent(i);
    else if (c === '$') this.push({ kind: 'math' }, i + 1);
    else if (c === '"') this.at = stringEnd(t, i);
    else if (c === '`') this.at = rawEnd(t, i);
    else if (c === '<' && isIdContinue(codePointAt(t, i + 1))) this.at = this.labelEnd(i);
    else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(t[i + 1] ?? ''))) this.pop(numberEnd(t, c === '.' ? i + 1 : i));
    else this.pop(i); // not an expression: Typst reports it and goes on with markup
  }

  /** After an `if`/`while`/`for` body: `else` (or `else if`) goes on, anything else ends the expression. */
  private afterBody(frame: EmbeddedFrame, i: number): void {
    const t = this.text;
    let j = i;
    while (t[j] === ' ' || t[j] === '\t') j++;
    if (!this.keywordAt(j, 'else')) { this.pop(i); return; }
    j += 4;
    while (t[j] === ' ' || t[j] === '\t') j++;
    if (this.keywordAt(j, 'if')) j += 2;
    frame.phase = 'clause';
    this.at = j;
  }

  /** One token of code inside a statement, clause or group. */
  private codeToken(i: number): void {
    const t = this.text;
    const c = t[i];
    if (c === '`') this.at = rawEnd(t, i);
    else if (c === '"') this.at = stringEnd(t, i);
    else if (c === '<' && isIdContinue(codePointAt(t, i + 1))) this.at = this.labelEnd(i);
    else if (c === '(' || c === '{') this.openGroup(i, c === '(' ? ')' : '}');
    else if (c === '[') this.openContent(i);
    else if (c === '$') this.push({ kind: 'math' }, i + 1);
    else if (/[0-9]/.test(c)) this.at = numberEnd(t, i);
    else if (isIdStart(codePointAt(t, i))) {
      const afterDot = t[i - 1] === '.' && t[i - 2] !== '.';
      if (this.ident(i) === 'include' && !afterDot) this.include(this.at);
    } else this.at = i + unitsOf(codePointAt(t, i));
  }

  // -------------------------------------------------------------------------------------------
  // Tokens

  /** Comments and a stray `*\/`, which every mode skips. */
  private trivia(i: number): boolean {
    const t = this.text;
    if (t[i] === '/' && t[i + 1] === '/') this.at = lineCommentEnd(t, i);
    else if (t[i] === '/' && t[i + 1] === '*') this.at = blockCommentEnd(t, i);
    else if (t[i] === '*' && t[i + 1] === '/') this.at = i + 2;
    else return false;
    return true;
  }

  /** `\@` escapes the next character; a backslash before whitespace is a line break. */
  private escapeEnd(i: number): number {
    const next = this.text[i + 1];
    return next === undefined || isWhitespace(next) ? i + 1 : i + 1 + unitsOf(codePointAt(this.text, i + 1));
  }

  /** `#` in markup or math starts embedded code, unless whitespace or a comment follows (an error to Typst). */
  private hash(i: number): void {
    const t = this.text;
    const next = t[i + 1];
    if (next === undefined || isWhitespace(next) || (next === '/' && (t[i + 2] === '/' || t[i + 2] === '*'))) {
      this.at = i + 1;
      return;
    }
    this.push({ kind: 'embedded', phase: 'start' }, i + 1);
  }

  private ident(i: number): string {
    const end = identEnd(this.text, i);
    const name = this.text.slice(i, end);
    this.lastIdent = { name, start: i, end, afterDot: this.text[i - 1] === '.' };
    this.at = end;
    return name;
  }

  private keywordAt(j: number, word: string): boolean {
    return this.text.startsWith(word, j) && !isIdContinue(codePointAt(this.text, j + word.length));
  }

  /** Where a label token `<…>` starting at `i` ends (an unclosed one ends after its characters). */
  private labelEnd(i: number): number {
    const end = labelCharsEnd(this.text, i + 1);
    return this.text[end] === '>' ? end + 1 : end;
  }

  private markupLabel(i: number): void {
    const end = this.labelEnd(i);
    if (this.text[end - 1] === '>') this.syntax.labels.push(this.text.slice(i + 1, end - 1));
    this.at = end;
  }

  /** `@key`, without a trailing `.` or `:`, and its supplement `[…]` when one follows directly. */
  private reference(i: number): void {
    const t = this.text;
    let end = labelCharsEnd(t, i + 1);
    while (t[end - 1] === '.' || t[end - 1] === ':') end--;
    const occurrence: CitationOccurrence = { key: t.slice(i + 1, end), range: { start: i + 1, end }, kind: 'citation', reference: true };
    this.syntax.citations.push(occurrence);
    if (t[end] === '[') {
      occurrence.citation = { start: i, end: i };
      this.openContent(end, occurrence);
    } else {
      this.at = end;
    }
  }

  /** `include "x.typ"`: the string after the keyword ending at `end`. */
  private include(end: number): void {
    const t = this.text;
    let j = end;
    while (isWhitespace(t[j] ?? '')) j++;
    const path = closedStringAt(this.text, j);
    if (path) this.syntax.includes.push({ path: path.value, range: path.range, via: 'relative' });
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  /** The start of an argument of `cite`, `ref` or `bibliography`: reads the first positional one. */
  private argument(call: Call, i: number): void {
    const t = this.text;
    call.argStart = false;
    if (isIdStart(codePointAt(t, i))) {
      let j = identEnd(t, i);
      while (isWhitespace(t[j] ?? '')) j++;
      if (t[j] === ':') return; // a named argument
    }
    if (call.positional++ !== 0) return;
    if (call.name === 'bibliography') { this.bibliographyArgument(i); return; }
    const key = this.labelArgument(i);
    if (!key) return;
    const occurrence: CitationOccurrence = { key: key.value, range: key.range, kind: 'citation', citation: { start: call.start, end: call.start } };
    if (call.name === 'ref') occurrence.reference = true;
    this.syntax.citations.push(occurrence);
    call.occurrence = occurrence;
  }

  /** `<key>` or `label("key")` at `i`. */
  private labelArgument(i: number): { value: string; range: TextRange } | undefined {
    const t = this.text;
    if (t[i] === '<') {
      const end = labelCharsEnd(t, i + 1);
      return end > i + 1 && t[end] === '>' ? { value: t.slice(i + 1, end), range: { start: i + 1, end } } : undefined;
    }
    if (!this.keywordAt(i, 'label') || t[i + 5] !== '(') return undefined;
    let j = i + 6;
    while (isWhitespace(t[j] ?? '')) j++;
    const key = closedStringAt(this.text, j);
    if (!key || key.value === '') return undefined;
    j = key.end;
    while (isWhitespace(t[j] ?? '')) j++;
    return t[j] === ')' || t[j] === ',' ? key : undefined;
  }

  /** `bibliography("a.bib")` or `bibliography(("a.bib", "b.yml"))`. */
  private bibliographyArgument(i: number): void {
    const t = this.text;
    const single = closedStringAt(this.text, i);
    if (single) { this.syntax.bibliographies.push({ path: single.value, range: single.range }); return; }
    if (t[i] !== '(') return;
    let j = i + 1;
    for (;;) {
      while (isWhitespace(t[j] ?? '')) j++;
      const path = closedStringAt(this.text, j);
      if (!path) return;
      this.syntax.bibliographies.push({ path: path.value, range: path.range });
      j = path.end;
      while (isWhitespace(t[j] ?? '')) j++;
      if (t[j] !== ',') return;
      j++;
    }
  }

  /** The call a `(` at `i` opens, when it directly follows `cite`, `ref` or `bibliography` (or `std.cite`, …). */
  private callAt(i: number): Call | undefined {
    const { name, start, end, afterDot } = this.lastIdent;
    if (end !== i || !CALLS.has(name)) return undefined;
    let from = start;
    if (afterDot) {
      if (this.text.slice(start - 4, start - 1) !== 'std' || isIdContinue(codePointAt(this.text, start - 5))) return undefined;
      from -= 4;
    }
    if (this.text[from - 1] === '#') from--;
    return { name, start: from, argStart: true, positional: 0 };
  }

  // -------------------------------------------------------------------------------------------
  // The stack

  private openGroup(i: number, closer: ')' | '}'): void {
    const call = closer === ')' ? this.callAt(i) : undefined;
    this.push(call ? { kind: 'group', closer, call } : { kind: 'group', closer }, i + 1);
  }

  private openContent(i: number, closes?: CitationOccurrence): void {
    this.push(closes ? { kind: 'markup', content: true, nesting: 0, closes } : { kind: 'markup', content: true, nesting: 0 }, i + 1);
  }

  private push(frame: Frame, at: number): void {
    this.stack.push(frame);
    this.at = at;
  }

  private pop(at: number): void {
    const frame = this.stack.pop();
    if (frame) this.close(frame, at);
    this.at = at;
  }

  /** A frame ends at `at`: the citation it belongs to ends there too. */
  private close(frame: Frame, at: number): void {
    const occurrence = frame.kind === 'markup' ? frame.closes : frame.kind === 'group' ? frame.call?.occurrence : undefined;
    if (occurrence?.citation) occurrence.citation.end = at;
  }
}
