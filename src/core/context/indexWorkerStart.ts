// Starting an index worker thread, apart from the pool that runs it (workerPool.ts): the engine thread's loader
// starts its first one before the engine's bundle is read (engineHeadStart.ts), and must not carry the pool's
// imports (the file processor, the extractor) to do so.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { GrammarLocation } from './grammarLocation';
import type { IndexWorkerData } from './indexWorkerProtocol';

/** The worker's script: dist/worker.js when bundled, or the .ts source with a loader (tsx) from source. */
export interface WorkerScript {
  readonly path: string;
  readonly execArgv?: readonly string[];
}

/**
 * Heap limits of a worker. Left alone, V8 lets a busy worker's heap grow far past what it keeps (about 100 MB
 * more per worker here); tighter limits make it collect sooner at little cost. The old generation scales with
 * the largest file allowed, whose text, tree and matches a worker holds at once. A worker that still runs out
 * of memory fails its batch (those files are skipped and logged) and is replaced.
 */
export function workerHeapLimits(maxFileBytes: number): ResourceLimits {
  const fileMb = maxFileBytes / (1024 * 1024);
  return { maxOldGenerationSizeMb: Math.max(96, Math.ceil(64 + 48 * fileMb)), maxYoungGenerationSizeMb: 8 };
}

/** Starts an index worker thread; it loads the tree-sitter runtime at once, before its first message. */
export function startIndexWorker(script: WorkerScript, location: GrammarLocation, maxFileBytes: number): Worker {
  const workerData: IndexWorkerData = { location, maxFileBytes };
  const worker = new Worker(script.path, { workerData, execArgv: [...(script.execArgv ?? [])], resourceLimits: workerHeapLimits(maxFileBytes) });
  // Referenced only while it owes an answer (WorkerHandle): an idle pool never keeps the process alive.
  worker.unref();
  return worker;
}
