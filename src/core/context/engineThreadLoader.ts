// Entry point of the engine thread in dist/ (bundled to dist/contextHostWorker.js): turns on the compile cache
// (engineCompileCache.ts), then loads the engine
// (dist/engineThread.js, bundled from engineThreadEntry.ts), which the cache can only serve when it is turned on
// before that bundle is read. Run from source, the engine thread starts at engineThreadEntry.ts (sourceLayout.ts),
// without a cache.
import { createRequire } from 'node:module';
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import type { ContextHostWorkerData } from './contextHostProtocol';
import { enableEngineCompileCache } from './engineCompileCache';

/** The engine's bundle, next to this one. */
export const ENGINE_BUNDLE = 'engineThread.js';

const data = workerData as ContextHostWorkerData;
const engine = path.join(__dirname, ENGINE_BUNDLE);
if (data.storageDir !== undefined) enableEngineCompileCache(data.storageDir, engine);
createRequire(__filename)(engine);
