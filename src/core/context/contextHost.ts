// The caller's side of the engine thread: a small typed proxy over the workspace index and the context
// engine, which live in a worker thread (contextHostWorker.ts) with a capped young generation. The caller's
// thread (the extension host, whose V8 flags are not ours) then only sends requests and receives results:
// building, the ranking index's warm-up and every query run elsewhere and never block it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { CancellationError, errorMessage } from '../errors';
import type { Disposable, Logger } from '../ports';
import { Emitter } from '../emitter';
import {
  deserializeError,
  type ContextHostMethod,
  type ContextHostRequest,
  type ContextHostWorkerData,
  type EngineHeapMb,
  type FromContextHost,
  type IndexChangeNotice,
  type IndexedFileInfo,
  type IndexSummary,
  type MethodParams,
  type MethodResult,
  type ToContextHost,
} from './contextHostProtocol';
import { DocumentVersions } from './documentMirror';
import type { TextChange } from './fileProcessor';
import type { GrammarLocation } from './grammarLocation';
import type { IndexChange } from './indexLookup';
import { indexCacheFile } from './indexPersistence';
import type { ContextCacheStats, ContextQuery, ContextResult } from './model';
import { startFirstParser, type WorkerScript } from './indexWorkerStart';
import { defaultWorkerCount, workerScriptFromDist } from './workerPool';
import { FolderPaths, type FolderSpec } from './folderPaths';
import type { StringTableBound, StringTableGrowth } from './stringTableGrowth';
import { DEFAULT_MAX_FILE_KB, type BuildOptions, type IndexBuildStats, type IndexProgress, type SaveFailure } from './workspaceIndex';
import { NumberRing, percentile } from '../stats/numberRing';

/** How many of the latest document updates documentUpdateStats covers. */
const UPDATE_WINDOW = 256;

/** One document update the index took: milliseconds from the call until its answer was back, and those elapsed on the engine thread. */
export interface DocumentUpdateTiming {
  readonly ms: number;
  readonly engineMs: number;
}

/** Percentiles over the latest document updates the index took (see ContextHost.documentUpdateStats). */
export interface DocumentUpdateStats {
  readonly samples: number;
  readonly p50: number;
  readonly p95: number;
  /** The 95th percentile of the time elapsed on the engine thread per update (a percentile of its own, not the part of the p95 update). */
  readonly engineP95: number;
}

/** The engine thread's script and the parser threads' script it starts. */
export interface ContextHostScripts {
  readonly host: WorkerScript;
  readonly parser: WorkerScript;
}

/** The bundled scripts esbuild writes next to extension.js and cli.js. */
export function contextHostScriptsFromDist(distDir: string): ContextHostScripts {
  return { host: { path: path.join(distDir, 'contextHostWorker.js') }, parser: workerScriptFromDist(distDir) };
}

/**
 * Heap limits of the engine thread, chosen by measuring synthetic-5000 and -50000. The thread keeps most of
 * what it allocates (the index), which makes V8 grow the young generation to its maximum (128 MB on Node 24)
 * for no gain: 16 MB cost no more CPU than 32 or 64 and saved 20-40 MB (8 cost more CPU). The old
 * generation's limit matters more: V8 lets a heap whose limit is 2 GB or more grow to 4× what it kept before
 * collecting again, below that by a factor from 1.3 (a limit of 256 MB or less) to 2 (2 GB), linear in the limit:
 * about 1.8 at 1,536, 1.6 at 1,024, so the garbage queries leave stays smaller (session peak at 5,000 files 510 MB
 * unlimited, 376 at 2,000; after later rounds, four A/B pairs 1,536 → 1,024: mean 310 → 300 MB). A
 * 50,000-file index keeps about 370 MB of heap (its typed arrays, another 300 MB, do not count); its old space
 * committed at most ~460 MB in a session with this limit (whole-process peak 986-996 MB vs 1,026-1,028 at 1,536),
 * so 1,024 still leaves it room.
 */
export function engineHeapLimits(): ResourceLimits {
  return { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 1024 };
}

