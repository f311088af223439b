// Starting an index worker thread, apart from the pool that runs it (workerPool.ts): the caller's thread starts the
// engine's first one alongside the engine thread (startFirstParser, from ContextHost), or the engine thread's loader
// before the engine's bundle is read (engineHeadStart.ts), which must not carry the pool's imports (the file
// processor, the extractor) to do so.
import { MessageChannel, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import type { GrammarLocation } from './grammarLocation';
import type { FromIndexWorker, IndexWorkerData, ToIndexWorker } from './indexWorkerProtocol';

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

/**
 * Starts an index worker thread; it loads the tree-sitter runtime at once, before its first message.
 * @param port where its messages go instead of this thread (IndexWorkerData.port); transferred to it.
 * @param prepareFor the root of the workspace whose build it is started ahead of (IndexWorkerData.prepareFor).
 */
export function startIndexWorker(script: WorkerScript, location: GrammarLocation, maxFileBytes: number, port?: MessagePort, prepareFor?: string): Worker {
  const workerData: IndexWorkerData = { location, maxFileBytes, ...(port ? { port } : {}), ...(prepareFor !== undefined ? { prepareFor } : {}) };
  const worker = new Worker(script.path, {
    workerData,
    transferList: port ? [port] : [],
    execArgv: [...(script.execArgv ?? [])],
    resourceLimits: workerHeapLimits(maxFileBytes),
  });
  // Referenced only while it owes an answer (WorkerHandle): an idle pool never keeps the process alive.
  worker.unref();
  return worker;
}

/** What the worker pool uses of an index worker: the Worker itself, or a port to one another thread started (portLink). */
export interface IndexWorkerLink {
  readonly threadId: number;
  /** The worker's heap limits (undefined seen from another thread than the one that started it). */
  readonly resourceLimits?: ResourceLimits | undefined;
  on(event: 'message', listener: (message: FromIndexWorker) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (exitCode: number) => void): unknown;
  postMessage(message: ToIndexWorker): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

/**
 * An index worker started by another thread, seen through the port it answers on: the worker ends when the port
 * closes (terminate), and the port closes when the worker ends (reported as an exit; its error, if any, went to the
 * thread that started it).
 */
export function portLink(port: MessagePort, threadId: number): IndexWorkerLink {
  let closed = false;
  const whenClosed = new Promise<number>((resolve) =>
    port.once('close', () => {
      closed = true;
      resolve(1);
    }),
  );
  let referenced = false;
  const link: IndexWorkerLink = {
    threadId,
    on(event: 'message' | 'error' | 'exit', listener: ((message: FromIndexWorker) => void) | ((err: Error) => void) | ((exitCode: number) => void)) {
      if (event === 'message') {
        port.on('message', listener as (message: FromIndexWorker) => void);
        // Listening refs a port: like a Worker, the link is referenced only while it owes an answer.
        if (!referenced) port.unref();
      } else if (event === 'exit') void whenClosed.then(listener as (code: number) => void);
      return link;
    },
    postMessage: (message) => port.postMessage(message),
    ref() {
      referenced = true;
      port.ref();
    },
    unref() {
      referenced = false;
      port.unref();
    },
    terminate() {
      if (!closed) port.close();
      return whenClosed;
    },
  };
  return link;
}

/** The first index worker of an engine, started by the caller's thread: the worker, and the port the engine takes. */
export interface FirstParser {
  readonly worker: Worker;
  /** For the engine thread (transfer it): portLink there. */
  readonly port: MessagePort;
}

/**
 * Starts an engine's first index worker from the thread that starts the engine (the extension host's), at the same
 * time as the engine thread: Node's start of each thread, and the worker's of the tree-sitter runtime, then run on
 * both cores at once instead of one after the other. The worker answers the engine thread (on `port`), and loads
 * the grammar of `root`'s first files while they are on their way.
 */
export function startFirstParser(script: WorkerScript, location: GrammarLocation, maxFileBytes: number, root: string): FirstParser {
  const { port1, port2 } = new MessageChannel();
  const worker = startIndexWorker(script, location, maxFileBytes, port1, root);
  return { worker, port: port2 };
}
