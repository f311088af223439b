// Node built-in modules the engine and parse worker threads need only for some work, loaded by that work's first
// call instead of when the thread's bundle loads: a starting engine thread (a reopened workspace on its way to ready)
// loads what its bundle imports before anything else, and each such module costs it time (measured in a fresh worker
// thread: node:crypto 4-5 ms, node:zlib ~1.5, node:v8 ~1; more on a process's main thread). engineStart.test.ts checks
// that the engine's modules load none of them.

/** This module's own `require` (node:module's createRequire would cost a worker thread ~1.5 ms to load). */
const requireBuiltin: NodeJS.Require = require;

/** A getter of the built-in module `name` (typed as `T`: give `typeof import('node:…')`), which loads it on its first call. */
export function lazyBuiltin<T>(name: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireBuiltin(name) as T);
}
