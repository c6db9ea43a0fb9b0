// Turns file bytes into text: detects UTF-8 (with or without BOM), UTF-16 by BOM, Latin-1 fallback, and binary junk.
import { isUtf8 } from 'node:buffer';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

export type DecodedText =
  | { ok: true; text: string; encoding: TextEncodingName; hadBom: boolean }
  | { ok: false; reason: string };


/** Share of NUL and other control bytes above which a file is treated as binary. */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, 8192));
  let controls = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) controls++;
  }
  return sample.length > 0 && controls / sample.length > 0.1;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', hadBom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', hadBom: true };
  }
  const hadBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hadBom ? bytes.subarray(3) : bytes;
  if (looksBinary(body)) return { ok: false, reason: 'the file looks binary (it contains NUL or control bytes), not a text bibliography' };
  // Buffer's validity check and decoder are native and several times faster than a fatal TextDecoder on 60 MB.
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (isUtf8(buffer)) return { ok: true, text: buffer.toString('utf8'), encoding: 'utf-8', hadBom };
  return { ok: true, text: new TextDecoder('latin1').decode(body), encoding: 'latin1', hadBom: false };
}
