// The Markdown that hover and completion documentation show for an entry: the reference in the configured CSL style,
// DOI/URL links, and where the entry is defined. All entry text is escaped; the only links are ones built here.
import * as path from 'node:path';
import type { EntryDefinition } from '../bibliography/bibliographyFile';
import { BUILT_IN_STYLES } from '../bibliography/citationJs';
import { declaredText, INSTALLED_STYLE_FOLDERS, nearestCslStyle } from '../bibliography/latexStyles';
import { DEFAULT_SETTINGS } from '../config/settings';
import { entrySourceOf, ReferenceFormatter, type FormatEngine, type StyleSpec } from '../bibliography/format';
import type { DocumentFile } from '../workspace/documents';
import { mayRead } from '../workspace/readAccess';
import type { Workspace } from '../workspace/workspace';
import { doiUrl, escapeMarkdownText, hardenFormattedMarkdown, httpUrl, markdownLink } from '../util/markdownText';

/** Formatted references are cached by entry content and style, across requests. */
const formatter = new ReferenceFormatter();

/**
 * Where citation-js runs. The language server moves it to a worker thread, so building a style's engine (about
 * half a second for APA) never holds up a request; the CLI and tests keep it in their own thread.
 */
export function useFormatEngine(engine: FormatEngine): void {
  formatter.engine = engine;
}

export interface ResolvedStyle {
  style: StyleSpec;
  /** Set when the wanted style could not be used (then `style` is APA). */
  problem?: string;
  /** For a LaTeX document: which style is shown and why ("APA style (from biblatex style=apa)"). */
  note?: string;
}

/**
 * The style for a document: its `csl:` front matter (relative to the document); for a LaTeX document (or its root)
 * that names a bibliography style, the CSL style nearest it while `settings.style` is left at its default; else
 * `settings.style` (a built-in name, or a `.csl` path relative to the workspace folder). A style file that cannot be
 * read falls back to APA.
 */
export async function resolveStyle(workspace: Workspace, doc?: DocumentFile, anchorPath?: string, root?: DocumentFile): Promise<ResolvedStyle> {
  const fromDocument = doc?.syntax().cslStyle?.trim();
  const latex = fromDocument ? undefined : (doc?.syntax().latexBibliographyStyle ?? root?.syntax().latexBibliographyStyle);
  if (!latex) return resolveWanted(workspace, fromDocument || workspace.settings.style || 'apa', fromDocument ? doc : undefined, doc?.path ?? anchorPath);
  // The setting's default cannot be told from a user's choice of the same value: any other value is a choice.
  const nearest = nearestCslStyle(latex);
  const setting = workspace.settings.style || DEFAULT_SETTINGS.style;
  if (setting !== DEFAULT_SETTINGS.style || !nearest) {
    const resolved = await resolveWanted(workspace, setting, undefined, doc?.path ?? anchorPath);
    const why = nearest ? 'citekeys.style' : `citekeys.style; no CSL style is known for ${declaredText(latex)}`;
    return { ...resolved, note: `${styleTitle(resolved.style)} style (${why})` };
  }
  for (const candidate of nearest.candidates) {
    if ('builtIn' in candidate) {
      // Any file candidate before it was not found in the installed-style folders.
      const missing = nearest.candidates.find((c) => 'file' in c);
      const note = missing
        ? `${candidate.title} style (nearest to ${nearest.declared}; ${missing.title} is not installed)`
        : `${candidate.title} style (from ${nearest.declared})`;
      return { style: { name: candidate.builtIn }, note };
    }
    for (const folder of INSTALLED_STYLE_FOLDERS) {
      const read = await workspace.readText(path.join(folder, candidate.file));
      if (!('error' in read)) return { style: { name: candidate.file, xml: read.text }, note: `${candidate.title} style (from ${nearest.declared})` };
    }
  }
  return { style: { name: 'apa' } };
}

/** A style's name for the hover line: the built-in's or the file's, without `.csl`. */
function styleTitle(style: StyleSpec): string {
  const titles: Record<string, string> = { apa: 'APA', vancouver: 'Vancouver', harvard1: 'Harvard' };
  return titles[style.name] ?? style.name.replace(/\.csl$/i, '');
}

