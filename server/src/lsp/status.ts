// Tells the client how much is indexed (`citekeys/status`), for its status bar.
import type { Connection } from 'vscode-languageserver/node';
import type { Workspace } from '../workspace/workspace';

export interface StatusParams {
  entries: number;
  files: number;
  indexing: boolean;
  bibliographies: string[];
  /** Workspace documents read and parsed by the background scan, and whether that scan is still going. */
  documents: number;
  scanning: boolean;
  /** Whether a running Zotero answers (0.2 and later). */
  zotero: 'connected' | 'unavailable' | 'disabled';
}

export class StatusReporter {
  private timer: NodeJS.Timeout | undefined;
  indexing = 0;
  /** Set by the workspace scanner. */
  scan = { documents: 0, scanning: false };
  /** Set by the Zotero link. */
  zotero: () => StatusParams['zotero'] = () => 'disabled';

  constructor(private readonly connection: Connection, private readonly workspace: Workspace) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, 200);
  }

  send(): void {
    const files = this.workspace.loadedBibliographies().filter((f) => f.format !== 'inline');
    const params: StatusParams = {
      entries: files.reduce((sum, f) => sum + f.entries.length, 0),
      files: files.length,
      indexing: this.indexing > 0,
      bibliographies: files.map((f) => f.path),
      documents: this.scan.documents,
      scanning: this.scan.scanning,
      zotero: this.zotero(),
    };
    void this.connection.sendNotification('citekeys/status', params);
  }
}
