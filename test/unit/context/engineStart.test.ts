import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { crc32 } from '../../../src/core/context/crc32';
import { engineCodeFile, engineCompileCacheDir, type CodeCacheUse, type EngineStartKind } from '../../../src/core/context/engineCompileCache';
import { tempWorkspace } from './indexerHarness';

/** A probe bundled as the product bundles the engine thread (esbuild.mjs), so it runs without tsx. */
async function bundle(probe: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, `${probe}.js`);
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'probes', `${probe}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.9',
    logLevel: 'error',
    plugins: [
      {
        name: 'web-tree-sitter-cjs',
        setup(b) {
          b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: path.join(path.dirname(require.resolve('web-tree-sitter')), 'tree-sitter.cjs') }));
        },
      },
    ],
  });
  return outfile;
}

function runProbe<T>(script: string, workerData: unknown = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData, execArgv: [] });
    worker.once('message', (message: T) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** How a probe run as its own process ended: V8 given damaged code can crash a process, or never finish. */
interface ProcessEnd<T> {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly answer?: T;
  readonly stderr: string;
}

/** Runs a probe as a process (its data as JSON in its argument), with files it writes limited to `maxFileBlocks` of 512 bytes when given. */
function runProbeProcess<T>(script: string, data: unknown, maxFileBlocks?: number): ProcessEnd<T> {
  const args = [script, JSON.stringify(data)];
  const run =
    maxFileBlocks === undefined
      ? spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 20_000 })
      : spawnSync('sh', ['-c', `ulimit -f ${maxFileBlocks} && exec "$0" "$@"`, process.execPath, ...args], { encoding: 'utf8', timeout: 20_000 });
  const answer = run.status === 0 ? (JSON.parse(run.stdout) as T) : undefined;
  return { status: run.status, signal: run.signal, ...(answer !== undefined ? { answer } : {}), stderr: run.stderr.slice(0, 500) };
}

describe('engine thread start', function () {
  this.timeout(30_000);
  let dir: { root: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempWorkspace();
  });
  afterEach(() => dir.cleanup());

  it('loads none of zod, node:crypto, node:zlib, node:v8 and node:module with its modules (a reopen with nothing changed needs none)', async () => {
    const script = await bundle('engineModulesProbe', dir.root);
    assert.deepEqual(await runProbe(script), { crypto: false, zlib: false, v8: false, module: false, zod: false });
  });

  interface ProbeAnswer {
    answer: number;
    filename: string;
    dirname: string;
    separator: string;
    cache: CodeCacheUse;
    wrote: boolean;
    wroteAgain: boolean;
  }

  /** A CommonJS module as a bundle is: its own require, module, __filename and __dirname. */
  function writeBundle(file: string, answer: number): void {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      `"use strict";\nconst path = require("node:path");\nfunction answer() { return ${answer}; }\n` +
        'module.exports = { answer, filename: __filename, dirname: __dirname, separator: path.sep };\n',
    );
  }

  it("loads a bundle as Node's require would and writes V8's code for it after a build of each kind, once", async () => {
    const script = await bundle('compileCacheProbe', dir.root);
    const file = path.join(dir.root, 'ext', 'engine.js');
    writeBundle(file, 42);
    const storageDir = path.join(dir.root, 'storage');
    const run = (kind: EngineStartKind): Promise<ProbeAnswer> => runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind });

    const first = await run('built');
    assert.deepEqual(first, { answer: 42, filename: file, dirname: path.dirname(file), separator: path.sep, cache: 'none', wrote: true, wroteAgain: false });
    assert.ok(statSync(engineCodeFile(storageDir)).size > 0, 'the code was written');
    assert.deepEqual(pick(await run('built')), { answer: 42, cache: 'accepted', wrote: false }, 'a start of a kind the cache holds writes nothing');
    assert.deepEqual(pick(await run('reopened')), { answer: 42, cache: 'accepted', wrote: true }, 'the first reopen adds what it ran');
    assert.deepEqual(pick(await run('reopened')), { answer: 42, cache: 'accepted', wrote: false });
    assert.deepEqual(pick(await run('built')), { answer: 42, cache: 'accepted', wrote: false }, 'the cache holds both kinds now');
  });

  it('never runs code made for another bundle: one changed in place, with the same length, is compiled afresh', async () => {
    const script = await bundle('compileCacheProbe', dir.root);
    const file = path.join(dir.root, 'ext', 'engine.js');
    const storageDir = path.join(dir.root, 'storage');
    // The folder as Node's module compile cache (the engine's before) left it: emptied too.
    const nodeCacheEntry = path.join(engineCompileCacheDir(storageDir), 'v24.15.0-x64-12345678', 'abcdef');
    mkdirSync(path.dirname(nodeCacheEntry), { recursive: true });
    writeFileSync(nodeCacheEntry, 'old');
    writeFileSync(path.join(engineCompileCacheDir(storageDir), 'owner'), 'v24.15.0 x64 /old/engineThread.js');
    writeBundle(file, 42);
    utimesSync(file, new Date(2026, 0, 1), new Date(2026, 0, 1));
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 42, cache: 'none', wrote: true });
    assert.ok(!existsSync(nodeCacheEntry), "the folder's earlier contents are gone");

    // V8 checks the source's length only: the same length with other code would run the old code.
    writeBundle(file, 43);
    utimesSync(file, new Date(2026, 0, 2), new Date(2026, 0, 2));
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 43, cache: 'none', wrote: true });
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 43, cache: 'accepted', wrote: false });
  });

  /** The owner file of the cache folder, read as JSON. */
  function readOwnerFile(storageDir: string): Record<string, unknown> {
    return JSON.parse(readFileSync(path.join(engineCompileCacheDir(storageDir), 'owner.json'), 'utf8')) as Record<string, unknown>;
  }

  it('loads a bundle whose cached code V8 rejects (made with other flags), and writes the code again', async () => {
    const script = await bundle('compileCacheProbe', dir.root);
    const file = path.join(dir.root, 'ext', 'engine.js');
    writeBundle(file, 42);
    const storageDir = path.join(dir.root, 'storage');
    await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' });
    // Code the owner file vouches for (as written), which V8 refuses all the same.
    const code = Buffer.alloc(statSync(engineCodeFile(storageDir)).size, 7);
    writeFileSync(engineCodeFile(storageDir), code);
    const owner = readOwnerFile(storageDir);
    writeFileSync(path.join(engineCompileCacheDir(storageDir), 'owner.json'), JSON.stringify({ ...owner, code: { bytes: code.length, crc32: crc32(code) } }));
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 42, cache: 'rejected', wrote: true });
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 42, cache: 'accepted', wrote: false });
  });

  // Release V8 does not check the code it is given: a damaged file crashed the process (Node 24: a flipped byte at 32
  // or the second half zeroed, "unreachable code" (SIGTRAP) or a segmentation fault; other bytes, a start that never
  // ends), at every start.
  const damages: ReadonlyArray<readonly [string, (code: string) => void]> = [
    [
      'a flipped byte',
      (code) => {
        const bytes = readFileSync(code);
        bytes[32] = (bytes[32] as number) ^ 0xff;
        writeFileSync(code, bytes);
      },
    ],
    [
      'its second half zeroed',
      (code) => {
        const bytes = readFileSync(code);
        bytes.fill(0, bytes.length >> 1);
        writeFileSync(code, bytes);
      },
    ],
    ['a cut file', (code) => truncateSync(code, statSync(code).size >> 1)],
  ];
  for (const [damage, apply] of damages) {
    it(`never hands V8 a damaged code file (${damage}): loads the bundle without it and writes the code again`, async () => {
      const script = await bundle('compileCacheProbe', dir.root);
      const file = path.join(dir.root, 'ext', 'engine.js');
      writeBundle(file, 42);
      const storageDir = path.join(dir.root, 'storage');
      assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 42, cache: 'none', wrote: true });
      apply(engineCodeFile(storageDir));
      const damaged = runProbeProcess<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' });
      assert.equal(damaged.status, 0, `the start ended with ${damaged.signal ?? `exit ${String(damaged.status)}`}: ${damaged.stderr}`);
      assert.deepEqual(pick(damaged.answer as ProbeAnswer), { answer: 42, cache: 'none', wrote: true });
      assert.deepEqual(readOwnerFile(storageDir).code, { bytes: statSync(engineCodeFile(storageDir)).size, crc32: crc32(readFileSync(engineCodeFile(storageDir))) });
      const next = runProbeProcess<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' });
      assert.deepEqual(pick(next.answer as ProbeAnswer), { answer: 42, cache: 'accepted', wrote: false }, 'the code written again is used');
    });
  }

  it('takes an owner file without the code check (as written before) for no cache', async () => {
    const script = await bundle('compileCacheProbe', dir.root);
    const file = path.join(dir.root, 'ext', 'engine.js');
    writeBundle(file, 42);
    const storageDir = path.join(dir.root, 'storage');
    await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' });
    const { key, kinds } = readOwnerFile(storageDir);
    writeFileSync(path.join(engineCompileCacheDir(storageDir), 'owner.json'), JSON.stringify({ key, kinds }));
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 42, cache: 'none', wrote: true });
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 42, cache: 'accepted', wrote: false });
  });

  it('leaves no file behind from a write that failed, and removes those an earlier start left', async function () {
    // A platform skip, never taken on Linux or macOS (CI runs on Linux): Windows has no `ulimit -f` to make the write fail part way.
    if (process.platform === 'win32') this.skip();
    const script = await bundle('compileCacheProbe', dir.root);
    const file = path.join(dir.root, 'ext', 'engine.js');
    writeBundle(file, 42);
    const storageDir = path.join(dir.root, 'storage');
    const folder = engineCompileCacheDir(storageDir);
    // Files of at most 512 bytes (the code is ~1 KB): its write fails part way, as on a full disk.
    const failed = runProbeProcess<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' }, 1);
    assert.equal(failed.status, 0, failed.stderr);
    assert.deepEqual(pick(failed.answer as ProbeAnswer), { answer: 42, cache: 'none', wrote: false });
    assert.deepEqual(readdirSync(folder), [], 'the failed writes left nothing');

    // A start that stopped while writing (its process ended) left a file: the next write removes it.
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 42, cache: 'none', wrote: true });
    const leftover = path.join(folder, 'engine.v8-cache.12345-abcdef.tmp');
    writeFileSync(leftover, Buffer.alloc(4096, 1));
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'reopened' })), { answer: 42, cache: 'accepted', wrote: true });
    assert.deepEqual(readdirSync(folder).sort(), ['engine.v8-cache', 'owner.json']);
  });

  it('writes the code where the file system offers no fsync (EPERM, EINVAL), and nothing when the fsync fails otherwise', async () => {
    const script = await bundle('compileCacheProbe', dir.root);
    const file = path.join(dir.root, 'ext', 'engine.js');
    writeBundle(file, 42);
    for (const [code, wrote] of [['EPERM', true], ['EINVAL', true], ['EIO', false]] as const) {
      const storageDir = path.join(dir.root, `storage-${code}`);
      assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built', fsyncFails: code })), { answer: 42, cache: 'none', wrote }, code);
      assert.deepEqual(readdirSync(engineCompileCacheDir(storageDir)).sort(), wrote ? ['engine.v8-cache', 'owner.json'] : [], code);
      assert.equal((await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })).cache, wrote ? 'accepted' : 'none', code);
    }
  });
});

function pick({ answer, cache, wrote }: { answer: number; cache: CodeCacheUse; wrote: boolean }): { answer: number; cache: CodeCacheUse; wrote: boolean } {
  return { answer, cache, wrote };
}
