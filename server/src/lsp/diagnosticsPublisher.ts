// Computes diagnostics for open documents and the bibliographies they use; pushes them, or serves them to pulls.
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import * as path from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { resolveBibliographies } from '../workspace/discovery';
import { bibliographyFormatOf, type BibliographyFile } from '../bibliography/bibliographyFile';
import { bibliographyFindings, cachedBibliographyFindings, crossFileDuplicateFindings, documentFindings } from '../features/diagnostics';
import { applyLevels, levelOf, type Finding } from '../features/rules';
import { pathToUri, toDiagnostic } from './convert';
import { appendAll } from '../util/appendAll';

/**
 * Changes closer together than this coalesce into one pass after the burst (a watcher storm, a paste of many
 * edits); a change after a longer pause is checked at once. A pass over a 5,000-line document takes about 10 ms.
 */
const DEBOUNCE_MS = 25;
/** Bibliographies with more entries get their slow rules computed in the background. */
const BACKGROUND_RULES_ABOVE = 20_000;
/** How long a large file must stay unchanged before its slow rules run. */
const SLOW_RULES_QUIET_MS = 1500;

export class DiagnosticsPublisher {
  /** Diagnostics by path from the last full pass. */
  private current = new Map<string, Diagnostic[]>();
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
    private readonly runLater: (task: () => void) => void = (task) => setImmediate(task),
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
    const findings: Finding[] = [];
    const bibliographies = new Map<string, BibliographyFile>();
    for (const file of this.workspace.openPaths()) {
      if (bibliographyFormatOf(file)) {
        bibliographies.set(file, await this.workspace.getBibliography(file));
        continue;
      }
      const doc = await this.workspace.getDocument(file);
      if (!doc) continue;
      const resolved = await resolveBibliographies(this.workspace, doc);
      appendAll(findings, documentFindings(doc, resolved));
      appendAll(findings, crossFileDuplicateFindings(resolved, path.basename(doc.path)));
      for (const bib of resolved.files) {
        if (bib.format === 'inline') appendAll(findings, bibliographyFindings(bib, { likelyDuplicates: false }));
        else bibliographies.set(bib.path, bib);
      }
    }
    const likelyDuplicates = levelOf('likely-duplicate', this.workspace.settings) !== 'ignore';
    for (const bib of bibliographies.values()) {
      // On a large file the likely-duplicate search (~0.4 s per 100k entries) runs between requests, not in this pass.
      const cached = cachedBibliographyFindings(bib, { likelyDuplicates });
      if (cached || !likelyDuplicates || bib.entries.length <= BACKGROUND_RULES_ABOVE) {
        appendAll(findings, cached ?? bibliographyFindings(bib, { likelyDuplicates }));
      } else {
        appendAll(findings, bibliographyFindings(bib, { likelyDuplicates: false }));
        // Wait for a quiet spell: while the file is being edited each version would be stale before it was done.
        // The timer holds the path, not this version: holding each version would keep every edited text alive.
        const file = bib.path;
        clearTimeout(this.slowRuleTimers.get(file));
        this.slowRuleTimers.set(file, setTimeout(() => {
          this.slowRuleTimers.delete(file);
          this.runLater(() => {
            const current = this.lastBibliographies.get(file);
            if (!current || cachedBibliographyFindings(current, { likelyDuplicates: true })) return;
            bibliographyFindings(current, { likelyDuplicates: true });
            this.schedule();
          });
        }, SLOW_RULES_QUIET_MS).unref());
      }
    }
    this.lastBibliographies = bibliographies;
    this.onBibliographiesUsed([...bibliographies.values()]);

    const next = new Map<string, Diagnostic[]>();
    const seen = new Set<string>();
    for (const finding of applyLevels(findings, this.workspace.settings)) {
      const id = `${finding.file.path}\u0000${finding.range.start}\u0000${finding.code}\u0000${finding.key ?? ''}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const list = next.get(finding.file.path) ?? [];
      list.push(toDiagnostic(finding));
      next.set(finding.file.path, list);
    }
    for (const file of this.workspace.openPaths()) if (!next.has(file)) next.set(file, []);
    this.current = next;
    this.publish();
  }

  private publish(): void {
    const pull = this.pullMode();
    const nowPushed = new Set<string>();
    for (const [file, diagnostics] of this.current) {
      // Under pull, the client asks for open files itself; pushing them too would show everything twice.
      if (pull && this.workspace.isOpen(file)) continue;
      if (!diagnostics.length && !this.pushed.has(file) && !this.workspace.isOpen(file)) continue;
      void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics });
      if (diagnostics.length) nowPushed.add(file);
    }
    for (const file of this.pushed) {
      if (!nowPushed.has(file) && !(this.current.get(file)?.length)) void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: [] });
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
