// The engine thread (bundled to dist/engineThread.js, which the small loader dist/contextHostWorker.js loads and
// starts; run from source, engineThreadEntry.ts starts it): owns the workspace index and the context engine, so that
// building, ranking-index warm-up and queries never run on the caller's thread (the extension host). Parser threads
// are started from here, except parse worker 0 of a build from nothing, which the caller's thread starts alongside
// this one and hands over (ContextHostWorkerData.firstParser, portLink); open documents are parsed here (no round trip
// to a parser thread per edit). Requests run concurrently, as they would on one thread; an abort message cancels the request it names.
// (setImmediate: the end of this task, which no Clock port stands for — timers here go through the Clock.)
import { setImmediate } from 'node:timers';
import type * as NodeV8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { lineLogger } from '../logLines';
import { systemClock, type Logger } from '../ports';
import { ContextEngine } from './contextEngine';
import {
  serializeError,
  type ContextHostMethod,
  type ContextHostRequest,
  type ContextHostWorkerData,
  type EngineHeapMb,
  type FromContextHost,
  type IndexChangeNotice,
  type IndexSummary,
  type MethodParams,
  type MethodResult,
  type ToContextHost,
} from './contextHostProtocol';
import { DocumentMirror } from './documentMirror';
import type { EngineStartKind } from './engineCompileCache';
import { InProcessBackend, SplitBackend, type ExtractionBackend } from './extractionBackend';
import { lazyBuiltin } from './lazyBuiltin';
import { WorkerPoolBackend } from './workerPool';
import { portLink } from './indexWorkerStart';
import { definitionCount } from './storedFile';
import { WorkspaceIndex } from './workspaceIndex';

type Handlers = { [M in ContextHostMethod]: (params: MethodParams<M>, signal: AbortSignal, id: number) => Promise<MethodResult<M>> };

export interface EngineStartOptions {
  /**
   * Called once, the turn after the thread's first successful build has posted its result (what a start runs is
   * compiled by then) — or as the engine is disposed, when that is taken up first — with the kind of that build: the loader writes V8's code cache (engineCompileCache.ts) when it
   * lacks a start of this kind — no part of getting ready. (Later builds are re-syncs, which run neither kind's code.)
   */
  readonly afterFirstBuild?: (kind: EngineStartKind) => void;
}

