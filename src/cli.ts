// Headless CLI (`contexten-context`, bundled to dist/cli.js): the same indexer and context engine as the
// extension, without VS Code. The output formats below are a contract that benchmarks and outside tools parse.
//
//   index   --root DIR [--json] [--workers N] [--cache DIR] [--exclude GLOB]... [--max-file-kb N]
//           → {"files":N,"definitions":N,"references":N,"ms":N,"peakRssMb":N}
//   (--root repeated: one index over several folders, as a VS Code multi-root workspace; paths then start with the
//   folder's name, e.g. "api/src/a.ts" — with one --root they are relative to it, as always)
//   context --root DIR --query TEXT [--active-file REL] [--open-file REL]... [--budget CHARS] [--json]
//   context --root DIR --queries FILE.jsonl [--budget CHARS] [--json]
//           reads {"id","query","activeFile","openFiles"} lines, prints one line per query:
//           {"id","items":[{"file","startLine","endLine","symbol","kind","score","reasons"}],"chars":N,"ms":N}
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, opendir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import * as z from 'zod';
import { SETTINGS } from './core/config/configSchema';
import { ContextHost, contextHostScriptsFromDist, type ContextHostScripts } from './core/context/contextHost';
import { renderContextItem } from './core/context/contextPrompt';
import { grammarLocationFromDist, type GrammarLocation } from './core/context/grammarLocation';
import { invalidQueryError } from './core/context/contextQuerySchema';
import { MAX_BUDGET, QUERY_LIMITS, type ContextQuery, type ContextResult } from './core/context/model';
import { contextHostScriptsFromSource, grammarLocationFromNodeModules } from './core/context/sourceLayout';
import { defaultWorkerCount, maxWorkerCount } from './core/context/workerPool';
import { DEFAULT_MAX_FILE_KB } from './core/context/workspaceIndex';
import { errorMessage, ValidationError } from './core/errors';
import { lineLogger } from './core/logLines';
import type { Logger, LogLevel } from './core/ports';

const USAGE = `Usage:
  contexten-context index --root DIR [--json] [--workers N] [--cache DIR] [--exclude GLOB]... [--max-file-kb N]
  contexten-context context --root DIR --query TEXT [--active-file REL] [--open-file REL]... [--budget CHARS] [--json]
  contexten-context context --root DIR --queries FILE.jsonl [--budget CHARS] [--json]

Options:
  --root DIR          workspace folder to index; repeat it for a workspace of several folders (one
                      index over all; file paths then start with the folder's name: api/src/a.ts)
  --json              machine-readable output (one JSON line per result)
  --workers N         parser worker threads (default ${defaultWorkerCount()}; 0 parses on the main thread; more than
                      ${maxWorkerCount()} — twice the cores, at least 4 — run as ${maxWorkerCount()}, with a warning)
  --cache DIR         keep the index in DIR between runs (unchanged files are not parsed again), and the
                      engine's compiled code (DIR/compile-cache)
  --exclude GLOB      also skip files matching GLOB (relative to the root, to each root); repeatable
  --max-file-kb N     skip files larger than N KB (default ${DEFAULT_MAX_FILE_KB})
  --query TEXT        the prompt to find context for
  --queries FILE      UTF-8 JSON lines {"id","query","activeFile","openFiles"}, one query per line
                      (id: a string, or a number up to 2^53 - 1)
  --active-file REL   the file being edited, relative to the root (several roots: folder/path);
                      with --query (each --queries line gives its own)
  --open-file REL     another open file; repeatable; with --query
  --budget CHARS      character budget (default ${SETTINGS['context.maxChars'].default}, at most ${MAX_BUDGET})
  --verbose           log progress and skipped files to stderr`;

/** Exit codes: bad usage or input that stops everything, or some queries failed. */
const EXIT_USAGE = 2;
const EXIT_PARTIAL = 1;

class UsageError extends Error {}

