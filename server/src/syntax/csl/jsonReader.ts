// A tolerant, position-aware JSON reader (no recursion, so deep nesting cannot overflow the stack) used where
// CSL-JSON is malformed: it says where the JSON broke and keeps the item objects it finished before that point.
import type { TextRange } from '../types';

/** An object that could be a CSL item: where it is, and where its `id` value is. */
export interface ItemCandidate {
  data: Record<string, unknown>;
  range: TextRange;
  idRange?: TextRange;
}

/** What the reader got: the value (when the JSON was complete), the item objects it finished, and the first error. */
export interface TolerantJsonResult {
  value?: unknown;
  candidates: ItemCandidate[];
  error?: { range: TextRange; message: string };
}

/** Reads `text` as JSON, never throwing; item objects are those at top level, in the top-level array or in `"items"`. */
export function readJsonTolerantly(text: string): TolerantJsonResult {
  const candidates: ItemCandidate[] = [];
  try {
    return { value: readJson(text, candidates), candidates };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { candidates, error: { range: error.range, message: error.message } };
  }
}

/** One open `[` or `{` on the reader's stack. */
interface OpenContainer {
  isObject: boolean;
  value: unknown[] | Record<string, unknown>;
  start: number;
  /** Object only: the key whose value comes next, and where the key's text is. */
  pendingKey?: string;
  /** Whether an object here (or this object itself) may be a CSL item. */
  isItemCandidate: boolean;
  /** Whether objects directly inside this array are items (top-level array, or `"items": [...]`). */
  holdsItems: boolean;
  idRange?: TextRange;
  /** Object: expecting a key next; array: expecting a value next (after `[` or `,`). */
  expectingEntry: boolean;
  /** Right after `[` / `{` (where the closing bracket is allowed). */
  justOpened: boolean;
}

class JsonSyntaxError {
  constructor(
    readonly range: TextRange,
    readonly message: string,
  ) {}
}

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Reads one JSON value from `text` without recursion, collecting item candidates as their objects close.
 * Throws JsonSyntaxError (caught by the caller) at the first error; candidates read before it stay collected.
 */