export function startEngine(options: EngineStartOptions = {}): void {
  const port = parentPort;
  if (!port) throw new Error('contextHostWorker must run in a worker thread');
  const data = workerData as ContextHostWorkerData;
  // Parse worker 0 of a build from nothing, which the caller's thread started alongside this one (ContextHost).
  const firstParser = data.firstParser ? portLink(data.firstParser) : undefined;
  const post = (message: FromContextHost): void => port.postMessage(message);
  // (Lines as the host's logger makes them, an unexpected error with its stack: the host writes them as they come.)
  const logger: Logger = lineLogger(['debug', 'info', 'warn', 'error'], (level, message) => post({ type: 'log', level, message }));

  const maxFileBytes = data.maxFileKB * 1024;
  // Messages the caller posted that this thread has not taken up: a document's settling parse gives way to them.
  const waiting = new Int32Array(data.waiting);
  const documents = new InProcessBackend(data.location, maxFileBytes, logger, () => Atomics.load(waiting, 0) > 0);
  const backend: ExtractionBackend =
    data.parseWorkers === 0
      ? documents
      : new SplitBackend(
          new WorkerPoolBackend({ size: data.parseWorkers, script: data.parseWorkerScript, location: data.location, maxFileBytes, logger, ...(firstParser ? { firstWorker: firstParser } : {}) }),
          documents,
        );
  const index = new WorkspaceIndex({
    root: data.root,
    ...(data.folders !== undefined ? { folders: data.folders } : {}),
    backend,
    logger,
    clock: systemClock,
    exclude: data.exclude,
    maxFileKB: data.maxFileKB,
    ...(data.storageDir !== undefined ? { storageDir: data.storageDir } : {}),
    ...(data.savedIndexFile !== undefined ? { savedIndexFile: data.savedIndexFile } : {}),
    ...(data.stringTableBound !== undefined ? { stringTableBound: data.stringTableBound } : {}),
  });
  // (Reported once, after the save that counted the strings: the caller restarts the engine from that save when idle.)
  index.onStringTableGrowth((growth) => post({ type: 'stringTableGrowth', ...growth }));
  index.onSaveFailed((failure) => post({ type: 'saveFailed', ...failure }));
  const newEngine = (): ContextEngine => new ContextEngine({ index, clock: systemClock, logger, defaults: data.defaults });
  let engine = newEngine();

  // Index changes ride on the next result or error posted (an edit's change and its result: one message and one
  // wake-up of the caller's thread instead of two); those no result took by the end of this task go on their own.
  let unsent: IndexChangeNotice[] = [];
  const takeChanges = (): { changes?: IndexChangeNotice[] } => {
    if (unsent.length === 0) return {};
    const changes = unsent;
    unsent = [];
    return { changes };
  };
  const sendChanges = (): void => {
    for (const notice of takeChanges().changes ?? []) post({ type: 'change', ...notice });
  };

  // Totals kept per file from the change events, so a change costs what it touched, not the whole index.
  const definitionsOf = new Map<string, number>();
  let definitions = 0;
  index.onDidChange((change) => {
    for (const p of [...change.removed, ...change.changed]) {
      definitions -= definitionsOf.get(p) ?? 0;
      definitionsOf.delete(p);
      const file = index.files.get(p);
      if (file) {
        const count = definitionCount(file);
        definitionsOf.set(p, count);
        definitions += count;
      }
    }
    const summary: IndexSummary = { files: index.files.size, definitions, version: index.version };
    if (unsent.length === 0) setImmediate(sendChanges);
    unsent.push({ change, summary });
  });

  let firstBuildReported = false;
  /** The first build's afterFirstBuild call while it is put off to the next turn (dispose makes it if it is still due). */
  let afterFirstBuildDue: (() => void) | undefined;

  // Open documents' texts as the caller sent them; an update is applied when its message is handled (messages are
  // handled in the order sent), before the index's work on it starts.
  const mirror = new DocumentMirror();
  const handlers: Handlers = {
    build: (_params, signal, id) => {
      const built = index.build({ signal, onProgress: (progress) => post({ type: 'progress', id, progress }) });
      built
        .then((stats) => {
          const after = options.afterFirstBuild;
          if (after === undefined || firstBuildReported) return;
          firstBuildReported = true;
          // After the build's result is posted (the next turn). A first build reusing files loaded the saved index.
          const kind: EngineStartKind = stats.reused > 0 ? 'reopened' : 'built';
          afterFirstBuildDue = () => {
            afterFirstBuildDue = undefined;
            after(kind);
          };
          setImmediate(() => afterFirstBuildDue?.());
        })
        .catch(() => undefined);
      return built;
    },
    updateDocument: async ({ path, update }, signal) => {
      // Time elapsed on this thread for the update (a refused one too: it is part of what its resend costs).
      const started = performance.now();
      const text = mirror.apply(path, update);
      if (text === 'needsText' || text === 'stale') return { outcome: text, engineMs: performance.now() - started };
      const indexed = await index.updateDocument(path, text, update.changes, signal);
      return { outcome: indexed ? 'applied' : 'notIndexed', engineMs: performance.now() - started };
    },
    closeDocument: async ({ path }, signal) => {
      mirror.close(path);
      await index.closeDocument(path, signal);
      return null;
    },
    updateFile: async ({ path }, signal) => {
      await index.updateFile(path, signal);
      return null;
    },
    fileChangedUnderDocument: async ({ path }, signal) => {
      await index.fileChangedUnderDocument(path, signal);
      return null;
    },
    removeFile: async ({ path }, signal) => {
      await index.removeFile(path, signal);
      return null;
    },
    renameFile: async ({ from, to }, signal) => {
      // The index drops the documents at the old paths (see ContextHost.renameFile): their texts go with them.
      if (from !== to) mirror.closeUnder(from);
      await index.renameFile(from, to, signal);
      return null;
    },
    query: async ({ query }, signal) => {
      const context = await engine.getRelevantContext(query, signal);
      return { context, cache: engine.cacheStats() };
    },
    prepareRanking: (_params, signal) => engine.prepare(signal),
    resetEngine: () => {
      engine = newEngine();
      return Promise.resolve(null);
    },
    whenSaved: async () => {
      await index.whenSaved();
      return null;
    },
    settleDocuments: async (_params, signal) => {
      await index.settleDocuments(signal);
      return null;
    },
    listFiles: () => Promise.resolve([...index.files.values()].map((f) => ({ path: f.path, size: f.size, language: f.language }))),
    readText: async ({ path }) => (await index.readText(path)) ?? null,
    heap: ({ collectGarbage }) => Promise.resolve(heapMb(collectGarbage)),
    dispose: async () => {
      // A caller that disposes as soon as it has built (the CLI) can have this taken up before that turn: the thread
      // ends once this is answered, so what was put off is made now.
      afterFirstBuildDue?.();
      await index.dispose();
      return null;
    },
  };

  const running = new Map<number, AbortController>();
  port.on('message', (message: ToContextHost) => {
    Atomics.sub(waiting, 0, 1);
    if (message.type === 'abort') {
      running.get(message.id)?.abort();
      return;
    }
    const abort = new AbortController();
    running.set(message.id, abort);
    // Each method's handler gets its own parameters: the union is narrowed by `method`.
    const handler = handlers[message.method] as (params: ContextHostRequest['params'], signal: AbortSignal, id: number) => Promise<unknown>;
    const failed = (err: unknown): Answer => ({ type: 'error', id: message.id, error: serializeError(err) });
    void handler(message.params, abort.signal, message.id)
      .then((value): Answer => ({ type: 'result', id: message.id, value }), failed)
      .then((answer) => {
        const changes = takeChanges();
        try {
          post({ ...answer, ...changes });
        } catch (err) {
          // A result a message cannot carry (nothing was sent): answered with why, the changes with it.
          post({ ...failed(err), ...changes });
        }
      })
      .finally(() => {
        running.delete(message.id);
        // Texts found unreadable by this request, or by work it started (a damaged saved index): their files are read
        // again now, not at the next save.
        void index.repairUnreadableTexts();
      });
  });
}

/** The answer to a request: its result or its error (the index changes made by then ride along). */
type Answer = Extract<FromContextHost, { readonly type: 'result' | 'error' }>;

/** node:v8, loaded by the first heap figures asked for (the bench's): not by every engine thread as it starts. */
const v8 = lazyBuiltin<typeof NodeV8>('node:v8');

function heapMb(collectGarbage: boolean): EngineHeapMb {
  const mb = (bytes: number): number => Math.round(bytes / 1048576);
  // What the heap has committed (garbage included) is taken before any collection.
  const spaces = v8().getHeapSpaceStatistics();
  const space = (name: string): number => mb(spaces.find((s) => s.space_name === name)?.space_size ?? 0);
  const gc = (globalThis as { gc?: () => void }).gc;
  const collected = collectGarbage && gc !== undefined;
  if (collected) gc();
  const usage = process.memoryUsage();
  return {
    newSpace: space('new_space'),
    oldSpace: space('old_space'),
    largeObjects: space('large_object_space'),
    external: mb(usage.external),
    heapUsed: mb(usage.heapUsed),
    arrayBuffers: mb(usage.arrayBuffers),
    collected,
  };
}
