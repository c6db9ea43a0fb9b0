// Copies one entry's source text from a bibliography into another of the same format, as an edit appended to the
// target: BibTeX entries bring the `@string` macros they use (when the target lacks them); CSL-JSON items join the array.
import type { BibliographyFile, EntryDefinition } from '../bibliography/bibliographyFile';
import { fieldsOf } from '../syntax/bibtex/fields';
import type { BibtexField } from '../syntax/types';
import type { TextEditAt } from './locations';

/** Macro names (lower-cased) used bare in a BibTeX value expression such as `jan # " 1"` or `{x} # jour`. */
export function macrosUsed(text: string, start: number, end: number): string[] {
  const names: string[] = [];
  let p = start;
  while (p < end) {
    const c = text[p];
    if (c === '{' || c === '"') {
      p = skipDelimited(text, p, end);
    } else if (/[\s#]/.test(c)) {
      p++;
    } else {
      const from = p;
      while (p < end && !/[\s#{}",]/.test(text[p])) p++;
      const word = text.slice(from, p);
      if (p === from) p++;
      else if (!/^\d+$/.test(word)) names.push(word.toLowerCase());
    }
  }
  return names;
}

/** Past a `{...}` group (balanced) or a `"..."` string (braces inside balanced), starting at its opener. */
function skipDelimited(text: string, p: number, end: number): number {
  const quoted = text[p] === '"';
  let depth = quoted ? 0 : 1;
  p++;
  while (p < end) {
    const c = text[p++];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (quoted && c === '"' && depth === 0) return p;
    if (!quoted && depth === 0) return p;
  }
  return end;
}

/** One `@string` definition as written out: the name as its file spells it, the value expression as is. */
export interface StringDefinition {
  /** Lower-cased, as BibTeX compares macro names. */
  name: string;
  text: string;
}

/**
 * The `@string` definitions a BibTeX entry uses, dependencies first, each looked up in `files` in order (BibTeX reads a
 * document's `.bib` files as one, so a macro may come from an earlier one). `skip` leaves a macro, and what only it
 * needs, out; a macro no file defines (the months) is left out too.
 */
export function stringsNeeded(
  entry: EntryDefinition, files: readonly BibliographyFile[], skip: (definition: StringDefinition) => boolean,
): StringDefinition[] {
  const out: StringDefinition[] = [];
  const visited = new Set<string>();
  const visit = (name: string, depth: number): void => {
    if (visited.has(name) || depth > 32) return;
    visited.add(name);
    const source = files.find((file) => file.format === 'bibtex' && file.strings.has(name));
    if (!source) return;
    const macro = (source.strings as ReadonlyMap<string, BibtexField>).get(name) as BibtexField;
    const written = source.text.slice(macro.nameStart, macro.nameStart + name.length);
    const definition = { name, text: `@string{${written} = ${source.text.slice(macro.valueStart, macro.valueEnd)}}` };
    if (skip(definition)) return;
    for (const inner of macrosUsed(source.text, macro.valueStart, macro.valueEnd)) visit(inner, depth + 1);
    out.push(definition);
  };
  const text = entry.file.text;
  for (const field of entry.bibtex ? fieldsOf(entry.bibtex) : []) {
    for (const name of macrosUsed(text, field.valueStart, field.valueEnd)) visit(name, 0);
  }
  return out;
}

/** The `@string` definitions the entry needs from its file and the target does not define, dependencies first. */
function neededStrings(source: BibliographyFile, entry: EntryDefinition, target: BibliographyFile): string[] {
  return stringsNeeded(entry, [source], (definition) => target.strings.has(definition.name)).map((definition) => definition.text);
}

function separatorBefore(text: string): string {
  if (text.length === 0 || text.endsWith('\n\n')) return '';
  return text.endsWith('\n') ? '\n' : '\n\n';
}

/**
 * An edit appending `entry` (from `source`) to `target`: its text as written when both files have the same format
 * (with the `@string`s it needs), else `converted`, the entry already written for the target's format.
 */
export function copyEntryText(source: BibliographyFile, entry: EntryDefinition, target: BibliographyFile, converted?: string): TextEditAt {
  const text = target.text;
  const entryText = converted ?? source.source(entry);
  if (target.format === 'csl-json') {
    const last = target.entries.at(-1);
    if (last) {
      const lineStart = text.lastIndexOf('\n', last.range.start - 1) + 1;
      const indent = /^[ \t]*/.exec(text.slice(lineStart, last.range.start))?.[0] ?? '';
      return { range: { start: last.range.end, end: last.range.end }, newText: `,\n${indent}${entryText}` };
    }
    const open = text.indexOf('[');
    const at = open < 0 ? text.length : open + 1;
    return { range: { start: at, end: at }, newText: open < 0 ? `[\n  ${entryText}\n]\n` : `\n  ${entryText}\n` };
  }
  const strings = converted === undefined ? neededStrings(source, entry, target) : [];
  const newText = separatorBefore(text) + strings.map((s) => `${s}\n`).join('') + (strings.length ? '\n' : '') + entryText + '\n';
  return { range: { start: text.length, end: text.length }, newText };
}
