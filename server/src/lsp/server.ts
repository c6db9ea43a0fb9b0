// The LSP connection: lifecycle, documents, settings and file watching; feature requests are wired in handlers.ts.
import {
  FileChangeType,
  createConnection, DidChangeWatchedFilesNotification, NotebookDocuments, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFileSystem } from '../workspace/fileSystem';
import { Workspace, defaultTexBibFolders } from '../workspace/workspace';
import { indexCacheDirectory, SearchIndexCache } from '../workspace/indexCache';
import { DEFAULT_SETTINGS, readSettings } from '../config/settings';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { uriToPath } from './convert';
import { registerFeatureHandlers } from './handlers';
import { FilePoller } from './filePoller';
import { StatusReporter } from './status';
import { BackgroundIndexer } from './backgroundIndexer';
import { noteActivity } from './activity';
import { MemoryKeeper } from './memoryKeeper';
import { SyncedDocument } from './syncedDocument';
import { WorkerFormatEngine } from './workerFormatEngine';
import { useFormatEngine, warmUpFormatting } from '../features/referenceMarkdown';
import { WorkspaceScanner } from './workspaceScanner';
import { ZoteroLink } from './zoteroLink';
import { allTriggerCharacters, watchedFileGlobs } from '../workspace/dialects/registry';
import { BIBLIOGRAPHY_FILE_EXTENSIONS } from '../bibliography/bibliographyFile';
import { COPY_ENTRY_COMMAND } from '../features/completion';

/** Bibliographies at least this large report indexing progress. */
const PROGRESS_THRESHOLD_BYTES = 2 * 1024 * 1024;

