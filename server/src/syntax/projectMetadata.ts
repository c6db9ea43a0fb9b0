// Reads `bibliography:` (and `csl:`) from Quarto project files `_quarto.yml` / `_metadata.yml`, with ranges.
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node } from 'yaml';
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
  try {
    const doc = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: false, strict: false });
    for (const error of doc.errors) {
      problems.push({ range: { start: error.pos[0], end: error.pos[1] }, message: `YAML: ${error.message.split('\n')[0]}` });
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
