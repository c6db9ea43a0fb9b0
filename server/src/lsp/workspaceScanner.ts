// Reads and parses every document of the workspace in the background and works out where each one's
// bibliographies are, so that references and rename over a vault of thousands of notes are lookups, not scans.
import type { Connection } from 'vscode-languageserver/node';
import { scanDocuments, workspaceDocumentPaths } from '../features/keyUsage';
import { prepareBibliographyLocations } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';
import { quietFor } from './activity';
import { yieldToEvents } from '../util/yieldToEvents';

/** Documents located between two looks at the event queue. */
const LOCATED_BETWEEN_YIELDS = 100;
/** Above this many documents the texts would cost too much memory to hold ahead of need; requests scan instead. */
const MAX_SCANNED_DOCUMENTS = 20_000;
/** After a change, a new scan waits for the user to pause this long. */
const RESCAN_QUIET_MS = 1000;

export class WorkspaceScanner {
  private running = false;
  private scannedGeneration = -1;
  private scannedDocuments = 0;
  private started = false;

  constructor(
    private readonly connection: Connection,
    private readonly workspace: Workspace,
    /** Told when a scan starts and ends, with the number of documents scanned. */
    private readonly report: (scan: { documents: number; scanning: boolean }) => void,
  ) {}

  /** Scans now if nothing was scanned yet, else once requests and edits pause; does nothing when up to date. */
  schedule(): void {
    if (this.running || this.scannedGeneration === this.workspace.generation) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      while (this.scannedGeneration !== this.workspace.generation) {
        // The very first scan goes at once; any other (after a change, or after one a change cut short) waits for
        // a pause, so typing in a LaTeX file (each keystroke may change roots) does not restart scans back to back.
        if (this.started) await quietFor(RESCAN_QUIET_MS);
        this.started = true;
        await this.scan(this.workspace.generation);
      }
    } catch (error) {
      this.connection.console.warn(`citekeys: scanning the workspace failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  private async scan(generation: number): Promise<void> {
    const changed = () => this.workspace.generation !== generation;
    const paths = await workspaceDocumentPaths(this.workspace);
    if (paths.length > MAX_SCANNED_DOCUMENTS) {
      this.scannedGeneration = generation;
      return;
    }
    this.report({ documents: this.scannedDocuments, scanning: true });
    const documents = await scanDocuments(this.workspace, paths, changed);
    for (let i = 0; i < documents.length && !changed(); i++) {
      await prepareBibliographyLocations(this.workspace, documents[i]);
      documents[i].lineIndex(); // a references answer then converts thousands of positions without indexing lines first
      if ((i + 1) % LOCATED_BETWEEN_YIELDS === 0) await yieldToEvents();
    }
    if (changed()) return;
    this.scannedGeneration = generation;
    this.scannedDocuments = documents.length;
    this.report({ documents: documents.length, scanning: false });
  }
}
