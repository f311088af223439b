// V8's code cache for the engine thread's bundle, through Node's module compile cache (Node 22.1 and later; VS Code
// 1.90's extension host runs Node 20.9, where there is none and the engine loads as it always did). A starting
// engine thread compiles its ~400 KB bundle's top level; with the cache, written when an earlier start loaded the
// bundle, it reads that compiled code instead. (Node makes the entry when it compiles the module, so it holds what
// the load compiled — functions compiled later, as they first run, are compiled again at each start.)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import path from 'node:path';

/** What Node 22+ adds to node:module (this project's @types/node is Node 20's). */
interface CompileCacheApi {
  enableCompileCache?(directory?: string): unknown;
  flushCompileCache?(): void;
}

const api = nodeModule as typeof nodeModule & CompileCacheApi;

/** The cache folder of an engine whose index is saved in `storageDir` (the extension's own storage). */
export function engineCompileCacheDir(storageDir: string): string {
  return path.join(storageDir, 'compile-cache');
}

/** Names whose entries the folder holds: Node names entries after the script's path, per Node version. */
const OWNER_FILE = 'owner';

/**
 * Turns the cache on for this thread: modules loaded from now on are read from it, or compiled and added to it.
 * `bundle` is the engine's bundle; entries made for another one (an earlier version of the extension, installed
 * in a folder of its own) or another Node are never read again, and Node deletes none: the folder is emptied
 * when its owner changes.
 */
export function enableEngineCompileCache(storageDir: string, bundle: string): void {
  if (api.enableCompileCache === undefined) return;
  const dir = engineCompileCacheDir(storageDir);
  const owner = `${process.version} ${process.arch} ${bundle}`;
  try {
    if (readOwner(dir) !== owner) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, OWNER_FILE), owner);
    }
  } catch {
    // A folder that cannot be written: the cache is only a speed-up, the engine starts without it.
    return;
  }
  api.enableCompileCache(dir);
}

function readOwner(dir: string): string | undefined {
  try {
    return readFileSync(path.join(dir, OWNER_FILE), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Writes the entries this thread made and the cache lacked (nothing when it had them all). Node would write them
 * when the thread ends; called once the first build is done, so that an engine thread that is killed (VS Code's
 * extension host ending) has left them already, without adding to the start before that first answer.
 */
export function flushEngineCompileCache(): void {
  api.flushCompileCache?.();
}
