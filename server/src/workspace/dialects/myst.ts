// MyST Markdown (mystmd, Jupyter Book): citation roles `{cite:p}`a, b`` and Pandoc-style `[@a]`, `@a`; bibliographies
// from the project's `myst.yml` (or every `.bib` of the project) or Jupyter Book's `_config.yml`.
import * as path from 'node:path';
import { markdownCitationLists } from '../../syntax/citations/citationLists';
import { markdownKeyAt } from '../../syntax/citations/keyAtCursor';
import { isBareMarkdownKey } from '../../syntax/citations/markdownCiteKey';
import { parseMystDocument } from '../../syntax/citations/myst';
import { fitsMystRole, mystRoleKeyAt } from '../../syntax/citations/mystKeyAt';
import { mystCitationInsertion } from '../../syntax/citations/citationInsertion';
import { DOCUMENT_LANGUAGES } from '../../syntax/documentLanguages';
import type { DeclaredBibliographies, Dialect } from './dialect';
import { bibFilesBelow, MYST_PROJECT_FILES, mystProjectOf } from './mystProject';

export const mystDialect: Dialect = {
  name: 'myst',
  ...DOCUMENT_LANGUAGES.myst,
  variantFor: async () => undefined,
  parse: (text, settings) => parseMystDocument(text, { crossrefPrefixes: settings.crossrefPrefixes }),
  keyAt: (text, offset, settings) => mystRoleKeyAt(text, offset) ?? markdownKeyAt(text, offset, settings.crossrefPrefixes),
  // In a role (braced) a key goes in as it is; after `@`, as Pandoc writes it.
  insertText: (key, typing) => (!typing.braced && !isBareMarkdownKey(key) ? { text: `{${key}}` } : undefined),
  citationInsertion: mystCitationInsertion,
  keyText(text, range, key) {
    const braced = text[range.start - 1] === '{' || text[range.start - 1] === '`' || /[,;\s]/.test(text[range.start - 1] ?? '');
    return braced || isBareMarkdownKey(key) ? key : `{${key}}`;
  },
  keyProblem: (key) => (fitsMystRole(key) ? undefined : `\`${key}\` cannot be cited in a MyST role: keys there cannot hold \`,\`, \`;\`, backticks, braces or spaces.`),
  keyCase: 'exact',
  citationLists: markdownCitationLists,
  async declarations(workspace, doc) {
    const declared: DeclaredBibliographies = { sites: [], embedded: new Map(), bibitemDocuments: [doc], caseInsensitive: false, projectProblems: [] };
    // mystmd's site build reads the project's bibliographies; a page's own `bibliography:` is for exports only.
    const project = await mystProjectOf(workspace, doc.path);
    if (!project) {
      for (const declaration of doc.syntax().bibliographies) declared.sites.push({ declaration, declaredIn: doc, baseDir: path.dirname(doc.path) });
      return declared;
    }
    if (project.problems.length) declared.projectProblems.push({ file: project.file, problems: project.problems });
    declared.sites = [...project.sites];
    if (project.everyBibBelow) {
      for (const file of await bibFilesBelow(workspace, project.everyBibBelow)) {
        declared.sites.push({ declaration: { path: file, range: { start: 0, end: 0 } }, declaredIn: project.file, baseDir: project.everyBibBelow });
      }
    }
    return declared;
  },
  paths: { globs: false, moreCandidates: async () => [], readableFolders: () => [], readOnlyFolders: () => [] },
  editAffectsOthers: false,
  triggerCharacters: ['@', '[', ';', '{', '`', ','],
  projectFileNames: MYST_PROJECT_FILES,
  // The project's myst.yml declares bibliographies; citekeys does not edit it.
  declareBibliography: () => undefined,
  messages: { declareBibliography: '`bibliography:` under `project:` in myst.yml' },
};
