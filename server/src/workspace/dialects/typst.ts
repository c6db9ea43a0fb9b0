// Typst: `@key`, `@key[p. 7]`, `#cite(<key>)`, `#cite(label("key"))`; `@x` is a cross-reference when `<x>` is a label
// of the document. Bibliographies from `#bibliography(…)` in the main files that include the document.
import { parseTypstDocument } from '../../syntax/citations/typst';
import { isBareTypstKey, referenceRange, typstKeyAt, typstString } from '../../syntax/citations/typstKeyAt';
import { typstCitationInsertion } from '../../syntax/citations/citationInsertion';
import { DOCUMENT_LANGUAGES } from '../../syntax/documentLanguages';
import type { Dialect } from './dialect';
import { typstDeclarations } from './typstProject';

export const typstDialect: Dialect = {
  name: 'typst',
  ...DOCUMENT_LANGUAGES.typst,
  variantFor: async () => undefined,
  parse(text) {
    const syntax = parseTypstDocument(text);
    // `@fig` with `<fig>` in the same file refers to the figure; labels in other files are checked with the roots.
    const labels = new Set(syntax.labels);
    if (labels.size) syntax.citations = syntax.citations.filter((c) => !(c.reference && labels.has(c.key)));
    return syntax;
  },
  keyAt: (text, offset) => typstKeyAt(text, offset),
  insertText(key, typing, text) {
    // Inside `label("…")` (braced): any key, escaped as a string's content.
    if (typing.braced) return key.includes('"') || key.includes('\\') ? { text: typstString(key).slice(1, -1) } : undefined;
    if (isBareTypstKey(key)) return undefined;
    // `@` cannot carry this key: the whole `@…` becomes `#cite(label("…"))`.
    const reference = referenceRange(text, typing.range);
    return reference ? { text: `#cite(label(${typstString(key)}))`, range: reference } : undefined;
  },
  citationInsertion: typstCitationInsertion,
  keyText(text, range, key) {
    const inString = text[range.start - 1] === '"' && text[range.end] === '"';
    return inString ? typstString(key).slice(1, -1) : key;
  },
  keyProblem: (key) =>
    isBareTypstKey(key) ? undefined : `\`${key}\` cannot be written as \`@${key}\` or \`<${key}>\` in Typst; cite it with \`#cite(label("…"))\`.`,
  keyCase: 'exact',
  // One key per citation: nothing to repeat.
  citationLists: { ownNotes: () => true, removal: () => undefined },
  async declarations(workspace, doc) {
    const { sites, labels, root } = await typstDeclarations(workspace, doc);
    return { sites, labels, root, embedded: new Map(), bibitemDocuments: [doc], caseInsensitive: false, projectProblems: [] };
  },
  paths: { globs: false, moreCandidates: async () => [], readableFolders: () => [], readOnlyFolders: () => [] },
  // A chapter's `#include`s and `#bibliography` decide what its main file's other chapters may cite.
  editAffectsOthers: true,
  triggerCharacters: ['@', '<', '"'],
  projectFileNames: [],
  declareBibliography(doc, name) {
    const at = doc.text.length;
    return { range: { start: at, end: at }, newText: `${at > 0 && !doc.text.endsWith('\n') ? '\n' : ''}\n#bibliography(${typstString(name)})\n` };
  },
  messages: { declareBibliography: '`#bibliography("refs.bib")`' },
};
