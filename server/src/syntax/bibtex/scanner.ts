// Tolerant one-pass BibTeX/BibLaTeX scanner: entries, fields and @string macros as offsets, problems instead of exceptions.
// A malformed entry costs only itself: reading resumes at the next `@` that starts a line.

import { detached } from '../../util/detached';
import type { BibtexEntry, BibtexField, BibtexFile, SyntaxProblem, TextRange } from '../types';
import * as chars from './chars';
import { BibtexFieldTable, NO_FIELDS } from './fields';
import { LowerCaseNames } from './lowerCaseNames';

// Local copies on purpose: where modules are compiled to CommonJS (tsx in tests and benchmarks) every use of an
// imported binding is a getter call, which made the hot loops eight times slower.
const {
  AT, BOM, COMMA, CR, LF, EQUALS, HASH, LBRACE, LPAREN, PERCENT, QUOTE, RBRACE, RPAREN,
  endOfLine, isNameChar, isSpace, looksLikeEntryStart, nextLineInitialAt, skipBlanks, skipDelimited, skipSpace, startsLine, trimBack,
} = chars;

/**
 * Scans a whole .bib text. Never throws and never recurses; offsets are UTF-16 offsets into `text`
 * (a leading BOM is skipped, not removed).
 *
 * Choices worth knowing:
 * - A broken entry whose key was read is KEPT, with the fields read before the damage, and a problem is reported:
 *   completion and go-to-definition still know the key while the user is typing or fixing it.
 *   An entry without a key (`@misc{,` or `@misc{title = ...`) is reported and skipped.
 * - Inside an entry, a line that starts with `@type{` or `@type(` is taken as the start of the next entry, even inside
 *   a braced value: that is what stops one unclosed `{` from swallowing the rest of the file. `@comment{...}` is read
 *   by brace balance alone (people comment out whole entries that way) until one comment fails to close.
 * - Like biber (and unlike classic BibTeX), a `%` between entries comments out the rest of its line, so a line
 *   `%@article{old, ...}` defines nothing. Between the fields of an entry `%` also starts a comment line (biber
 *   again); inside a value it is an ordinary character.
 * - Recoverable slips are read through after reporting them: a missing `,` after the key or between two fields,
 *   an extra `}` right before `, field =`, an empty value `title = ,`.
 */
export function scanBibtex(text: string): BibtexFile {
  return new BibtexScanner(text, 0, text.length).scan();
}

/**
 * The same scan without recording fields (every entry has none): for `citekeys keys`, which needs only
 * keys and positions, and then keeps a million small objects off a 100,000-entry file's heap.
 */
export function scanBibtexKeys(text: string): BibtexFile {
  return new BibtexScanner(text, 0, text.length, false).scan();
}

/**
 * Scans only `text[start, end)`, with offsets into the whole text. `end` must be where a line-initial entry starts
 * (see slices.ts): the scanner then behaves exactly as in a full scan, which also stops an entry there.
 */
export function scanBibtexWindow(text: string, start: number, end: number): BibtexFile {
  return new BibtexScanner(text, start, end).scan();
}

type LocatedMessage = TextRange & { message: string };

/** Returned by scanValue when the value is missing but the entry can go on (`title = ,`). */
const MISSING_VALUE = -2;
/** Returned by scanValue when the entry cannot go on; `resumeAt` says where reading continues. */
const BROKEN_VALUE = -1;

class BibtexScanner {
  private readonly len: number;
  private readonly entries: BibtexEntry[] = [];
  private readonly strings = new Map<string, BibtexField>();
  private readonly problems: SyntaxProblem[] = [];
  private readonly lowerNames: LowerCaseNames;
  /** Set once an `@comment{` fails to close: later comments then also stop at a line-initial `@type{` (keeps the scan linear). */
  private commentsStopAtEntries = false;
  private resumeAt = 0;

  /** The fields this scan read, all entries' in one table. */
  private readonly fields: BibtexFieldTable;
  /** The last field read in the current entry (kept also when fields are not recorded); no name: none yet. */
  private lastFieldName = '';
  private lastValueStart = 0;
  private lastValueEnd = 0;

  constructor(private readonly text: string, private readonly start: number, end: number, private readonly recordFields = true) {
    this.len = end;
    this.lowerNames = new LowerCaseNames(text);
    this.fields = recordFields ? new BibtexFieldTable(Math.max(64, (end - start) >> 6)) : NO_FIELDS;
  }

