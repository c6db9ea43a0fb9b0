// How a key must be written in each bibliography format (BibTeX, CSL-JSON, CSL-YAML), and which keys a format or
// a citing document's dialect cannot hold at all. Rename and quick fixes write keys through these.
import type { BibliographyFormat } from '../bibliography/bibliographyFile';
import { BIBTEX_FORBIDDEN_LIST, forbiddenBibtexKeyCharacter } from '../syntax/bibtex/keyCharacters';
import type { TextRange } from '../syntax/types';
import type { Dialect } from '../workspace/dialects/dialect';

/** Why `key` cannot be written in the given places, or undefined when it can. */
export function keyProblem(key: string, places: { formats: Iterable<BibliographyFormat>; dialects: Iterable<Dialect> }): string | undefined {
  if (key.length === 0) return 'A key cannot be empty.';
  if (key === '*') return '`*` means "every entry" in citations; it cannot be a key.';
  if (/\s/u.test(key)) return `\`${key}\` contains whitespace; keys cannot (BibTeX, LaTeX and Pandoc all end a key there).`;
  if (new Set(places.formats).has('bibtex')) {
    const bad = forbiddenBibtexKeyCharacter(key);
    if (bad) return `\`${key}\` cannot be a BibTeX entry key: it contains \`${bad}\` (not allowed: ${BIBTEX_FORBIDDEN_LIST}).`;
  }
  for (const dialect of new Set(places.dialects)) {
    const problem = dialect.keyProblem(key);
    if (problem) return problem;
  }
  return undefined;
}

/** An edit that sets a CSL-JSON `"id"` (string or number at `keyRange`) to `key`, escaped as JSON. */
export function jsonKeyEdit(text: string, keyRange: TextRange, key: string): { range: TextRange; newText: string } {
  const quoted = text[keyRange.start - 1] === '"' && text[keyRange.end] === '"';
  const json = JSON.stringify(key);
  return quoted ? { range: keyRange, newText: json.slice(1, -1) } : { range: keyRange, newText: json };
}

const YAML_RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

/**
 * `key` as a YAML scalar: plain when it starts with a letter or `_`, uses only `[A-Za-z0-9_./+-]` and is not a YAML
 * 1.1 boolean/null word; else double-quoted (a JSON string is a valid YAML double-quoted scalar).
 */
export function yamlScalar(key: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_./+-]*$/.test(key) && !YAML_RESERVED.test(key);
  return plain ? key : JSON.stringify(key);
}

/** An edit that sets a CSL-YAML `id:` (plain or quoted scalar whose content is `keyRange`) to `key`. */
export function yamlKeyEdit(text: string, keyRange: TextRange, key: string): { range: TextRange; newText: string } {
  const before = text[keyRange.start - 1];
  const quoted = (before === '"' || before === "'") && text[keyRange.end] === before;
  const range = quoted ? { start: keyRange.start - 1, end: keyRange.end + 1 } : keyRange;
  return { range, newText: yamlScalar(key) };
}

/** The edit that renames an entry key in a bibliography of the given format. */
export function entryKeyEdit(format: BibliographyFormat, text: string, keyRange: TextRange, key: string): { range: TextRange; newText: string } {
  if (format === 'csl-json') return jsonKeyEdit(text, keyRange, key);
  if (format === 'csl-yaml' || format === 'hayagriva' || format === 'inline') return yamlKeyEdit(text, keyRange, key);
  return { range: keyRange, newText: key };
}
