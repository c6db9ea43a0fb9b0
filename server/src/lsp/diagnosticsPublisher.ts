// Diagnostics of open documents and the bibliographies they use (assembled by features/workspaceCheck.ts), and what
// "Check Workspace" found in other files: pushes them and clears them when they go away, or serves them to pulls.
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { Workspace } from '../workspace/workspace';
import { bibliographyFormatOf, type BibliographyFile } from '../bibliography/bibliographyFile';
import { bibliographyFindingsInSlices, cachedBibliographyFindings } from '../features/diagnostics';
import { yieldToEvents } from '../util/yieldToEvents';
import { afterRequests, quietFor } from './activity';
import { checkFiles } from '../features/workspaceCheck';
import { prepareKeySuggestions } from '../features/suggestions';
import type { LeveledFinding } from '../features/rules';
import { pathToUri, toDiagnostic } from './convert';

/**
 * Changes closer together than this coalesce into one pass after the burst (a watcher storm, a paste of many
 * edits); a change after a longer pause is checked at once. A pass over a 5,000-line document takes about 10 ms.
 */
const DEBOUNCE_MS = 25;
/** Bibliographies with more entries get their slow rules computed, and their keys grouped, in the background. */
const BACKGROUND_RULES_ABOVE = 20_000;
/** How long a large file must stay unchanged before its slow rules run. */
const SLOW_RULES_QUIET_MS = 1500;
/**
 * Between two slices of a slow rule, requests waiting are answered, and the next slice waits until none came for
 * this long: a request made while the user types would otherwise wait behind one slice per step it awaits.
 */
const SLOW_RULES_IDLE_MS = 50;
/** Bibliographies this long (UTF-16 code units) get their line index built in steps between requests. */
const STEPPED_LINE_INDEX_CHARS = 4_000_000;
/** How long a pass waits at most for requests being answered to end. */
const REQUESTS_FIRST_MAX_MS = 200;

async function betweenSlices(): Promise<void> {
  await yieldToEvents();
  await quietFor(SLOW_RULES_IDLE_MS);
}

export class DiagnosticsPublisher {
  /** Diagnostics by path from the last full pass, with an empty list for each file it looked at and found clean. */
  private current = new Map<string, Diagnostic[]>();
  /** Diagnostics by path from the last "Check Workspace", for files no pass has looked at since. */
  private checked = new Map<string, Diagnostic[]>();
  /** Paths we pushed non-empty diagnostics for (to clear them when they go away). */
  private pushed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Resolves waiters after the next completed pass (tests and pull requests sync on it). */
  private waiters: (() => void)[] = [];
  /** Large files whose slow rules are queued already. */
  private readonly slowRuleTimers = new Map<string, NodeJS.Timeout>();
  /** The bibliographies of the last pass, by path: slow work for a file no longer current is dropped. */
  private lastBibliographies = new Map<string, BibliographyFile>();

  constructor(
    private readonly connection: Connection,
    private readonly workspace: Workspace,
    private readonly pullMode: () => boolean,
    private readonly canRefresh: () => boolean,
    /** Told after each pass which bibliographies the open documents use. */
    private readonly onBibliographiesUsed: (files: BibliographyFile[]) => void = () => undefined,
    /** Runs slow work between requests. */
    private readonly runLater: (task: () => void | Promise<void>) => void = (task) => setImmediate(() => void task()),
  ) {}

