// Scalar values for the quick CSL-YAML reader: YAML 1.2 core-schema resolution of plain scalars, and the line folding
// and escapes of quoted scalars, giving what the `yaml` package gives. Undefined means "not sure": use the full parser.

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOLEAN = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCTAL = /^0o[0-7]+$/;
const DECIMAL = /^[-+]?[0-9]+$/;
const HEXADECIMAL = /^0x[0-9a-fA-F]+$/;
const INFINITY_OR_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXPONENT_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** Whether a plain scalar starting with this character might be something other than a string in the core schema. */
function mayBeNonString(code: number): boolean {
  return (code >= 48 && code <= 57) // 0-9
    || code === 43 || code === 45 || code === 46 || code === 126 // + - . ~
    || code === 110 || code === 78 || code === 116 || code === 84 || code === 102 || code === 70; // n N t T f F
}

/** The value of a plain scalar under the YAML 1.2 core schema: null, a boolean, a number, or the text itself. */
export function resolvePlainScalar(text: string): unknown {
  if (text === '') return null;
  if (!mayBeNonString(text.charCodeAt(0))) return text;
  if (NULL.test(text)) return null;
  if (BOOLEAN.test(text)) return text[0] === 't' || text[0] === 'T';
  if (OCTAL.test(text)) return parseInt(text.substring(2), 8);
  if (DECIMAL.test(text)) return parseInt(text, 10);
  if (HEXADECIMAL.test(text)) return parseInt(text.substring(2), 16);
  if (INFINITY_OR_NAN.test(text)) {
    if (text.endsWith('nan') || text.endsWith('NaN') || text.endsWith('NAN')) return NaN;
    return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (EXPONENT_FLOAT.test(text) || FLOAT.test(text)) return parseFloat(text);
  return text;
}

/**
 * Folds the lines of a quoted scalar's raw text (between the quotes): the first line loses its trailing spaces, inner
 * lines both ends, the last its leading spaces; one line break becomes a space, each further empty line a newline.
 */
function foldQuotedLines(raw: string): string {
  if (!raw.includes('\n')) return raw;
  const lines = raw.split('\n');
  let folded = lines[0].replace(/ +$/, '');
  let emptyLines = 0;
  for (let i = 1; i < lines.length; i++) {
    const last = i === lines.length - 1;
    const line = last ? lines[i].replace(/^ +/, '') : lines[i].trim();
    if (line === '' && !last) {
      emptyLines++;
      continue;
    }
    folded += (emptyLines === 0 ? ' ' : '\n'.repeat(emptyLines)) + line;
    emptyLines = 0;
  }
  return folded;
}

/** The value of a single-quoted scalar from its raw text between the quotes (`''` is a quote). */
export function singleQuotedValue(raw: string): string {
  const folded = foldQuotedLines(raw);
  return folded.includes("''") ? folded.replace(/''/g, "'") : folded;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

const HEX_DIGITS = /^[0-9a-fA-F]+$/;

/**
 * The value of a double-quoted scalar from its raw text between the quotes, or undefined for an escape the full
 * parser would report (unknown letter, short or out-of-range hex code).
 */
export function doubleQuotedValue(raw: string): string | undefined {
  if (!raw.includes('\\') && !raw.includes('\n')) return raw;
  let value = '';
  const length = raw.length;
  for (let i = 0; i < length; i++) {
    const ch = raw[i];
    if (ch === '\n') {
      // A line break and the blank lines after it: one space, or a newline per blank line; indentation goes.
      let newlines = 0;
      while (i + 1 < length && (raw[i + 1] === ' ' || raw[i + 1] === '\n')) {
        if (raw[i + 1] === '\n') newlines++;
        i++;
      }
      value += newlines === 0 ? ' ' : '\n'.repeat(newlines);
    } else if (ch === ' ') {
      // Spaces before a line break go; others stay.
      let end = i;
      while (end + 1 < length && raw[end + 1] === ' ') end++;
      if (end + 1 >= length || raw[end + 1] !== '\n') value += raw.slice(i, end + 1);
      i = end;
    } else if (ch === '\\') {
      const next = raw[++i];
      const simple = next === undefined ? undefined : SIMPLE_ESCAPES[next];
      if (simple !== undefined) value += simple;
      else if (next === '\n') {
        // An escaped line break joins the lines without a space; the next line's indentation goes.
        while (i + 1 < length && raw[i + 1] === ' ') i++;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const digits = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = raw.substr(i + 1, digits);
        if (hex.length !== digits || !HEX_DIGITS.test(hex)) return undefined;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) return undefined;
        value += String.fromCodePoint(code);
        i += digits;
      } else return undefined;
    } else value += ch;
  }
  return value;
}
