// Work done ahead of need, between requests: search indexes of the bibliographies open documents use (so the first
// completion does not wait for them; large files read from disk go through the on-disk index cache), and slow rules.
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import type { BibliographyFile } from '../bibliography/bibliographyFile';
import { hasOwnSearchIndex, ownSearchIndexParts, prepareSearchIndex } from '../bibliography/searchIndex';
import { warmUpCompletion } from '../features/completion';
import type { Workspace } from '../workspace/workspace';
import { quietFor } from './activity';
import { yieldToEvents } from '../util/yieldToEvents';

/** A built index is stored in the index cache once nothing was asked for this long. */
const SAVE_AFTER_QUIET_MS = 300;
/** How long an edited bibliography must stay unchanged before its own search index is rebuilt. */
const EDITED_FILE_QUIET_MS = 5000;

export class BackgroundIndexer {
  private queue: BibliographyFile[] = [];
  private running = false;

  constructor(private readonly connection: Connection, private readonly workspace: Workspace) {}

  private tasks: (() => void | Promise<void>)[] = [];

  /** Slow work (a rule over a large file) done after the queued indexes, one task between requests. */
  later(task: () => void | Promise<void>): void {
    this.tasks.push(task);
    if (!this.running) void this.run();
  }

  /**
   * Files whose search index should be ready before the user asks. A file re-parsed after an edit searches well
   * with its predecessor's index (see searchIndexOf), so its own is built only once editing pauses: the last step
   * of a build sorts every word at once, which would hold up typing in a 100,000-entry file.
   */
  enqueue(files: Iterable<BibliographyFile>): void {
    for (const file of files) {
      this.warmUpOnce(file);
      if (hasOwnSearchIndex(file) || this.queue.includes(file)) continue;
      if (!file.previous) {
        this.queue.push(file);
        continue;
      }
      // One timer per path, restarted by each edit, holding the path only: a timer holding each edited version
      // would keep every version's text (115 MB for a 60 MB file) alive while the user types.
      const path = file.path;
      clearTimeout(this.editedTimers.get(path));
      this.editedTimers.set(path, setTimeout(() => {
        this.editedTimers.delete(path);
        const current = this.workspace.currentBibliography(path);
        if (current && !hasOwnSearchIndex(current) && !this.queue.includes(current)) this.queue.push(current);
        if (!this.running) void this.run();
      }, EDITED_FILE_QUIET_MS).unref());
    }
    if (!this.running) void this.run();
  }

  private readonly editedTimers = new Map<string, NodeJS.Timeout>();
  private warmedUp = false;

  /**
   * Once per server, on the first file with its own index: completion's code is compiled between requests, before
   * the user's first keystroke rather than on it.
   */
  private warmUpOnce(file: BibliographyFile): void {
    if (this.warmedUp || !hasOwnSearchIndex(file)) return;
    this.warmedUp = true;
    this.later(() => warmUpCompletion(file, this.workspace.settings.completionLimit, yieldToEvents));
  }

  /**
   * Builds a file's own search index; for a large file read from disk, first looks in the index cache, and after a
   * build stores the index there (encoded between requests once the user pauses, written in the background).
   */
  private async prepare(file: BibliographyFile): Promise<void> {
    const stillWanted = () => (this.workspace.currentBibliography(file.path) ?? file) === file;
    const cache = this.workspace.activeIndexCache;
    const contentKey = cache?.qualifies(file) ? cache.contentKeyOf(file) : undefined;
    const started = performance.now();
    const cached = cache?.storedIndexOf(file);
    const fromCache = cached && (() => cached);
    const outcome = await prepareSearchIndex(file, yieldToEvents, undefined, stillWanted, fromCache);
    const name = path.basename(file.path);
    this.warmUpOnce(file);
    if (outcome === 'cache') {
      this.connection.console.info(`citekeys: ${name}: search index read from the index cache (${file.entries.length} entries, ${Math.round(performance.now() - started)} ms)`);
    } else if (outcome === 'built' && cache && contentKey) {
      // Encoding the index takes a few tens of milliseconds on this thread: it waits for the user's next pause, and
      // lets requests through between its steps.
      void quietFor(SAVE_AFTER_QUIET_MS).then(() => this.later(() => {
        const parts = stillWanted() ? ownSearchIndexParts(file) : undefined;
        if (!parts) return;
        void contentKey.then((key) => (key ? cache.save(file, key, parts, yieldToEvents) : false)).then((written) => {
          if (written) this.connection.console.info(`citekeys: ${name}: search index saved to the index cache in ${cache.directory}`);
        });
      }));
    }
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length || this.tasks.length) {
        const file = this.queue.shift();
        const current = file && this.workspace.currentBibliography(file.path);
        // Versions replaced since they were queued are skipped, and a build stops when its version is replaced.
        if (file && (!current || current === file)) await this.prepare(file);
        const task = this.tasks.shift();
        if (task) {
          await yieldToEvents();
          await task();
        }
      }
    } catch (error) {
      this.connection.console.warn(`citekeys: background indexing failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
