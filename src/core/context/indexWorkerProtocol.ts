// Messages between the worker pool (main thread) and indexWorker.ts. Both ends are our own code in the
// same extension, so messages are typed but not re-validated (results can be megabytes).
import type { DeclaredOutcome, FileTask } from './fileProcessor';
import type { GrammarLocation } from './grammarLocation';

/** `workerData` of every index worker. */
export interface IndexWorkerData {
  readonly location: GrammarLocation;
  readonly maxFileBytes: number;
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
