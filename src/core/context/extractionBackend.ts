// Where files get parsed: in worker threads (WorkerPoolBackend, the default) or on the calling thread
// (InProcessBackend: tests, `--workers 0`, tiny workspaces). Both stream: tasks are pulled as capacity frees,
// so a 50,000-file workspace never has more than a few files' text in memory. Open documents are parsed on the
// calling thread (the engine thread) either way (SplitBackend): an edit then costs no round trip to a worker.
import { readFile } from 'node:fs/promises';
import { CancellationError, throwIfAborted } from '../errors';
import type { Logger } from '../ports';
import { FileProcessor, type FileOutcome, type FileTask, type SettleOutcome, type TextChange } from './fileProcessor';
import type { GrammarLocation } from './grammarLocation';
import type { FileData } from './storedFile';
import { TreeSitterLoader } from './treeSitterLoader';

/** Where files on disk get parsed. */
export interface FileBackend {
  /**
   * Indexes every task, calling `onOutcome` as each file finishes (not necessarily in task order).
   * @throws CancellationError when the signal aborts (results after that are dropped).
   */
  processFiles(tasks: AsyncIterable<FileTask> | Iterable<FileTask>, onOutcome: (outcome: FileOutcome) => void, signal?: AbortSignal): Promise<void>;
  dispose(): Promise<void>;
}

/** Where files on disk and open documents get parsed. */
export interface ExtractionBackend extends FileBackend {
  /**
   * Indexes an open document's text; its tree is kept for the next edit's incremental re-parse (see
   * FileProcessor.processDocument: around syntax errors the result may need settling).
   */
  processDocument(path: string, text: string, changes?: readonly TextChange[], signal?: AbortSignal): Promise<DocumentResult>;
  /**
   * Makes an open document's extraction exactly a fresh index's (FileProcessor.settleDocument: `text` is parsed when
   * the document's tree was dropped); may yield to waiting work.
   */
  settleDocument(path: string, text: string, signal?: AbortSignal): Promise<SettleOutcome>;
  /** Drops an open document's tree. */
  closeDocument(path: string): void;
}

/** An open document's extraction, and whether it is not yet exactly a fresh index's (settleDocument makes it so). */
export interface DocumentResult {
  readonly file: FileData;
  readonly needsSettling: boolean;
}

/** Files whose reads are started ahead of parsing, so disk waits overlap the parse. */
export const READ_AHEAD = 4;

/** Runs tasks one at a time with asynchronous read-ahead, checking the signal between files. */
async function processSequentially(
  processor: FileProcessor,
  tasks: AsyncIterable<FileTask> | Iterable<FileTask>,
  onOutcome: (outcome: FileOutcome) => void,
  signal?: AbortSignal,
): Promise<void> {
  const window: { task: FileTask; content: Promise<Buffer> }[] = [];
  const start = (task: FileTask): void => {
    const content = readFile(task.absPath);
    content.catch(() => undefined); // handled when processed; avoid an unhandled rejection meanwhile
    window.push({ task, content });
  };
  for await (const task of tasks) {
    throwIfAborted(signal);
    start(task);
    if (window.length >= READ_AHEAD) {
      const next = window.shift();
      if (next) onOutcome(await processor.processFile(next.task, next.content));
    }
  }
  for (let next = window.shift(); next; next = window.shift()) {
    throwIfAborted(signal);
    onOutcome(await processor.processFile(next.task, next.content));
  }
}

/**
 * Parses on the calling thread. Files' results are copied with structuredClone, as a worker message would be:
 * extracted strings are slices of the file text, and keeping one would keep the whole text alive. Open documents'
 * results are not (a copy of the whole extraction per keystroke): the index copies the few strings it keeps
 * that it does not hold already (WorkspaceIndex.applyDocument), and the processor never changes an extraction it
 * gave out (each edit makes new arrays and definitions, sharing unchanged definitions at most).
 */
export class InProcessBackend implements ExtractionBackend {
  private readonly loader: TreeSitterLoader;
  private readonly processor: FileProcessor;
  /** The pending deletion of replaced trees (releaseRetiredTreesSoon). */
  private release: NodeJS.Immediate | undefined;

  /**
   * @param shouldYield asked while a document settles: true when other work is waiting for this thread (the
   *   settling parse then stops, to be tried again later).
   */
  constructor(
    location: GrammarLocation,
    maxFileBytes: number,
    logger: Logger,
    private readonly shouldYield: () => boolean = () => false,
  ) {
    this.loader = new TreeSitterLoader(location, logger);
    this.processor = new FileProcessor(this.loader, maxFileBytes);
  }

  processFiles(tasks: AsyncIterable<FileTask> | Iterable<FileTask>, onOutcome: (outcome: FileOutcome) => void, signal?: AbortSignal): Promise<void> {
    return processSequentially(this.processor, tasks, (outcome) => onOutcome(structuredClone(outcome)), signal);
  }

  async processDocument(path: string, text: string, changes?: readonly TextChange[], signal?: AbortSignal): Promise<DocumentResult> {
    if (signal?.aborted) throw new CancellationError();
    const file = await this.processor.processDocument(path, text, changes);
    this.releaseRetiredTreesSoon();
    return { file, needsSettling: this.processor.needsSettling(path) };
  }

  async settleDocument(path: string, text: string, signal?: AbortSignal): Promise<SettleOutcome> {
    if (signal?.aborted) throw new CancellationError();
    const outcome = await this.processor.settleDocument(path, text, this.shouldYield);
    this.releaseRetiredTreesSoon();
    return outcome;
  }

  /**
   * The trees the last call replaced are deleted once the caller has had its answer (a timer turn: after the reply
   * to the edit is posted), so that time is not the edit's (FileProcessor.releaseRetiredTrees); the next document call
   * deletes them first if it comes sooner.
   */
  private releaseRetiredTreesSoon(): void {
    if (this.release !== undefined) return;
    this.release = setImmediate(() => {
      this.release = undefined;
      this.processor.releaseRetiredTrees();
    });
  }

  closeDocument(path: string): void {
    this.processor.closeDocument(path);
  }

  async dispose(): Promise<void> {
    if (this.release !== undefined) clearImmediate(this.release);
    this.release = undefined;
    this.processor.dispose();
    await this.loader.dispose();
  }

  /** Replaced trees not yet deleted (tests). */
  retiredTreeCount(): number {
    return this.processor.retiredTreeCount();
  }
}

/** Files parsed by one backend (the worker pool), open documents on this thread by another. */
export class SplitBackend implements ExtractionBackend {
  constructor(
    private readonly files: FileBackend,
    private readonly documents: ExtractionBackend,
  ) {}

  processFiles(tasks: AsyncIterable<FileTask> | Iterable<FileTask>, onOutcome: (outcome: FileOutcome) => void, signal?: AbortSignal): Promise<void> {
    return this.files.processFiles(tasks, onOutcome, signal);
  }

  processDocument(path: string, text: string, changes?: readonly TextChange[], signal?: AbortSignal): Promise<DocumentResult> {
    return this.documents.processDocument(path, text, changes, signal);
  }

  settleDocument(path: string, text: string, signal?: AbortSignal): Promise<SettleOutcome> {
    return this.documents.settleDocument(path, text, signal);
  }

  closeDocument(path: string): void {
    this.documents.closeDocument(path);
  }

  async dispose(): Promise<void> {
    await Promise.all([this.files.dispose(), this.documents.dispose()]);
  }
}
