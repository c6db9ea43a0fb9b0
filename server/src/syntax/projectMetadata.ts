// Reads `bibliography:` (and `csl:`) from Quarto project files `_quarto.yml` / `_metadata.yml`, with ranges.
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node } from 'yaml';
import { excessiveYamlNesting, YAML_TOO_DEEP_MESSAGE } from './yamlNesting';
import type { BibliographyDeclaration, SyntaxProblem } from './types';

export interface ProjectMetadata {
  bibliographies: BibliographyDeclaration[];
  cslStyle?: string;
  problems: SyntaxProblem[];
}

function scalarDeclarations(node: Node | null | undefined): BibliographyDeclaration[] {
  if (!node) return [];
  if (isScalar(node) && typeof node.value === 'string' && node.range) {
    return [{ path: node.value, range: { start: node.range[0], end: node.range[1] } }];
  }
  if (isSeq(node)) return node.items.flatMap((item) => scalarDeclarations(item as Node));
  return [];
}

/** Finds top-level `bibliography:` and `csl:`. Aliases are never expanded: only the nodes themselves are read. */
export function parseProjectMetadata(text: string): ProjectMetadata {
  const problems: SyntaxProblem[] = [];
  const tooDeep = excessiveYamlNesting(text);
  if (tooDeep !== undefined) return { bibliographies: [], problems: [{ range: { start: tooDeep, end: tooDeep + 1 }, message: YAML_TOO_DEEP_MESSAGE }] };
  try {
    const doc = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: false, strict: false });
    for (const error of doc.errors) {
      const [start, end] = [Math.min(error.pos[0], text.length), Math.min(Math.max(error.pos[0], error.pos[1]), text.length)];
      problems.push({ range: { start, end }, message: `YAML: ${error.message.split('\n')[0]}` });
    }
    const root = doc.contents;
    if (!isMap(root)) return { bibliographies: [], problems };
    const bibliographies = scalarDeclarations(root.get('bibliography', true) as Node | undefined);
    const csl = root.get('csl');
    return { bibliographies, cslStyle: typeof csl === 'string' ? csl : undefined, problems };
  } catch (error) {
    problems.push({ range: { start: 0, end: 0 }, message: `YAML could not be read: ${(error as Error).message}` });
    return { bibliographies: [], problems };
  }
}
