// How a key must be written in each syntax (BibTeX, LaTeX \cite, Pandoc `@key`/`@{key}`, CSL-JSON, CSL-YAML), and
// which keys a syntax cannot hold at all. Rename and quick fixes write keys through these.
import type { BibliographyFormat } from '../bibliography/bibliographyFile';
import { readCiteKey } from '../syntax/citations/markdownCiteKey';
import type { TextRange } from '../syntax/types';
import type { DocumentLanguage } from '../workspace/documents';

/**
 * Characters a BibTeX entry key cannot contain. BibTeX ends a key at `,` or whitespace; biber and bibtex's
 * `.bst` machinery also choke on braces, `"`, `#` (concatenation), `%` (comment), `'`, `(`, `)`, `=` and `\`.
 * The same set is refused for keys cited from LaTeX, where `,` separates keys, `%` starts a comment, `#` and `\`
 * are special and braces delimit the argument.
 */
const BIBTEX_FORBIDDEN = new Set([...',{}"#%\'()=\\']);

/** Why `key` cannot be written in the given places, or undefined when it can. */
export function keyProblem(key: string, places: { formats: Iterable<BibliographyFormat>; languages: Iterable<DocumentLanguage> }): string | undefined {
  if (key.length === 0) return 'A key cannot be empty.';
  if (key === '*') return '`*` means "every entry" in citations; it cannot be a key.';
  if (/\s/u.test(key)) return `\`${key}\` contains whitespace; keys cannot (BibTeX, LaTeX and Pandoc all end a key there).`;
  const formats = new Set(places.formats);
  const languages = new Set(places.languages);
  if (formats.has('bibtex') || languages.has('latex')) {
    const bad = [...key].find((c) => BIBTEX_FORBIDDEN.has(c));
    if (bad) {
      const where = formats.has('bibtex') ? 'a BibTeX entry key' : 'a key cited from LaTeX';
      return `\`${key}\` cannot be ${where}: it contains \`${bad}\` (not allowed: whitespace and , { } " # % ' ( ) = \\).`;
    }
  }
  if (languages.has('markdown') && !isBareMarkdownKey(key) && /[{}]/.test(key)) {
    return `\`${key}\` cannot be cited in Markdown: it needs the @{…} form, which cannot hold \`{\` or \`}\`.`;
  }
  return undefined;
}

/** True when Pandoc reads `@key` as exactly this key, without braces. */
export function isBareMarkdownKey(key: string): boolean {
  const read = readCiteKey(`@${key}`, 0);
  return !!read && !read.braced && read.key === key && key !== '*';
}

/** The replacement for a citation key at `range` in a document: braces added in Markdown when the new key needs them. */
export function citationKeyText(text: string, language: DocumentLanguage, range: TextRange, key: string): string {
  if (language !== 'markdown') return key;
  const braced = text[range.start - 1] === '{' && text[range.end] === '}';
  return braced || isBareMarkdownKey(key) ? key : `{${key}}`;
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
  if (format === 'csl-yaml' || format === 'inline') return yamlKeyEdit(text, keyRange, key);
  return { range: keyRange, newText: key };
}
