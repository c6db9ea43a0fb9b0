// Turns LaTeX-flavoured BibTeX text into plain Unicode for display: accents, special letters, escapes, dashes,
// quote ligatures and formatting commands. One pass over the input, no recursion (linear time on any input).
import { ACCENT_COMMANDS, LETTER_COMMANDS, SPACE_COMMANDS, SPACING_ACCENTS, SYMBOL_COMMANDS } from '../util/latexCommands';

/** `\-` (hyphenation point), `\/` (italic correction), `\!`, `\@` print nothing. */
const INVISIBLE_CONTROL_SYMBOLS = new Set(['-', '/', '!', '@']);

/** Commands whose first argument is printed verbatim (no dash or quote ligatures). */
const VERBATIM_ARGUMENT = new Set(['url', 'path', 'nolinkurl', 'doi']);
/** Commands whose first argument is dropped (`\href{url}{text}` prints text). */
const DROPPED_ARGUMENT = new Set(['href', 'label', 'index', 'cite', 'ref']);
/** Commands whose argument is printed in quotes. */
const QUOTING = new Set(['enquote', 'mkbibquote']);

const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/** LaTeX text (braces, accents, macros) → NFC-normalised Unicode with whitespace collapsed. */
export function latexToUnicode(s: string): string {
  let out = '';
  /** A combining mark waiting for its letter, and the accent that made it. */
  let pendingMark = '';
  let pendingAccent = '';
  /** Brace depths at which an `\enquote{` group closes with a quote. */
  const quoteCloseDepths: number[] = [];
  let depth = 0;
  let i = 0;
  const n = s.length;

  const emit = (text: string): void => {
    if (pendingMark && text !== '') {
      const first = String.fromCodePoint(text.codePointAt(0) as number);
      out += first + pendingMark + text.slice(first.length);
      pendingMark = '';
    } else out += text;
  };
  /** Offset after the group starting at `open` (a `{`), scanning forward only. */
  const groupEnd = (open: number): number => {
    let level = 0;
    for (let j = open; j < n; j++) {
      if (s[j] === '\\') j++;
      else if (s[j] === '{') level++;
      else if (s[j] === '}' && --level === 0) return j + 1;
    }
    return n;
  };
  const skipSpaces = (): void => {
    while (i < n && isSpace(s[i])) i++;
  };

  while (i < n) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1] ?? '';
      if (isLetter(next)) {
        let end = i + 2;
        while (end < n && isLetter(s[end])) end++;
        const name = s.slice(i + 1, end);
        i = end;
        skipSpaces();
        const letter = LETTER_COMMANDS.get(name) ?? SYMBOL_COMMANDS.get(name) ?? (SPACE_COMMANDS.has(name) ? ' ' : undefined);
        if (ACCENT_COMMANDS.has(name)) {
          startAccent(name);
        } else if ((name === 'i' || name === 'j') && pendingMark) {
          emit(name); // an accent on a dotless i is an accented i: `\'\i` is í
        } else if (letter !== undefined) {
          emit(letter);
          if (s[i] === '{' && s[i + 1] === '}') i += 2;
        } else if (VERBATIM_ARGUMENT.has(name) && s[i] === '{') {
          const end = groupEnd(i);
          emit(s.slice(i + 1, s[end - 1] === '}' ? end - 1 : end));
          i = end;
        } else if (DROPPED_ARGUMENT.has(name) && s[i] === '{') {
          i = groupEnd(i);
        } else if (QUOTING.has(name) && s[i] === '{') {
          emit('“');
          quoteCloseDepths.push(depth);
        }
        // Any other command (\emph, \textit, \em, unknown macros) disappears; its argument stays as text.
        continue;
      }
      if (ACCENT_COMMANDS.has(next)) {
        i += 2;
        startAccent(next);
        continue;
      }
      if (next === '\\' || isSpace(next) || next === '' || next === ',' || next === ';' || next === ':') emit(' ');
      else if (!INVISIBLE_CONTROL_SYMBOLS.has(next)) emit(next); // \& \% \$ \_ \# \{ \} …
      i += 2;
      continue;
    }
    if (c === '{') {
      if (pendingMark && s[i + 1] === '}') {
        pendingMark = '';
        emit(SPACING_ACCENTS.get(pendingAccent) ?? '');
        i += 2;
        continue;
      }
      depth++;
      i++;
      continue;
    }
    if (c === '}') {
      depth--;
      if (quoteCloseDepths.length && quoteCloseDepths[quoteCloseDepths.length - 1] === depth) {
        quoteCloseDepths.pop();
        emit('”');
      }
      i++;
      continue;
    }
    if (c === '-' && s[i + 1] === '-') {
      const isEmDash = s[i + 2] === '-';
      emit(isEmDash ? '—' : '–');
      i += isEmDash ? 3 : 2;
      continue;
    }
    if (c === '`' || c === "'") {
      const doubled = s[i + 1] === c;
      emit(c === '`' ? (doubled ? '“' : '‘') : doubled ? '”' : '’');
      i += doubled ? 2 : 1;
      continue;
    }
    if (c === '~') emit(' ');
    else if (c === '$') {
      // Math shift: the content stays as text.
    } else if (isSpace(c)) {
      if (!pendingMark) out += ' ';
    } else emit(c);
    i++;
  }
  if (pendingMark) out += SPACING_ACCENTS.get(pendingAccent) ?? '';
  return out.replace(/\s+/g, ' ').trim().normalize('NFC');

  function startAccent(accent: string): void {
    // An accent waiting for a letter that never came prints on its own.
    if (pendingMark) out += SPACING_ACCENTS.get(pendingAccent) ?? '';
    pendingMark = ACCENT_COMMANDS.get(accent) as string;
    pendingAccent = accent;
    skipSpaces();
  }
}
