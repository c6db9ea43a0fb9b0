// Safe Markdown for hovers and completion documentation: entry text escaped so it stays text, and links only
// to http(s) and DOI addresses that we build ourselves.

/** Characters Markdown (and the HTML it allows) could read as syntax anywhere in a line. */
const MARKDOWN_SPECIALS = /[\\`*_[\]()<>#|!{}~]|&(?=#?\w+;)/g;

/**
 * Entry text as inert Markdown: every special character backslash-escaped (so `[x](command:...)`, `<img>` and
 * `&lt;` stay visible text; `&` only where it would start an entity), line breaks as spaces, and a leading `-`, `+` or `1.` not read as a list.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(MARKDOWN_SPECIALS, '\\$&')
    .replace(/^([-+])/, '\\$1')
    .replace(/^(\d+)\./, '$1\\.');
}

/**
 * Markdown that already escaped `\ * _ [ ] < >` and backtick in its text (citeproc output made Markdown, whose only
 * markup is `*` and `**`): escapes the remaining specials so no link, image, HTML entity or heading can form.
 */
export function hardenFormattedMarkdown(markdown: string): string {
  return markdown.replace(/\s+/g, ' ').replace(/[()#|!{}~]|&(?=#?\w+;)/g, '\\$&').replace(/^([-+])/, '\\$1').replace(/^(\d+)\./, '$1\\.');
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
