// Keeps the workspace's Zotero connection in step with the settings (`citekeys.zotero.enabled`, `.url`): one
// connection per URL, detected at start-up, its status in the status bar, what goes wrong in the output log.
import type { Connection } from 'vscode-languageserver/node';
import type { Settings } from '../config/settings';
import type { Workspace } from '../workspace/workspace';
import { ZoteroConnection } from '../workspace/zotero';

export class ZoteroLink {
  private current: ZoteroConnection | undefined;
  private currentUrl: string | undefined;

  constructor(private readonly connection: Connection, private readonly workspace: Workspace, private readonly statusChanged: () => void) {}

  /** Connects, reconnects or disconnects after the settings changed. */
  update(settings: Pick<Settings, 'zoteroEnabled' | 'zoteroUrl'>): void {
    const url = settings.zoteroEnabled ? settings.zoteroUrl : undefined;
    if (url === this.currentUrl && (url === undefined || this.current)) return;
    this.current?.dispose();
    this.current = undefined;
    this.currentUrl = url;
    this.workspace.zotero = undefined;
    if (url === undefined) {
      this.statusChanged();
      return;
    }
    const zotero = new ZoteroConnection({ enabled: true, url, log: (message) => this.connection.console.info(`citekeys: ${message}`) });
    this.current = zotero;
    this.workspace.zotero = zotero;
    zotero.onDidChangeStatus(() => this.statusChanged());
    void zotero.start().then(() => this.statusChanged());
  }

  get status(): 'connected' | 'unavailable' | 'disabled' {
    return this.current?.status ?? 'disabled';
  }

  dispose(): void {
    this.current?.dispose();
    this.current = undefined;
  }
}