export interface ServerState {
  connection: Connection;
  workspace: Workspace;
  documents: TextDocuments<SyncedDocument>;
  diagnostics: DiagnosticsPublisher;
  status: StatusReporter;
  supportsWorkDoneProgress: boolean;
  /** The client takes InsertReplaceEdit: insert up to the cursor, replace the whole key. */
  supportsInsertReplace: boolean;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): ServerState {
  const documents = new TextDocuments<SyncedDocument>({ create: SyncedDocument.create, update: SyncedDocument.update });
  const workspace = new Workspace(new NodeFileSystem(), { ...DEFAULT_SETTINGS }, [], {
    BIBINPUTS: process.env.BIBINPUTS,
    HOME: process.env.HOME,
    texBibFolders: defaultTexBibFolders(process.env.HOME),
  });
  let pullDiagnostics = false;
  let refreshSupport = false;
  let configurationSupport = false;
  let watchRegistration = false;
  let workspaceFolderEvents = false;
  const background = new BackgroundIndexer(connection, workspace);
  const memory = new MemoryKeeper();
  const diagnostics = new DiagnosticsPublisher(connection, workspace, () => pullDiagnostics, () => refreshSupport, (files) => background.enqueue(files), (task) => background.later(task));
  const status = new StatusReporter(connection, workspace);
  const zotero = new ZoteroLink(connection, workspace, () => status.schedule());
  status.zotero = () => zotero.status;
  const scanner = new WorkspaceScanner(connection, workspace, (scan) => {
    status.scan = scan;
    if (scan.scanning) status.schedule();
    else status.send(); // at once: references are now lookups
  });
  const state: ServerState = { connection, workspace, documents, diagnostics, status, supportsWorkDoneProgress: false, supportsInsertReplace: false };
  workspace.loadObserver = (file, size) => {
    if (size < PROGRESS_THRESHOLD_BYTES) return () => undefined;
    status.indexing++;
    status.schedule();
    const progress = state.supportsWorkDoneProgress ? connection.window.createWorkDoneProgress() : undefined;
    void progress?.then((p) => p.begin('citekeys', undefined, `Indexing ${path.basename(file)} (${(size / 1024 / 1024).toFixed(0)} MB)`));
    return () => {
      status.indexing--;
      status.schedule();
      void progress?.then((p) => p.done());
      // Its search index is built in the background at once; completion meanwhile searches its keys alone.
      const loaded = workspace.currentBibliography(file);
      if (loaded) background.enqueue([loaded]);
    };
  };
  // citation-js runs in a worker thread beside the bundled server (dist/formatWorker.js).
  const formatEngine = new WorkerFormatEngine(path.join(__dirname, 'formatWorker.js'), (message) => connection.console.warn(`citekeys: ${message}`));
  useFormatEngine(formatEngine);
  /** Builds the configured style's engine in the formatting worker (off this thread), so the first hover is quick. */
  const warmUpStyle = () => {
    warmUpFormatting(workspace).catch((error: unknown) => connection.console.warn(`citekeys: preparing the citation style failed: ${(error as Error).message}`));
  };
  const poller = new FilePoller(workspace, (changed) => {
    for (const { path: file, kind } of changed) workspace.fileChanged(file, kind === 'changed');
    diagnostics.schedule();
    status.schedule();
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : []);
    workspace.folders = folders;
    const caps = params.capabilities;
    pullDiagnostics = !!caps.textDocument?.diagnostic;
    refreshSupport = !!caps.workspace?.diagnostics?.refreshSupport;
    configurationSupport = !!caps.workspace?.configuration;
    watchRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    workspaceFolderEvents = !!caps.workspace?.workspaceFolders;
    state.supportsWorkDoneProgress = !!caps.window?.workDoneProgress;
    state.supportsInsertReplace = !!caps.textDocument?.completion?.completionItem?.insertReplaceSupport;
    const initOptions = params.initializationOptions as { settings?: unknown; cacheDirectory?: unknown } | undefined;
    if (initOptions?.settings) workspace.settings = readSettings(initOptions.settings);
    const cacheDirectory = indexCacheDirectory(process.env, initOptions?.cacheDirectory, homeDirectory());
    if (cacheDirectory) {
      // CITEKEYS_INDEX_CACHE_MIN_ENTRIES lowers the size from which files are cached (tests use small files).
      const minEntries = Number(process.env.CITEKEYS_INDEX_CACHE_MIN_ENTRIES);
      workspace.indexCache = new SearchIndexCache(cacheDirectory, BUILD_VERSION, {
        minEntries: Number.isInteger(minEntries) && minEntries > 0 ? minEntries : undefined,
        log: (message) => connection.console.info(`citekeys: ${message}`),
      });
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        // The markdown cells of an open Jupyter notebook, served as documents beside the notebook (see convert.ts).
        notebookDocumentSync: { notebookSelector: [{ notebook: 'jupyter-notebook', cells: [{ language: 'markdown' }] }] },
        completionProvider: { triggerCharacters: allTriggerCharacters(), resolveProvider: true },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        // Any LSP editor can run it: an accepted library entry's command copies the entry (workspace/applyEdit).
        executeCommandProvider: { commands: [COPY_ENTRY_COMMAND] },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'citekeys-ls', version: CODE_VERSION },
    };
  });

  const reloadSettings = async () => {
    if (!configurationSupport) return;
    try {
      const [section] = await connection.workspace.getConfiguration([{ section: 'citekeys' }]);
      workspace.settings = readSettings(section);
    } catch (error) {
      connection.console.warn(`citekeys: could not read settings: ${(error as Error).message}`);
    }
  };

  connection.onInitialized(async () => {
    if (watchRegistration) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: watchedFileGlobs(BIBLIOGRAPHY_FILE_EXTENSIONS).map((globPattern) => ({ globPattern })),
      });
    } else {
      poller.start();
    }
    // Asking for folder events from a client that cannot send them throws, and would stop the rest of this handler.
    if (workspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
        workspace.folders = [...workspace.folders.filter((f) => !removed.has(f)), ...event.added.map((f) => uriToPath(f.uri))];
        diagnostics.schedule();
        scanner.schedule();
      });
    }
    await reloadSettings();
    zotero.update(workspace.settings);
    diagnostics.schedule();
    status.schedule();
    scanner.schedule();
    warmUpStyle();
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (configurationSupport) await reloadSettings();
    else if (change.settings && typeof change.settings === 'object') workspace.settings = readSettings((change.settings as { citekeys?: unknown }).citekeys);
    zotero.update(workspace.settings);
    diagnostics.schedule();
    scanner.schedule();
    warmUpStyle();
  });

  connection.onDidChangeWatchedFiles((event) => {
    for (const change of event.changes) workspace.fileChanged(uriToPath(change.uri), change.type === FileChangeType.Changed);
    diagnostics.schedule();
    scanner.schedule();
    status.schedule();
  });

  documents.onDidOpen((event) => {
    workspace.openText(uriToPath(event.document.uri), event.document.getText(), event.document.version, event.document.languageId);
    diagnostics.schedule();
    scanner.schedule();
    status.schedule();
  });
  documents.onDidChangeContent((event) => {
    noteActivity();
    memory.textChanged(event.document.getText().length);
    workspace.openText(uriToPath(event.document.uri), event.document.getText(), event.document.version, event.document.languageId);
    diagnostics.schedule();
  });
  documents.onDidClose((event) => {
    workspace.closeText(uriToPath(event.document.uri));
    diagnostics.schedule();
    scanner.schedule();
    status.schedule();
  });

  registerFeatureHandlers(state);
  documents.listen(connection);
  // Notebook cells open, change and close through the same documents, so they reach the handlers above.
  new NotebookDocuments(documents).listen(connection);
  connection.onShutdown(() => {
    poller.stop();
    zotero.dispose();
    formatEngine.dispose();
  });
  connection.listen();
  return state;
}

declare const CITEKEYS_VERSION: string | undefined;
declare const CITEKEYS_BUILD: string | undefined;
const CODE_VERSION = typeof CITEKEYS_VERSION === 'string' ? CITEKEYS_VERSION : 'dev';
/** The version and a digest of the server's sources (see esbuild.mjs): what wrote an index cache file. */
const BUILD_VERSION = typeof CITEKEYS_BUILD === 'string' ? `${CODE_VERSION}+${CITEKEYS_BUILD}` : CODE_VERSION;

/** The user's home folder, or undefined where there is none (`os.homedir` throws then). */
function homeDirectory(): string | undefined {
  try {
    return os.homedir() || undefined;
  } catch {
    return undefined;
  }
}
