// For clients that cannot watch files: polls the bibliographies the server has read, and the files it found missing,
// and reports those that changed, appeared or disappeared.
import type { Workspace } from '../workspace/workspace';

const POLL_INTERVAL_MS = 2000;

export interface PolledChange {
  path: string;
  kind: 'changed' | 'created' | 'deleted';
}

export class FilePoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly known = new Map<string, string>();
  private busy = false;

  constructor(private readonly workspace: Workspace, private readonly onChange: (changes: PolledChange[]) => void) {}

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: stat each bibliography read so far and each file found missing; report what changed. */
  async poll(): Promise<PolledChange[]> {
    if (this.busy) return [];
    this.busy = true;
    try {
      const changed: PolledChange[] = [];
      for (const bib of this.workspace.loadedBibliographies()) {
        if (this.workspace.isOpen(bib.path) || bib.format === 'inline') continue;
        const stat = await this.workspace.fs.stat(bib.path);
        const signature = stat ? `${stat.size}:${stat.mtimeMs}` : 'gone';
        const before = this.known.get(bib.path);
        this.known.set(bib.path, signature);
        if (before !== undefined && before !== signature) changed.push({ path: bib.path, kind: stat ? 'changed' : 'deleted' });
      }
      for (const file of this.workspace.absentFiles()) {
        if ((await this.workspace.fs.stat(file))?.isFile) changed.push({ path: file, kind: 'created' });
      }
      if (changed.length) this.onChange(changed);
      return changed;
    } finally {
      this.busy = false;
    }
  }
}
