// Messages between the worker pool (main thread) and indexWorker.ts. Both ends are our own code in the
// same extension, so messages are typed but not re-validated (results can be megabytes).
import type { FileOutcome, FileTask, SettleOutcome, TextChange } from './fileProcessor';
import type { GrammarLocation } from './grammarLocation';
import type { FileData } from './storedFile';

/** `workerData` of every index worker. */
export interface IndexWorkerData {
  readonly location: GrammarLocation;
  readonly maxFileBytes: number;
  /**
   * One Int32 shared with the pool: messages posted to the worker and not yet taken up. A document's settling
   * parse stops when it is not zero, so an edit never waits behind it.
   */
  readonly waiting: SharedArrayBuffer;
}

export type ToIndexWorker =
  | { readonly type: 'files'; readonly id: number; readonly tasks: readonly FileTask[] }
  | { readonly type: 'document'; readonly id: number; readonly path: string; readonly text: string; readonly changes?: readonly TextChange[] }
  | { readonly type: 'settle'; readonly id: number; readonly path: string }
  | { readonly type: 'close'; readonly path: string };

export type FromIndexWorker =
  | { readonly type: 'files'; readonly id: number; readonly outcomes: readonly FileOutcome[] }
  | { readonly type: 'document'; readonly id: number; readonly file: FileData; readonly needsSettling: boolean }
  | { readonly type: 'settle'; readonly id: number; readonly outcome: SettleOutcome }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
  | { readonly type: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly message: string };