/** `wanted` (a built-in name or a .csl path) as a style; `doc` when it comes from the document's front matter. */
async function resolveWanted(workspace: Workspace, wanted: string, doc: DocumentFile | undefined, anchor: string | undefined): Promise<ResolvedStyle> {
  const builtIn = (BUILT_IN_STYLES as readonly string[]).find((name) => name === wanted.replace(/\.csl$/i, '').toLowerCase());
  if (!/[\\/]/.test(wanted) && builtIn && !/\.csl$/i.test(wanted)) return { style: { name: builtIn } };
  const base = doc ? path.dirname(doc.path) : ((anchor && workspace.folderOf(anchor)) ?? workspace.folders[0] ?? (anchor ? path.dirname(anchor) : '/'));
  const home = workspace.environment.HOME;
  const expanded = home && wanted.startsWith('~/') ? path.join(home, wanted.slice(2)) : wanted;
  const file = path.resolve(base, expanded);
  if (doc && !mayRead(workspace, file, wanted, doc)) {
    return { style: { name: 'apa' }, problem: `Style ${wanted} is outside the workspace, so APA is shown; the setting citekeys.allowOutsideWorkspace allows it.` };
  }
  const read = await workspace.readText(file);
  if ('error' in read) {
    if (builtIn) return { style: { name: builtIn } };
    return { style: { name: 'apa' }, problem: `Style ${wanted} could not be read (${read.error}); showing APA.` };
  }
  return { style: { name: path.basename(file), xml: read.text } };
}

/** Builds the style engine for the configured style once, ahead of the first hover (about a second for APA). */
export async function warmUpFormatting(workspace: Workspace): Promise<void> {
  const resolved = await resolveStyle(workspace);
  await formatter.warmUp(resolved.style);
}

/** `refs.bib:12`, relative to the workspace folder when inside one. */
export function definitionPlace(workspace: Workspace, definition: EntryDefinition): string {
  const folder = workspace.folderOf(definition.file.path);
  const shown = folder ? path.relative(folder, definition.file.path).split(path.sep).join('/') : definition.file.path;
  const line = definition.file.lineIndex().positionAt(definition.keyRange.start).line + 1;
  return `${shown}:${line}`;
}

/**
 * Markdown for one key defined by `definitions` (the first one is formatted): the reference, a line of DOI/URL
 * links, and a line per place the key is defined (several when it is defined more than once).
 */
export async function referenceMarkdown(workspace: Workspace, definitions: EntryDefinition[], resolved: ResolvedStyle): Promise<string> {
  const first = definitions[0];
  if (!first) return '';
  const source = entrySourceOf(first);
  const formatted = source ? await formatter.format(source, resolved.style) : undefined;
  const parts: string[] = [];
  parts.push(formatted ? hardenFormattedMarkdown(formatted.markdown) : escapeMarkdownText(first.key));

  const decoded = first.file.decoded(first);
  const links: string[] = [];
  const doiLink = decoded.doi ? doiUrl(decoded.doi) : undefined;
  if (decoded.doi && doiLink) links.push(markdownLink(`doi:${decoded.doi.replace(/^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)/i, '')}`, doiLink));
  const urlLink = decoded.url ? httpUrl(decoded.url) : undefined;
  if (decoded.url && urlLink && urlLink !== doiLink) links.push(markdownLink(decoded.url, urlLink));
  if (links.length) parts.push(links.join(' · '));

  for (const definition of definitions) parts.push(`Defined in ${escapeMarkdownText(definitionPlace(workspace, definition))}`);
  if (resolved.note) parts.push(`*${escapeMarkdownText(resolved.note)}*`);
  if (resolved.problem) parts.push(`*${escapeMarkdownText(resolved.problem)}*`);
  if (formatted?.fallback && formatted.error) parts.push(`*${escapeMarkdownText(`Formatted without the style: ${formatted.error}`)}*`);
  return parts.join('\n\n');
}
