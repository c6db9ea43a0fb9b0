// The one file citekeys writes itself: the file a user names with the CLI's `extract --output FILE`. The language
// server never calls this; it changes files only through WorkspaceEdits the user asked for.
import { promises as fs } from 'node:fs';

/** Writes `text` as UTF-8, replacing the file; `{ error }` says why it could not (no such folder, no permission, …). */
export async function writeOutputFile(file: string, text: string): Promise<{ error: string } | undefined> {
  try {
    await fs.writeFile(file, text, 'utf8');
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    return { error: `cannot write ${file}: ${reason}` };
  }
}