export interface ContextHostOptions {
  /** Absolute path of the workspace folder (of the first folder, with `folders`). */
  readonly root: string;
  /**
   * The workspace's folders, each with its own exclusions (`root` and `exclude` then stand for nothing); with two
   * or more, files' paths start with their folder's name (FolderPaths.of).
   */
  readonly folders?: readonly FolderSpec[];
  readonly scripts: ContextHostScripts;
  readonly location: GrammarLocation;
  readonly logger: Logger;
  readonly defaults: { readonly budget: number; readonly relevanceThreshold: number };
  /** Glob patterns relative to the root, on top of .gitignore files. */
  readonly exclude?: readonly string[];
  readonly maxFileKB?: number;
  /** Where the index is saved between sessions; none: memory only. */
  readonly storageDir?: string;
  /** Parser threads (default: min(2, cores)); 0 parses on the engine thread. */
  readonly parseWorkers?: number;
  /** Default: engineHeapLimits(). */
  readonly resourceLimits?: ResourceLimits;
  /** How far the index's string table may outgrow the strings its files use before onStringTableGrowth (default STRING_TABLE_BOUND; tests lower it). */
  readonly stringTableBound?: StringTableBound;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: ((progress: IndexProgress) => void) | undefined;
}

const EMPTY_CACHE: ContextCacheStats = { hits: 0, misses: 0, hitRate: 0, size: 0 };

/**
 * The workspace index and context engine of a workspace (one folder or several), running in their own thread. Every method sends a
 * request; cancellation (an AbortSignal) crosses as a message and the call rejects with CancellationError at
 * once. If the thread dies (e.g. out of memory), every pending and later call rejects with an error saying
 * so, and `onDidStop` listeners are told: a stopped host stays stopped, the owner starts a new one.
 */
export class ContextHost implements Disposable {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly changeListeners = new Set<(change: IndexChange) => void>();
  private readonly stopListeners = new Set<(err: Error) => void>();
  private readonly growth = new Emitter<StringTableGrowth>((err) => this.options.logger.error(`context: a string table listener failed: ${errorMessage(err)}`));
  private readonly saveFailures = new Emitter<SaveFailure>((err) => this.options.logger.error(`context: a save failure listener failed: ${errorMessage(err)}`));
  /** Messages posted and not yet taken up by the engine thread (ContextHostWorkerData.waiting). */
  private readonly waiting = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private nextId = 1;
  private lastSummary: IndexSummary = { files: 0, definitions: 0, version: 0 };
  private lastCacheStats: ContextCacheStats = EMPTY_CACHE;
  private stoppedWith: Error | undefined;
  private disposing: Promise<void> | undefined;
  private readonly documentVersions = new DocumentVersions();
  private readonly updateTimes = new NumberRing(UPDATE_WINDOW);
  private readonly updateEngineTimes = new NumberRing(UPDATE_WINDOW);
  /** Parse worker 0 while it runs, when this thread started it for the engine (see the constructor). */
  private firstParser: Worker | undefined;

