// Messages between the worker pool (main thread) and indexWorker.ts. Both ends are our own code in the
// same extension, so messages are typed but not re-validated (results can be megabytes).
import type { MessagePort } from 'node:worker_threads';
import type { DeclaredOutcome, FileTask } from './fileProcessor';
import type { GrammarLocation } from './grammarLocation';

/** `workerData` of every index worker. */
export interface IndexWorkerData {
  readonly location: GrammarLocation;
  readonly maxFileBytes: number;
  /**
   * Where the worker's messages come and go when it was started by another thread than the one it works for (the
   * caller's thread starts the engine's first one, see startFirstParser): that thread holds the other end. The worker
   * ends when that end closes. Without it, messages go through the worker's parentPort.
   */
  readonly port?: MessagePort;
  /**
   * The folders of a workspace (absolute, in the scan's order), for a worker started ahead of a build (an engine's
   * first): until its first files arrive, it loads the grammar of the first file it finds there (firstParsedLanguage,
   * TreeSitterLoader.prepare).
   */
  readonly prepareFor?: readonly string[];
}

export interface ToIndexWorker {
  readonly type: 'files';
  readonly id: number;
  readonly tasks: readonly FileTask[];
}

export type FromIndexWorker =
  | { readonly type: 'files'; readonly id: number; readonly outcomes: readonly DeclaredOutcome[] }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
  | { readonly type: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly message: string };
