// Messages between the worker pool (main thread) and indexWorker.ts. Both ends are our own code in the
// same extension, so messages are typed but not re-validated (results can be megabytes).
import type { FileOutcome, FileTask, TextChange } from './fileProcessor';
import type { GrammarLocation } from './grammarLocation';
import type { FileData } from './storedFile';

/** `workerData` of every index worker. */
export interface IndexWorkerData {
  readonly location: GrammarLocation;
  readonly maxFileBytes: number;
}

export type ToIndexWorker =
  | { readonly type: 'files'; readonly id: number; readonly tasks: readonly FileTask[] }
  | { readonly type: 'document'; readonly id: number; readonly path: string; readonly text: string; readonly changes?: readonly TextChange[] }
  | { readonly type: 'close'; readonly path: string };

export type FromIndexWorker =
  | { readonly type: 'files'; readonly id: number; readonly outcomes: readonly FileOutcome[] }
  | { readonly type: 'document'; readonly id: number; readonly file: FileData }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
  | { readonly type: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly message: string };