  scan(): BibtexFile {
    const text = this.text;
    const len = this.len;
    let p = this.start === 0 && len > 0 && text.charCodeAt(0) === BOM ? 1 : this.start;
    let percent = -1; // next `%` at or after p, looked up again only once p passes it (keeps the scan linear)
    while (p < len) {
      const at = text.indexOf('@', p);
      if (at < 0 || at >= len) break;
      if (percent < p) percent = text.indexOf('%', p) >>> 0; // -1 becomes 2^32-1: no more comments
      if (percent < at) p = endOfLine(text, percent, len);
      else p = this.scanAt(at);
    }
    this.fields.trim();
    return { entries: this.entries, strings: this.strings, problems: this.problems };
  }

  /** Reads whatever starts at the `@` at `at`; returns where the top level goes on. */
  private scanAt(at: number): number {
    const text = this.text;
    const len = this.len;
    const typeStart = skipSpace(text, at + 1, len);
    let p = typeStart;
    while (p < len && isNameChar(text.charCodeAt(p))) p++;
    const typeEnd = p;
    if (typeEnd === typeStart) {
      if (startsLine(text, at)) {
        this.problem(at, at + 1, 'An `@` at the start of a line begins an entry, but no entry type follows. Write `@type{key, ...}`, or remove the `@`.');
      }
      return at + 1;
    }
    const type = this.lowerName(typeStart, typeEnd);
    p = skipSpace(text, p, len);
    const open = text.charCodeAt(p);
    if (open !== LBRACE && open !== LPAREN) {
      if (type === 'comment') return endOfLine(text, p, len); // `@comment rest of the line`
      if (startsLine(text, at)) {
        this.problem(at, typeEnd, `\`@${text.slice(typeStart, typeEnd)}\` is not followed by \`{\`. Write \`@${type}{key, field = {value}}\`.`);
      }
      return typeEnd;
    }
    const close = open === LBRACE ? RBRACE : RPAREN;
    p++;
    if (type === 'comment') return this.scanComment(at, p, close);
    if (type === 'preamble') return this.scanPreamble(at, p, close);
    if (type === 'string') return this.scanString(at, p, close);
    return this.scanEntry(at, type, typeStart, p, close);
  }

