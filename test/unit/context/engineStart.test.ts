import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { engineCodeFile, engineCompileCacheDir, type CodeCacheUse, type EngineStartKind } from '../../../src/core/context/engineCompileCache';
import { isolateGitUserConfig, tempWorkspace } from './indexerHarness';

isolateGitUserConfig();

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

  it('loads a bundle whose cached code V8 rejects (a corrupt file), and writes the code again', async () => {
    const script = await bundle('compileCacheProbe', dir.root);
    const file = path.join(dir.root, 'ext', 'engine.js');
    writeBundle(file, 42);
    const storageDir = path.join(dir.root, 'storage');
    await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' });
    writeFileSync(engineCodeFile(storageDir), Buffer.alloc(statSync(engineCodeFile(storageDir)).size, 7));
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 42, cache: 'rejected', wrote: true });
    assert.deepEqual(pick(await runProbe<ProbeAnswer>(script, { storageDir, bundle: file, kind: 'built' })), { answer: 42, cache: 'accepted', wrote: false });
  });
});

function pick({ answer, cache, wrote }: { answer: number; cache: CodeCacheUse; wrote: boolean }): { answer: number; cache: CodeCacheUse; wrote: boolean } {
  return { answer, cache, wrote };
}