const OPTIONS = {
  root: { type: 'string', multiple: true, default: [] as string[] },
  json: { type: 'boolean', default: false },
  workers: { type: 'string' },
  cache: { type: 'string' },
  exclude: { type: 'string', multiple: true, default: [] as string[] },
  'max-file-kb': { type: 'string' },
  query: { type: 'string' },
  queries: { type: 'string' },
  'active-file': { type: 'string' },
  'open-file': { type: 'string', multiple: true, default: [] as string[] },
  budget: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** A whole-number option written in decimal digits (`Number` would also take "", " 40", "1e3" and "0x20"). */
function integer(values: Values, name: 'workers' | 'max-file-kb' | 'budget', min: number, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got "${raw}"`);
  }
  return n;
}

function stderrLogger(verbose: boolean): Logger {
  // (SinkLogger's lines: an unexpected error with its stack and causes.)
  const levels: LogLevel[] = verbose ? ['debug', 'info', 'warn', 'error'] : ['warn', 'error'];
  return lineLogger(levels, (level, line) => process.stderr.write(`[${level}] ${line}\n`));
}

/** The engine and parsing runtime next to this file when bundled (dist/), else the installed packages (running from source). */
function runtimeLayout(): { location: GrammarLocation; scripts: ContextHostScripts } {
  if (existsSync(path.join(__dirname, 'wasm', 'tree-sitter.wasm'))) {
    return { location: grammarLocationFromDist(__dirname), scripts: contextHostScriptsFromDist(__dirname) };
  }
  return { location: grammarLocationFromNodeModules(), scripts: contextHostScriptsFromSource() };
}

/** The index and engine of the root(s), in their own thread (as in the extension). */
async function openIndex(values: Values, logger: Logger, budget: number): Promise<ContextHost> {
  if (values.root.length === 0) throw new UsageError('--root DIR is required');
  // (path.resolve('') is the current directory: an unset shell variable, `--root "$DIR"`, would index that instead.)
  if (values.root.includes('')) throw new UsageError('--root needs a directory, got an empty string');
  if (values.cache === '') throw new UsageError('--cache needs a directory, got an empty string');
  const roots: string[] = [];
  for (const given of values.root) roots.push(await readableRoot(given));
  // (More parse threads than that only cost memory and time; a script written for a larger machine still runs here.)
  const asked = integer(values, 'workers', 0, defaultWorkerCount());
  const workers = Math.min(asked, maxWorkerCount());
  if (workers < asked) logger.warn(`--workers ${asked} is more than this machine takes (${workers}: twice its cores, at least 4); using ${workers}`);
  const maxFileKB = integer(values, 'max-file-kb', 1, DEFAULT_MAX_FILE_KB);
  if (values.cache !== undefined) await prepareCache(values.cache, roots);
  const { location, scripts } = runtimeLayout();
  const first = roots[0] ?? '';
  return new ContextHost({
    root: first,
    // Several folders are named as VS Code names them by default: by their directory's name (FolderPaths makes
    // two alike distinct).
    ...(roots.length > 1 ? { folders: roots.map((root) => ({ name: path.basename(root), path: root, exclude: values.exclude })) } : {}),
    scripts,
    location,
    logger,
    defaults: { budget, relevanceThreshold: SETTINGS['context.relevanceThreshold'].default },
    parseWorkers: workers,
    exclude: values.exclude,
    maxFileKB,
    ...(values.cache !== undefined ? { storageDir: path.resolve(values.cache) } : {}),
  });
}

/** Opens a directory for listing and closes it again (a test gives a fake: run as root, permissions restrict nothing). */
export type OpenDirectory = (dir: string) => Promise<unknown>;

const openDirectory: OpenDirectory = async (dir) => (await opendir(dir)).close();

/**
 * The absolute path of a --root, or a usage error: not there, not a directory, or a directory that cannot be read (no
 * permission) — indexed, it would be an empty index and a run that looks successful.
 */
export async function readableRoot(given: string, open: OpenDirectory = openDirectory): Promise<string> {
  const root = path.resolve(given);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new UsageError(`--root ${given}: no such directory`);
  if (!info.isDirectory()) throw new UsageError(`--root ${given}: not a directory`);
  await open(root).catch((err: unknown) => {
    throw new UsageError(`--root ${given}: cannot read the directory (${errorMessage(err)})`);
  });
  return root;
}

/** fs.promises.mkdir, as prepareCache calls it (a test gives a fake: a read-only file system needs privileges to make). */
export type MakeDirectory = (dir: string, options?: { recursive: true }) => Promise<unknown>;

/** Writes a file in a directory and removes it (a test gives a fake: run as root, permissions restrict nothing). */
export type TryWrite = (dir: string) => Promise<unknown>;

/**
 * (Named at random: CLI runs in containers of their own, CI jobs sharing a cache folder, all have the same pid, and two
 * starting in one millisecond found each other's file there.)
 */
export const tryWrite: TryWrite = async (dir) => {
  const probe = path.join(dir, `.contexten-write-test-${randomUUID()}.tmp`);
  await writeFile(probe, '', { flag: 'wx' });
  await rm(probe, { force: true });
};

/**
 * Makes the --cache folder (and the folders above it) unless it is there, or fails with a usage error: a file at its
 * path or above it, or a folder this process cannot write in (read-only, no permission: tried with a file written and
 * removed), would only fail the saves, each with a warning, and the run succeed without the cache it was asked to
 * keep. A --root itself is refused: its index and compile-cache files would be part of the workspace (a folder inside a
 * root is fine: the index leaves it out).
 */
export async function prepareCache(given: string, roots: readonly string[], makeDirectory: MakeDirectory = mkdir, write: TryWrite = tryWrite): Promise<void> {
  const cache = path.resolve(given);
  try {
    await makeDirectory(cache, { recursive: true });
  } catch (err) {
    // The nearest path on the way that is there says why: a file (or anything but a directory) in the way.
    let at = cache;
    let info = await stat(at).catch(() => undefined);
    while (info === undefined && path.dirname(at) !== at) {
      at = path.dirname(at);
      info = await stat(at).catch(() => undefined);
    }
    if (info !== undefined && !info.isDirectory()) throw new UsageError(at === cache ? `--cache ${given}: not a directory` : `--cache ${given}: ${at} is not a directory`);
    // Node's recursive mkdir reports a folder it could not make for another reason (a read-only file system, no
    // permission, a full disk) as ENOENT, "no such file or directory": what a look at the folder then says. The first
    // missing folder made alone says the real reason.
    let cause = err;
    if ((err as { code?: unknown }).code === 'ENOENT' && info !== undefined && at !== cache) {
      const first = path.join(at, path.relative(at, cache).split(path.sep)[0] ?? '');
      cause = await makeDirectory(first).then(
        () => err,
        (why: unknown) => why,
      );
    }
    throw new UsageError(`--cache ${given}: cannot make the directory (${errorMessage(cause)})`);
  }
  // (Before the write test: it would put a file into the workspace the run then refuses.)
  const real = await realpath(cache).catch(() => cache);
  for (const root of roots) {
    if (root === cache || (await realpath(root).catch(() => root)) === real) {
      throw new UsageError(`--cache ${given}: the cache cannot be a --root (its files would be indexed); give a folder outside the root or inside it`);
    }
  }
  await write(cache).catch((err: unknown) => {
    throw new UsageError(`--cache ${given}: cannot write in the directory (${errorMessage(err)})`);
  });
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function runIndex(values: Values, logger: Logger): Promise<number> {
  const index = await openIndex(values, logger, SETTINGS['context.maxChars'].default);
  try {
    const started = performance.now();
    const stats = await index.build({
      onProgress: (p) => logger.debug(`${p.phase}: ${p.filesDone}/${p.filesFound}${p.scanComplete ? '' : '+'} files`),
    });
    const ms = Math.round(performance.now() - started);
    const summary = { files: stats.files, definitions: stats.definitions, references: stats.references, ms, peakRssMb: peakRssMb() };
    if (values.json) out(`${JSON.stringify(summary)}\n`);
    else {
      out(
        `Indexed ${stats.files} files (${stats.parsed} parsed, ${stats.reused} unchanged, ${stats.skipped} skipped): ` +
          `${stats.definitions} definitions, ${stats.references} references in ${ms} ms, peak RSS ${summary.peakRssMb} MB\n`,
      );
    }
    return 0;
  } finally {
    await index.dispose();
  }
}

/** A number id JSON cannot carry exactly past this (2^53 − 1): JSON.parse would hand back another number. */
const isExactId = (id: unknown): boolean => typeof id !== 'number' || Math.abs(id) <= Number.MAX_SAFE_INTEGER;

const queryLineSchema = z.object({
  id: z.union([z.string(), z.number().refine(isExactId, 'a number id past 2^53 − 1 does not survive JSON: give it as a string')]),
  query: z.string(),
  activeFile: z.string().nullish(),
  openFiles: z.array(z.string()).nullish(),
});

interface ResultLine {
  readonly items: readonly { file: string; startLine: number; endLine: number; symbol: string; kind: string; score: number; reasons: readonly string[] }[];
  readonly chars: number;
  readonly ms: number;
}

function resultLine(result: ContextResult, ms: number): ResultLine {
  return {
    items: result.items.map((i) => ({
      file: i.file,
      startLine: i.startLine,
      endLine: i.endLine,
      symbol: i.symbol,
      kind: i.kind,
      score: Math.round(i.score * 10_000) / 10_000,
      reasons: i.reasons,
    })),
    chars: result.chars,
    ms: Math.round(ms),
  };
}

/**
 * Warns (stderr, once per path) of an active or open file that is not a file of the index: the engine ranks as if it
 * were not given, which a typo or a path relative to the wrong folder would otherwise leave unnoticed.
 */
function unknownPathWarner(engine: ContextHost): (paths: readonly string[], where: string) => Promise<void> {
  let known: Promise<ReadonlySet<string>> | undefined;
  const warned = new Set<string>();
  return async (paths, where) => {
    if (paths.length === 0) return;
    known ??= engine.listFiles().then((files) => new Set(files.map((f) => f.path)));
    const files = await known;
    for (const p of paths) {
      if (files.has(p) || warned.has(p)) continue;
      warned.add(p);
      process.stderr.write(`${where}: "${p}" is not a file of the index (paths are relative to the root, with / ; with several roots they start with the folder's name); ranked without it\n`);
    }
  };
}

