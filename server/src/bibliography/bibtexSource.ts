// The self-contained BibTeX text of one entry: the `@string` definitions it uses (directly or through other macros,
// in file order) followed by the entry's own source text. This is what citation-js is given, and the cache key.
import { isDigit, isNameChar, LBRACE, QUOTE, RBRACE } from '../syntax/bibtex/chars';
import { fieldsOf } from '../syntax/bibtex/fields';
import type { BibtexEntry, BibtexField } from '../syntax/types';

/** Enough for any real file; stops a pathological macro web from making the text huge. */
const MAX_MACROS = 1000;

export function bibtexEntrySourceText(source: {
  text: string;
  entry: BibtexEntry;
  strings: ReadonlyMap<string, BibtexField>;
}): string {
  const { text, entry, strings } = source;
  const used = new Map<string, BibtexField>();
  const pending: BibtexField[] = fieldsOf(entry);
  while (pending.length > 0 && used.size < MAX_MACROS) {
    const field = pending.pop() as BibtexField;
    for (const name of macroNames(text, field.valueStart, field.valueEnd)) {
      const macro = strings.get(name);
      if (macro && !used.has(name)) {
        used.set(name, macro);
        pending.push(macro);
      }
    }
  }
  const definitions = [...used.entries()]
    .sort((a, b) => a[1].valueStart - b[1].valueStart)
    .map(([name, macro]) => `@string{${name} = ${text.slice(macro.valueStart, macro.valueEnd)}}\n`);
  return definitions.join('') + text.slice(entry.range.start, entry.range.end);
}

/** Lower-cased names of the macros a value expression refers to (bare words outside braces and quotes). */
function macroNames(text: string, start: number, end: number): string[] {
  const names: string[] = [];
  let depth = 0;
  let inQuotes = false;
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) depth = Math.max(0, depth - 1);
    else if (c === QUOTE && depth === 0) inQuotes = !inQuotes;
    else if (depth === 0 && !inQuotes && isNameChar(c)) {
      const nameStart = p;
      while (p + 1 < end && isNameChar(text.charCodeAt(p + 1))) p++;
      if (!isDigit(c)) names.push(text.slice(nameStart, p + 1).toLowerCase());
    }
  }
  return names;
}
