import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { SETTINGS } from '../core/config/configSchema';
import { ContextHost, contextHostScriptsFromDist, type ContextHostOptions } from '../core/context/contextHost';
import type { TextChange } from '../core/context/fileProcessor';
import { FolderPaths, isAtOrUnder } from '../core/context/folderPaths';
import { withRealPaths } from '../core/context/folderRealPaths';
import { grammarLocationFromDist } from '../core/context/grammarLocation';
import type { ContextCacheStats, ContextItem, ContextQuery, ContextResult } from '../core/context/model';
import { RankingReadiness } from '../core/context/rankingReadiness';
import { isReplacedEngineCancellation } from '../core/context/replacedEngine';
import type { IndexBuildStats, IndexProgress } from '../core/context/workspaceIndex';
import { CancellationError, errorMessage, untilAborted } from '../core/errors';
import type { Logger } from '../core/ports';
import type { IndexStats } from '../core/stats/performanceMonitor';
import type { ConfigService } from './config';
import { Disposable } from './lifecycle';
import { showNotice } from './notice';

const EDIT_DEBOUNCE_MS = 300;
/**
 * How long a restart waits for the engine it replaces to close before starting the next one anyway. Closing stops its
 * build and saves what it indexed, which the next engine loads instead of parsing those files again: the save takes
 * about 0.1 ms a file (6,000 files: ~0.6 s), so 10 s covers workspaces of ~100,000 files, whose parse takes minutes.
 * Past it (a save stuck on a slow network disk), the next engine starts with what is saved already.
 */
const RESTART_WAIT_MS = 10_000;
const RECENT_FILES = 10;

/** What runs an engine: the bundled scripts and grammars under dist/ (tests run them from source). */
type EngineRuntime = Pick<ContextHostOptions, 'scripts' | 'location' | 'parseWorkers' | 'stringTableBound'> & {
  /** RESTART_WAIT_MS (tests shorten it). */
  readonly restartWaitMs?: number;
};

function engineRuntimeFromDist(extensionUri: vscode.Uri): EngineRuntime {
  const distDir = vscode.Uri.joinPath(extensionUri, 'dist').fsPath;
  return { scripts: contextHostScriptsFromDist(distDir), location: grammarLocationFromDist(distDir) };
}

/** The context key set while the workspace is being indexed: "Cancel Indexing" is in the Command Palette then. */
export const INDEXING_CONTEXT_KEY = 'contexten.indexing';

/**
 * The workspace context engine inside VS Code: the index (of every workspace folder on disk) and the engine run in
 * their own thread (ContextHost), which parses in worker threads, so building and queries never block the
 * extension host. Indexing starts after activation, shows progress in the status bar (click to cancel),
 * keeps the index current from editor edits (debounced, incremental), saves/creates/deletes/renames, and
 * persists it in the workspace storage so a reopened workspace is ready without re-parsing.
 */
