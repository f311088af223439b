// A pool of index worker threads: files stream to them in small batches (at most two batches in flight per
// worker), results stream back (a parsed file's references are collected here, withReferences). Workers start on first use, and a crashed worker is replaced; after a run of
// files, all but the first (kept for the next file-watcher update, unless it went through a cold build) stop until
// needed again. The files a worker held when it died are parsed again one at a time, each alone on a worker, so that
// only a file that ends a worker by itself fails (retryAlone).
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { CancellationError, errorMessage, throwIfAborted, untilAborted } from '../errors';
import type { Logger } from '../ports';
import type { FileBackend } from './extractionBackend';
import { failedTask, withReferences, type FileOutcome, type FileTask } from './fileProcessor';
import type { GrammarLocation } from './grammarLocation';
import type { FromIndexWorker, ToIndexWorker } from './indexWorkerProtocol';
import { startIndexWorker, type IndexWorkerLink, type WorkerScript } from './indexWorkerStart';


/** The bundled worker esbuild writes next to extension.js and cli.js. */
export function workerScriptFromDist(distDir: string): WorkerScript {
  return { path: path.join(distDir, 'worker.js') };
}

export interface WorkerPoolOptions {
  /** Number of worker threads (default: min(2, cores)). */
  readonly size?: number;
  readonly script: WorkerScript;
  readonly location: GrammarLocation;
  readonly maxFileBytes: number;
  readonly logger: Logger;
  /** Worker 0, already started (startIndexWorker, or by another thread: portLink); the pool owns it from now on. */
  readonly firstWorker?: IndexWorkerLink;
  /** Files after which the first worker is stopped once idle (default RECYCLE_AFTER_FILES; see stopIdleHelpers). */
  readonly recycleAfterFiles?: number;
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * The most worker threads the CLI's --workers takes: twice the cores, at least 4. Parsing is CPU work, so more threads
 * than that only add memory (~20 MB each) and switching: 64 on 2 cores took 50 s and 1.4 GB for 5,000 files, not 2 s.
 */
export function maxWorkerCount(): number {
  return Math.max(4, 2 * availableParallelism());
}

/** Files per message: small enough to balance the load, large enough that messaging costs little. */
const BATCH_SIZE = 8;
const BATCHES_IN_FLIGHT_PER_WORKER = 2;
/** Files a first worker parses before it is stopped once idle (a cold build of a workspace, not its updates). */
const RECYCLE_AFTER_FILES = 2_000;
/**
 * Workers in a row that die on files sent to them alone, after which the pool stops trying files alone: the workers
 * themselves are failing (a script that does not load, no memory to start a thread), not the files, and each try
 * costs a thread's start. A file parsed alone without its worker dying starts the count again.
 */
const ALONE_DEATHS_BEFORE_GIVING_UP = 3;

/** Why a request failed: the worker it was sent to ended (crashed, ran out of memory) before it answered. */
class WorkerEndedError extends Error {}

interface Pending {
  resolve(message: FromIndexWorker): void;
  reject(err: Error): void;
}

class WorkerHandle {
  readonly pending = new Map<number, Pending>();
  inFlight = 0;
  dead = false;
  /** Set before terminating on purpose, so the exit is not reported as a crash. */
  stopping = false;
  /** Files sent to the worker since the pool was last idle (see stopIdleHelpers). */
  files = 0;

  /**
   * @param quiet its death is not logged here (a worker parsing one file alone: the index names the file that ended it).
   */
  constructor(
    readonly worker: IndexWorkerLink,
    readonly logger: Logger,
    private readonly quiet = false,
  ) {
    worker.on('message', (message: FromIndexWorker) => this.onMessage(message));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`index worker exited with code ${code}`)));
  }

  request(message: ToIndexWorker): Promise<FromIndexWorker> {
    return new Promise((resolve, reject) => {
      if (this.dead) {
        reject(new Error('index worker is not running'));
        return;
      }
      // Referenced only while it owes an answer: an idle pool never keeps the process alive.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(message.id, { resolve, reject });
      this.worker.postMessage(message);
    });
  }

  private onMessage(message: FromIndexWorker): void {
    if (message.type === 'log') {
      this.logger[message.level](message.message);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.type === 'error') pending.reject(new Error(message.message));
    else pending.resolve(message);
  }

  private fail(err: Error): void {
    if (!this.dead && !this.stopping && !this.quiet) this.logger.warn(`context: index worker stopped: ${errorMessage(err)}`);
    this.dead = true;
    const ended = new WorkerEndedError(errorMessage(err));
    for (const p of this.pending.values()) p.reject(ended);
    this.pending.clear();
  }
}

