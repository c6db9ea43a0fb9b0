// Hover on a citation key (documents) or an entry key (bibliographies): the reference in the configured CSL style,
// DOI/URL links and where it is defined; on an undefined key, says so and suggests close keys.
import * as path from 'node:path';
import type { EntryDefinition } from '../bibliography/bibliographyFile';
import type { TextRange } from '../syntax/types';
import { suggestKeys } from './suggestions';
import { escapeMarkdownText } from '../util/markdownText';
import { resolveBibliographies } from '../workspace/discovery';
import type { DocumentFile } from '../workspace/documents';
import type { Workspace } from '../workspace/workspace';
import { keyAt, type KeyAtOffset } from './keyAt';
import { referenceMarkdown, resolveStyle } from './referenceMarkdown';
import { appendAll } from '../util/appendAll';

export interface HoverResult {
  markdown: string;
  range: TextRange;
}

export async function provideHover(workspace: Workspace, filePath: string, offset: number, isCancelled: () => boolean): Promise<HoverResult | undefined> {
  const at = await keyAt(workspace, filePath, offset);
  if (!at || isCancelled()) return undefined;
  switch (at.kind) {
    case 'entry':
      return hoverOnEntry(workspace, filePath, at);
    case 'bibitem':
      return { markdown: bibitemMarkdown(workspace, at.doc, at.range), range: at.range };
    case 'citation':
      return hoverOnCitation(workspace, at.doc, at.key, at.range, isCancelled);
  }
}

/** On an entry key in a bibliography (or a document's `references:`): the same reference a citation shows. */
async function hoverOnEntry(workspace: Workspace, filePath: string, at: Extract<KeyAtOffset, { kind: 'entry' }>): Promise<HoverResult> {
  const style = await resolveStyle(workspace, at.doc, filePath);
  const definitions = at.entry.file.definitions(at.key);
  return { markdown: await referenceMarkdown(workspace, definitions.length ? definitions : [at.entry], style), range: at.range };
}

async function hoverOnCitation(
  workspace: Workspace, doc: DocumentFile, key: string, range: TextRange, isCancelled: () => boolean,
): Promise<HoverResult | undefined> {
  if (key === '*') return { markdown: 'Cites every entry of the bibliography (`*`).', range };
  const bibliographies = await resolveBibliographies(workspace, doc);
  if (isCancelled()) return undefined;
  const definitions: EntryDefinition[] = [];
  for (const file of bibliographies.files) appendAll(definitions, file.definitions(key));
  if (definitions.length === 0 && bibliographies.caseInsensitive) {
    // BibTeX matches keys case-insensitively.
    const lower = key.toLowerCase();
    for (const file of bibliographies.files) appendAll(definitions, file.entries.filter((entry) => entry.key.toLowerCase() === lower));
  }
  if (definitions.length > 0) {
    const style = await resolveStyle(workspace, doc, undefined, bibliographies.root);
    if (isCancelled()) return undefined;
    return { markdown: await referenceMarkdown(workspace, definitions, style), range };
  }
  const bibitemKeys: string[] = [];
  for (const part of bibliographies.bibitemDocuments) {
    const bibitem = part.syntax().bibitems.find((item) => item.key === key);
    if (bibitem) return { markdown: bibitemMarkdown(workspace, part, bibitem.range), range };
    for (const item of part.syntax().bibitems) bibitemKeys.push(item.key);
  }

  const library = bibliographies.libraries.find((file) => file.hasKey(key));
  if (library) {
    const style = await resolveStyle(workspace, doc);
    if (isCancelled()) return undefined;
    const reference = await referenceMarkdown(workspace, library.definitions(key), style);
    const note = `*Not in the document’s bibliography yet: it comes from your library ${escapeMarkdownText(path.basename(library.path))}; the quick fix copies it.*`;
    return { markdown: `${reference}\n\n${note}`, range };
  }
  const lines = [`**Undefined citation key** ${escapeMarkdownText(key)}`];
  if (bibliographies.files.length === 0) {
    lines.push(`No bibliography was found for this document: declare one (${doc.dialect.messages.declareBibliography}) or set \`citekeys.bibliographies\`.`);
  } else {
    const names = bibliographies.files.map((file) => escapeMarkdownText(relativePath(workspace, file.path)));
    lines.push(`Not found in ${names.join(', ')}.`);
    const suggestions = suggestKeys(key, bibliographies.files, bibitemKeys, 3);
    if (suggestions.length) lines.push(`Did you mean ${suggestions.map(escapeMarkdownText).join(', ')}?`);
  }
  return { markdown: lines.join('\n\n'), range };
}

function bibitemMarkdown(workspace: Workspace, doc: DocumentFile, range: TextRange): string {
  const line = doc.lineIndex().positionAt(range.start).line + 1;
  return `Defined by \\\\bibitem in ${escapeMarkdownText(`${relativePath(workspace, doc.path)}:${line}`)}`;
}

function relativePath(workspace: Workspace, file: string): string {
  const folder = workspace.folderOf(file);
  return folder ? path.relative(folder, file).split(path.sep).join('/') : file;
}
