// An index worker for the worker pool's tests (started through tsx, as workerScriptFromSource's): the real one
// (indexWorker.ts), except that it exits — as a worker the parser crashes in does — on any message holding a file
// whose text contains POISON, and that its parse of a file whose text contains THROWS throws (as a bug in the
// parser's or extractor's code would, past their own catches).
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FileProcessor } from '../../../src/core/context/fileProcessor';
import type { IndexWorkerData, ToIndexWorker } from '../../../src/core/context/indexWorkerProtocol';
// The real worker: its listener only starts on a message's files after this file's has returned (queued).
import '../../../src/core/context/indexWorker';

/** Text that makes a file end the worker it is sent to (the tests write it into files: workerPool.test.ts). */
const POISON = 'KILLS_THE_INDEX_WORKER';
/** Text that makes a file's parse in the worker throw. */
const THROWS = 'THROWS_IN_THE_INDEX_WORKER';

function textOf(absPath: string): string {
  try {
    return readFileSync(absPath, 'utf8');
  } catch {
    return '';
  }
}

function poisoned(message: ToIndexWorker): boolean {
  return message.tasks.some((t) => textOf(t.absPath).includes(POISON));
}

const declareFile = FileProcessor.prototype.declareFile;
FileProcessor.prototype.declareFile = function (this: FileProcessor, task) {
  if (textOf(task.absPath).includes(THROWS)) throw new Error(`the extractor broke on ${task.path}`);
  return declareFile.call(this, task);
};

const port = (workerData as IndexWorkerData).port ?? parentPort;
port?.on('message', (message: ToIndexWorker) => {
  if (poisoned(message)) process.exit(7);
});
