// Safe Markdown for hovers and completion documentation: entry text escaped so it stays text, and links only
// to http(s) and DOI addresses that we build ourselves.

/**
 * Characters that are Markdown syntax wherever they stand: backslash, backtick, `*`, `[`, `]`, `<` (HTML, autolinks),
 * `~` (strikethrough), `&` where it would start an entity, and `_` unless it stands inside a word (`a_b` never
 * emphasises). `(`, `)`, `{`, `}`, `!`, `#`, `|` and `>` are left alone: without `[` or `<` they form no link, image
 * or HTML, and `#`/`>` mean something only at the start of a line (see escapeLineStart).
 */
const MARKDOWN_SPECIALS = /[\\`*[\]<~]|&(?=#?\w+;)|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/** Inline entry text with every character Markdown would read as syntax backslash-escaped. */
export function escapeMarkdownInline(text: string): string {
  return text.replace(MARKDOWN_SPECIALS, '\\$&');
}

/**
 * A line that would open a block begun with an escape, so it stays a paragraph: a list item (`-`, `+`, `1.`, `1)`
 * before a space), a thematic break (`---`), an ATX heading (`#` to `######` before a space) or a quote (`>`).
 */
function escapeLineStart(line: string): string {
  return line
    .replace(/^( {0,3})([-+]|#{1,6})(?= |$)/, '$1\\$2')
    .replace(/^( {0,3})(-)(?=(?: *-){2})/, '$1\\$2')
    .replace(/^( {0,3})>/, '$1\\>')
    .replace(/^( {0,3}\d{1,9})([.)])(?= |$)/, '$1\\$2');
}

/**
 * Entry text as inert Markdown on one line: syntax characters escaped (so `[x](command:...)`, `<img>` and `&lt;`
 * stay visible text), line breaks as spaces, and a leading `- `, `#`, `>` or `1.` not read as a block.
 */
export function escapeMarkdownText(text: string): string {
  return escapeLineStart(escapeMarkdownInline(text.replace(/\s+/g, ' ')));
}

/**
 * Markdown whose text is already escaped with escapeMarkdownInline (citeproc output made Markdown, whose only markup
 * is `*` and `**`): on one line, and not read as a heading, quote or list.
 */
export function hardenFormattedMarkdown(markdown: string): string {
  return escapeLineStart(markdown.replace(/\s+/g, ' '));
}

/** The http(s) address for a DOI (`10.1000/x`, `doi:10.1000/x`, `https://doi.org/10.1000/x`), or undefined. */
export function doiUrl(doi: string): string | undefined {
  const bare = doi.trim().replace(/^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)/i, '');
  if (!/^10\.\d{4,9}\/\S+$/.test(bare)) return undefined;
  return 'https://doi.org/' + encodeLinkTarget(bare);
}

/** A URL if it is http(s) and has no whitespace, else undefined (`javascript:`, `command:`, `file:` are refused). */
export function httpUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (!/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(trimmed)) return undefined;
  return encodeLinkTarget(trimmed);
}

/** Percent-encodes what would end or confuse a Markdown link destination. */
function encodeLinkTarget(target: string): string {
  return target.replace(/[()<>"'\\\s`[\]{}|^]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** `[text](url)` with the text escaped; the url must come from `doiUrl` or `httpUrl`. */
export function markdownLink(text: string, url: string): string {
  return `[${escapeMarkdownText(text)}](${url})`;
}