/** The query as the engine would take it, or the engine's error for it: checked before its paths are looked up. */
function checkedQuery(q: ContextQuery): ContextQuery {
  const invalid = invalidQueryError(q, QUERY_LIMITS);
  if (invalid) throw invalid;
  return q;
}

/** The query of the --query form, checked as the engine would check it. @throws UsageError for one it would refuse. */
function usableQuery(values: Values, budget: number): ContextQuery {
  const query: ContextQuery = {
    query: values.query ?? '',
    budget,
    ...(values['active-file'] !== undefined ? { activeFile: values['active-file'] } : {}),
    openFiles: values['open-file'],
  };
  try {
    return checkedQuery(query);
  } catch (err) {
    // (Named after the options the engine's complaints are about: a path list too long is --open-file's.)
    const fields = err instanceof ValidationError ? err.issues.map((i) => i.loc[0]) : [];
    const options = [...new Set(fields.map((f) => QUERY_OPTIONS.get(String(f)) ?? '--query'))];
    throw new UsageError(`${options.length ? options.join(', ') : '--query'}: ${errorMessage(err)}`);
  }
}

/** The option that gives each field of a --query form's query. */
const QUERY_OPTIONS: ReadonlyMap<string, string> = new Map([
  ['query', '--query'],
  ['activeFile', '--active-file'],
  ['openFiles', '--open-file'],
  ['budget', '--budget'],
]);

