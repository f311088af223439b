// Bundled and run as a plain worker thread by engineStart.test.ts: loads a bundle the engine thread's way
// (engineCompileCache.ts) with a storage folder, reads what it exports, then saves its code as after a build. Run as a
// process instead (a start that could crash it), it takes the same data as JSON in its argument and prints its answer.
import fs from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadEngineBundle, type EngineStartKind } from '../../../../src/core/context/engineCompileCache';

const given: unknown = isMainThread ? JSON.parse(process.argv[2] ?? '{}') : workerData;
const { storageDir, bundle, kind, fsyncFails } = given as { storageDir: string; bundle: string; kind: EngineStartKind; fsyncFails?: string };
// (A file system whose fsync fails with this code: the bundled code calls node:fs's fsyncSync through the module object,
// which is this default import.)
if (fsyncFails !== undefined) {
  (fs as unknown as Record<string, unknown>).fsyncSync = (): never => {
    throw Object.assign(new Error(`${fsyncFails}: fsync failed`), { code: fsyncFails, syscall: 'fsync' });
  };
}
// (The test's bundles require built-in modules only.)
const loaded = loadEngineBundle(bundle, storageDir, require);
const exported = loaded.exports as { answer(): number; filename: string; dirname: string; separator: string };
// Run before the save, as the engine's functions are: the code written holds it compiled.
const answer = exported.answer();
const wrote = loaded.saveCode(kind);
const message = {
  answer,
  filename: exported.filename,
  dirname: exported.dirname,
  separator: exported.separator,
  cache: loaded.cache,
  wrote,
  wroteAgain: loaded.saveCode(kind),
};
if (parentPort) parentPort.postMessage(message);
else process.stdout.write(JSON.stringify(message));
