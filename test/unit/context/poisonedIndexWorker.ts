// An index worker for the worker pool's tests (started through tsx, as workerScriptFromSource's): the real one
// (indexWorker.ts), except that it exits — as a worker the parser crashes in does — on any message holding a file
// whose text contains POISON.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { IndexWorkerData, ToIndexWorker } from '../../../src/core/context/indexWorkerProtocol';
// The real worker: its listener only starts on a message's files after this file's has returned (queued).
import '../../../src/core/context/indexWorker';

/** Text that makes a file end the worker it is sent to (the tests write it into files: workerPool.test.ts). */
const POISON = 'KILLS_THE_INDEX_WORKER';

function poisoned(message: ToIndexWorker): boolean {
  return message.tasks.some((t) => {
    try {
      return readFileSync(t.absPath, 'utf8').includes(POISON);
    } catch {
      return false;
    }
  });
}

const port = (workerData as IndexWorkerData).port ?? parentPort;
port?.on('message', (message: ToIndexWorker) => {
  if (poisoned(message)) process.exit(7);
});