/** A queries file's lines: UTF-8 text (a byte-order mark allowed; lines end at LF, CR LF or CR). */
async function readQueryLines(file: string): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new UsageError(`--queries ${file}: ${errorMessage(err)}`);
  }
  // (What Windows PowerShell 5's `>` writes: every line would fail on its NUL bytes.)
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UsageError(`--queries ${file}: the file is UTF-16 text; save it as UTF-8, one JSON object per line`);
  }
  // A NUL byte is valid UTF-8, but no JSON line holds one raw: UTF-16 without its byte-order mark (every other byte of
  // ASCII text), or a binary file.
  if (bytes.includes(0)) {
    throw new UsageError(`--queries ${file}: the file holds NUL bytes (UTF-16 or binary); save it as UTF-8, one JSON object per line`);
  }
  try {
    // (A JSON string holds no raw CR: one alone, as old Mac editors end lines, ends a line as CR LF and LF do.)
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).split(/\r\n|\r|\n/);
  } catch {
    throw new UsageError(`--queries ${file}: the file is not UTF-8 text; save it as UTF-8, one JSON object per line`);
  }
}

/** The reader of the output went away (a closed pipe): see the stdout error handler at the end. */
let outputClosed = false;

/** Writes to stdout while someone reads it. */
function out(text: string): void {
  if (!outputClosed) process.stdout.write(text);
}

