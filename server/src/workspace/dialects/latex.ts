// LaTeX: the `\cite` family of natbib, biblatex and friends (one table), `\bibitem`; bibliographies declared by the
// roots that include the document, found where BibTeX and biber look (BIBINPUTS, the TeX tree), `filecontents`.
import * as path from 'node:path';
import { forbiddenBibtexKeyCharacter, BIBTEX_FORBIDDEN_LIST } from '../../syntax/bibtex/keyCharacters';
import { latexCitationLists } from '../../syntax/citations/citationLists';
import { latexKeyAt } from '../../syntax/citations/keyAtCursor';
import { parseLatexDocument } from '../../syntax/citations/latex';
import { latexCitationInsertion } from '../../syntax/citations/citationInsertion';
import { DOCUMENT_LANGUAGES } from '../../syntax/documentLanguages';
import type { Workspace } from '../workspace';
import type { DeclaredBibliographies, Dialect } from './dialect';
import { includedFiles, latexRootDeclarations } from './latexIncludes';
import { findLatexRoots } from './latexRoots';

/** BIBINPUTS, as kpathsea reads it. */
function bibinputs(workspace: Workspace): string[] {
  return (workspace.environment.BIBINPUTS ?? '').split(path.delimiter).map((dir) => dir.replace(/\/+$/, '')).filter(Boolean);
}

export const latexDialect: Dialect = {
  name: 'latex',
  ...DOCUMENT_LANGUAGES.latex,
  variantFor: async () => undefined,
  parse: (text, settings) => parseLatexDocument(text, { extraCiteCommands: settings.extraCiteCommands }),
  keyAt: (text, offset, settings) => latexKeyAt(text, offset, settings.extraCiteCommands),
  insertText: () => undefined,
  citationInsertion: latexCitationInsertion,
  keyText: (_text, _range, key) => key,
  keyProblem(key) {
    const bad = forbiddenBibtexKeyCharacter(key);
    return bad ? `\`${key}\` cannot be a key cited from LaTeX: it contains \`${bad}\` (not allowed: ${BIBTEX_FORBIDDEN_LIST}).` : undefined;
  },
  keyCase: 'per-bibliography',
  citationLists: latexCitationLists,
  async declarations(workspace, doc) {
    const declared: DeclaredBibliographies = { sites: [], embedded: new Map(), bibitemDocuments: [doc], caseInsensitive: false, projectProblems: [] };
    // Every root that includes the document counts: a key defined for any of them is not flagged.
    const roots = await findLatexRoots(workspace, doc);
    if (roots[0] !== doc) declared.root = roots[0];
    // A root named by `% !TEX root` that does not include the document: the document's own declarations still count.
    let reached = false;
    for (const latexRoot of roots) reached ||= (await includedFiles(workspace, latexRoot)).has(doc.path);
    for (const latexRoot of reached ? roots : [...roots, doc]) {
      const read = await latexRootDeclarations(workspace, latexRoot);
      for (const site of read.declarations) declared.sites.push(site);
      for (const [written, file] of read.embedded) if (!declared.embedded.has(written)) declared.embedded.set(written, file);
      if (read.caseInsensitive) declared.caseInsensitive = true;
      for (const part of read.bibitemParts) if (!declared.bibitemDocuments.includes(part)) declared.bibitemDocuments.push(part);
    }
    return declared;
  },
  paths: {
    globs: true,
    // BibTeX and biber both ask kpathsea: BIBINPUTS, and for a bare name the .bib files of the TeX distribution.
    async moreCandidates(workspace, names) {
      const out: string[] = [];
      for (const dir of bibinputs(workspace)) for (const name of names) out.push(path.resolve(dir, name));
      if (names.some((name) => name.includes('/'))) return out;
      for (const folder of workspace.environment.texBibFolders ?? []) {
        const listing = await workspace.listFolder(folder);
        for (const name of names) {
          const found = listing.bibliographies.find((file) => path.basename(file) === name);
          if (found) out.push(found);
        }
      }
      return out;
    },
    readableFolders: (workspace) => [...(workspace.environment.texBibFolders ?? []), ...bibinputs(workspace)],
    readOnlyFolders: (workspace) => [...(workspace.environment.texBibFolders ?? [])],
  },
  editAffectsOthers: true,
  triggerCharacters: ['{', ','],
  projectFileNames: [],
  declareBibliography(doc, name) {
    const text = doc.text;
    // biblatex: `\addbibresource` in the preamble, after the package; else BibTeX's `\bibliography` at the end.
    const biblatex = /\\usepackage(?:\[[^\]]*\])?\{[^}]*\bbiblatex\b[^}]*\}[^\n]*\n?/.exec(text);
    if (biblatex) {
      const at = biblatex.index + biblatex[0].length;
      return { range: { start: at, end: at }, newText: `${biblatex[0].endsWith('\n') ? '' : '\n'}\\addbibresource{${name}}\n` };
    }
    const end = text.lastIndexOf('\\end{document}');
    const at = end >= 0 ? end : text.length;
    const style = /\\bibliographystyle\s*\{/.test(text) ? '' : '\\bibliographystyle{plain}\n';
    const lead = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
    return { range: { start: at, end: at }, newText: `${lead}${style}\\bibliography{${name.replace(/\.bib$/, '')}}\n` };
  },
  messages: { declareBibliography: '`\\bibliography{}` or `\\addbibresource{}`' },
};