  private scanComment(at: number, p: number, close: number): number {
    const text = this.text;
    const len = this.len;
    let depth = 0;
    for (; p < len; p++) {
      const c = text.charCodeAt(p);
      if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        if (depth > 0) depth--;
        else if (close === RBRACE) return p + 1;
      } else if (c === RPAREN && depth === 0 && close === RPAREN) return p + 1;
      else if (c === AT && this.commentsStopAtEntries && looksLikeEntryStart(text, p, len)) break;
    }
    this.commentsStopAtEntries = true;
    this.problem(at, at + 8, `This \`@comment\` is never closed. Add the missing \`${String.fromCharCode(close)}\`; reading resumed at the next line that starts with \`@\`.`);
    return nextLineInitialAt(text, at + 1, len);
  }

  private scanPreamble(at: number, p: number, close: number): number {
    const text = this.text;
    p = skipSpace(text, p, this.len);
    if (text.charCodeAt(p) === close) return p + 1; // `@preamble{}`
    const end = this.scanValue(p, close, 'the `@preamble`');
    if (end < 0) return end === BROKEN_VALUE ? this.resumeAt : this.skipBroken(p);
    p = skipSpace(text, end, this.len);
    if (text.charCodeAt(p) === close) return p + 1;
    this.problem(at, p < this.len ? p + 1 : p, `A \`@preamble\` holds one value, in quotes or braces: \`@preamble{"\\newcommand{\\x}{y}"}\`. Put its content in quotes.`);
    return this.skipBroken(p);
  }

  private scanString(at: number, p: number, close: number): number {
    const text = this.text;
    const len = this.len;
    p = skipSpace(text, p, len);
    const nameStart = p;
    while (p < len && isNameChar(text.charCodeAt(p))) p++;
    const nameEnd = p;
    p = skipSpace(text, p, len);
    if (nameEnd === nameStart || text.charCodeAt(p) !== EQUALS) {
      this.problem(at, Math.max(nameEnd, at + 7), 'A `@string` needs a name, `=` and a value: `@string{name = {value}}`.');
      return this.skipBroken(p);
    }
    p = skipSpace(text, p + 1, len);
    const name = text.slice(nameStart, nameEnd);
    const valueEnd = this.scanValue(p, close, `\`@string ${name}\``);
    if (valueEnd === BROKEN_VALUE) return this.resumeAt;
    if (valueEnd === MISSING_VALUE) return this.expectClose(at, text.charCodeAt(p) === COMMA ? skipSpace(text, p + 1, len) : p, close, `\`@string ${name}\``);
    const lowerName = detached(name.toLowerCase());
    this.strings.set(lowerName, { name: lowerName, nameStart, valueStart: p, valueEnd });
    p = skipSpace(text, valueEnd, len);
    if (text.charCodeAt(p) === COMMA) p = skipSpace(text, p + 1, len);
    return this.expectClose(at, p, close, `\`@string ${name}\``);
  }

  private expectClose(at: number, p: number, close: number, what: string): number {
    if (this.text.charCodeAt(p) === close) return p + 1;
    this.problem(at, p < this.len ? p + 1 : p, `${capitalize(what)} should end here with \`${String.fromCharCode(close)}\`. Add it, or remove what follows the value.`);
    return this.skipBroken(p);
  }

  private scanEntry(at: number, type: string, typeStart: number, p: number, close: number): number {
    const text = this.text;
    const len = this.len;
    p = skipSpace(text, p, len);
    const keyStart = p;
    for (; p < len; p++) {
      const c = text.charCodeAt(p);
      if (isSpace(c) || c === COMMA || c === close || c === RBRACE || c === LBRACE || c === EQUALS) break;
    }
    const keyEnd = p;
    p = skipSpace(text, p, len);
    const next = text.charCodeAt(p);
    if (keyEnd === keyStart) {
      const end = next === COMMA || next === close ? p + 1 : typeStart + type.length + 1;
      this.problem(at, end, `This \`@${type}\` entry has no key, so it cannot be cited and was skipped. Put a key right after the \`{\`, e.g. \`@${type}{smith2020,\`.`);
      return next === close ? p + 1 : this.skipBroken(p);
    }
    if (next === EQUALS) {
      this.problem(at, keyEnd, `This \`@${type}\` entry has no key (\`${text.slice(keyStart, keyEnd)} =\` is a field), so it was skipped. Put a key and a comma right after the \`{\`, e.g. \`@${type}{smith2020,\`.`);
      return this.skipBroken(p);
    }
    const entry: BibtexEntry = {
      type, key: detached(text.slice(keyStart, keyEnd)), keyRange: { start: keyStart, end: keyEnd }, range: { start: at, end: keyEnd },
      fieldTable: this.fields, firstField: this.fields.count, fieldCount: 0,
    };
    this.entries.push(entry);
    if (next === close) {
      entry.range.end = p + 1;
      return p + 1;
    }
    if (next === COMMA) return this.scanFields(entry, p + 1, close);
    const nameEnd = this.fieldNameEndIfFieldAt(p);
    if (nameEnd > 0) {
      this.problem(keyStart, keyEnd, `Missing \`,\` after the key \`${entry.key}\`. Add a comma after the key.`);
      return this.scanFields(entry, p, close);
    }
    return this.giveUp(entry, p, this.describeUnexpected(p, `after the key \`${entry.key}\``, `\`,\` and the fields, or \`${String.fromCharCode(close)}\``));
  }

  /** Reads `name = value` pairs up to the closing delimiter. */
  private scanFields(entry: BibtexEntry, p: number, close: number): number {
    const text = this.text;
    const len = this.len;
    let previous = '';
    this.lastFieldName = '';
    for (;;) {
      p = this.skipSpaceAndComments(p);
      if (p >= len) {
        // A window (see scanBibtexWindow) ends where the next entry starts.
        this.reportUnclosedEntry(entry, close, len < text.length ? 'the next entry starts first' : 'the file ends first');
        entry.range.end = trimBack(text, len, entry.keyRange.end);
        return len;
      }
      let c = text.charCodeAt(p);
      if (c === close) {
        if (close === RBRACE && this.fieldNameEndIfFieldAt(this.commaAfterOnSameLine(p + 1)) > 0) {
          this.problem(p, p + 1, `This \`}\` ends the entry \`${entry.key}\` early: more fields follow it. Remove the extra \`}\` (it probably belongs to the value of \`${previous}\`).`);
          p++;
          continue;
        }
        entry.range.end = p + 1;
        return p + 1;
      }
      if (c === COMMA) {
        p++;
        continue;
      }
      if (c === AT && startsLine(text, p)) {
        this.reportUnclosedEntry(entry, close, 'the next entry starts first');
        entry.range.end = trimBack(text, p, entry.keyRange.end);
        return p;
      }
      const nameStart = p;
      while (p < len && isNameChar(text.charCodeAt(p))) p++;
      const nameEnd = p;
      if (nameEnd === nameStart) {
        return this.giveUp(entry, p, this.describeUnexpected(p, `in the entry \`${entry.key}\``, 'a field name'));
      }
      p = skipSpace(text, p, len);
      if (text.charCodeAt(p) !== EQUALS) {
        const name = text.slice(nameStart, nameEnd);
        return this.giveUp(entry, p, {
          start: nameStart, end: nameEnd,
          message: `Expected \`=\` after the field name \`${name}\` in the entry \`${entry.key}\`. Write \`${name} = {value}\`.`,
        });
      }
      p = skipSpace(text, p + 1, len);
      const name = this.lowerName(nameStart, nameEnd);
      const valueEnd = this.scanValue(p, close, name, entry.key);
      if (valueEnd === MISSING_VALUE) continue;
      if (valueEnd === BROKEN_VALUE) {
        entry.range.end = trimBack(text, this.resumeAt, p);
        return this.resumeAt;
      }
      this.lastFieldName = name;
      this.lastValueStart = p;
      this.lastValueEnd = valueEnd;
      if (this.recordFields) {
        this.fields.add(name, nameStart, p, valueEnd);
        entry.fieldCount++;
      }
      previous = name;
      p = this.skipSpaceAndComments(valueEnd);
      c = text.charCodeAt(p);
      if (c === COMMA) {
        p++;
      } else if (c !== close && p < len && !(c === AT && startsLine(text, p))) {
        const nextNameEnd = this.fieldNameEndIfFieldAt(p);
        if (nextNameEnd < 0) {
          if (this.reportSwallowingValue(entry)) return this.giveUp(entry, p, null);
          return this.giveUp(entry, p, this.describeUnexpected(p, `after the value of \`${name}\` in the entry \`${entry.key}\``, `\`,\` or \`${String.fromCharCode(close)}\``));
        }
        this.problem(p, nextNameEnd, `Missing \`,\` between the fields \`${name}\` and \`${text.slice(p, nextNameEnd)}\` in the entry \`${entry.key}\`. Add a comma after the value of \`${name}\`.`);
      }
    }
  }

  /**
   * Reads a value expression `part # part ...` (parts: `{...}`, `"..."`, number, macro name) starting at p. `what`
   * says whose value it is, or with `entryKey` is a field's name (described only for a problem, not per field).
   * Returns its end, MISSING_VALUE (problem reported, p left at a `,` or the closing delimiter), or
   * BROKEN_VALUE (problem reported, `resumeAt` set).
   */
  private scanValue(p: number, close: number, what: string, entryKey?: string): number {
    const text = this.text;
    const len = this.len;
    const valueStart = p;
    for (;;) {
      const c = text.charCodeAt(p);
      let end: number;
      if (c === LBRACE || c === QUOTE) {
        end = skipDelimited(text, p + 1, len, c === QUOTE);
        if (end < 0) {
          const stop = -end - 1;
          const lineEnd = trimBack(text, endOfLine(text, p, len), p + 1);
          const delimiter = c === QUOTE ? '"' : '{';
          const where = stop >= this.text.length ? 'before the end of the file' : 'before the next entry starts';
          this.problem(valueStart, Math.max(lineEnd, p + 1), `The value of ${owner(what, entryKey)} opens a \`${delimiter}\` that is never closed ${where}. Add the missing \`${c === QUOTE ? '"' : '}'}\` (braces inside the value must pair up).`);
          this.resumeAt = stop;
          return BROKEN_VALUE;
        }
      } else if (isNameChar(c)) {
        end = p + 1;
        while (end < len && isNameChar(text.charCodeAt(end))) end++;
      } else {
        if (p > valueStart || !(c === COMMA || c === close)) {
          this.resumeAt = this.skipBroken(p);
          const problem = this.describeUnexpected(p, `in the value of ${owner(what, entryKey)}`, 'a value like `{text}`, `"text"`, a number or a macro name');
          this.problem(problem.start, problem.end, problem.message);
          return BROKEN_VALUE;
        }
        this.problem(valueStart, valueStart + 1, `${capitalize(owner(what, entryKey))} has no value. Write a value like \`{text}\`, or remove the field.`);
        return MISSING_VALUE;
      }
      const q = skipSpace(text, end, len);
      if (text.charCodeAt(q) !== HASH) return end;
      p = skipSpace(text, q + 1, len);
    }
  }

  private reportUnclosedEntry(entry: BibtexEntry, close: number, reason: string): void {
    if (this.reportSwallowingValue(entry)) return;
    this.problem(entry.range.start, entry.keyRange.end, `The entry \`${entry.key}\` is not closed: ${reason}. Add \`${String.fromCharCode(close)}\` after its last field.`);
  }

  /**
   * When an entry ends badly and its last value has a line that reads `name = ...`, that value most likely
   * lacks a `}` and swallowed the fields after it (`title = {{Title},`): report that instead, where the fix goes.
   */
  private reportSwallowingValue(entry: BibtexEntry): boolean {
    const valueStart = this.lastValueStart;
    if (!this.lastFieldName || !this.hasFieldLine(valueStart, this.lastValueEnd)) return false;
    const text = this.text;
    const lineEnd = trimBack(text, endOfLine(text, valueStart, this.len), valueStart + 1);
    this.problem(valueStart, lineEnd, `The value of \`${this.lastFieldName}\` in the entry \`${entry.key}\` has a \`{\` that is never closed, so it swallows the fields after it. Add the missing \`}\` (braces inside a value must pair up).`);
    return true;
  }

  private hasFieldLine(start: number, end: number): boolean {
    const text = this.text;
    for (let p = start; p < end; p++) {
      const c = text.charCodeAt(p);
      if ((c === LF || c === CR) && this.fieldNameEndIfFieldAt(skipBlanks(text, p + 1, end)) > 0) return true;
    }
    return false;
  }

  /** Between fields biber reads `%` as a comment to the end of the line; so do we (inside values it is text). */
  private skipSpaceAndComments(p: number): number {
    const text = this.text;
    const len = this.len;
    p = skipSpace(text, p, len);
    while (text.charCodeAt(p) === PERCENT) p = skipSpace(text, endOfLine(text, p, len), len);
    return p;
  }

  /** When a field `name =` starts at p, the end of its name; otherwise -1. */
  private fieldNameEndIfFieldAt(p: number): number {
    const text = this.text;
    const len = this.len;
    if (p < 0) return -1;
    let q = p;
    while (q < len && isNameChar(text.charCodeAt(q))) q++;
    if (q === p) return -1;
    return text.charCodeAt(skipSpace(text, q, len)) === EQUALS ? q : -1;
  }

  /** After a `}`: when a `,` follows on the same line, where the next token after it starts; otherwise -1. */
  private commaAfterOnSameLine(p: number): number {
    const q = skipBlanks(this.text, p, this.len);
    return this.text.charCodeAt(q) === COMMA ? skipSpace(this.text, q + 1, this.len) : -1;
  }

  /** Ends a broken entry (kept: its key was read) at p, reports the problem, and resumes at the next line-initial `@`. */
  private giveUp(entry: BibtexEntry, p: number, problem: LocatedMessage | null): number {
    if (problem) this.problem(problem.start, problem.end, problem.message);
    const resume = this.skipBroken(p);
    entry.range.end = Math.max(entry.keyRange.end, trimBack(this.text, resume, p));
    return resume;
  }

  /** The next line-initial `@` at or after p (p is always past the broken construct's own `@`, so reading moves on). */
  private skipBroken(p: number): number {
    return nextLineInitialAt(this.text, p, this.len);
  }

  private describeUnexpected(p: number, where: string, expected: string): LocatedMessage {
    if (p >= this.text.length) return { start: p, end: p, message: `The file ends ${where}; expected ${expected}.` };
    const shown = this.text.charCodeAt(p) === AT ? '@' : this.text.slice(p, p + 1);
    return { start: p, end: p + 1, message: `Unexpected \`${shown}\` ${where}; expected ${expected}. Reading resumed at the next line that starts with \`@\`.` };
  }

  private lowerName(start: number, end: number): string {
    return this.lowerNames.get(start, end);
  }

  private problem(start: number, end: number, message: string): void {
    const len = this.len;
    start = Math.min(Math.max(start, 0), len);
    this.problems.push({ range: { start, end: Math.min(Math.max(end, start), len) }, message });
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Whose value a problem is about: `what` as given, or the field `what` of the entry `entryKey`. */
function owner(what: string, entryKey: string | undefined): string {
  return entryKey === undefined ? what : `the field \`${what}\` in the entry \`${entryKey}\``;
}