  constructor(private readonly options: ContextHostOptions) {
    // How the index names the workspace's files (its owner maps editor paths with a FolderPaths of its own). (Only the
    // folders' roots and identity are read here: their real paths are resolved by the index, on the engine thread,
    // unless the owner gave them — the extension's ContextService does, for its own mapping.)
    const folders = options.folders && options.folders.length > 0 ? options.folders : undefined;
    const paths = FolderPaths.of(options);
    const maxFileKB = options.maxFileKB ?? DEFAULT_MAX_FILE_KB;
    const savedIndexFile = options.storageDir !== undefined ? indexCacheFile(options.storageDir, paths.identity) : undefined;
    const parseWorkers = options.parseWorkers ?? defaultWorkerCount();
    // A build from nothing (no saved index to reopen): parse worker 0 starts now, alongside the engine thread, and
    // answers it directly (startFirstParser); the engine thread's start no longer delays the worker's. A reopen
    // parses few files or none: its workers start on demand. (This thread only checks that the saved index is there:
    // the worker itself looks at the folders for the grammar it loads first.)
    const first =
      parseWorkers > 0 && (savedIndexFile === undefined || !existsSync(savedIndexFile))
        ? startFirstParser(options.scripts.parser, options.location, maxFileKB * 1024, paths.folders.map((f) => f.root))
        : undefined;
    const workerData: ContextHostWorkerData = {
      root: paths.folders[0]?.root ?? path.resolve(options.root),
      exclude: options.exclude ?? [],
      ...(folders ? { folders } : {}),
      maxFileKB,
      ...(options.storageDir !== undefined && savedIndexFile !== undefined ? { storageDir: options.storageDir, savedIndexFile } : {}),
      location: options.location,
      parseWorkers,
      parseWorkerScript: options.scripts.parser,
      ...(first ? { firstParser: first.link } : {}),
      defaults: options.defaults,
      ...(options.stringTableBound !== undefined ? { stringTableBound: options.stringTableBound } : {}),
      waiting: this.waiting.buffer as SharedArrayBuffer,
    };
    const { host } = options.scripts;
    try {
      this.worker = new Worker(host.path, {
        workerData,
        transferList: first ? [first.link.port, first.link.ended] : [],
        execArgv: [...(host.execArgv ?? [])],
        resourceLimits: options.resourceLimits ?? engineHeapLimits(),
      });
    } catch (err) {
      // No engine to hand it to: the worker ends (its port closes with it) and the caller gets new Worker's error.
      if (first) {
        first.link.port.close();
        first.link.ended.close();
        void first.worker.terminate();
      }
      throw err;
    }
    if (first) {
      const worker = first.worker;
      this.firstParser = worker;
      // Its end and error reach the engine thread (startFirstParser), whose pool logs them and replaces it.
      worker.on('exit', () => {
        if (this.firstParser === worker) this.firstParser = undefined;
      });
    }
    // Referenced only while it owes an answer: an idle engine never keeps the process alive.
    this.worker.unref();
    this.worker.on('message', (message: FromContextHost) => this.onMessage(message));
    this.worker.on('error', (err) => this.stop(describeFailure(err)));
    this.worker.on('exit', (code) => this.stop(`its thread exited with code ${code}`));
  }

  /** Parse worker 0's thread id while it runs, when this thread started it for the engine (tests). */
  get firstParserThreadId(): number | undefined {
    return this.firstParser?.threadId;
  }

  /** Set once the engine thread has died; every call then rejects with it. */
  get stopped(): Error | undefined {
    return this.stoppedWith;
  }

  /** Files and definitions indexed, as of the last change the engine reported. */
  get summary(): IndexSummary {
    return this.lastSummary;
  }

  /** Query cache statistics as of the last query answered. */
  cacheStats(): ContextCacheStats {
    return this.lastCacheStats;
  }

  /** Brings the index in line with the disk (see WorkspaceIndex.build). @throws CancellationError when the signal aborts. */
  build(options: BuildOptions = {}): Promise<IndexBuildStats> {
    return this.request('build', {}, options.signal, options.onProgress);
  }

  /**
   * An open document changed (WorkspaceIndex.updateDocument): `changes` lead from the text of the previous call
   * for this path to `text`. Once the engine thread has the document's text, only the changes cross; the whole
   * text again when the engine's copy is not in step. Resolves with how long it took once the index holds it;
   * undefined when the index did not take it (an excluded path, or a newer update of the document or its close
   * overtook it).
   */
  async updateDocument(relPath: string, text: string, changes?: readonly TextChange[], signal?: AbortSignal): Promise<DocumentUpdateTiming | undefined> {
    const started = performance.now();
    const update = this.documentVersions.next(relPath, text, changes);
    let { outcome, engineMs } = await this.request('updateDocument', { path: relPath, update }, signal);
    // A refused update is sent whole only while it is still the document's latest: a newer update resends
    // itself if it is refused too, and after a close there is nothing to send (it would reopen the document).
    if (outcome === 'needsText' && this.documentVersions.isLatest(relPath, update.version)) {
      const resent = await this.request('updateDocument', { path: relPath, update: DocumentVersions.withText(update, text) }, signal);
      outcome = resent.outcome;
      engineMs += resent.engineMs;
    }
    if (outcome !== 'applied') return undefined;
    const timing = { ms: performance.now() - started, engineMs };
    this.updateTimes.push(timing.ms);
    this.updateEngineTimes.push(timing.engineMs);
    return timing;
  }

