// Pandoc, Quarto and R Markdown: `[@a; @b]`, `@a`, `@{odd key}`; bibliographies from the front matter, the Quarto
// project files above the document, and `references:` written in the document itself.
import * as path from 'node:path';
import { BibliographyFile } from '../../bibliography/bibliographyFile';
import { markdownCitationLists } from '../../syntax/citations/citationLists';
import { markdownKeyAt } from '../../syntax/citations/keyAtCursor';
import { parseMarkdownDocument } from '../../syntax/citations/markdown';
import { isBareMarkdownKey } from '../../syntax/citations/markdownCiteKey';
import { markdownCitationInsertion } from '../../syntax/citations/citationInsertion';
import { DOCUMENT_LANGUAGES } from '../../syntax/documentLanguages';
import type { DeclaredBibliographies, Dialect } from './dialect';
import { projectBibliographies, QUARTO_PROJECT_FILES, quartoMetadataFiles } from './quartoProject';
import { mystDialect } from './myst';
import { readsAsMyst } from './mystProject';

export const markdownDialect: Dialect = {
  name: 'markdown',
  ...DOCUMENT_LANGUAGES.markdown,
  // Only `.md` can be MyST (Quarto's `.qmd` and R Markdown's `.Rmd` are Pandoc's).
  variantFor: async (workspace, file) => (path.extname(file).toLowerCase() === '.md' && (await readsAsMyst(workspace, file)) ? mystDialect : undefined),
  parse: (text, settings) => parseMarkdownDocument(text, { crossrefPrefixes: settings.crossrefPrefixes }),
  keyAt: (text, offset, settings) => markdownKeyAt(text, offset, settings.crossrefPrefixes),
  insertText: (key, typing) => (!typing.braced && !isBareMarkdownKey(key) ? { text: `{${key}}` } : undefined),
  citationInsertion: markdownCitationInsertion,
  keyText(text, range, key) {
    const braced = text[range.start - 1] === '{' && text[range.end] === '}';
    return braced || isBareMarkdownKey(key) ? key : `{${key}}`;
  },
  keyProblem: (key) =>
    !isBareMarkdownKey(key) && /[{}]/.test(key) ? `\`${key}\` cannot be cited in Markdown: it needs the @{…} form, which cannot hold \`{\` or \`}\`.` : undefined,
  keyCase: 'exact',
  citationLists: markdownCitationLists,
  async declarations(workspace, doc) {
    const syntax = doc.syntax();
    const declared: DeclaredBibliographies = {
      sites: syntax.bibliographies.map((declaration) => ({ declaration, declaredIn: doc, baseDir: path.dirname(doc.path) })),
      embedded: new Map(),
      bibitemDocuments: [doc],
      caseInsensitive: false,
      projectProblems: [],
    };
    if (syntax.inlineReferences && syntax.inlineReferences.items.length + syntax.inlineReferences.problems.length > 0) {
      declared.inline = BibliographyFile.fromInlineReferences(doc.path, doc.text, syntax.inlineReferences, doc.version);
    }
    for (const metadataPath of await quartoMetadataFiles(workspace, doc)) {
      const project = await projectBibliographies(workspace, metadataPath);
      if (!project) continue;
      if (project.problems.length) declared.projectProblems.push({ file: project.metadata, problems: project.problems });
      for (const declaration of project.declarations) {
        declared.sites.push({ declaration, declaredIn: project.metadata, baseDir: path.dirname(metadataPath) });
      }
    }
    return declared;
  },
  paths: { globs: false, moreCandidates: async () => [], readableFolders: () => [], readOnlyFolders: () => [] },
  editAffectsOthers: false,
  triggerCharacters: ['@', '[', ';', '{'],
  projectFileNames: QUARTO_PROJECT_FILES,
  declareBibliography(doc, name) {
    const open = /^---[ \t]*\r?\n/.exec(doc.text);
    if (!open) return { range: { start: 0, end: 0 }, newText: `---\nbibliography: ${name}\n---\n\n` };
    const close = /^(---|\.\.\.)[ \t]*$/m.exec(doc.text.slice(open[0].length));
    // A front matter that names a bibliography already (one that does not exist) is the user's to fix.
    if (!close || /^bibliography[ \t]*:/m.test(doc.text.slice(open[0].length, open[0].length + close.index))) return undefined;
    return { range: { start: open[0].length, end: open[0].length }, newText: `bibliography: ${name}\n` };
  },
  messages: { declareBibliography: '`bibliography:` in the front matter' },
};
