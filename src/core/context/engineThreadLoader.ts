// Entry point of the engine thread in dist/ (bundled to dist/contextHostWorker.js): loads the engine (dist/engineThread.js,
// bundled from contextHostWorker.ts) with V8's code cached in the workspace's storage folder (engineCompileCache.ts),
// starts it, and has the cache written again after the thread's first build when it lacked a start of that kind. Run from
// source, the engine thread starts at engineThreadEntry.ts (sourceLayout.ts), without a cache.
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import type { ContextHostWorkerData } from './contextHostProtocol';
import type { startEngine } from './contextHostWorker';
import { loadEngineBundle } from './engineCompileCache';

/** The engine's bundle, next to this one. */
export const ENGINE_BUNDLE = 'engineThread.js';

const data = workerData as ContextHostWorkerData;
// (This module's require: the bundle is in the same folder.)
const bundle = loadEngineBundle(path.join(__dirname, ENGINE_BUNDLE), data.storageDir, require);
const engine = bundle.exports as { startEngine: typeof startEngine };
engine.startEngine({ afterFirstBuild: (kind) => bundle.saveCode(kind) });
