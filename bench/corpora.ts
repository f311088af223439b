// The benchmark corpora, materialised once under .bench-cache/ and reused: real code from the npm
// registry (`npm pack`, unpacked with tar) and deterministic synthetic workspaces. A corpus directory
// holds exactly the files that are measured (source files up to MAX_FILE_BYTES, the indexer's default
// limit), so the indexer, the parse floor and the read-only pass all see the same set.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as z from 'zod';
import { SETTINGS } from '../src/core/config/configSchema';
import { generateSyntheticWorkspace, SYNTHETIC_GENERATOR_VERSION } from './syntheticWorkspace';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, '..');
export const BENCH_CACHE = path.join(REPO_ROOT, '.bench-cache');
/** contexten.context.maxFileKB's default: larger files are not indexed, so they are not measured either. */
const MAX_FILE_BYTES = SETTINGS['context.maxFileKB'].default * 1024;

export interface CorpusFile {
  /** Relative to the corpus root, with '/'. */
  readonly path: string;
  readonly size: number;
}

export interface Corpus {
  readonly name: string;
  readonly root: string;
  readonly files: readonly CorpusFile[];
  readonly bytes: number;
  /** Files of the source set left out because they exceed MAX_FILE_BYTES. */
  readonly skippedLarge: number;
}

export interface NpmCorpusSpec {
  readonly name: string;
  readonly packageName: string;
  readonly version: string;
  /** Which files of the unpacked package (paths relative to the package root) belong to the corpus. */
  readonly include: (relativePath: string) => boolean;
}

export const EFFECT_CORPUS: NpmCorpusSpec = {
  name: 'effect',
  packageName: 'effect',
  version: '3.22.4',
  include: (p) => p.startsWith('src/') && p.endsWith('.ts'),
};

export const MONACO_CORPUS: NpmCorpusSpec = {
  name: 'monaco',
  packageName: 'monaco-editor',
  version: '0.52.2',
  include: (p) => p.startsWith('esm/') && p.endsWith('.js'),
};

/**
 * GYP, the build tool node-gyp ships: Python with docstrings, in packages (`gyp/pylib/gyp`, its `generator`
 * subpackage) that import each other whole (`import gyp.common`, then `gyp.common.WriteOnDiff`) and by name. Its
 * `sys.path` entry is `gyp/pylib` (PYTHON_CORPUS_ROOT): the eval indexes that folder.
 */
export const GYP_CORPUS: NpmCorpusSpec = {
  name: 'gyp',
  packageName: 'node-gyp',
  version: '12.1.0',
  include: (p) => p.startsWith('gyp/pylib/') && p.endsWith('.py'),
};

const manifestSchema = z.object({
  files: z.array(z.object({ path: z.string(), size: z.number().int().nonnegative() })),
  skippedLarge: z.number().int().nonnegative(),
});

function manifestPath(root: string): string {
  return `${root}.manifest.json`;
}

/** The materialised corpus at `root`, or undefined when it is missing or incomplete. */
export async function readManifest(root: string): Promise<Corpus | undefined> {
  const file = manifestPath(root);
  if (!existsSync(file) || !existsSync(root)) return undefined;
  const parsed = manifestSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) return undefined;
  const files = parsed.data.files;
  return {
    name: path.basename(root),
    root,
    files,
    bytes: files.reduce((s, f) => s + f.size, 0),
    skippedLarge: parsed.data.skippedLarge,
  };
}

/** Every regular file under `dir`, relative with '/', sorted. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(child);
      else if (e.isFile()) out.push(child);
    }
  };
  await walk('');
  return out.sort();
}

async function writeManifest(root: string, files: CorpusFile[], skippedLarge: number, name: string): Promise<Corpus> {
  await writeFile(manifestPath(root), JSON.stringify({ files, skippedLarge }));
  return { name, root, files, bytes: files.reduce((s, f) => s + f.size, 0), skippedLarge };
}

/** Fetches `package@version` with `npm pack` (once) and materialises the selected files. */
export async function ensureNpmCorpus(spec: NpmCorpusSpec, log: (line: string) => void): Promise<Corpus> {
  const root = path.join(BENCH_CACHE, 'corpora', `${spec.name}-${spec.version}`);
  const cached = await readManifest(root);
  if (cached) return { ...cached, name: spec.name };

  const packs = path.join(BENCH_CACHE, 'packs');
  await mkdir(packs, { recursive: true });
  const tarball = path.join(packs, `${spec.packageName}-${spec.version}.tgz`);
  if (!existsSync(tarball)) {
    log(`fetching ${spec.packageName}@${spec.version} from the npm registry…`);
    await execFileAsync('npm', ['pack', `${spec.packageName}@${spec.version}`, '--pack-destination', packs, '--silent'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    if (!existsSync(tarball)) throw new Error(`npm pack did not produce ${tarball}`);
  }
  const unpacked = path.join(packs, `${spec.packageName}-${spec.version}`);
  await rm(unpacked, { recursive: true, force: true });
  await mkdir(unpacked, { recursive: true });
  await execFileAsync('tar', ['-xzf', tarball, '-C', unpacked]);
  const packageRoot = path.join(unpacked, 'package');

  await rm(root, { recursive: true, force: true });
  const files: CorpusFile[] = [];
  let skippedLarge = 0;
  for (const rel of await listFiles(packageRoot)) {
    if (!spec.include(rel)) continue;
    const size = (await stat(path.join(packageRoot, rel))).size;
    if (size > MAX_FILE_BYTES) {
      skippedLarge++;
      continue;
    }
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await copyFile(path.join(packageRoot, rel), path.join(root, rel));
    files.push({ path: rel, size });
  }
  await rm(unpacked, { recursive: true, force: true });
  return writeManifest(root, files, skippedLarge, spec.name);
}

/** Writes (once) the synthetic workspace of `files` files for `seed`. */
export async function ensureSyntheticCorpus(fileCount: number, seed: number, log: (line: string) => void): Promise<Corpus> {
  const name = `synthetic-${fileCount}`;
  const root = path.join(BENCH_CACHE, 'corpora', `${name}-s${seed}-v${SYNTHETIC_GENERATOR_VERSION}`);
  const cached = await readManifest(root);
  if (cached) return { ...cached, name };

  log(`generating the synthetic workspace (${fileCount} files, seed ${seed})…`);
  const staging = `${root}.staging`;
  await rm(staging, { recursive: true, force: true });
  const files: CorpusFile[] = [];
  const dirs = new Set<string>();
  for (const f of generateSyntheticWorkspace({ files: fileCount, seed })) {
    const target = path.join(staging, f.path);
    const dir = path.dirname(target);
    if (!dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      dirs.add(dir);
    }
    await writeFile(target, f.text);
    files.push({ path: f.path, size: Buffer.byteLength(f.text) });
  }
  await rm(root, { recursive: true, force: true });
  await rename(staging, root);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return writeManifest(root, files, 0, name);
}

/** Copies a corpus to a fresh directory (for benchmarks that modify files). */
export async function copyCorpus(corpus: Corpus, target: string): Promise<Corpus> {
  await rm(target, { recursive: true, force: true });
  const dirs = new Set<string>();
  for (const f of corpus.files) {
    const to = path.join(target, f.path);
    const dir = path.dirname(to);
    if (!dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      dirs.add(dir);
    }
    await copyFile(path.join(corpus.root, f.path), to);
  }
  return { ...corpus, root: target };
}
