// Packages the extension with scripts/package-vsix.sh (vsce under Node 24) and lists a .vsix's files by reading
// the zip's central directory.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, toolsDir } from './tools';

/** Folder that holds the package.json to package; CITEKEYS_PACKAGE_ROOT lets a scratch copy stand in for the repo. */
export const packageRoot = process.env.CITEKEYS_PACKAGE_ROOT ?? repoRoot;

/** Builds and packages into `outFile`; throws with vsce's output when packaging fails. */
export function packageVsix(outFile: string): string {
  const result = spawnSync(join(packageRoot, 'scripts/package-vsix.sh'), ['--out', outFile], {
    cwd: packageRoot,
    encoding: 'utf8',
    env: { ...process.env, CITEKEYS_TOOLS: toolsDir },
    timeout: 180_000,
  });
  if (result.status !== 0) throw new Error(`packaging failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return outFile;
}

/** Names of the files in a zip archive, from its central directory (no extraction). */
export function zipEntryNames(zipFile: string): string[] {
  const zip = readFileSync(zipFile);
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0) throw new Error(`${zipFile} is not a zip file`);
  const count = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${zipFile}: bad central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
