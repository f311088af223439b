// Bundles what the engine measurements run, the same way esbuild.mjs bundles the CLI and dist/worker.js
// (CommonJS for Node 20.9, web-tree-sitter's CJS build): the engine child and the index worker, under
// .bench-cache/bin/. Bundled rather than run through tsx, so memory figures are the product's.
import path from 'node:path';
import * as esbuild from 'esbuild';
import { BENCH_CACHE, REPO_ROOT } from './corpora';
import { NODE_MODULES } from './treeSitterGrammars';

export interface BenchBinaries {
  readonly engineChild: string;
  readonly worker: string;
  /** Where the child finds the grammar wasm files and tags queries. */
  readonly nodeModules: string;
}

let built: Promise<BenchBinaries> | undefined;

async function bundle(entry: string, outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.9',
    alias: { 'web-tree-sitter': path.join(NODE_MODULES, 'web-tree-sitter', 'tree-sitter.cjs') },
    logLevel: 'warning',
  });
}

async function build(): Promise<BenchBinaries> {
  const bin = path.join(BENCH_CACHE, 'bin');
  const engineChild = path.join(bin, 'engineChild.js');
  const worker = path.join(bin, 'worker.js');
  await bundle(path.join(REPO_ROOT, 'bench', 'engineChild.ts'), engineChild);
  await bundle(path.join(REPO_ROOT, 'src', 'core', 'context', 'indexWorker.ts'), worker);
  return { engineChild, worker, nodeModules: NODE_MODULES };
}

/** Builds once per process. */
export function buildBenchBinaries(): Promise<BenchBinaries> {
  built ??= build();
  return built;
}
