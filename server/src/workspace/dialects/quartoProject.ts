// Quarto projects: the bibliographies `_quarto.yml` and the `_metadata.yml` files on the way to it declare for
// every document below them, read once per workspace generation.
import * as path from 'node:path';
import type { SourceText } from '../../bibliography/bibliographyFile';
import { parseProjectMetadata } from '../../syntax/projectMetadata';
import type { BibliographyDeclaration, SyntaxProblem } from '../../syntax/types';
import { LineIndex } from '../../util/lineIndex';
import type { DocumentFile } from '../documents';
import type { Workspace } from '../workspace';

export const QUARTO_PROJECT_FILES = ['_quarto.yml', '_quarto.yaml', '_metadata.yml', '_metadata.yaml'];

/** A project file's text, so messages and ranges can point into it. */
export class ProjectFileText implements SourceText {
  private lines: LineIndex | undefined;
  constructor(readonly path: string, readonly text: string) {}
  lineIndex(): LineIndex {
    this.lines ??= new LineIndex(this.text);
    return this.lines;
  }
}

export interface ProjectBibliographies {
  metadata: ProjectFileText;
  declarations: BibliographyDeclaration[];
  problems: SyntaxProblem[];
}

/** The bibliographies a Quarto project file declares, read once per workspace generation for all its documents. */
export function projectBibliographies(workspace: Workspace, metadataPath: string): Promise<ProjectBibliographies | undefined> {
  return workspace.derived(`project-metadata\u0000${metadataPath}`, async () => {
    const read = await workspace.readText(metadataPath);
    if ('error' in read) return undefined;
    const parsed = parseProjectMetadata(read.text);
    return { metadata: new ProjectFileText(metadataPath, read.text), declarations: parsed.bibliographies, problems: parsed.problems };
  });
}

/** Quarto: `_metadata.yml` in each folder up to the project root, and `_quarto.yml` at the root. */
export async function quartoMetadataFiles(workspace: Workspace, doc: DocumentFile): Promise<string[]> {
  const stopAt = workspace.folderOf(doc.path);
  const found: string[] = [];
  let dir = path.dirname(doc.path);
  for (let level = 0; level < 12; level++) {
    const metadata = path.join(dir, '_metadata.yml');
    if (await workspace.exists(metadata)) found.push(metadata);
    for (const name of ['_quarto.yml', '_quarto.yaml']) {
      const project = path.join(dir, name);
      if (await workspace.exists(project)) {
        found.push(project);
        return found;
      }
    }
    if (dir === stopAt || dir === path.dirname(dir)) break;
    dir = path.dirname(dir);
  }
  // `_metadata.yml` only counts inside a Quarto project.
  return [];
}
