// Entry point of an index worker thread (bundled to dist/worker.js): parses the files the pool sends and extracts
// their declarations, one message at a time; the pool's thread collects their references (withReferences). Open
// documents are parsed on the engine thread (see SplitBackend).
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../errors';
import { lineLogger } from '../logLines';
import type { Logger } from '../ports';
import { failedTask, FileProcessor, type DeclaredOutcome } from './fileProcessor';
import { firstParsedLanguage } from './firstLanguage';
import type { FromIndexWorker, IndexWorkerData, ToIndexWorker } from './indexWorkerProtocol';
import { TreeSitterLoader } from './treeSitterLoader';

function start(): void {
  const data = workerData as IndexWorkerData;
  const port = data.port ?? parentPort;
  if (!port) throw new Error('indexWorker must run in a worker thread');
  // Started for another thread: it is done with this worker once it closes its end (or ends).
  data.port?.on('close', () => process.exit(0));
  const post = (message: FromIndexWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  // (Lines as the host's logger makes them, an unexpected error with its stack: the host writes them as they come.)
  const logger: Logger = lineLogger(['debug', 'info', 'warn', 'error'], (level, message) => post({ type: 'log', level, message }));
  const loader = new TreeSitterLoader(data.location, logger);
  loader.prepareRuntime();
  const processor = new FileProcessor(loader, data.maxFileBytes, true);

  // One message at a time.
  let queue = Promise.resolve();
  let received = false;
  if (data.prepareFor !== undefined) {
    // Started ahead of a build, whose first files wait for the engine's scan: meanwhile, the grammar they likely need.
    const language = firstParsedLanguage(data.prepareFor);
    if (language !== undefined) void loader.prepare(language, () => !received);
  }
  port.on('message', (message: ToIndexWorker) => {
    received = true;
    queue = queue.then(async () => {
      try {
        const outcomes: DeclaredOutcome[] = [];
        // Files' bytes are transferred, not copied (each has a buffer of its own, see declareFile).
        const transfer: ArrayBuffer[] = [];
        for (const task of message.tasks) {
          let outcome: DeclaredOutcome;
          try {
            outcome = await processor.declareFile(task);
          } catch (err) {
            // It fails alone: the other files of the message are answered for.
            outcome = failedTask(task, errorMessage(err));
          }
          if (outcome.kind === 'declared' && outcome.file.bytes.buffer instanceof ArrayBuffer) transfer.push(outcome.file.bytes.buffer);
          outcomes.push(outcome);
        }
        post({ type: 'files', id: message.id, outcomes }, transfer);
      } catch (err) {
        post({ type: 'error', id: message.id, message: errorMessage(err) });
      }
    });
  });
}

start();