  /**
   * The latest document updates the index took (up to UPDATE_WINDOW), for the performance view: how long each took
   * from the call until its answer was back, and how much of that elapsed on the engine thread (the rest is the way
   * there and back — the messages, waiting behind other work of the engine thread, each thread waiting for a CPU).
   * Undefined before the first.
   */
  documentUpdateStats(): DocumentUpdateStats | undefined {
    const times = this.updateTimes.sorted();
    const engine = this.updateEngineTimes.sorted();
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    const engineP95 = percentile(engine, 95);
    if (p50 === undefined || p95 === undefined || engineP95 === undefined) return undefined;
    return { samples: times.length, p50, p95, engineP95 };
  }

  async closeDocument(relPath: string, signal?: AbortSignal): Promise<void> {
    this.documentVersions.forget(relPath);
    await this.request('closeDocument', { path: relPath }, signal);
  }

  async updateFile(relPath: string, signal?: AbortSignal): Promise<void> {
    await this.request('updateFile', { path: relPath }, signal);
  }

  /** WorkspaceIndex.fileChangedUnderDocument. */
  async fileChangedUnderDocument(relPath: string, signal?: AbortSignal): Promise<void> {
    await this.request('fileChangedUnderDocument', { path: relPath }, signal);
  }

  async removeFile(relPath: string, signal?: AbortSignal): Promise<void> {
    await this.request('removeFile', { path: relPath }, signal);
  }

  /**
   * A file or folder was renamed or moved (WorkspaceIndex.renameFile): the index drops the open documents at the old
   * paths, and so does the document bookkeeping here (a document opened there later starts from its whole text).
   */
  async renameFile(oldPath: string, newPath: string, signal?: AbortSignal): Promise<void> {
    if (oldPath !== newPath) this.documentVersions.forgetUnder(oldPath);
    await this.request('renameFile', { from: oldPath, to: newPath }, signal);
  }

  async getRelevantContext(query: ContextQuery, signal?: AbortSignal): Promise<ContextResult> {
    const { context, cache } = await this.request('query', { query }, signal);
    this.lastCacheStats = cache;
    return context;
  }

  /** A fresh engine over the same index: empty query cache, ranking index rebuilt by the next query. */
  async resetEngine(): Promise<void> {
    await this.request('resetEngine', {});
    this.lastCacheStats = EMPTY_CACHE;
  }

  /** Resolves when the saves asked for so far have finished. */
  async whenSaved(): Promise<void> {
    await this.request('whenSaved', {});
  }

  /**
   * Builds (or brings up to date) the ranking index now rather than on the next query (ContextEngine.prepare): over
   * a large workspace that build takes seconds, which a person's first prompt then does not wait for. Queries that
   * come meanwhile join the build; cancelling this call stops its wait, not the build. Resolves true when there was
   * anything to build, false when the ranking index was up to date already.
   */
  prepareRanking(signal?: AbortSignal): Promise<boolean> {
    return this.request('prepareRanking', {}, signal);
  }

  /**
   * Settles every open document now rather than after its quiet period (WorkspaceIndex.settleDocuments): the
   * index then holds exactly what a fresh index of the documents' texts would.
   */
  async settleDocuments(signal?: AbortSignal): Promise<void> {
    await this.request('settleDocuments', {}, signal);
  }

  listFiles(): Promise<IndexedFileInfo[]> {
    return this.request('listFiles', {});
  }

  /** A file's text as the index sees it (an open document's edits win over disk). */
  async readText(relPath: string): Promise<string | undefined> {
    return (await this.request('readText', { path: relPath })) ?? undefined;
  }

  /** The engine thread's heap, after a full GC when the process runs with --expose-gc and `collectGarbage`. */
  engineHeap(collectGarbage: boolean): Promise<EngineHeapMb> {
    return this.request('heap', { collectGarbage });
  }

