// Starting an index worker thread, apart from the pool that runs it (workerPool.ts): the caller's thread starts the
// engine's first one alongside the engine thread (startFirstParser, from ContextHost), and must not carry the pool's
// imports (the file processor, the extractor) to do so.
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
 * of memory is replaced, and the files it held are parsed again one at a time (a file that ends a worker alone is
 * left out and logged).
 */
export function workerHeapLimits(maxFileBytes: number): ResourceLimits {
  const fileMb = maxFileBytes / (1024 * 1024);
  return { maxOldGenerationSizeMb: Math.max(96, Math.ceil(64 + 48 * fileMb)), maxYoungGenerationSizeMb: 8 };
}

/**
 * Starts an index worker thread; it loads the tree-sitter runtime at once, before its first message.
 * @param port where its messages go instead of this thread (IndexWorkerData.port); transferred to it.
 * @param prepareFor the folders of the workspace whose build it is started ahead of (IndexWorkerData.prepareFor).
 */
export function startIndexWorker(script: WorkerScript, location: GrammarLocation, maxFileBytes: number, port?: MessagePort, prepareFor?: readonly string[]): Worker {
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
  on(event: 'message', listener: (message: FromIndexWorker) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (exitCode: number) => void): unknown;
  postMessage(message: ToIndexWorker): void;
  ref(): void;
  unref(): void;
  /** Resolves with the exit code once the thread has ended. */
  terminate(): Promise<number>;
}

/** How a worker started for another thread ended, told to that thread by the one that started it (startFirstParser). */
export interface WorkerEnd {
  readonly exitCode: number;
  /** The message of the error it died of (an uncaught exception, out of memory, a script that failed to load). */
  readonly error?: string;
}

/** The ends of an index worker another thread started (startFirstParser), as that thread hands them over. */
export interface ForeignWorker {
  /** The port the worker answers on. */
  readonly port: MessagePort;
  /** Where its end comes (one WorkerEnd message); a message sent on it asks the starting thread to terminate it. */
  readonly ended: MessagePort;
  readonly threadId: number;
}

/** What portLink sends on `ended` to have the starting thread terminate the worker. */
const TERMINATE = 'terminate';

/**
 * An index worker started by another thread, seen through the ports that thread handed over: messages go on `port`.
 * terminate() asks that thread (on `ended`) to terminate it, as Worker.terminate does — a worker busy in a file is
 * stopped, not waited for — and closes `port` (an idle worker ends by itself then). Its end, with the error it died
 * of if any, comes on `ended` from the thread that started it (which alone hears the worker's 'error' and 'exit'):
 * reported as a Worker would, 'error' then 'exit'. If that thread closes `ended` without a word (it ended), the
 * worker has ended with it.
 */
export function portLink({ port, ended, threadId }: ForeignWorker): IndexWorkerLink {
  const whenEnded = new Promise<WorkerEnd>((resolve) => {
    ended.once('message', (end: WorkerEnd) => resolve(end));
    ended.once('close', () => resolve({ exitCode: 1, error: 'the thread that started it ended' }));
  });
  // Listening refs a port: this one never keeps the thread alive (the data port does while an answer is owed).
  ended.unref();
  void whenEnded.then(() => ended.close());
  let closed = false;
  let referenced = false;
  const link: IndexWorkerLink = {
    threadId,
    on(event: 'message' | 'error' | 'exit', listener: ((message: FromIndexWorker) => void) | ((err: Error) => void) | ((exitCode: number) => void)) {
      if (event === 'message') {
        port.on('message', listener as (message: FromIndexWorker) => void);
        // Listening refs a port: like a Worker, the link is referenced only while it owes an answer.
        if (!referenced) port.unref();
      } else if (event === 'error') {
        void whenEnded.then((end) => end.error !== undefined && (listener as (err: Error) => void)(new Error(end.error)));
      } else void whenEnded.then((end) => (listener as (code: number) => void)(end.exitCode));
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
      // Resolved once the thread has ended (the starting thread tells it on `ended`).
      if (!closed) {
        closed = true;
        ended.postMessage(TERMINATE);
        port.close();
      }
      return whenEnded.then((end) => end.exitCode);
    },
  };
  return link;
}

/** The first index worker of an engine, started by the caller's thread: the worker, and the ends the engine takes. */
export interface FirstParser {
  readonly worker: Worker;
  /** For the engine thread (transfer port and ended): portLink there. */
  readonly link: ForeignWorker;
}

/**
 * Starts an engine's first index worker from the thread that starts the engine (the extension host's), at the same
 * time as the engine thread: Node's start of each thread, and the worker's of the tree-sitter runtime, then run on
 * both cores at once instead of one after the other. The worker answers the engine thread (on `link.port`), and loads
 * the grammar of the first files of `folders` (the workspace's, in the scan's order) while they are on their way.
 * Its end, and the error it died of, go to the engine on `link.ended` (only this thread hears of them): the engine's
 * pool logs them, once, and fails the files it had sent with that error.
 * @throws what `new Worker` throws (no thread or port is left open then).
 */
export function startFirstParser(script: WorkerScript, location: GrammarLocation, maxFileBytes: number, folders: readonly string[]): FirstParser {
  const data = new MessageChannel();
  const status = new MessageChannel();
  let worker: Worker;
  try {
    worker = startIndexWorker(script, location, maxFileBytes, data.port1, folders);
  } catch (err) {
    for (const port of [data.port1, data.port2, status.port1, status.port2]) port.close();
    throw err;
  }
  // The engine's pool terminates the worker through portLink: only this thread can stop it while it is busy.
  status.port1.on('message', (message: unknown) => {
    if (message === TERMINATE) void worker.terminate();
  });
  // (Listening refs a port: this one never keeps this thread alive.)
  status.port1.unref();
  let failure: Error | undefined;
  worker.on('error', (err) => (failure = err));
  worker.on('exit', (exitCode) => {
    const end: WorkerEnd = { exitCode, ...(failure ? { error: failure.message } : {}) };
    status.port1.postMessage(end);
    status.port1.close();
  });
  return { worker, link: { port: data.port2, ended: status.port2, threadId: worker.threadId } };
}
