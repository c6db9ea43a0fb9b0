// The custom messages the client exchanges with citekeys-ls beyond standard LSP: method names and payload shapes.
// Plain types only (no vscode import), so pure helpers and tests can use them too.
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import { servedLanguageIds } from '../../server/src/syntax/documentLanguages';

/** Server → client notification that feeds the status bar. */
export const statusNotification = 'citekeys/status';
export interface ServerStatus {
  entries: number;
  files: number;
  indexing: boolean;
  /** Bibliography files the server has indexed: URIs or absolute paths. */
  bibliographies: string[];
  /** Workspace documents the server has scanned for citations, and whether it is still scanning (0.2 and later). */
  documents?: number;
  scanning?: boolean;
  /** Whether a running Zotero answers (0.2 and later). */
  zotero?: 'connected' | 'unavailable' | 'disabled';
}

/** Client → server: bibliography entries matching a free-text query (for the Insert Citation picker). */
export const searchEntriesRequest = 'citekeys/searchEntries';
export interface SearchEntriesParams {
  query: string;
  uri?: string;
  limit?: number;
}
export interface SearchEntryItem {
  key: string;
  label: string;
  detail: string;
  description: string;
  /** Where an entry the document's bibliographies lack comes from (a library's path, or `zotero:`); send it back. */
  from?: string;
  /** `from` for people: the library's file name, or "Zotero". */
  source?: string;
}
export interface SearchEntriesResult {
  /** The document's own entries first, then the libraries' and Zotero's. */
  items: SearchEntryItem[];
  /** Zotero had not answered yet: asking again shortly may bring more (0.2 and later). */
  isIncomplete?: boolean;
}

/**
 * Client → server: the edit that inserts a citation of `keys` at `position`, in the document's syntax, and copies the
 * entries its bibliography lacks (those with a `from`) into it. The client applies `edit`, and shows `message`.
 */
export const insertCitationRequest = 'citekeys/insertCitation';
export interface InsertCitationParams {
  uri: string;
  position: { line: number; character: number };
  keys: { key: string; from?: string }[];
}
/** Null when the document is not one citekeys reads. */
export type InsertCitationResult = {
  edit: WorkspaceEdit;
  /** What was not copied, and why (the document declares no bibliography, Zotero is gone, …). */
  message?: string;
} | null;

/** Client → server: the bibliography files one document uses. */
export const documentBibliographiesRequest = 'citekeys/documentBibliographies';
export interface DocumentBibliographiesParams {
  uri: string;
}
export interface DocumentBibliographiesResult {
  /** URIs or absolute paths. */
  files: string[];
}

/** Client → server: check every document of the workspace and publish their diagnostics. */
export const checkWorkspaceRequest = 'citekeys/checkWorkspace';
export interface CheckWorkspaceResult {
  documents: number;
  diagnostics: number;
}

/**
 * Client → server: a BibTeX file of the entries cited in the active document's workspace folder (`uri` given) or in
 * the whole workspace, as `citekeys extract` writes it. The server writes nothing; the client opens the text.
 */
export const extractBibliographyRequest = 'citekeys/extractBibliography';
export interface ExtractBibliographyParams {
  uri?: string;
}
export interface ExtractBibliographyResult {
  /** BibTeX: one entry per cited key in order of first citation; empty when nothing is cited. */
  text: string;
  entries: number;
  documents: number;
  /** Cited keys the text lacks (found nowhere, only a \bibitem, …), each once, where first needed. */
  missing: { key: string; message: string; uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
}

/** Languages the server handles (documents and bibliographies); the document selector and the status bar use these. */
export const citekeysLanguages: readonly string[] = servedLanguageIds();
