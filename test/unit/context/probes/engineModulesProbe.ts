// Bundled and run as a plain worker thread by engineStart.test.ts: evaluates every module of the engine thread
// (without starting it) and reports which heavy modules came with them.
import { parentPort } from 'node:worker_threads';
import '../../../../src/core/context/contextHostWorker';

/** Node's list of the built-in modules this thread loaded (not in @types/node). */
const { moduleLoadList } = process as unknown as { moduleLoadList: readonly string[] };

parentPort?.postMessage({
  crypto: moduleLoadList.includes('NativeModule crypto'),
  zlib: moduleLoadList.includes('NativeModule zlib'),
  v8: moduleLoadList.includes('NativeModule v8'),
  module: moduleLoadList.includes('NativeModule module'),
  zod: typeof (globalThis as { __zod_globalConfig?: unknown }).__zod_globalConfig !== 'undefined',
});
