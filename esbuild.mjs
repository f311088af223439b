// Bundles the extension host code, the headless CLI, the engine thread, the index worker and the webview front end,
// and copies the tree-sitter wasm files and tags queries into dist/.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// VS Code 1.90 (the floor in engines.vscode) runs extensions on Electron 29 = Node 20.9.
const NODE_TARGET = 'node20.9';

/** Grammar packages: wasm file(s) and the folder holding their queries. */
export const GRAMMARS = [
  { pkg: 'tree-sitter-typescript', wasm: ['tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm'], queries: 'queries' },
  { pkg: 'tree-sitter-javascript', wasm: ['tree-sitter-javascript.wasm'], queries: 'queries' },
  { pkg: 'tree-sitter-python', wasm: ['tree-sitter-python.wasm'], queries: 'queries' },
  { pkg: 'tree-sitter-go', wasm: ['tree-sitter-go.wasm'], queries: 'queries' },
  { pkg: 'tree-sitter-rust', wasm: ['tree-sitter-rust.wasm'], queries: 'queries' },
  { pkg: 'tree-sitter-java', wasm: ['tree-sitter-java.wasm'], queries: 'queries' },
];

/** A package's folder (found through the resolution paths: some packages do not export package.json). */
function pkgDir(name) {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = path.join(base, name);
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`package ${name} is not installed`);
}

function copyAssets() {
  const wasmOut = path.join('dist', 'wasm');
  const queriesOut = path.join('dist', 'queries');
  mkdirSync(wasmOut, { recursive: true });
  mkdirSync(queriesOut, { recursive: true });
  cpSync(path.join(pkgDir('web-tree-sitter'), 'tree-sitter.wasm'), path.join(wasmOut, 'tree-sitter.wasm'));
  for (const g of GRAMMARS) {
    const dir = pkgDir(g.pkg);
    for (const w of g.wasm) cpSync(path.join(dir, w), path.join(wasmOut, w));
    // Only tags.scm is read (by src/core/context/treeSitterLoader.ts).
    const tags = path.join(dir, g.queries, 'tags.scm');
    if (existsSync(tags)) cpSync(tags, path.join(queriesOut, g.pkg.replace(/^tree-sitter-/, ''), 'tags.scm'));
  }
}

const webTreeSitterCjs = path.join(pkgDir('web-tree-sitter'), 'tree-sitter.cjs');

/** @type {import('esbuild').BuildOptions} */
const nodeCommon = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: NODE_TARGET,
  sourcemap: production ? false : 'linked',
  minify: production,
  // Error classes name themselves after their class (errors.ts): logs must say AuthenticationError, not "Pt".
  keepNames: true,
  external: ['vscode'],
  // web-tree-sitter's ESM build uses import.meta.url, which crashes in a CJS bundle: use its CJS build.
  // A plugin rather than `alias`, which would also rewrite subpaths such as web-tree-sitter/tree-sitter.wasm.
  plugins: [
    {
      name: 'web-tree-sitter-cjs',
      setup(build) {
        build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: webTreeSitterCjs }));
      },
    },
  ],
  logLevel: 'warning',
};

const entries = [
  { in: 'src/vscode/extension.ts', out: 'dist/extension.js', opts: nodeCommon },
  { in: 'src/cli.ts', out: 'dist/cli.js', opts: { ...nodeCommon, banner: { js: '#!/usr/bin/env node' } } },
  { in: 'src/core/context/indexWorker.ts', out: 'dist/worker.js', opts: nodeCommon },
  // The engine thread: a small loader that loads the engine itself with V8's code cache (engineThreadLoader.ts).
  { in: 'src/core/context/engineThreadLoader.ts', out: 'dist/contextHostWorker.js', opts: nodeCommon },
  { in: 'src/core/context/contextHostWorker.ts', out: 'dist/engineThread.js', opts: nodeCommon },
  {
    in: 'src/webview/main.ts',
    out: 'dist/webview.js',
    opts: { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: production, sourcemap: production ? false : 'linked', logLevel: 'warning' },
  },
  // The e2e in-host suites are bundled by their harness (test/e2e/harness/inHost.ts) into .e2e/, so a
  // build never touches them and dist/ holds only what is packaged.
].filter((e) => existsSync(e.in));

if (!watch) rmSync('dist', { recursive: true, force: true });
copyAssets();
const contexts = await Promise.all(entries.map((e) => esbuild.context({ entryPoints: [e.in], outfile: e.out, ...e.opts })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  console.log(`[esbuild] built ${entries.map((e) => e.out).join(', ')}${production ? ' (production)' : ''}`);
}
