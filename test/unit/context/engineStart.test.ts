import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { engineCompileCacheDir } from '../../../src/core/context/engineCompileCache';
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

describe('engine thread start', function () {
  this.timeout(30_000);
  let dir: { root: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempWorkspace();
  });
  afterEach(() => dir.cleanup());

  it('loads none of zod, node:crypto, node:zlib and node:v8 with its modules (a reopen with nothing changed needs none)', async () => {
    const script = await bundle('engineModulesProbe', dir.root);
    assert.deepEqual(await runProbe(script), { crypto: false, zlib: false, v8: false, zod: false });
  });

  it('writes the compile cache into its storage folder', async function () {
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== 'function') this.skip();
    const script = await bundle('compileCacheProbe', dir.root);
    const module = path.join(dir.root, 'answer.js');
    writeFileSync(module, 'exports.answer = 42;\n');
    const storageDir = path.join(dir.root, 'storage');
    assert.equal(await runProbe(script, { storageDir, module }), 42);
    const cached = readdirSync(engineCompileCacheDir(storageDir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.ok(cached.length > 0, 'a cache entry was written');
  });

  it('empties the compile cache folder when another bundle (an updated extension) turns it on', async function () {
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== 'function') this.skip();
    const script = await bundle('compileCacheProbe', dir.root);
    const storageDir = path.join(dir.root, 'storage');
    const entries = (): string[] =>
      readdirSync(engineCompileCacheDir(storageDir), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name !== 'owner')
        .map((e) => path.join(e.parentPath, e.name));
    for (const version of ['1.0.0', '1.0.1']) mkdirSync(path.join(dir.root, version));
    writeFileSync(path.join(dir.root, '1.0.0', 'answer.js'), 'exports.answer = 1;\n');
    writeFileSync(path.join(dir.root, '1.0.1', 'answer.js'), 'exports.answer = 2;\n');
    assert.equal(await runProbe(script, { storageDir, module: path.join(dir.root, '1.0.0', 'answer.js') }), 1);
    const before = entries();
    assert.equal(before.length, 1);
    assert.equal(await runProbe(script, { storageDir, module: path.join(dir.root, '1.0.0', 'answer.js') }), 1);
    assert.deepEqual(entries(), before, 'the same bundle keeps its entry');
    assert.equal(await runProbe(script, { storageDir, module: path.join(dir.root, '1.0.1', 'answer.js') }), 2);
    const after = entries();
    assert.equal(after.length, 1, 'only the new bundle\'s entry is left');
    assert.ok(!before.includes(after[0] ?? ''));
  });
});
