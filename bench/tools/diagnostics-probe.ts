// Child process for the server benchmark: the diagnostics of one document computed in process (no LSP, no
// debounce), split into the document's own findings and its bibliographies' findings; prints JSON on stderr.
import * as path from 'node:path';
import { NodeFileSystem } from '../../server/src/workspace/fileSystem';
import { Workspace } from '../../server/src/workspace/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/config/settings';
import { resolveBibliographies } from '../../server/src/workspace/discovery';
import { bibliographyFindings, documentFindings } from '../../server/src/features/diagnostics';

async function main(): Promise<void> {
  const file = path.resolve(process.argv[2]);
  const workspace = new Workspace(new NodeFileSystem(), { ...DEFAULT_SETTINGS }, [path.dirname(file)]);
  const time = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
    const started = performance.now();
    const value = await work();
    return [value, performance.now() - started];
  };
  const [doc, readMs] = await time(() => workspace.getDocument(file));
  if (!doc) throw new Error(`cannot read ${file}`);
  const [resolved, resolveMs] = await time(() => resolveBibliographies(workspace, doc));
  const [, parseDocumentMs] = await time(() => doc.syntax());
  const documentRuns: number[] = [];
  let findings = 0;
  for (let i = 0; i < 3; i++) {
    const [found, ms] = await time(() => documentFindings(doc, resolved));
    documentRuns.push(ms);
    findings = found.length;
  }
  const bibliographyRuns: number[] = [];
  for (let i = 0; i < 2; i++) {
    const [, ms] = await time(() => resolved.files.map((bib) => bibliographyFindings(bib, { likelyDuplicates: true })));
    bibliographyRuns.push(ms);
  }
  process.stderr.write(JSON.stringify({ readMs, resolveMs, parseDocumentMs, documentRuns, bibliographyRuns, findings }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`diagnostics-probe: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