  onDidChange(listener: (change: IndexChange) => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /**
   * Called once when the index's string table holds more strings than the bound allows beyond those its files use
   * (identifiers typed and deleted, files created and deleted: WorkspaceIndex.onStringTableGrowth), right after a save:
   * an engine started anew from that save keeps only the strings it uses. Only an engine with a storage folder asks.
   */
  onStringTableGrowth(listener: (growth: StringTableGrowth) => void): Disposable {
    return this.growth.event(listener);
  }

  /** Called when a save of the index fails, once until one succeeds again (WorkspaceIndex.onSaveFailed). */
  onSaveFailed(listener: (failure: SaveFailure) => void): Disposable {
    return this.saveFailures.event(listener);
  }

  /** Called once if the engine thread dies (not when disposed). */
  onDidStop(listener: (err: Error) => void): Disposable {
    this.stopListeners.add(listener);
    return { dispose: () => this.stopListeners.delete(listener) };
  }

  /** Waits for any save under way, stops the parser threads and the engine thread. Calls still pending reject with CancellationError. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.changeListeners.clear();
      this.stopListeners.clear();
      this.growth.dispose();
      this.saveFailures.dispose();
      if (!this.stoppedWith) await this.request('dispose', {}).catch(() => undefined);
      const err = new CancellationError('The context engine was disposed');
      this.stoppedWith ??= err;
      this.rejectAll(err);
      await Promise.all([this.worker.terminate(), this.firstParser?.terminate()]);
    })();
    return this.disposing;
  }

  private request<M extends ContextHostMethod>(
    method: M,
    params: MethodParams<M>,
    signal?: AbortSignal,
    onProgress?: (progress: IndexProgress) => void,
  ): Promise<MethodResult<M>> {
    return new Promise<MethodResult<M>>((resolve, reject) => {
      if (this.stoppedWith) {
        reject(this.stoppedWith);
        return;
      }
      if (signal?.aborted) {
        reject(new CancellationError());
        return;
      }
      const id = this.nextId++;
      const onAbort = (): void => {
        if (!this.pending.delete(id)) return;
        this.post({ type: 'abort', id });
        this.settled();
        reject(new CancellationError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, {
        resolve: (value) => {
          done();
          resolve(value as MethodResult<M>);
        },
        reject: (err) => {
          done();
          reject(err);
        },
        onProgress,
      });
      this.post({ type: 'request', id, method, params } as ContextHostRequest);
    });
  }

  private post(message: ToContextHost): void {
    Atomics.add(this.waiting, 0, 1);
    try {
      this.worker.postMessage(message);
    } catch (err) {
      // Never delivered: left counted, it would make every settling parse give way from now on.
      Atomics.sub(this.waiting, 0, 1);
      throw err;
    }
  }

  private onMessage(message: FromContextHost): void {
    switch (message.type) {
      case 'log':
        this.options.logger[message.level](message.message);
        return;
      case 'change':
        this.notify(message);
        return;
      case 'saveFailed':
        this.saveFailures.fire({ storageDir: message.storageDir, message: message.message, ...(message.code !== undefined ? { code: message.code } : {}) });
        return;
      case 'stringTableGrowth': {
        this.growth.fire({ strings: message.strings, live: message.live, firstCount: message.firstCount });
        return;
      }
      case 'progress':
        this.pending.get(message.id)?.onProgress?.(message.progress);
        return;
      case 'result':
      case 'error': {
        for (const notice of message.changes ?? []) this.notify(notice);
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        this.settled();
        if (message.type === 'result') pending.resolve(message.value);
        else pending.reject(deserializeError(message.error));
        return;
      }
    }
  }

  private notify({ change, summary }: IndexChangeNotice): void {
    this.lastSummary = summary;
    for (const listener of this.changeListeners) {
      try {
        listener(change);
      } catch (err) {
        this.options.logger.error(`context: an index listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Lets the process exit once nothing is owed. */
  private settled(): void {
    if (this.pending.size === 0) this.worker.unref();
  }

  private stop(reason: string): void {
    if (this.stoppedWith) return;
    const err = new Error(
      `The context engine stopped unexpectedly: ${reason}. Its index is gone; a new engine has to be started (it reuses the saved index).`,
    );
    this.stoppedWith = err;
    // (Its port closed with the engine thread: it is ending already.)
    void this.firstParser?.terminate();
    this.options.logger.error(err.message);
    this.rejectAll(err);
    for (const listener of this.stopListeners) listener(err);
    this.stopListeners.clear();
  }

  private rejectAll(err: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.settled();
    for (const p of pending) p.reject(err);
  }
}

function describeFailure(err: Error): string {
  return (err as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : err.message;
}
