// Builds what the engine measurements run: the product bundle (`node esbuild.mjs --production`: dist/worker.js, the
// grammar wasm files and tags queries, dist/cli.js) and the engine child, bundled the way esbuild.mjs
// bundles the CLI, under .bench-cache/bin/ (bundled rather than run through tsx, so memory figures are
// the product's, not a TypeScript loader's).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { BENCH_CACHE, REPO_ROOT } from './corpora';

const execFileAsync = promisify(execFile);

export interface BenchBinaries {
  /** The product's dist folder (grammars, queries, worker.js). */
  readonly distDir: string;
  readonly engineChild: string;
}

let built: Promise<BenchBinaries> | undefined;

async function build(): Promise<BenchBinaries> {
  // The production bundles (minified), as the packaged extension ships them: bundle size is start-up time.
  await execFileAsync(process.execPath, ['esbuild.mjs', '--production'], { cwd: REPO_ROOT });
  const engineChild = path.join(BENCH_CACHE, 'bin', 'engineChild.js');
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'bench', 'engineChild.ts')],
    outfile: engineChild,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.9',
    // As esbuild.mjs does: web-tree-sitter's ESM build does not survive a CJS bundle.
    plugins: [
      {
        name: 'web-tree-sitter-cjs',
        setup(b) {
          b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: path.join(REPO_ROOT, 'node_modules', 'web-tree-sitter', 'tree-sitter.cjs') }));
        },
      },
    ],
    logLevel: 'warning',
  });
  return { distDir: path.join(REPO_ROOT, 'dist'), engineChild };
}

/** Builds once per process. */
export function buildBenchBinaries(): Promise<BenchBinaries> {
  built ??= build();
  return built;
}