  /**
   * Something changed: recompute. A change after a quiet spell is checked at once (leading edge), so a single edit
   * shows its diagnostics without waiting; changes that follow quickly coalesce into one pass after the burst.
   */
  schedule(): void {
    const quiet = !this.timer && !this.running && Date.now() - this.lastScheduled > DEBOUNCE_MS;
    this.lastScheduled = Date.now();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, quiet ? 0 : DEBOUNCE_MS);
  }

  private lastScheduled = 0;

  /** Diagnostics for one file as of a fresh pass (for `textDocument/diagnostic`). */
  async diagnosticsFor(file: string): Promise<Diagnostic[]> {
    if (this.timer || this.running) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else if (!this.current.has(file) && this.workspace.isOpen(file)) await this.run();
    return this.current.get(file) ?? [];
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.run();
      } else {
        for (const resolve of this.waiters.splice(0)) resolve();
      }
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    // A completion or hover sent with the edit is answered first: a pass (with did-you-mean searches over every key
    // of a large bibliography for a key being typed) can take tens of milliseconds.
    await afterRequests(REQUESTS_FIRST_MAX_MS);
    const documents: string[] = [];
    const bibliographies: string[] = [];
    for (const file of this.workspace.openPaths()) (bibliographyFormatOf(file) ? bibliographies : documents).push(file);
    const result = await checkFiles(this.workspace, { documents, bibliographies, extraBibliographies: [] }, {
      unusedEntries: false,
      postponeLikelyDuplicates: (bib) => this.postponeLikelyDuplicates(bib),
    });
    this.lastBibliographies = new Map(result.bibliographies.map((bib) => [bib.path, bib]));
    this.onBibliographiesUsed(result.bibliographies);
    for (const bib of result.bibliographies) this.prepareSuggestions(bib);

    // A large bibliography's findings need its line index, which takes tens of milliseconds in one piece.
    for (const bib of result.bibliographies) {
      if (bib.text.length >= STEPPED_LINE_INDEX_CHARS && result.findings.some((finding) => finding.file === bib)) await bib.lineIndexInSteps(yieldToEvents);
    }

    // Every file this pass looked at gets a list, empty when clean: for these files the pass is the current word.
    const next = new Map<string, Diagnostic[]>();
    for (const file of this.workspace.openPaths()) next.set(file, []);
    for (const bib of result.bibliographies) next.set(bib.path, []);
    for (const finding of result.findings) {
      const list = next.get(finding.file.path) ?? [];
      list.push(toDiagnostic(finding));
      next.set(finding.file.path, list);
    }
    for (const file of next.keys()) this.checked.delete(file);
    this.current = next;
    this.publish(false);
  }

  /**
   * A large file's keys are grouped for did-you-mean between requests, before the first undefined key needs them.
   * The task holds the path, not this version (see below).
   */
  private prepareSuggestions(bib: BibliographyFile): void {
    if (bib.entries.length <= BACKGROUND_RULES_ABOVE || this.suggestionsPrepared.has(bib)) return;
    this.suggestionsPrepared.add(bib);
    const file = bib.path;
    this.runLater(async () => {
      const current = this.lastBibliographies.get(file);
      if (current) await prepareKeySuggestions(current, yieldToEvents);
    });
  }

  private readonly suggestionsPrepared = new WeakSet<BibliographyFile>();

  /**
   * On a large file the likely-duplicate search (~0.3 s per 100k entries) runs between requests, not in a pass, in
   * slices that let requests through. It waits for a quiet spell: while the file is being edited each version would
   * be stale before it was done. The timer holds the path, not this version: holding each version would keep every
   * edited text alive.
   */
  private postponeLikelyDuplicates(bib: BibliographyFile): boolean {
    if (bib.entries.length <= BACKGROUND_RULES_ABOVE) return false;
    const file = bib.path;
    clearTimeout(this.slowRuleTimers.get(file));
    this.slowRuleTimers.set(file, setTimeout(() => {
      this.slowRuleTimers.delete(file);
      this.runLater(async () => {
        const current = this.lastBibliographies.get(file);
        if (!current || cachedBibliographyFindings(current, { likelyDuplicates: true })) return;
        const stillCurrent = () => this.lastBibliographies.get(file) === current;
        if (await bibliographyFindingsInSlices(current, betweenSlices, stillCurrent)) this.schedule();
      });
    }, SLOW_RULES_QUIET_MS).unref());
    return true;
  }

  /**
   * Shows what "Check Workspace" found, replacing what it found before: a file it flagged then and not now is
   * cleared. Files that passes over open documents cover (open files, their bibliographies) keep the pass's view,
   * which is fresher; the others show these findings until the next check, or until a pass covers them.
   */
  showWorkspaceCheck(findings: LeveledFinding[]): void {
    const checked = new Map<string, Diagnostic[]>();
    for (const finding of findings) {
      const file = finding.file.path;
      if (this.current.has(file) || this.workspace.isOpen(file)) continue;
      const list = checked.get(file) ?? [];
      list.push(toDiagnostic(finding));
      checked.set(file, list);
    }
    this.checked = checked;
    this.publish(true);
  }

  /** Sends what changed; files shown by the last "Check Workspace" are sent again only when `checkChanged`. */
  private publish(checkChanged: boolean): void {
    const pull = this.pullMode();
    const nowPushed = new Set<string>();
    for (const [file, diagnostics] of this.checked) {
      if (this.current.has(file) || !diagnostics.length) continue;
      if (checkChanged || !this.pushed.has(file)) void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics });
      nowPushed.add(file);
    }
    for (const [file, diagnostics] of this.current) {
      // Under pull, the client asks for open files itself; pushing them too would show everything twice.
      if (pull && this.workspace.isOpen(file)) continue;
      if (!diagnostics.length && !this.pushed.has(file) && !this.workspace.isOpen(file)) continue;
      void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics });
      if (diagnostics.length) nowPushed.add(file);
    }
    for (const file of this.pushed) {
      // Files of this pass were sent above (or, open under pull, are cleared below).
      if (!nowPushed.has(file) && !this.current.has(file)) void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: [] });
    }
    if (pull) {
      for (const file of this.workspace.openPaths()) {
        if (this.pushed.has(file)) void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: [] });
      }
      if (this.canRefresh()) void this.connection.languages.diagnostics.refresh();
    }
    this.pushed = nowPushed;
  }
}