export class ContextService extends Disposable {
  /** The engine thread (index and engine). If it dies it is dropped, and the next request starts a new one. */
  private index: ContextHost | undefined;
  /** Aborted when `index` is replaced or closed: the prompts it is still ranking are asked of the next engine. */
  private indexQueries: AbortController | undefined;
  private building: { promise: Promise<IndexBuildStats | undefined>; abort: AbortController } | undefined;
  /** Cancel Indexing came while a restart waited for the engine it replaces: the next build starts cancelled. */
  private cancelNextBuild = false;
  /** The value of the INDEXING_CONTEXT_KEY context key last set. */
  private indexingShown = false;
  private lastStats: IndexBuildStats | undefined;
  private lastChangeAt = 0;
  /** The current engine's ranking index, for the performance view: built ahead of the first prompt, or by a prompt. */
  private readonly ranking = new RankingReadiness<ContextHost>();
  private lastProgress: IndexProgress | undefined;
  /** The file count the status bar item shows in its ready state; undefined while it shows another. */
  private shownFiles: number | undefined;
  private readonly status = this.register(vscode.window.createStatusBarItem('contexten.index', vscode.StatusBarAlignment.Left, 99));
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; changes: TextChange[] | undefined; doc: vscode.TextDocument }>();
  /** Document updates sent to the engine and not answered yet (see track). */
  private readonly sending = new Set<Promise<unknown>>();
  /** Files edited or shown lately, most recent first: as URIs, named as the index names them when asked (folders come and go). */
  private readonly recent: vscode.Uri[] = [];
  /** Warnings given once (a folder's invalid setting is read at every start and settings change). */
  private readonly warned = new Set<string>();
  /** The engine whose indexing ran to its end (one cancelled, or still at it, answers with what it has so far). */
  private indexedWhole: ContextHost | undefined;
  /** engineKey of the engine started last. */
  private startedKey = '';
  /** How the index names the files of the folders it was last started on (kept while the engine restarts). */
  private paths: FolderPaths | undefined;
  /** documentPath's answers, for the folders of `documentPathsOf`. */
  private documentPaths = new WeakMap<vscode.TextDocument, string | null>();
  private documentPathsOf: FolderPaths | undefined;
  /**
   * The engine that asked to be started anew from its saved index (its string table outgrew the strings its files use:
   * ContextHost.onStringTableGrowth), until it is, when no build or prompt is under way (restartIfOutgrown).
   */
  private outgrown: { readonly engine: ContextHost; readonly strings: number } | undefined;
  /** What the engine that asked reported, while the one started in its place runs (restartIfOutgrown). */
  private grownFrom: { readonly engine: ContextHost; readonly strings: number } | undefined;
  /** The strings `outgrown` reported, until the engine started in its place (after the restart's wait) is grownFrom's. */
  private restartingFromGrowth: number | undefined;
  /** A restart for growth that freed nothing was logged (at info level, once: later ones at debug). */
  private uselessRestartLogged = false;
  /** Prompts being answered (getRelevantContext calls under way). */
  private prompts = 0;
  /**
   * A restart waiting for the engine it replaced to close (its save of what it indexed), at most RESTART_WAIT_MS: the
   * next engine starts when it resolves, and none before.
   */
  private replacing: Promise<void> | undefined;

  constructor(
    extensionUri: vscode.Uri,
    private readonly storageUri: vscode.Uri | undefined,
    private readonly config: ConfigService,
    private readonly log: Logger,
    private readonly runtime: EngineRuntime = engineRuntimeFromDist(extensionUri),
  ) {
    super();
    this.status.name = 'Contexten index';
    this.register(config.onDidChange(() => this.restartIfChanged()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('contexten.context.exclude')) && this.restartIfChanged()));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.restart()));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.onClose(d)));
    // A document can open with unsaved changes and no edit after them: its language mode changed (VS Code closes it
    // and opens it again, and the close had the index read the disk).
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => this.onSave(d)));
    this.register(vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => void this.onRename(f.oldUri, f.newUri))));
    this.register(vscode.window.onDidChangeActiveTextEditor((ed) => ed && this.noteRecent(ed.document.uri)));
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/*'));
    this.register(watcher.onDidCreate((u) => void this.onDiskChange(u)));
    this.register(watcher.onDidChange((u) => void this.onDiskChange(u)));
    this.register(watcher.onDidDelete((u) => this.onDelete(u)));
    this.register({ dispose: () => void this.teardown() });
  }

  /** The build under way, if any. While there is one, the context key INDEXING_CONTEXT_KEY is set (Cancel Indexing). */
  private get build(): { promise: Promise<IndexBuildStats | undefined>; abort: AbortController } | undefined {
    return this.building;
  }

  private set build(build: { promise: Promise<IndexBuildStats | undefined>; abort: AbortController } | undefined) {
    this.building = build;
    const indexing = build !== undefined;
    if (indexing === this.indexingShown) return;
    this.indexingShown = indexing;
    void vscode.commands.executeCommand('setContext', INDEXING_CONTEXT_KEY, indexing);
  }

  /** Starts (or restarts) indexing in the background. Safe to call repeatedly. */
  start(): void {
    // (Disposed: an engine started now would run, build and save with nobody left to stop it.)
    if (this.isDisposed || this.build || this.index || this.replacing) return;
    const folders = diskFolders();
    const first = folders[0];
    if (!first) {
      this.paths = undefined;
      this.status.hide();
      return;
    }
    const s = this.config.snapshot;
    const specs = this.folderSpecs(folders);
    this.startedKey = this.engineKey(specs);
    // (With the folders' real paths, as the engine resolves them: a folder linked into another is nested in it.)
    const folderSpecs = withRealPaths(specs);
    this.paths = new FolderPaths(folderSpecs);
    let index: ContextHost;
    const { restartWaitMs: _restartWaitMs, ...runtime } = this.runtime;
    try {
      // (Starting the engine's threads can fail, e.g. when the process is out of threads or memory: no thread is left.)
      index = new ContextHost({
        root: first.uri.fsPath,
        folders: folderSpecs,
        ...runtime,
        logger: this.log,
        defaults: { budget: s['context.maxChars'], relevanceThreshold: s['context.relevanceThreshold'] },
        maxFileKB: s['context.maxFileKB'],
        ...(this.storageUri ? { storageDir: this.storageUri.fsPath } : {}),
      });
    } catch (err) {
      this.log.error(`Context engine could not start: ${errorMessage(err)}`);
      this.showRetry('$(warning) Context: engine could not start', `Contexten: the context engine could not start (${errorMessage(err)}). Click to try again.`);
      return;
    }
    this.index = index;
    if (this.restartingFromGrowth !== undefined) this.grownFrom = { engine: index, strings: this.restartingFromGrowth };
    this.restartingFromGrowth = undefined;
    this.indexQueries = new AbortController();
    this.ranking.reset(index);
    // The new engine knows the files on disk; what the editor shows otherwise (unsaved changes, documents whose file
    // is gone) is sent as it is now.
    this.sendEditorTexts(() => true);
    index.onDidChange(() => {
      this.lastChangeAt = Date.now();
      // Files created or deleted after a build (the watcher's events): the count follows them.
      if (this.shownFiles !== undefined && this.index === index && index.summary.files !== this.shownFiles) this.showReady();
    });
    index.onDidStop(() => this.onEngineStopped(index));
    // (Only in the log otherwise: every reload would index the whole workspace again, and nobody would know why.)
    // (Once per folder and error code: the message names the save's temporary file, another at each save.)
    index.onSaveFailed(({ storageDir, message, code }) =>
      this.warnOnce(
        `Contexten could not save the context index in ${storageDir} (${message}), so every reload indexes the workspace again. ` +
          'Free some space there or make the folder writable; the next change or Re-index Workspace saves it.',
        JSON.stringify(['save failed', storageDir, code ?? null]),
      ),
    );
    index.onStringTableGrowth(({ strings, live, firstCount }) => {
      if (this.index !== index) return;
      if (this.restartWouldNotHelp(index, strings, firstCount)) return;
      this.log.info(`Context engine holds ${strings.toLocaleString('en-US')} strings, its files use about ${live.toLocaleString('en-US')} (identifiers typed and deleted, files gone): it restarts from its saved index when idle, to free the rest.`);
      this.outgrown = { engine: index, strings };
      this.restartIfOutgrown();
    });
    const abort = new AbortController();
    if (this.cancelNextBuild) {
      this.cancelNextBuild = false;
      abort.abort();
    }
    this.showProgress({ phase: 'loading', filesFound: 0, filesDone: 0, scanComplete: false });
    const promise = index
      .build({ signal: abort.signal, onProgress: (p) => this.showProgress(p) })
      .then((stats) => {
        this.indexedWhole = index;
        this.lastStats = stats;
        this.lastChangeAt = Date.now();
        this.log.info(`Context index ready: ${stats.files} files, ${stats.definitions} definitions (${stats.parsed} parsed, ${stats.reused} reused, ${stats.skipped} skipped) in ${stats.ms} ms`);
        this.showReady();
        for (const folder of stats.unreadableFolders ?? []) {
          this.warnOnce(`Contexten cannot read the workspace folder ${folder} (no permission), so none of its files is in the context index. Give it read permission, then run Re-index Workspace.`);
        }
        // Build the ranking index now (in the engine thread), so the first real prompt does not pay for it.
        const preparing = performance.now();
        this.ranking.buildingAhead(index);
        void index
          .prepareRanking(abort.signal)
          .then((built) => {
            if (this.index !== index) return;
            const readyMs = Math.round(performance.now() - preparing);
            this.ranking.builtAhead(index, readyMs);
            this.log.info(built ? `Context ranking index ready in ${readyMs} ms` : 'Context ranking index ready (a prompt had built it)');
          })
          .catch((err: unknown) => {
            if (this.index !== index) return; // replaced or closed meanwhile (an engine that stopped says so itself)
            this.ranking.failedAhead(index);
            // The first prompt builds it then (and says why not, if it cannot either).
            if (!CancellationError.is(err)) this.log.warn(`Context ranking index not built ahead of the first prompt: ${errorMessage(err)}`);
          });
        return stats;
      })
      .catch((err: unknown) => {
        // A restart (or closing) cancelled it: the next build, if any, speaks for itself.
        if (this.build?.abort !== abort) return undefined;
        if (CancellationError.is(err)) {
          this.log.info('Context indexing cancelled; the context uses what was indexed so far.');
          this.showRetry('$(circle-slash) Context: indexing cancelled', 'Contexten: indexing was cancelled. Click to index again.');
        } else {
          this.log.error(`Context indexing failed: ${errorMessage(err)}`);
          this.showRetry('$(warning) Context: indexing failed', `Contexten: ${errorMessage(err)} — click to try again`);
        }
        return undefined;
      })
      .finally(() => {
        if (this.build?.abort === abort) this.build = undefined;
        this.restartIfOutgrown();
      });
    this.build = { promise, abort };
  }

  /** Stops a running build (the status bar item's command while indexing). */
  cancelIndexing(): void {
    if (this.build) this.build.abort.abort();
    // (While a restart waits there is no build yet: the one it starts is the one cancelled.)
    else if (this.replacing !== undefined) this.cancelNextBuild = true;
  }

  /**
   * "Re-index Workspace": restart, or, with no workspace folder on disk (an empty window, only virtual folders), says
   * there is nothing to index.
   */
  reindex(): void {
    this.cancelNextBuild = false;
    if (diskFolders().length === 0) {
      void vscode.window.showInformationMessage('Contexten: there is nothing to index: open a folder on disk first (the context index reads only files on disk).');
      return;
    }
    this.restart();
  }

  /**
   * Drops the index and builds it again (persisted entries for unchanged files are reused). The engine replaced stops
   * its build and saves what it indexed; the next one starts once it has closed (its memory freed, its save there to
   * load), or after RESTART_WAIT_MS: the status bar says it is restarting meanwhile, and prompts wait for it.
   */
  restart(): void {
    const closed = this.teardown();
    if (closed === undefined) {
      // (A restart already waiting starts the engine, with the settings as they are then.)
      if (this.replacing === undefined) this.start();
      return;
    }
    const waitMs = this.runtime.restartWaitMs ?? RESTART_WAIT_MS;
    const replacing = untilAborted(closed, AbortSignal.timeout(waitMs)).then(
      () => false,
      (err: unknown) => CancellationError.is(err),
    ).then((late) => {
      if (this.replacing !== replacing) return;
      this.replacing = undefined;
      if (late && !this.isDisposed) this.log.info(`Context engine restarting: the engine it replaces has not closed after ${waitMs / 1000} s; the new one starts without its last save.`);
      this.start();
    });
    this.replacing = replacing;
    this.showRestarting();
  }

  /**
   * Ranked context for a query. Fills activeFile/openFiles/recentFiles from the editor when not given (an activeFile
   * of null, a query about no file of the workspace, stays none: see editorHints). While the workspace is still being
   * indexed the result says how far indexing got (`partial`).
   */
  async getRelevantContext(q: ContextQuery, signal?: AbortSignal): Promise<ContextResult> {
    this.prompts++;
    try {
      return await this.answer(q, signal);
    } finally {
      this.prompts--;
      this.restartIfOutgrown();
    }
  }

  /**
   * Starts the engine anew from its saved index when it asked for that (`outgrown`) and is idle: no build and no
   * prompt under way. What a restart for changed settings does: open documents' unsaved texts are sent to the new
   * engine, which loads the saved index (saved just before the engine asked), reads again the files changed since, and
   * builds its ranking index ahead of the next prompt.
   */
  private restartIfOutgrown(): void {
    const outgrown = this.outgrown;
    if (outgrown === undefined) return;
    if (outgrown.engine !== this.index || this.isDisposed) {
      this.outgrown = undefined;
      return;
    }
    if (this.build !== undefined || this.prompts > 0) return;
    this.outgrown = undefined;
    this.log.info('Context engine restarting from its saved index to free the strings its files no longer use.');
    this.restartingFromGrowth = outgrown.strings;
    this.grownFrom = undefined;
    this.restart();
  }

  /**
   * The engine started in place of one that outgrew its string table reports growth at its first count: it started
   * with the table another restart would give it too (a count that left out strings still in use), so restarting again
   * would loop. It runs on as it is, and says so once; it reports again (and is restarted then) only once its table
   * outgrew the bound over what it holds now (StringTableWatch: at least 20,000 more strings).
   */
  private restartWouldNotHelp(engine: ContextHost, strings: number, firstCount: boolean): boolean {
    const from = this.grownFrom;
    if (from?.engine !== engine || !firstCount) return false;
    const message = `Context engine holds ${strings.toLocaleString('en-US')} strings after restarting from its saved index (${from.strings.toLocaleString('en-US')} before): the restart freed nothing, so it does not restart again for this.`;
    if (this.uselessRestartLogged) {
      this.log.debug(message);
    } else {
      this.uselessRestartLogged = true;
      this.log.info(message);
    }
    return true;
  }

  private async answer(q: ContextQuery, signal: AbortSignal | undefined): Promise<ContextResult> {
    for (;;) {
      // (A restart under way: the next engine, once the one it replaces has closed.)
      if (this.replacing !== undefined) await untilAborted(this.replacing, signal);
      this.start();
      const engine = this.index;
      // (How the folders this engine was started on name their files: set with it, kept with its answer.)
      const paths = this.paths;
      const replaced = this.indexQueries?.signal;
      if (!engine || !replaced) return { items: [], chars: 0, budget: q.budget ?? this.config.snapshot['context.maxChars'], ms: 0, cached: false, indexVersion: 0 };
      try {
        const result = await this.contextFrom(engine, q, signal ? AbortSignal.any([signal, replaced]) : replaced);
        // Answered by an engine replaced meanwhile (its answer came before the restart cancelled it): the settings it was
        // started with are gone (files excluded since may be in it), so the new engine answers.
        if (this.index !== engine && !this.isDisposed && signal?.aborted !== true) {
          this.log.debug('Context engine restarted while a prompt was ranked; asking the new one.');
          continue;
        }
        // As indexing stood when the answer came (a build that ended meanwhile: the answer had all of it, or most).
        const partial = this.indexedWhole === engine || this.index !== engine ? undefined : (this.lastProgress ?? { filesDone: 0, filesFound: 0 });
        const located = { ...result, items: locatedItems(result.items, paths) };
        return partial !== undefined ? { ...located, partial: { filesDone: partial.filesDone, filesFound: partial.filesFound } } : located;
      } catch (err) {
        // A restart (a setting changed, folders added or removed, Reindex) disposed the engine this prompt was ranked
        // on: the prompt asks the new engine, as the user did not cancel it. (Any other failure, or the caller's
        // cancellation, is the caller's.)
        if (!CancellationError.is(err) || signal?.aborted === true || this.isDisposed || this.index === engine) throw err;
        this.log.debug('Context engine restarted while a prompt was ranked; asking the new one.');
      }
    }
  }

  private async contextFrom(engine: ContextHost, q: ContextQuery, signal: AbortSignal | undefined): Promise<ContextResult> {
    // Edits still waiting out their debounce go first, and a prompt waits for the documents' texts already sent (an
    // engine's first document waits for its grammar to load): a prompt right after typing sees what was typed. A Cancel
    // meanwhile (the engine thread busy) ends the wait at once; the updates go on, and the next prompt waits for them.
    this.flushPending();
    if (this.sending.size > 0) await untilAborted(Promise.all(this.sending), signal);
    const hints = this.editorHints(q.activeFile);
    const result = await engine.getRelevantContext(
      {
        ...q,
        ...(hints.activeFile !== undefined ? { activeFile: hints.activeFile } : {}),
        ...(q.openFiles === undefined ? { openFiles: hints.openFiles } : {}),
        ...(q.recentFiles === undefined ? { recentFiles: hints.recentFiles } : {}),
        budget: q.budget ?? this.config.snapshot['context.maxChars'],
        relevanceThreshold: q.relevanceThreshold ?? this.config.snapshot['context.relevanceThreshold'],
      },
      signal,
    );
    // Answering a prompt builds the ranking index when nothing built it ahead (RankingReadiness says so once indexing ended).
    this.ranking.answered(engine);
    return result;
  }

  /** The context engine's cache; none without an engine (no workspace folder, or before the first), so the Performance tab says "not in use". */
  cacheStats(): ContextCacheStats | undefined {
    return this.index?.cacheStats();
  }

  /** Index size and freshness for the performance view. */
  indexStats(): IndexStats | undefined {
    if (!this.index) return undefined;
    const { files, definitions } = this.index.summary;
    const building = this.build && this.lastProgress ? Math.max(0, this.lastProgress.filesFound - this.lastProgress.filesDone) : 0;
    const state = this.ranking.of(this.index, this.build !== undefined);
    const ranking = state !== undefined ? { ranking: state } : {};
    const edits = this.index.documentUpdateStats();
    return { files, definitions, ...(this.lastChangeAt ? { updatedAt: this.lastChangeAt } : {}), pendingFiles: this.pending.size + building, ...ranking, ...(edits ? { edits } : {}) };
  }

  /** The index's path of a URI inside an indexed folder (in a multi-root workspace it starts with the folder's name). */
  relativePath(uri: vscode.Uri): string | undefined {
    return uri.scheme === 'file' ? this.paths?.relative(uri.fsPath) : undefined;
  }

  /**
   * The absolute URI of an index path in the folders open now (also while the engine restarts). A ranked item carries
   * its own (ContextItem.uri, from the folders it was ranked in), which stays right after the folders change.
   */
  uriFor(rel: string): vscode.Uri | undefined {
    const abs = this.paths?.absolute(rel);
    return abs === undefined ? undefined : vscode.Uri.file(abs);
  }

  /**
   * The editor's ranking hints: its active file, and the files shown and edited lately besides it. For a request about a
   * file of its own (`about`: its index path, or null for one the index has not, outside the workspace), that file is
   * the active one, or none — never the active editor's, which may show another file; the active editor's file then is
   * one of the files shown (and edited lately), as the other visible editors' are.
   */
  editorHints(about?: string | null): { activeFile?: string; openFiles: string[]; recentFiles: string[] } {
    const active = vscode.window.activeTextEditor?.document.uri;
    const activeFile = about === undefined ? (active ? this.relativePath(active) : undefined) : (about ?? undefined);
    const openFiles = vscode.window.visibleTextEditors.map((e) => this.relativePath(e.document.uri)).filter((p): p is string => !!p && p !== activeFile);
    const recentFiles = this.recent.map((u) => this.relativePath(u)).filter((p): p is string => p !== undefined && p !== activeFile);
    return { ...(activeFile !== undefined ? { activeFile } : {}), openFiles: [...new Set(openFiles)], recentFiles };
  }

  /**
   * What an engine is started with: each folder's exclusions (files.exclude, and contexten.context.exclude as that
   * folder has it — a folder of a multi-root workspace may have its own).
   */
  private folderSpecs(folders: readonly vscode.WorkspaceFolder[]): { name: string; path: string; exclude: string[] }[] {
    return folders.map((f) => ({ name: f.name, path: f.uri.fsPath, exclude: [...filesExcludeGlobs(f), ...this.contextExclude(f)] }));
  }

  /**
   * contexten.context.exclude as `folder` has it (an invalid folder value: the workspace's; ConfigService shows the
   * warning, as for every invalid setting).
   */
  private contextExclude(folder: vscode.WorkspaceFolder): readonly string[] {
    const value = vscode.workspace.getConfiguration('contexten', folder.uri).get<unknown>('context.exclude');
    const parsed = SETTINGS['context.exclude'].schema.safeParse(value ?? []);
    return parsed.success ? parsed.data : this.config.snapshot['context.exclude'];
  }

  /** Shows a warning with a Show Logs button, once per session for each `key` (by default, the message). */
  private warnOnce(message: string, key = message): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    showNotice(vscode.window.showWarningMessage, message, [{ title: 'Show Logs', run: () => vscode.commands.executeCommand('contexten.showLogs') }], this.log);
  }

  /** Everything a started engine depends on that settings decide (a change of it starts a new engine). */
  private engineKey(specs: readonly { name: string; path: string; exclude: string[] }[]): string {
    return JSON.stringify([specs, this.config.snapshot['context.maxFileKB']]);
  }

  /**
   * Starts a new engine when the settings it was started with changed (one restart for a change that several
   * listeners hear of: the contexten settings, files.exclude, a folder's own value).
   */
  private restartIfChanged(): void {
    if (!this.index && !this.build) return;
    if (this.engineKey(this.folderSpecs(diskFolders())) !== this.startedKey) this.restart();
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) {
      this.onDirtyChange(e.document);
      return;
    }
    const rel = this.relativePath(e.document.uri);
    if (!rel || !this.index) return;
    this.noteRecent(e.document.uri);
    const entry = this.pending.get(rel);
    if (entry) clearTimeout(entry.timer);
    const changes = entry ? entry.changes : [];
    const next = changes ? [...changes, ...e.contentChanges.map((c) => ({ start: c.rangeOffset, deleteCount: c.rangeLength, text: c.text }))] : undefined;
    const timer = setTimeout(() => this.track(this.flushEdit(rel)), EDIT_DEBOUNCE_MS);
    this.pending.set(rel, { timer, changes: next, doc: e.document });
  }

  /** Keeps `sent` (a document's update, which never rejects) among those a prompt waits for until it settles. */
  private track(sent: Promise<unknown>): void {
    const settled: Promise<unknown> = sent.finally(() => this.sending.delete(settled));
    this.sending.add(settled);
  }

  /** Sends every document's edits waiting out their debounce now (tracked, as the timer would have). */
  private flushPending(): void {
    for (const [rel, entry] of [...this.pending]) {
      clearTimeout(entry.timer);
      this.track(this.flushEdit(rel));
    }
  }

  private async flushEdit(rel: string): Promise<void> {
    const entry = this.pending.get(rel);
    this.pending.delete(rel);
    const engine = this.index;
    if (!entry || !engine) return;
    try {
      await engine.updateDocument(rel, entry.doc.getText(), entry.changes);
    } catch (err) {
      this.reindexFailed(engine, rel, err);
    }
  }

  private onClose(doc: vscode.TextDocument): void {
    const rel = this.relativePath(doc.uri);
    const engine = this.index;
    if (!rel || !engine) return;
    this.dropPending((p) => p === rel);
    void engine.closeDocument(rel).catch((err: unknown) => this.reindexFailed(engine, rel, err));
  }

  /**
   * A document opened (again) with unsaved changes, or on a file that is gone: its text, as the engine cannot read it
   * from disk. Only this document is looked at: the event also fires for git, diff and language-server documents.
   */
  private onOpen(doc: vscode.TextDocument): void {
    const index = this.index;
    const rel = this.relativePath(doc.uri);
    if (index && rel !== undefined) this.sendEditorText(index, doc, rel);
  }

  /**
   * A document's dirty state changed with no edit (VS Code tells it as a change event without changes). One that became
   * dirty so was restored from its backup (a window reload with unsaved changes, hot exit): the extension host is told
   * of it with the backup's text before the editor marks it dirty, so onOpen left it to the disk, and the engine, when
   * it started earlier, indexed the disk's text. Its text is sent now. (The first edit after a save makes a document
   * dirty too: its changes, waiting out their debounce, carry that.)
   */
  private onDirtyChange(doc: vscode.TextDocument): void {
    const index = this.index;
    const rel = this.relativePath(doc.uri);
    if (doc.isDirty && index && rel !== undefined && !this.pending.has(rel)) this.sendEditorText(index, doc, rel);
  }

  private async onDiskChange(uri: vscode.Uri): Promise<void> {
    const rel = this.relativePath(uri);
    const engine = this.index;
    if (!rel || !engine) return;
    // Open, edited documents are indexed from the editor text, which wins over disk until closed (the index
    // itself skips open documents). A save right after typing still goes through: a .gitignore's rules are read
    // from disk, so its save must reach updateFile even while its last edits wait to be sent.
    // (Symbolic links leading to it are read again all the same: they show the disk.)
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    try {
      if (open?.isDirty) await engine.fileChangedUnderDocument(rel);
      else await engine.updateFile(rel);
    } catch (err) {
      this.reindexFailed(engine, rel, err);
    }
  }

  /**
   * A saved .gitignore is read again even if the watcher's event for the save came while the document was still
   * dirty (and was dropped above): the editor's saved state and the watcher's events reach the extension host by
   * different ways (in code-server, one through the browser, the other from the server), in either order. Other
   * documents need nothing here: while open they are indexed from the editor's text.
   */
  private onSave(doc: vscode.TextDocument): void {
    if (doc.uri.path.endsWith('/.gitignore')) void this.onDiskChange(doc.uri);
  }

  private onDelete(uri: vscode.Uri): void {
    const rel = this.relativePath(uri);
    const engine = this.index;
    if (!rel || !engine) return;
    // Open documents of the files deleted stay indexed from their text, as the editor still shows them, until closed
    // (the engine keeps the documents it was sent; one opened and never edited it has not seen yet).
    this.sendEditorTexts(under(rel));
    void engine.removeFile(rel).catch((err: unknown) => this.reindexFailed(engine, rel, err));
  }

  /**
   * One side outside every workspace folder: the watcher's delete or create event stands for the rename (a
   * document moved in with unsaved changes is still sent: the create event leaves unsaved documents to the editor).
   */
  private async onRename(oldUri: vscode.Uri, newUri: vscode.Uri): Promise<void> {
    const from = this.relativePath(oldUri);
    const to = this.relativePath(newUri);
    const engine = this.index;
    if (!engine) return;
    // Edits still waiting under the old names: the documents carry them to the new ones (sent below when unsaved).
    // Sent under the old names before their documents close, they would index files that are gone.
    if (from !== undefined) this.dropPending(under(from));
    if (from !== undefined && to !== undefined) {
      try {
        await engine.renameFile(from, to);
      } catch (err) {
        this.reindexFailed(engine, `the rename ${from} → ${to}`, err);
      }
    }
    // The index moved the files as they are on disk; documents moved with unsaved changes have them at the new place.
    if (to !== undefined) this.sendEditorTexts(under(to));
  }

  /** Warns that an update failed, unless it is only the end of an engine since replaced or closed (no news then). */
  private reindexFailed(engine: ContextHost, what: string, err: unknown): void {
    if (isReplacedEngineCancellation(err, engine, this.isDisposed ? undefined : this.index)) return;
    this.log.warn(`Re-indexing ${what} failed: ${errorMessage(err)}`);
  }

  private dropPending(which: (rel: string) => boolean): void {
    for (const [rel, entry] of this.pending) {
      if (!which(rel)) continue;
      clearTimeout(entry.timer);
      this.pending.delete(rel);
    }
  }

  /**
   * Sends the whole text of each open document that `which` accepts and the disk does not show — it has unsaved
   * changes, or its file is gone: what the engine cannot have from the disk or from edits (an engine just started, a
   * document renamed or opened again with its changes, a file deleted under its document). Edits waiting to be sent
   * for such a document are in its text, so they are dropped.
   */
  private sendEditorTexts(which: (rel: string) => boolean): void {
    const index = this.index;
    if (!index) return;
    for (const doc of vscode.workspace.textDocuments) {
      const rel = doc.isClosed ? undefined : this.documentPath(doc);
      if (rel !== undefined && which(rel)) this.sendEditorText(index, doc, rel);
    }
  }

  /**
   * relativePath of an open document's URI, kept per document while the folders stay the same: every delete event
   * looks at each open document (a branch switch deleting 5,000 files with 50 documents open asked 250,000 times, ~0.5 s
   * of the extension host's thread). A document's URI never changes (a rename opens another document).
   */
  private documentPath(doc: vscode.TextDocument): string | undefined {
    if (this.documentPathsOf !== this.paths) {
      this.documentPaths = new WeakMap();
      this.documentPathsOf = this.paths;
    }
    let rel = this.documentPaths.get(doc);
    if (rel === undefined) {
      rel = this.relativePath(doc.uri) ?? null;
      this.documentPaths.set(doc, rel);
    }
    return rel ?? undefined;
  }

  /** sendEditorTexts for one open document, `rel` in the index's folders. */
  private sendEditorText(index: ContextHost, doc: vscode.TextDocument, rel: string): void {
    // (Whether the file exists is asked only of open documents in the index's folders, and only of those asked for.)
    if (!doc.isDirty && existsSync(doc.uri.fsPath)) return;
    this.dropPending((p) => p === rel);
    this.track(index.updateDocument(rel, doc.getText()).catch((err: unknown) => this.reindexFailed(index, rel, err)));
  }

  private noteRecent(uri: vscode.Uri): void {
    if (!this.relativePath(uri)) return;
    const key = uri.toString();
    const i = this.recent.findIndex((u) => u.toString() === key);
    if (i >= 0) this.recent.splice(i, 1);
    this.recent.unshift(uri);
    this.recent.length = Math.min(this.recent.length, RECENT_FILES);
  }

  private showProgress(p: IndexProgress): void {
    this.lastProgress = p;
    this.shownFiles = undefined;
    const total = p.scanComplete ? `/${p.filesFound.toLocaleString('en-US')}` : '';
    this.status.text = `$(sync~spin) Context: ${p.phase === 'loading' ? 'loading index' : `indexing ${p.filesDone.toLocaleString('en-US')}${total}`}`;
    this.status.tooltip = 'Contexten is indexing the workspace in the background. Click to cancel.';
    this.status.command = 'contexten.context.cancelIndexing';
    this.status.show();
  }

  private showReady(): void {
    const n = this.index?.summary.files ?? 0;
    this.shownFiles = n;
    this.status.text = `$(symbol-class) Context: ${n.toLocaleString('en-US')} files`;
    this.status.tooltip = 'Contexten: the workspace index is ready. Click to preview the context for a prompt.';
    this.status.command = 'contexten.context.preview';
    this.status.show();
  }

  /** While a restart waits for the engine it replaces to close (restart). */
  private showRestarting(): void {
    this.shownFiles = undefined;
    this.status.text = '$(sync~spin) Context: restarting';
    this.status.tooltip = 'Contexten is restarting the context engine: the one it replaces is saving what it indexed.';
    this.status.command = undefined;
    this.status.show();
  }

  /** A state the user ends by clicking: indexing again (starting a new engine when there is none). */
  private showRetry(text: string, tooltip: string): void {
    this.shownFiles = undefined;
    this.status.text = text;
    this.status.tooltip = tooltip;
    this.status.command = 'contexten.context.reindex';
    this.status.show();
  }

  /** Drops the engine; its dispose, if there was one (it stops its build and saves what it indexed). */
  private teardown(): Promise<void> | undefined {
    this.build?.abort.abort();
    this.build = undefined;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    const index = this.index;
    this.index = undefined;
    // (Before the engine's dispose, which waits for what it is doing: prompts it still had queued would be answered.)
    this.indexQueries?.abort();
    this.indexQueries = undefined;
    this.ranking.reset(undefined);
    return index?.dispose().catch(() => undefined);
  }

  /** The engine thread died (e.g. out of memory): drop it; the next request (or a click) starts a new one from the saved index. */
  private onEngineStopped(index: ContextHost): void {
    if (this.index !== index) return;
    void this.teardown();
    this.showRetry('$(warning) Context: engine stopped', `Contexten: ${index.stopped?.message ?? 'the context engine stopped'} Click to start it again.`);
  }
}

/** The workspace's folders on disk (a virtual folder has no files to read); several make a multi-root index (FolderPaths). */
function diskFolders(): vscode.WorkspaceFolder[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
}

/** Accepts an index path and every path under it (a file, or a folder and everything it holds). */
function under(rel: string): (p: string) => boolean {
  return (p) => isAtOrUnder(rel, p);
}

/** `files.exclude` entries that are simply `true` (conditional `when` entries are ignored), as globs. */
function filesExcludeGlobs(folder: vscode.WorkspaceFolder): string[] {
  const raw = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(raw)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
}

/**
 * Ranked items with their files' URIs (ContextItem.uri) as `paths` — the folders the ranking engine was started on —
 * place them: fixed when the ranking answers, so a result shown or opened later names those files, whatever folders
 * were added or removed meanwhile (an index path's first segment may name another folder then).
 */
function locatedItems(items: readonly ContextItem[], paths: FolderPaths | undefined): ContextItem[] {
  return items.map((item) => {
    const abs = paths?.absolute(item.file);
    return abs === undefined ? item : { ...item, uri: vscode.Uri.file(abs).toString() };
  });
}
