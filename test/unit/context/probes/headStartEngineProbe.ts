// Bundled by engineStart.test.ts as the engine's bundle is: takes (or starts) the head start as its first import.
// Loaded by headStartLoaderProbe, or run on its own as the engine thread runs from source (then it answers itself).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { engineHeadStart } from '../../../../src/core/context/engineHeadStartNow';

export const firstParser = engineHeadStart.firstParser?.threadId;
if (!isMainThread && (workerData as { engine?: string }).engine === undefined) parentPort?.postMessage({ firstParser });
