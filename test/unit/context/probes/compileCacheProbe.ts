// Bundled and run as a plain worker thread by engineStart.test.ts: turns the engine's compile cache on for a storage
// folder, loads a module, writes the cache.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { enableEngineCompileCache, flushEngineCompileCache } from '../../../../src/core/context/engineCompileCache';

const { storageDir, module } = workerData as { storageDir: string; module: string };
enableEngineCompileCache(storageDir, module);
const loaded = createRequire(__filename)(module) as { answer: number };
flushEngineCompileCache();
parentPort?.postMessage(loaded.answer);
