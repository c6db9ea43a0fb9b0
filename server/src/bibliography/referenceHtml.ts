// Turns citeproc's HTML for one bibliography entry into plain text and into Markdown (italics and bold kept).
import { escapeMarkdownInline } from '../util/markdownText';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code === 160 ? 32 : code) : whole;
  });
}

/** Plain text of the entry: tags dropped (block boundaries become spaces), entities decoded, spaces collapsed. */
export function referenceHtmlToText(html: string): string {
  return decodeEntities(html.replace(/<\/div>/g, ' ').replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

/** Markdown of the entry: `<i>`/italic spans → `*…*`, `<b>`/bold spans → `**…**`, text escaped for Markdown. */
export function referenceHtmlToMarkdown(html: string): string {
  let out = '';
  /** For each open tag, the Markdown it closes with. */
  const closers: string[] = [];
  for (const token of html.split(/(<[^>]*>)/)) {
    if (!token.startsWith('<')) {
      out += escapeMarkdown(decodeEntities(token));
      continue;
    }
    if (token.startsWith('</')) {
      if (token === '</div>') out += ' ';
      else out += closers.pop() ?? '';
      continue;
    }
    if (token.startsWith('<div') || token.endsWith('/>')) continue;
    const marker = /^<i\b|font-style:\s*italic/.test(token) ? '*' : /^<b\b|font-weight:\s*bold/.test(token) ? '**' : '';
    out += marker;
    closers.push(marker);
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Backslash-escapes the characters Markdown would read as formatting (util/markdownText). */
export const escapeMarkdown = escapeMarkdownInline;
