// Reads the bibliographies of MyST projects with ranges: mystmd's `myst.yml` (`project: bibliography:`) and Jupyter
// Book 1's `_config.yml` (`bibtex_bibfiles:`). Pure parsing; which files exist is the workspace's business.
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import { excessiveYamlNesting, YAML_TOO_DEEP_MESSAGE } from './yamlNesting';
import type { BibliographyDeclaration, SyntaxProblem } from './types';

export interface MystProjectConfig {
  /**
   * `project: bibliography:` (a path or a list of paths, relative to the myst.yml; `[]` names none), or undefined when
   * the project does not say: then mystmd uses every `.bib` file under the project's folder (skipping `_build`,
   * `node_modules` and names that start with `.`).
   */
  bibliography: BibliographyDeclaration[] | undefined;
  /** The file has a `site:` section (mystmd then builds the project as a website). */
  hasSite: boolean;
  problems: SyntaxProblem[];
}

export interface JupyterBookConfig {
  /** `bibtex_bibfiles:` (sphinxcontrib-bibtex's list, relative to the `_config.yml`); empty when absent. */
  bibliography: BibliographyDeclaration[];
  problems: SyntaxProblem[];
}

/** Parses one YAML file into its root mapping (if it is one) and the problems met on the way. Never throws. */
function readMapping(text: string): { root: Node | undefined; problems: SyntaxProblem[] } {
  const problems: SyntaxProblem[] = [];
  const tooDeep = excessiveYamlNesting(text);
  if (tooDeep !== undefined) {
    return { root: undefined, problems: [{ range: { start: tooDeep, end: tooDeep + 1 }, message: YAML_TOO_DEEP_MESSAGE }] };
  }
  try {
    const document = parseDocument(text, { uniqueKeys: false, strict: false, prettyErrors: false, logLevel: 'error' });
    for (const error of document.errors) {
      const start = Math.min(error.pos[0], text.length);
      const end = Math.min(Math.max(error.pos[1], start + 1), text.length);
      problems.push({ range: { start, end: Math.max(end, start) }, message: `YAML: ${error.message.split('\n')[0]}` });
    }
    const root = document.contents;
    return { root: isMap(root) ? root : undefined, problems };
  } catch (error) {
    problems.push({ range: { start: 0, end: 0 }, message: `YAML could not be read: ${(error as Error).message}` });
    return { root: undefined, problems };
  }
}

function child(mapping: Node | undefined, key: string): Node | undefined {
  if (!mapping || !isMap(mapping)) return undefined;
  const value = mapping.get(key, true) as Node | null | undefined;
  return value ?? undefined;
}

function hasKey(mapping: Node | undefined, key: string): boolean {
  return mapping !== undefined && isMap(mapping) && mapping.has(key);
}

function isNull(node: Node | undefined): boolean {
  return node === undefined || (isScalar(node) && node.value === null);
}

/** A path or a list of paths, each with the range of its text (without quotes); anything else is a problem. */
function pathList(node: Node | undefined, setting: string, problems: SyntaxProblem[]): BibliographyDeclaration[] {
  const found: BibliographyDeclaration[] = [];
  if (!node || (isScalar(node) && node.value === null)) return found;
  const items = isSeq(node) ? node.items : [node];
  for (const item of items) {
    const range = (item as Node | null)?.range;
    if (isScalar(item) && typeof item.value === 'string' && item.value !== '' && range) {
      const quoted = item.type === 'QUOTE_DOUBLE' || item.type === 'QUOTE_SINGLE';
      const start = quoted ? range[0] + 1 : range[0];
      found.push({ path: item.value, range: { start, end: Math.max(start, quoted ? range[1] - 1 : range[1]) } });
    } else if (range) {
      problems.push({ range: { start: range[0], end: range[1] }, message: `\`${setting}\` should be a path or a list of paths.` });
    }
  }
  return found;
}

/** `myst.yml`: the project's bibliographies (undefined: every .bib of the project) and whether it builds a site. */
export function parseMystYml(text: string): MystProjectConfig {
  const { root, problems } = readMapping(text);
  const listed = child(child(root, 'project'), 'bibliography');
  // mystmd takes an empty list as "no bibliography" and a missing or empty value as "every .bib".
  const bibliography = isNull(listed) ? undefined : pathList(listed, 'project.bibliography', problems);
  return { bibliography, hasSite: hasKey(root, 'site'), problems };
}

/** Jupyter Book 1's `_config.yml`: the `bibtex_bibfiles` sphinxcontrib-bibtex reads. */
export function parseJupyterBookConfig(text: string): JupyterBookConfig {
  const { root, problems } = readMapping(text);
  return { bibliography: pathList(child(root, 'bibtex_bibfiles'), 'bibtex_bibfiles', problems), problems };
}
