// `citekeys keys` on one BibTeX file: its keys with line and UTF-16 column. UTF-8 and Latin-1 files are scanned as bytes,
// never decoded whole; every other file (UTF-16, binary, too big, unreadable) goes through Workspace.readText.
import { isUtf8 } from 'node:buffer';
import type { Workspace } from '../workspace/workspace';
import { decodeText } from '../util/textDecoding';
import { LineIndex } from '../util/lineIndex';
import { scanBibtexKeys } from '../syntax/bibtex/scanner';
import { scanBibtexKeySpans } from '../syntax/bibtex/keySpans';
import { BytePositions } from './bytePositions';
import type { KeyListingWriter, Utf8KeySpans } from './keyListing';

/** Keys of decoded text in file order, with 1-based lines and UTF-16 columns. */
export interface KeyColumns {
  keys: string[];
  lines: number[];
  columns: number[];
}

/** Keys found in a file's bytes: key i is `bytes[starts[i], ends[i])`, UTF-8 when `utf8`, else Windows-1252. */
export interface ByteKeys extends Utf8KeySpans {
  bytes: Buffer;
  utf8: boolean;
  starts: number[];
  ends: number[];
  lines: number[];
  columns: number[];
}

/** How many leading bytes decodeText samples to tell a binary file (see looksBinary in util/textDecoding.ts). */
const BINARY_SAMPLE_BYTES = 8192;

/** What the bytes decode to, as decodeText would decide it; undefined when the bytes cannot be scanned as they are. */
export function byteScannableBody(bytes: Uint8Array): { body: Buffer; utf8: boolean } | undefined {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return undefined; // UTF-16
  const bomLength = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Decoding only the head gives decodeText's own verdict on binary files without decoding the rest.
  if (!decodeText(bytes.subarray(0, bomLength + BINARY_SAMPLE_BYTES)).ok) return undefined;
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + bomLength, bytes.byteLength - bomLength);
  return { body, utf8: isUtf8(body) };
}

/** Keys of a scannable body (see byteScannableBody): the same keys and positions as scanBibtexKeys on the decoded text. */
export function bibtexKeysOfBytes(body: Buffer, utf8: boolean): ByteKeys {
  const { starts, ends } = scanBibtexKeySpans(body, utf8);
  const lines: number[] = new Array(starts.length);
  const columns: number[] = new Array(starts.length);
  const positions = new BytePositions(body, utf8);
  for (let i = 0; i < starts.length; i++) {
    positions.moveTo(starts[i]);
    lines[i] = positions.line + 1;
    columns[i] = positions.character + 1;
  }
  return { bytes: body, utf8, starts, ends, lines, columns };
}

/** Key i of byte-scanned keys as a string. */
export function byteKeyText(keys: ByteKeys, i: number): string {
  return keys.utf8 ? keys.bytes.toString('utf8', keys.starts[i], keys.ends[i]) : WINDOWS_1252.decode(keys.bytes.subarray(keys.starts[i], keys.ends[i]));
}

/** What decodeText calls Latin-1 is Windows-1252 (the WHATWG `latin1`). */
const WINDOWS_1252 = new TextDecoder('latin1');

/** Adds a file's keys, read either way, to the output. */
export function listBibtexKeys(writer: KeyListingWriter, keys: ByteKeys | KeyColumns): void {
  if ('bytes' in keys && keys.utf8) return writer.addUtf8Keys(keys);
  for (let i = 0; i < keys.lines.length; i++) {
    writer.addKey(keys.lines[i], keys.columns[i], 'bytes' in keys ? byteKeyText(keys, i) : keys.keys[i]);
  }
}

/** Keys of decoded BibTeX text: the reference the byte scan must agree with, and the path for UTF-16 files. */
export function bibtexKeysOfText(text: string): KeyColumns {
  const entries = scanBibtexKeys(text).entries;
  const lineIndex = new LineIndex(text);
  const result: KeyColumns = { keys: [], lines: [], columns: [] };
  for (const entry of entries) {
    const position = lineIndex.positionAt(entry.keyRange.start);
    result.keys.push(entry.key);
    result.lines.push(position.line + 1);
    result.columns.push(position.character + 1);
  }
  return result;
}

/** Reads a BibTeX file's keys; `error` is what Workspace.readText says about a file it cannot read. */
export async function readBibtexKeys(workspace: Workspace, file: string): Promise<ByteKeys | KeyColumns | { error: string }> {
  const fromBytes = await readBibtexKeysFromBytes(workspace, file);
  if (fromBytes) return fromBytes;
  const read = await workspace.readText(file);
  if ('error' in read) return { error: read.error };
  return bibtexKeysOfText(read.text);
}

/** The fast path; undefined leaves the file to readText, which also words every error as the other commands do. */
async function readBibtexKeysFromBytes(workspace: Workspace, file: string): Promise<ByteKeys | undefined> {
  const stat = await workspace.fs.stat(file);
  if (!stat?.isFile || stat.size > workspace.settings.maxFileSizeBytes) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await workspace.fs.readFile(file);
  } catch {
    return undefined;
  }
  const scannable = byteScannableBody(bytes);
  return scannable && bibtexKeysOfBytes(scannable.body, scannable.utf8);
}
