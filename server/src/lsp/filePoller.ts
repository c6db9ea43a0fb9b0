// For clients that cannot watch files: polls the bibliographies the server has read and reports the changed ones.
import type { Workspace } from '../workspace/workspace';

const POLL_INTERVAL_MS = 2000;

export class FilePoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly known = new Map<string, string>();
  private busy = false;

  /** `onChange` gets the changed files, and whether each still exists (a content change) or is gone. */
  constructor(private readonly workspace: Workspace, private readonly onChange: (changes: { path: string; gone: boolean }[]) => void) {}

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: stat each bibliography read so far; report those whose size or time changed. */
  async poll(): Promise<{ path: string; gone: boolean }[]> {
    if (this.busy) return [];
    this.busy = true;
    try {
      const changed: { path: string; gone: boolean }[] = [];
      for (const bib of this.workspace.loadedBibliographies()) {
        if (this.workspace.isOpen(bib.path) || bib.format === 'inline') continue;
        const stat = await this.workspace.fs.stat(bib.path);
        const signature = stat ? `${stat.size}:${stat.mtimeMs}` : 'gone';
        const before = this.known.get(bib.path);
        this.known.set(bib.path, signature);
        if (before !== undefined && before !== signature) changed.push({ path: bib.path, gone: !stat });
      }
      if (changed.length) this.onChange(changed);
      return changed;
    } finally {
      this.busy = false;
    }
  }
}
