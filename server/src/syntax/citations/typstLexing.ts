// Typst's lexical rules that decide what is a citation (after typst-syntax's lexer, Typst 0.14): identifier and label
// characters, comments, raw text, strings, links. Each helper takes an offset and returns where the token ends.

const XID_START = /\p{XID_Start}/u;
const XID_CONTINUE = /\p{XID_Continue}/u;

/** The code point at `at` (0 past the end); astral characters are two UTF-16 units. */
export function codePointAt(text: string, at: number): number {
  return at < text.length ? (text.codePointAt(at) as number) : 0;
}

export function unitsOf(codePoint: number): number {
  return codePoint > 0xffff ? 2 : 1;
}

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Typst identifiers start with XID_Start or `_`. */
export function isIdStart(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  return XID_START.test(String.fromCodePoint(c));
}

/** …and continue with XID_Continue, `_` or `-`. */
export function isIdContinue(c: number): boolean {
  if (c < 0x80) return isAsciiAlphanumeric(c) || c === 0x5f || c === 0x2d;
  return XID_CONTINUE.test(String.fromCodePoint(c));
}

/** Labels and reference markers also take `.` and `:`. */
export function isLabelChar(c: number): boolean {
  return c === 0x2e || c === 0x3a || isIdContinue(c);
}

/** Whether a character is a newline to Typst (LF, VT, FF, CR, NEL, LS, PS). */
export function isNewline(ch: string): boolean {
  return ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
}

export function isWhitespace(ch: string): boolean {
  return ch !== '' && /\s/.test(ch);
}

/** End of the identifier characters (XID_Continue, `_`, `-`) starting at `at`. */
export function identEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length) {
    const c = codePointAt(text, end);
    if (!isIdContinue(c)) break;
    end += unitsOf(c);
  }
  return end;
}

/** End of a run of label characters starting at `at`. */
export function labelCharsEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length) {
    const c = codePointAt(text, end);
    if (!isLabelChar(c)) break;
    end += unitsOf(c);
  }
  return end;
}

/** `//` runs to the line's end, which stays outside. */
export function lineCommentEnd(text: string, at: number): number {
  let end = at + 2;
  while (end < text.length && !isNewline(text[end])) end++;
  return end;
}

/** `/* … *\/`, nested: ends after the `*\/` that closes the first `/*` (or at the end of the text). */
export function blockCommentEnd(text: string, at: number): number {
  let depth = 1;
  let state = '_';
  let end = at + 2;
  while (end < text.length) {
    const c = text[end++];
    if (state === '*' && c === '/') {
      depth--;
      if (depth === 0) break;
      state = '_';
    } else if (state === '/' && c === '*') {
      depth++;
      state = '_';
    } else {
      state = c;
    }
  }
  return end;
}

/**
 * Raw text from its first backtick: `` `x` ``, ```` ```lang … ``` ````; two backticks are empty raw text. Closes at the
 * first run of as many backticks as opened it; unclosed raw text runs to the end of the text.
 */
export function rawEnd(text: string, at: number): number {
  let backticks = 1;
  while (text[at + backticks] === '`') backticks++;
  if (backticks === 2) return at + 2;
  let found = 0;
  let end = at + backticks;
  while (found < backticks && end < text.length) {
    found = text[end] === '`' ? found + 1 : 0;
    end++;
  }
  return end;
}

/** A code string from its opening `"`: ends after the closing quote, or at the end of the text when unclosed. */
export function stringEnd(text: string, at: number): number {
  let escaped = false;
  for (let end = at + 1; end < text.length; end++) {
    const c = text[end];
    if (c === '"' && !escaped) return end + 1;
    escaped = c === '\\' && !escaped;
  }
  return text.length;
}

/** A closed string literal at `at`: its value, the range between its quotes, and where it ends. */
export function closedStringAt(text: string, at: number): { value: string; range: { start: number; end: number }; end: number } | undefined {
  if (text[at] !== '"') return undefined;
  const end = stringEnd(text, at);
  if (end - at < 2 || text[end - 1] !== '"') return undefined;
  return { value: stringValue(text.slice(at + 1, end - 1)), range: { start: at + 1, end: end - 1 }, end };
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' };

/** A string's value from the text between its quotes, with Typst's escapes (`\"`, `\\`, `\n`, `\u{…}`) applied. */
export function stringValue(inner: string): string {
  if (!inner.includes('\\')) return inner;
  return inner.replace(/\\(u\{([0-9a-fA-F]{1,6})\}|.)/gs, (whole: string, escape: string, hex: string | undefined) => {
    if (hex !== undefined) {
      const code = parseInt(hex, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ESCAPES[escape] ?? whole;
  });
}

/** A URL in markup from its `h` of `http://` or `https://`: Typst's link_prefix, without trailing punctuation. */
export function linkEnd(text: string, at: number): number {
  const brackets: string[] = [];
  let end = at;
  for (; end < text.length; end++) {
    const c = text[end];
    if (/[0-9a-zA-Z!#$%&*+,\-./:;=?@_~']/.test(c)) continue;
    if (c === '[' || c === '(') brackets.push(c);
    else if (c === ']' || c === ')') {
      if (brackets.pop() !== (c === ']' ? '[' : '(')) break;
    } else break;
  }
  while (end > at && "!,.:;?'".includes(text[end - 1])) end--;
  return end;
}

/** A number in code from its first digit: `12`, `1.5`, `1e3`, `2.5em`, `50%`. */
export function numberEnd(text: string, at: number): number {
  let end = at;
  while (/[0-9]/.test(text[end] ?? '')) end++;
  if (text[end] === '.' && /[0-9]/.test(text[end + 1] ?? '')) {
    end++;
    while (/[0-9]/.test(text[end] ?? '')) end++;
  }
  if (text[end] === '%') return end + 1;
  while (/[a-zA-Z]/.test(text[end] ?? '')) end++;
  return end;
}
