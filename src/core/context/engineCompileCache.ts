// V8's code cache for the engine thread's bundle, kept in the workspace's storage folder. A starting engine thread
// compiles its ~440 KB bundle's top level, then each function as it first runs (a reopen runs the saved index's
// decoding, the scan, the ranking's set-up …). The bundle is loaded here as a vm.Script given the code V8 made for it
// at an earlier start (`cachedData`), and after the first build that code is written again with what this start
// compiled on top (`createCachedData` after running: the functions that ran, not only the top level — which is all
// Node's module compile cache holds, and only on Node 22.1+; VS Code 1.90's extension host runs Node 20.9).
// The cache is only a speed-up: any failure to read or write it loads the bundle as if there were none.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vm from 'node:vm';

/** The cache folder of an engine whose index is saved in `storageDir` (the extension's own storage). */
export function engineCompileCacheDir(storageDir: string): string {
  return path.join(storageDir, 'compile-cache');
}

/** V8's code, and what it was made for (OWNER_FILE). */
const CODE_FILE = 'engine.v8-cache';
const OWNER_FILE = 'owner.json';

/** The file holding V8's code in that folder. */
export function engineCodeFile(storageDir: string): string {
  return path.join(engineCompileCacheDir(storageDir), CODE_FILE);
}

/**
 * The kind of first build after which the code was written: each runs functions the other does not (a reopen
 * decodes the saved index, a build from nothing parses and saves), so the code is written again, with both, the
 * first time a start of the other kind builds.
 */
export type EngineStartKind = 'built' | 'reopened';

/** Whether the bundle was loaded with cached code: V8 can reject it (another V8 or other flags). */
export type CodeCacheUse = 'none' | 'accepted' | 'rejected';

export interface EngineBundle {
  /** What the bundle's module exports. */
  readonly exports: unknown;
  readonly cache: CodeCacheUse;
  /**
   * Writes the code compiled so far (after the thread's first build), unless the cache holds a build of this kind
   * already. Returns whether it wrote.
   */
  saveCode(kind: EngineStartKind): boolean;
}

interface Owner {
  /** The bundle (path, size, modification time) and the Node that compiled it. */
  readonly key: string;
  readonly kinds: readonly EngineStartKind[];
}

/**
 * Loads a CommonJS bundle as Node's `require` would (its own `module`, `__filename`, `__dirname`; `require` is the
 * caller's, which resolves as the bundle's own would from the same folder — node:module, for one of its own, costs a
 * worker thread ~1.5 ms to load), with
 * V8's code from `storageDir`'s cache folder when that was made for this very bundle (same path, size and
 * modification time: V8 itself checks only its version, its flags and the source's length) and this Node. Without a
 * storage folder there is no cache. A folder made for another bundle or Node is emptied.
 */
export function loadEngineBundle(bundle: string, storageDir: string | undefined, require: NodeJS.Require): EngineBundle {
  const source = readFileSync(bundle, 'utf8');
  const dir = storageDir === undefined ? undefined : engineCompileCacheDir(storageDir);
  const key = dir === undefined ? '' : bundleKey(bundle);
  const owner = dir === undefined ? undefined : readOwner(dir, key);
  const codeFile = dir === undefined ? undefined : path.join(dir, CODE_FILE);
  const cachedData = codeFile !== undefined && owner !== undefined ? readCode(codeFile) : undefined;
  const script = new vm.Script(wrap(source), {
    filename: bundle,
    ...(cachedData !== undefined ? { cachedData } : {}),
    ...dynamicImport(),
  });
  const cache: CodeCacheUse = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'accepted';
  const module: { exports: unknown } = { exports: {} };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, require, module, bundle, path.dirname(bundle));
  /** The kinds of build the cache holds (written by saveCode since). */
  let kept = cache === 'accepted' && owner !== undefined ? owner.kinds : [];
  return {
    exports: module.exports,
    cache,
    saveCode(kind) {
      if (dir === undefined || codeFile === undefined || kept.includes(kind)) return false;
      try {
        mkdirSync(dir, { recursive: true });
        writeAtomically(codeFile, script.createCachedData());
        const next: Owner = { key, kinds: [...kept, kind] };
        writeAtomically(path.join(dir, OWNER_FILE), JSON.stringify(next));
        kept = next.kinds;
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Node's CommonJS wrapper, on the source's first line (stack traces keep the bundle's line numbers). */
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

/**
 * Lets an `import()` in the bundle load as it would in a module Node loaded (Node 21.7+; before, a script from vm
 * has none: the engine makes no such call — web-tree-sitter has one, for loading a grammar from a path, which the
 * engine never asks).
 */
function dynamicImport(): Pick<vm.ScriptOptions, 'importModuleDynamically'> {
  const loader = (vm as Partial<Pick<typeof vm, 'constants'>>).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  return loader === undefined ? {} : { importModuleDynamically: loader };
}

function bundleKey(bundle: string): string {
  try {
    const { size, mtimeMs } = statSync(bundle);
    return JSON.stringify([process.version, process.arch, bundle, size, mtimeMs]);
  } catch {
    return '';
  }
}

/** The folder's owner when it is `key`; otherwise the folder is emptied (another bundle's or Node's code). */
function readOwner(dir: string, key: string): Owner | undefined {
  let owner: Owner | undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
    if (isOwner(parsed)) owner = parsed;
  } catch {
    owner = undefined;
  }
  if (owner !== undefined && key !== '' && owner.key === key) return owner;
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Left as it is: nothing in it is read while its owner is another.
  }
  return undefined;
}

function isOwner(value: unknown): value is Owner {
  if (typeof value !== 'object' || value === null) return false;
  const { key, kinds } = value as { key?: unknown; kinds?: unknown };
  return typeof key === 'string' && Array.isArray(kinds) && kinds.every((k) => k === 'built' || k === 'reopened');
}

function readCode(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written beside, then renamed over: an engine thread of another window reading it sees the old file or the new. */
function writeAtomically(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}
