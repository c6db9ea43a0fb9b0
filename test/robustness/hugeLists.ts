// Documents with one citation of 300,000 keys (LaTeX and Markdown, closed and unclosed) and `\cites` with 100,000
// groups: shared by the parser, feature and CLI tests, since each layer once overflowed the stack on them.

export const HUGE_KEY_COUNT = 300_000;
export const HUGE_GROUP_COUNT = 100_000;

/** The keys a huge document cites: `k0`, `k1`, … */
export function hugeKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `k${i}`);
}

export interface HugeDocument {
  /** File name, with the extension that picks the language. */
  name: string;
  /** What it is, for test names. */
  description: string;
  /** The whole document; it declares `refs.bib` (see HUGE_BIB). */
  text: string;
  /** How many citations the parser must find. */
  citations: number;
  /** Whether the parser reports a missing `}`. */
  unclosed: boolean;
}

/** Defines two of the cited keys, so everything else is an undefined citation. */
export const HUGE_BIB = '@book{k1, title = {One}, author = {Doe, Jane}, year = {2001}}\n@book{k5, title = {Five}, author = {Roe, Rick}, year = {2005}}\n';
export const DEFINED_KEYS = ['k1', 'k5'];

export function hugeDocuments(): HugeDocument[] {
  const keys = hugeKeys(HUGE_KEY_COUNT);
  const groups = hugeKeys(HUGE_GROUP_COUNT).map((key) => `{${key}}`).join('');
  const markdownKeys = keys.map((key) => `@${key}`).join('; ');
  const frontMatter = '---\nbibliography: refs.bib\n---\n\n';
  return [
    { name: 'closed.tex', description: 'a LaTeX \\cite of 300,000 keys', text: `\\bibliography{refs}\n\\cite{${keys.join(',')}}\n`, citations: HUGE_KEY_COUNT, unclosed: false },
    { name: 'unclosed.tex', description: 'a LaTeX \\cite of 300,000 keys without its `}`', text: `\\bibliography{refs}\n\\cite{${keys.join(',')}\n`, citations: HUGE_KEY_COUNT, unclosed: true },
    { name: 'closed.md', description: 'a Markdown citation of 300,000 keys', text: `${frontMatter}See [${markdownKeys}].\n`, citations: HUGE_KEY_COUNT, unclosed: false },
    { name: 'unclosed.md', description: 'a Markdown citation of 300,000 keys without its `]`', text: `${frontMatter}See [${markdownKeys}\n`, citations: HUGE_KEY_COUNT, unclosed: false },
    { name: 'cites.tex', description: 'a LaTeX \\cites with 100,000 groups', text: `\\bibliography{refs}\n\\cites${groups}\n`, citations: HUGE_GROUP_COUNT, unclosed: false },
  ];
}