async function runContext(values: Values, logger: Logger): Promise<number> {
  if ((values.query === undefined) === (values.queries === undefined)) throw new UsageError('give exactly one of --query TEXT or --queries FILE.jsonl');
  if (values.queries !== undefined && (values['active-file'] !== undefined || values['open-file'].length > 0)) {
    throw new UsageError('--active-file and --open-file go with --query; with --queries each line gives its own activeFile and openFiles');
  }
  const budget = integer(values, 'budget', 0, SETTINGS['context.maxChars'].default, MAX_BUDGET);
  // The one query of --query is bad input that stops everything, as a bad option is: refused before the index is
  // opened or built. (A bad line of --queries fails that line only.)
  const input = values.queries !== undefined ? { lines: await readQueryLines(values.queries) } : { query: usableQuery(values, budget) };
  const engine = await openIndex(values, logger, budget);
  try {
    await engine.build();
    const warnUnknown = unknownPathWarner(engine);
    if ('query' in input) {
      const query = input.query;
      await warnUnknown([...(typeof query.activeFile === 'string' ? [query.activeFile] : []), ...(query.openFiles ?? [])], 'contexten-context: --active-file/--open-file');
      const started = performance.now();
      const result = await engine.getRelevantContext(query);
      const ms = performance.now() - started;
      if (values.json) out(`${JSON.stringify(resultLine(result, ms))}\n`);
      else {
        out(result.items.map(renderContextItem).join('\n\n') + (result.items.length > 0 ? '\n' : ''));
        process.stderr.write(`${result.items.length} items, ${result.chars}/${budget} chars in ${Math.round(ms)} ms\n`);
      }
      return 0;
    }
    const queryLines = input.lines;
    if (queryLines.every((l) => l.trim() === '')) process.stderr.write(`contexten-context: --queries ${values.queries ?? ''}: no query lines (nothing to answer)\n`);
    let failures = 0;
    for (let i = 0; i < queryLines.length && !outputClosed; i++) {
      const line = queryLines[i]?.trim() ?? '';
      if (line === '') continue;
      let id: unknown = null;
      try {
        const raw: unknown = JSON.parse(line);
        // (Only an id of the documented kinds is echoed, a string or a number JSON carried exactly: else the answer has the
        // line's number.)
        const given = raw !== null && typeof raw === 'object' && 'id' in raw ? (raw as { id: unknown }).id : undefined;
        if (typeof given === 'string' || (typeof given === 'number' && isExactId(given))) id = given;
        const q = queryLineSchema.parse(raw);
        const query = checkedQuery({ query: q.query, budget, ...(q.activeFile ? { activeFile: q.activeFile } : {}), ...(q.openFiles ? { openFiles: q.openFiles } : {}) });
        await warnUnknown([...(typeof query.activeFile === 'string' ? [query.activeFile] : []), ...(query.openFiles ?? [])], `--queries line ${i + 1}`);
        const started = performance.now();
        const result = await engine.getRelevantContext(query);
        const answer = { id: q.id, ...resultLine(result, performance.now() - started) };
        out(values.json ? `${JSON.stringify(answer)}\n` : `${q.id}: ${answer.items.length} items, ${answer.chars} chars\n`);
      } catch (err) {
        failures++;
        const message = err instanceof z.ZodError ? `not a query line: ${err.issues.map((x) => `${x.path.join('.') || 'line'}: ${x.message}`).join('; ')}` : errorMessage(err);
        process.stderr.write(`--queries line ${i + 1}: ${message}\n`);
        // (Without --json, in the text form of the good lines.)
        out(values.json ? `${JSON.stringify({ id, line: i + 1, error: message })}\n` : `${id === null ? `line ${i + 1}` : String(id)}: error: ${message}\n`);
      }
    }
    return failures > 0 ? EXIT_PARTIAL : 0;
  } finally {
    await engine.dispose();
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let values: Values;
  let command: string | undefined;
  try {
    const parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    values = parsed.values;
    command = parsed.positionals[0];
    if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument "${parsed.positionals[1] ?? ''}"`);
  } catch (err) {
    process.stderr.write(`contexten-context: ${errorMessage(err)}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (values.help || command === undefined) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : EXIT_USAGE;
  }
  const logger = stderrLogger(values.verbose);
  try {
    if (command === 'index') return await runIndex(values, logger);
    if (command === 'context') return await runContext(values, logger);
    throw new UsageError(`unknown command "${command}" (expected index or context)`);
  } catch (err) {
    process.stderr.write(`contexten-context: ${errorMessage(err)}\n`);
    if (err instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    return err instanceof UsageError ? EXIT_USAGE : EXIT_PARTIAL;
  }
}

if (require.main === module) {
  // Nearly everything the indexer allocates on this thread is kept (the index), so V8 keeps doubling the
  // young generation (up to 128 MB on Node 24) for no gain. A batch tool may trade that for a little GC time;
  // the extension host is not ours to tune (its workers get resourceLimits instead).
  setFlagsFromString('--semi-space-growth-factor=1');
  // A reader that stops early (`| head`) closes the pipe: nothing more is written, the queries left are not run, and the
  // run ends as usual (its exit code, the index saved) instead of with an unhandled EPIPE error and its stack.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    outputClosed = true;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
