// Messages between the context host proxy (the caller's thread: the extension host, the CLI, the bench)
// and contextHostWorker.ts, the thread that owns the workspace index and the context engine. Both ends are
// our own code in the same bundle, so messages are typed but not re-validated (results can be large).
import { CancellationError, ValidationError, type ValidationIssue } from '../errors';
import type { FolderSpec } from './folderPaths';
import type { DocumentUpdate, DocumentUpdateOutcome } from './documentMirror';
import type { GrammarLocation } from './grammarLocation';
import type { IndexChange } from './indexLookup';
import type { ContextCacheStats, ContextQuery, ContextResult, LanguageId } from './model';
import type { ForeignWorker, WorkerScript } from './indexWorkerStart';
import type { StringTableBound, StringTableGrowth } from './stringTableGrowth';
import type { IndexBuildStats, IndexProgress, SaveFailure } from './workspaceIndex';

/** `workerData` of the engine thread. */
export interface ContextHostWorkerData {
  readonly root: string;
  readonly exclude: readonly string[];
  /** The workspace's folders, when given (ContextHostOptions.folders). */
  readonly folders?: readonly FolderSpec[];
  readonly maxFileKB: number;
  readonly storageDir?: string;
  /** The saved index a reopen would load (in storageDir); when there is none, parse worker 0 starts at once. */
  readonly savedIndexFile?: string;
  readonly location: GrammarLocation;
  /** Parser threads started from the engine thread; 0 parses on the engine thread itself. */
  readonly parseWorkers: number;
  readonly parseWorkerScript: WorkerScript;
  /**
   * Parse worker 0, when the caller's thread started it as it started this one (a build from nothing): the port it
   * answers on and the port its end comes on (both transferred; portLink), and its thread id. Otherwise the engine's
   * pool starts its workers when files are to be parsed.
   */
  readonly firstParser?: ForeignWorker;
  readonly defaults: { readonly budget: number; readonly relevanceThreshold: number };
  /** ContextHostOptions.stringTableBound. */
  readonly stringTableBound?: StringTableBound;
  /** One Int32: messages the caller has posted and the engine thread has not yet taken up. */
  readonly waiting: SharedArrayBuffer;
}

/** What the caller keeps in sync without asking (pushed with every change). */
export interface IndexSummary {
  readonly files: number;
  readonly definitions: number;
  readonly version: number;
}

export interface IndexedFileInfo {
  readonly path: string;
  readonly size: number;
  readonly language: LanguageId;
}

/** The engine thread's V8 heap (MB), for the benchmark and diagnostics. */
export interface EngineHeapMb {
  readonly newSpace: number;
  readonly oldSpace: number;
  readonly largeObjects: number;
  readonly external: number;
  /** After a full GC when the process runs with --expose-gc, else as it is. */
  readonly heapUsed: number;
  readonly arrayBuffers: number;
  readonly collected: boolean;
}

/**
 * The engine thread's answer to a document update: the mirror's outcome, or 'notIndexed' when the mirror took it but
 * the index did not (an excluded path, or a newer update of the document or its close overtook it); and the time
 * elapsed on the engine thread from taking the update up to answering it (waits inside included, e.g. for a grammar).
 */
export interface DocumentUpdateResult {
  readonly outcome: DocumentUpdateOutcome | 'notIndexed';
  readonly engineMs: number;
}

/** Every request the engine thread answers: its parameters and its result. */
export interface ContextHostMethods {
  build: { params: Record<string, never>; result: IndexBuildStats };
  updateDocument: { params: { path: string; update: DocumentUpdate }; result: DocumentUpdateResult };
  closeDocument: { params: { path: string }; result: null };
  updateFile: { params: { path: string }; result: null };
  fileChangedUnderDocument: { params: { path: string }; result: null };
  removeFile: { params: { path: string }; result: null };
  renameFile: { params: { from: string; to: string }; result: null };
  query: { params: { query: ContextQuery }; result: { context: ContextResult; cache: ContextCacheStats } };
  prepareRanking: { params: Record<string, never>; result: boolean };
  resetEngine: { params: Record<string, never>; result: null };
  whenSaved: { params: Record<string, never>; result: null };
  settleDocuments: { params: Record<string, never>; result: null };
  listFiles: { params: Record<string, never>; result: IndexedFileInfo[] };
  readText: { params: { path: string }; result: string | null };
  heap: { params: { collectGarbage: boolean }; result: EngineHeapMb };
  dispose: { params: Record<string, never>; result: null };
}

export type ContextHostMethod = keyof ContextHostMethods;
export type MethodParams<M extends ContextHostMethod> = ContextHostMethods[M]['params'];
export type MethodResult<M extends ContextHostMethod> = ContextHostMethods[M]['result'];

export type ContextHostRequest = {
  [M in ContextHostMethod]: { readonly type: 'request'; readonly id: number; readonly method: M; readonly params: MethodParams<M> };
}[ContextHostMethod];

export type ToContextHost = ContextHostRequest | { readonly type: 'abort'; readonly id: number };

/** An error as it crosses the thread: our error classes are rebuilt on the other side. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly issues?: readonly ValidationIssue[];
}

/** A change of the index, and the totals after it. */
export interface IndexChangeNotice {
  readonly change: IndexChange;
  readonly summary: IndexSummary;
}

/**
 * `changes` on a result or an error: index changes made before it was posted and not yet sent, to be told before the
 * request settles (a `change` message each otherwise).
 */
export type FromContextHost =
  | { readonly type: 'result'; readonly id: number; readonly value: unknown; readonly changes?: readonly IndexChangeNotice[] }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError; readonly changes?: readonly IndexChangeNotice[] }
  | { readonly type: 'progress'; readonly id: number; readonly progress: IndexProgress }
  | ({ readonly type: 'change' } & IndexChangeNotice)
  | ({ readonly type: 'stringTableGrowth' } & StringTableGrowth)
  | ({ readonly type: 'saveFailed' } & SaveFailure)
  | { readonly type: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly message: string };

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  if (CancellationError.is(err)) return { name: 'CancellationError', message: err.message, code: 'cancelled' };
  if (err instanceof ValidationError) return { name: err.name, message: err.message, code: err.code, issues: err.issues };
  return { name: err.name, message: err.message };
}

/** The error a serialized one stands for: CancellationError and ValidationError as such, others as Error with their name. */
export function deserializeError(e: SerializedError): Error {
  if (e.code === 'cancelled') return new CancellationError(e.message);
  if (e.code === 'validation') return new ValidationError(e.message, [...(e.issues ?? [])]);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