export class WorkerPoolBackend implements FileBackend {
  private readonly size: number;
  private readonly handles: (WorkerHandle | undefined)[];
  private nextId = 1;
  private disposed = false;
  /** processFiles calls under way. */
  private runs = 0;
  /** The worker that parses files alone (retryAlone), started when needed, stopped when none wait for it. */
  private alone: WorkerHandle | undefined;
  /** Files waiting to be parsed alone, one batch's after another. */
  private aloneQueue: Promise<void> = Promise.resolve();
  /** Batches of files queued or being parsed alone. */
  private aloneBatches = 0;
  /** Workers in a row that died on a file sent alone (see ALONE_DEATHS_BEFORE_GIVING_UP). */
  private aloneDeaths = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    this.size = Math.max(1, options.size ?? defaultWorkerCount());
    this.handles = new Array<WorkerHandle | undefined>(this.size).fill(undefined);
    if (options.firstWorker) this.handles[0] = new WorkerHandle(options.firstWorker, options.logger);
  }

  async processFiles(tasks: AsyncIterable<FileTask> | Iterable<FileTask>, onOutcome: (outcome: FileOutcome) => void, signal?: AbortSignal): Promise<void> {
    this.runs++;
    try {
      await this.runFiles(tasks, onOutcome, signal);
    } finally {
      if (--this.runs === 0) this.stopIdleHelpers();
    }
  }

  private async runFiles(tasks: AsyncIterable<FileTask> | Iterable<FileTask>, onOutcome: (outcome: FileOutcome) => void, signal?: AbortSignal): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const capacity = this.size * BATCHES_IN_FLIGHT_PER_WORKER;
    const send = (batch: FileTask[]): void => {
      const handle = this.leastLoaded();
      handle.inFlight++;
      handle.files += batch.length;
      const done = this.requestOn(handle, batch)
        .then(
          (reply) => {
            handle.inFlight--;
            this.answered(reply, onOutcome, signal);
          },
          (err: unknown): Promise<void> | undefined => {
            // (Free before its files are parsed again: the worker answers no more.)
            handle.inFlight--;
            if (signal?.aborted) return undefined;
            // A worker that died took the whole batch (and any queued behind it): which file did it is found alone.
            if (err instanceof WorkerEndedError && !this.disposed) return this.retryAlone(batch, onOutcome, signal);
            const message = errorMessage(err);
            for (const t of batch) onOutcome(failedTask(t, message));
            return undefined;
          },
        )
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
    };

    let batch: FileTask[] = [];
    for await (const task of tasks) {
      throwIfAborted(signal);
      batch.push(task);
      if (batch.length < BATCH_SIZE) continue;
      send(batch);
      batch = [];
      while (inFlight.size >= capacity) await untilAborted(Promise.race(inFlight), signal);
    }
    if (batch.length > 0) send(batch);
    await untilAborted(Promise.all(inFlight), signal);
  }

  /**
   * Once the last run of files under way is done, the workers other than the first (kept for the next
   * file-watcher update, which would otherwise wait for a thread to start and load its grammars) are stopped when idle: an idle parser thread holds tens of MB (heap, compiled grammars,
   * wasm memory that never shrinks). The next run of files starts them again when the first is busy. The first is
   * stopped too once it has parsed a workspace's worth of files since the pool was last idle (recycleAfterFiles): such a thread holds ~15 MB more
   * than a fresh one (synthetic-5000), at the end of a cold build when the index's memory peaks; the next run starts
   * it again.
   */
  private stopIdleHelpers(): void {
    for (let i = 0; i < this.handles.length; i++) {
      const h = this.handles[i];
      if (!h || h.dead || h.inFlight > 0 || h.pending.size > 0) continue;
      if (i === 0 && h.files < (this.options.recycleAfterFiles ?? RECYCLE_AFTER_FILES)) {
        // Counted per busy spell: a workspace's file-watcher updates, a few files each, never add up to a recycle.
        h.files = 0;
        continue;
      }
      h.stopping = true;
      this.handles[i] = undefined;
      void h.worker.terminate();
    }
  }

  /**
   * Parses again, one at a time and each alone on a worker (started anew when the last one died), the files of a
   * request whose worker died: only a file that ends a worker by itself fails then ('alone': the index leaves it out
   * and names it), and the others are indexed. After ALONE_DEATHS_BEFORE_GIVING_UP such deaths in a row the workers
   * themselves are failing: the files left fail at once, as not known to be the cause ('among').
   */
  private retryAlone(batch: readonly FileTask[], onOutcome: (outcome: FileOutcome) => void, signal?: AbortSignal): Promise<void> {
    this.aloneBatches++;
    const run = this.aloneQueue
      .then(() => this.parseAlone(batch, onOutcome, signal))
      .finally(() => {
        if (--this.aloneBatches > 0 || !this.alone) return;
        const alone = this.alone;
        this.alone = undefined;
        alone.stopping = true;
        void alone.worker.terminate();
      });
    this.aloneQueue = run.catch(() => undefined);
    return run;
  }

  private async parseAlone(batch: readonly FileTask[], onOutcome: (outcome: FileOutcome) => void, signal?: AbortSignal): Promise<void> {
    for (const [i, task] of batch.entries()) {
      if (signal?.aborted) return;
      if (this.aloneDeaths >= ALONE_DEATHS_BEFORE_GIVING_UP) {
        const message = 'index workers kept stopping';
        for (const t of batch.slice(i)) onOutcome(failedTask(t, message, 'among'));
        return;
      }
      if (this.disposed) throw new CancellationError('The index worker pool was disposed');
      if (!this.alone || this.alone.dead) this.alone = this.startWorker(true);
      let reply: FromIndexWorker;
      try {
        reply = await this.requestOn(this.alone, [task]);
      } catch (err) {
        if (signal?.aborted) return;
        if (!(err instanceof WorkerEndedError)) onOutcome(failedTask(task, errorMessage(err)));
        else if (this.disposed) throw new CancellationError('The index worker pool was disposed');
        else {
          this.aloneDeaths++;
          onOutcome(failedTask(task, `it stopped the index worker parsing it (${errorMessage(err)})`, 'alone'));
        }
        continue;
      }
      this.answered(reply, onOutcome, signal);
    }
  }

  /** Hands on the outcomes a worker answered a request for files with (none once cancelled). */
  private answered(reply: FromIndexWorker, onOutcome: (outcome: FileOutcome) => void, signal?: AbortSignal): void {
    // A worker that answers: workers start and parse (see ALONE_DEATHS_BEFORE_GIVING_UP).
    this.aloneDeaths = 0;
    if (signal?.aborted || reply.type !== 'files') return;
    for (const outcome of reply.outcomes) onOutcome(outcome.kind === 'declared' ? withReferences(outcome.file) : outcome);
  }

  /** Worker threads running now (for tests and measurements). */
  get runningWorkers(): number {
    return this.handles.filter((h) => h && !h.dead).length + (this.alone && !this.alone.dead ? 1 : 0);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const handles = this.handles.splice(0, this.handles.length);
    handles.push(this.alone);
    this.alone = undefined;
    await Promise.all(
      handles.map((h) => {
        if (!h) return Promise.resolve(0);
        h.stopping = true;
        return h.worker.terminate();
      }),
    );
  }

  private requestOn(handle: WorkerHandle, tasks: readonly FileTask[]): Promise<FromIndexWorker> {
    return handle.request({ type: 'files', id: this.nextId++, tasks });
  }

  /**
   * An idle running worker, else one not started yet, else the least loaded: a single file's update (the
   * first worker idle) starts no second thread, each of which costs tens of MB (heap, grammars, wasm).
   */
  private leastLoaded(): WorkerHandle {
    let best: WorkerHandle | undefined;
    for (const h of this.handles) if (h && !h.dead && (best === undefined || h.inFlight < best.inFlight)) best = h;
    if (best?.inFlight === 0) return best;
    const notRunning = this.handles.findIndex((h) => !h || h.dead);
    return notRunning === -1 ? (best ?? this.handle(0)) : this.handle(notRunning);
  }

  /** The i-th worker, started (or restarted after a crash) on demand. */
  private handle(i: number): WorkerHandle {
    if (this.disposed) throw new CancellationError('The index worker pool was disposed');
    const existing = this.handles[i];
    if (existing && !existing.dead) return existing;
    const handle = this.startWorker();
    this.handles[i] = handle;
    return handle;
  }

  /** @param quiet see WorkerHandle. */
  private startWorker(quiet = false): WorkerHandle {
    const { script, location, maxFileBytes, logger } = this.options;
    return new WorkerHandle(startIndexWorker(script, location, maxFileBytes), logger, quiet);
  }
}