function readJson(text: string, candidates: ItemCandidate[]): unknown {
  const length = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: OpenContainer[] = [];
  let result: unknown = undefined;
  let haveResult = false;

  const skipWhitespace = (): void => {
    while (pos < length && isWhitespace(text.charCodeAt(pos))) pos++;
  };
  const fail = (message: string, at = pos): never => {
    const range = at >= length ? { start: length, end: length } : { start: at, end: at + 1 };
    throw new JsonSyntaxError(range, at >= length ? `${message} (the file ends too early)` : message);
  };

  /** Hands a finished value to the container it belongs to (or makes it the result). */
  const deliver = (value: unknown, range: TextRange): void => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      result = value;
      haveResult = true;
      return;
    }
    if (parent.isObject) {
      const key = parent.pendingKey as string;
      const object = parent.value as Record<string, unknown>;
      if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      else object[key] = value;
      if (key === 'id' && parent.isItemCandidate) {
        parent.idRange = typeof value === 'string' ? { start: range.start + 1, end: range.end - 1 } : range;
      }
      parent.pendingKey = undefined;
    } else {
      (parent.value as unknown[]).push(value);
    }
  };

  const open = (isObject: boolean): void => {
    const parent = stack[stack.length - 1];
    const depth = stack.length;
    // Items: the top-level object, objects in the top-level array, objects in a top-level `"items": [...]`.
    const isItemCandidate = isObject && (depth === 0 || (parent !== undefined && parent.holdsItems));
    const holdsItems =
      !isObject && (depth === 0 || (depth === 1 && parent !== undefined && parent.isObject && parent.pendingKey === 'items'));
    stack.push({
      isObject,
      value: isObject ? {} : [],
      start: pos,
      isItemCandidate,
      holdsItems,
      expectingEntry: true,
      justOpened: true,
    });
    pos++;
  };

  const close = (): void => {
    const container = stack.pop() as OpenContainer;
    pos++;
    const range = { start: container.start, end: pos };
    if (container.isItemCandidate) {
      candidates.push({ data: container.value as Record<string, unknown>, range, idRange: container.idRange });
    }
    deliver(container.value, range);
  };

  for (;;) {
    skipWhitespace();
    const top = stack[stack.length - 1];
    if (!top) {
      if (haveResult) {
        if (pos < length) fail('Unexpected text after the end of the JSON value.');
        return result;
      }
      if (pos >= length) fail('Expected a JSON value.');
    } else if (top.isObject && top.pendingKey === undefined) {
      // Inside an object, before a key: expect `"key"`, `}` or `,`.
      const c = text.charCodeAt(pos);
      if (top.expectingEntry) {
        if (c === 0x7d /* } */ && top.justOpened) {
          close();
          continue;
        }
        if (c !== 0x22 /* " */) fail('Expected a property name in double quotes.');
        const key = readString();
        skipWhitespace();
        if (text.charCodeAt(pos) !== 0x3a /* : */) fail('Expected ":" after the property name.');
        pos++;
        top.pendingKey = key;
        top.expectingEntry = false;
        top.justOpened = false;
        continue;
      }
      if (c === 0x2c /* , */) {
        top.expectingEntry = true;
        pos++;
        continue;
      }
      if (c === 0x7d /* } */) {
        close();
        continue;
      }
      fail('Expected "," or "}" after a property value.');
    } else if (!top.isObject && !top.expectingEntry) {
      // Inside an array, after a value: expect `,` or `]`.
      const c = text.charCodeAt(pos);
      if (c === 0x2c) {
        top.expectingEntry = true;
        pos++;
        continue;
      }
      if (c === 0x5d /* ] */) {
        close();
        continue;
      }
      fail('Expected "," or "]" after an array element.');
    } else if (!top.isObject && top.justOpened && text.charCodeAt(pos) === 0x5d) {
      close();
      continue;
    }

    // A value is expected here.
    if (top) {
      top.justOpened = false;
      if (!top.isObject) top.expectingEntry = false;
    }
    const c = text.charCodeAt(pos);
    const start = pos;
    if (c === 0x7b /* { */) open(true);
    else if (c === 0x5b /* [ */) open(false);
    else if (c === 0x22) deliver(readString(), { start, end: pos });
    else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) deliver(readNumber(), { start, end: pos });
    else if (text.startsWith('true', pos)) {
      pos += 4;
      deliver(true, { start, end: pos });
    } else if (text.startsWith('false', pos)) {
      pos += 5;
      deliver(false, { start, end: pos });
    } else if (text.startsWith('null', pos)) {
      pos += 4;
      deliver(null, { start, end: pos });
    } else if (pos >= length) fail('Expected a JSON value.');
    else fail(`Unexpected character ${JSON.stringify(text[pos])}; expected a JSON value.`);
  }

  function readString(): string {
    const open = pos;
    pos++;
    let chunkStart = pos;
    let decoded = '';
    for (;;) {
      if (pos >= length) fail('This string is not closed.', open);
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        decoded += text.slice(chunkStart, pos);
        pos++;
        return decoded;
      }
      if (c === 0x0a || c === 0x0d) fail('This string is not closed before the end of the line.', open);
      if (c !== 0x5c /* \ */) {
        pos++;
        continue;
      }
      decoded += text.slice(chunkStart, pos);
      const escape = text[pos + 1];
      switch (escape) {
        case '"': decoded += '"'; break;
        case '\\': decoded += '\\'; break;
        case '/': decoded += '/'; break;
        case 'b': decoded += '\b'; break;
        case 'f': decoded += '\f'; break;
        case 'n': decoded += '\n'; break;
        case 'r': decoded += '\r'; break;
        case 't': decoded += '\t'; break;
        case 'u': {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\u escape in a string.');
          decoded += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          fail('Invalid escape in a string.');
      }
      pos += 2;
      chunkStart = pos;
    }
  }

  function readNumber(): number {
    const start = pos;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    const digitsFrom = pos;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      const isNumberChar = (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
      if (!isNumberChar) break;
      pos++;
    }
    const literal = text.slice(start, pos);
    if (pos === digitsFrom || !/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(literal)) fail('Invalid number.', start);
    return Number(literal);
  }
}
