// V8's code cache for the engine thread's bundle, kept in the workspace's storage folder. A starting engine thread
// compiles its ~440 KB bundle's top level, then each function as it first runs (a reopen runs the saved index's
// decoding, the scan, the ranking's set-up …). The bundle is loaded here as a vm.Script given the code V8 made for it
// at an earlier start (`cachedData`), and after the first build that code is written again with what this start
// compiled on top (`createCachedData` after running: the functions that ran, not only the top level — which is all
// Node's module compile cache holds, and only on Node 22.1+; VS Code 1.90's extension host runs Node 20.9).
// The cache is only a speed-up: any failure to read or write it loads the bundle as if there were none. Release V8
// does not check the code it is given (a damaged file can crash the process as it compiles): the owner file records the
// code file's length and CRC-32, and code that does not match them is never handed to V8.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import * as vm from 'node:vm';
import { crc32 } from './crc32';
import { fsyncWhereOffered } from './fileSync';

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
  /**
   * The code file as it was written: its length in bytes and CRC-32. (An owner file without it, as written before,
   * owns nothing: the folder is emptied.)
   */
  readonly code: CodeCheck;
}

interface CodeCheck {
  readonly bytes: number;
  readonly crc32: number;
}

/**
 * Loads a CommonJS bundle as Node's `require` would (its own `module`, `__filename`, `__dirname`; `require` is the
 * caller's, which resolves as the bundle's own would from the same folder — node:module, for one of its own, costs a
 * worker thread ~1.5 ms to load), with
 * V8's code from `storageDir`'s cache folder when that was made for this very bundle (same path, size and
 * modification time: V8 itself checks only its version, its flags and the source's length) and this Node, and when the
 * code file is as it was written (its length and CRC-32). Without a storage folder there is no cache. A folder made
 * for another bundle or Node, or with damaged code, is emptied.
 */
export function loadEngineBundle(bundle: string, storageDir: string | undefined, require: NodeJS.Require): EngineBundle {
  const source = readFileSync(bundle, 'utf8');
  const dir = storageDir === undefined ? undefined : engineCompileCacheDir(storageDir);
  const key = dir === undefined ? '' : bundleKey(bundle);
  const owner = dir === undefined ? undefined : readOwner(dir, key);
  const codeFile = dir === undefined ? undefined : path.join(dir, CODE_FILE);
  const cachedData = dir !== undefined && codeFile !== undefined && owner !== undefined ? readCode(dir, codeFile, owner.code) : undefined;
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
        removeLeftovers(dir);
        const code = script.createCachedData();
        writeAtomically(codeFile, code);
        // (Written after the code: a start that reads the code of another write, or a torn one, finds it unlike this.)
        const next: Owner = { key, kinds: [...kept, kind], code: { bytes: code.length, crc32: crc32(code) } };
        writeAtomically(path.join(dir, OWNER_FILE), Buffer.from(JSON.stringify(next)));
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
  const { key, kinds, code } = value as { key?: unknown; kinds?: unknown; code?: unknown };
  return typeof key === 'string' && Array.isArray(kinds) && kinds.every((k) => k === 'built' || k === 'reopened') && isCodeCheck(code);
}

function isCodeCheck(value: unknown): value is CodeCheck {
  if (typeof value !== 'object' || value === null) return false;
  const { bytes, crc32: crc } = value as { bytes?: unknown; crc32?: unknown };
  return Number.isSafeInteger(bytes) && (bytes as number) > 0 && Number.isInteger(crc) && (crc as number) >= 0 && (crc as number) <= 0xffffffff;
}

/**
 * The code in `file` when it is what the owner file says was written (its length and CRC-32); otherwise none, and the
 * folder is emptied: a file damaged on disk (a power loss, a bad sector) must not reach V8, which trusts it.
 */
function readCode(dir: string, file: string, check: CodeCheck): Buffer | undefined {
  let code: Buffer;
  try {
    code = readFileSync(file);
  } catch {
    return undefined;
  }
  if (code.length === check.bytes && crc32(code) === check.crc32) return code;
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Left as it is: its code is checked again at the next start.
  }
  return undefined;
}

/** A file written beside another (writeAtomically) before it is renamed over it. */
const TEMP_SUFFIX = '.tmp';

/**
 * Removes files a write left in `dir` without renaming them (a process that stopped while writing): each would hold
 * as much as the code file, for good. (A write under way in another window's engine thread, which this removes too,
 * fails, and is made again at that window's next start.)
 */
function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(TEMP_SUFFIX)) continue;
    try {
      unlinkSync(path.join(dir, name));
    } catch {
      // Gone already, or not ours to remove: the write goes on.
    }
  }
}

/**
 * Written beside, flushed to the disk, then renamed over: an engine thread of another window reading it sees the old
 * file or the new, and a power loss leaves the old file or the whole new one. A write that fails removes its file.
 */
function writeAtomically(file: string, data: Uint8Array): void {
  const temp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}${TEMP_SUFFIX}`;
  try {
    const fd = openSync(temp, 'w');
    try {
      for (let written = 0; written < data.length; ) written += writeSync(fd, data, written, data.length - written);
      fsyncWhereOffered(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // Never made, or renamed already.
    }
    throw err;
  }
}
