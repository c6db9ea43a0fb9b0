// Characters a BibTeX entry key cannot hold. BibTeX ends a key at `,` or whitespace; biber and bibtex's `.bst`
// machinery also choke on braces, `"`, `#` (concatenation), `%` (comment), `'`, `(`, `)`, `=` and `\`. LaTeX's
// `\cite` refuses the same set: `,` separates keys, `%` starts a comment, `#` and `\` are special, braces delimit.
const BIBTEX_FORBIDDEN = new Set([...',{}"#%\'()=\\']);

/** The first character of `key` that BibTeX (and a LaTeX key list) cannot hold, or undefined. */
export function forbiddenBibtexKeyCharacter(key: string): string | undefined {
  for (const c of key) if (BIBTEX_FORBIDDEN.has(c)) return c;
  return undefined;
}

export const BIBTEX_FORBIDDEN_LIST = 'whitespace and , { } " # % \' ( ) = \\';
