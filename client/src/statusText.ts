// What the status bar item says about the server's index: entries, bibliography files, and a spinner while indexing.
// Pure: no vscode import.
import type { ServerStatus } from './protocol';

export interface StatusText {
  text: string;
  tooltip: string;
}

export function describeStatus(status: ServerStatus | undefined): StatusText {
  if (!status) return { text: '$(sync~spin) citekeys', tooltip: 'citekeys: starting the language server…' };
  const entries = plural(status.entries, 'entry', 'entries');
  const files = plural(status.files, 'bibliography', 'bibliographies');
  if (status.indexing) return { text: `$(sync~spin) citekeys ${entries}`, tooltip: `citekeys: indexing ${files}…` };
  const list = status.bibliographies.map((file) => `• ${displayPath(file)}`).join('\n');
  const documents = status.documents ? `\n${status.scanning ? 'Scanning' : 'Scanned'} ${plural(status.documents, 'document', 'documents')} for citations${status.scanning ? '…' : '.'}` : '';
  const zotero = status.zotero === 'connected' ? '\nZotero is connected: completion also searches your Zotero library.' : '';
  const tooltip = `citekeys: ${entries} from ${files}` + (list ? `\n${list}` : '') + documents + zotero + '\n\nClick to open a bibliography of this document.';
  return { text: `$(book) ${entries}${status.zotero === 'connected' ? ' · Zotero' : ''}`, tooltip };
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** `file:///home/a/refs.bib` → `/home/a/refs.bib`; anything else unchanged. */
export function displayPath(fileOrUri: string): string {
  if (!fileOrUri.startsWith('file://')) return fileOrUri;
  try {
    return decodeURIComponent(new URL(fileOrUri).pathname);
  } catch {
    return fileOrUri;
  }
}
