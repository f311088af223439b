// The context engine side of the benchmark, one scenario per process (bundled by benchBuild.ts like the
// CLI, so its memory is the product's, not a TypeScript loader's). Prints one JSON line.
// Every scenario takes --root R --storage S --dist D (the product bundle: worker.js, grammars, queries).
//   cold    --workers N       index from nothing (S must be empty)
//   warm    --workers N       reopen with the index saved in S
//   session --queries FILE --replay N --edits N
//           reopen from S, then: query latency, cache hit rate on a replayed stream, incremental re-index
//   syntax  (run by session) reads the session's edits on stdin, prints whether each left a syntax error
import { spawnSync } from 'node:child_process';
// The extension host this process stands in for has node:crypto loaded long before a workspace opens: the extension's
// bundle requires it as it loads (the Codegen client, the generation cache), and VS Code's own code does. Opening the
// index hashes the workspace's path (the saved index's name), which would otherwise time loading it here (~6 ms on a
// process's main thread). The module is used below, not just imported: esbuild counts Node's built-ins as free of side
// effects and drops a bare `import 'node:crypto'` from the bundle (until session 31 this child loaded it inside the
// timed reopen).
import * as nodeCrypto from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { ContextHost, contextHostScriptsFromDist } from '../src/core/context/contextHost';
import { grammarLocationFromDist } from '../src/core/context/grammarLocation';
import { repairedSource } from '../src/core/context/functionBodies';
import { documentRepairs, type TextChange } from '../src/core/context/fileProcessor';
import { languageForPath } from '../src/core/context/languages';
import { TreeSitterLoader } from '../src/core/context/treeSitterLoader';
import { SETTINGS } from '../src/core/config/configSchema';
import { nullLogger } from '../src/core/ports';
import { replayStream } from './benchQueries';
import type { LatencySummary } from './benchReport';
import { createSeededRandom, shuffled } from './seededRandom';
import { cpuMsSince, peakRssMb, percentile } from './stats';

const INCREMENTAL_MAX_BYTES = 64 * 1024;
const EDITS_PER_FILE = 3;
/**
 * Edits timed paced: the extension sends an open document's changes at most every 300 ms (contextService's
 * EDIT_DEBOUNCE_MS). 20 ms apart keeps the bench short; gaps of 100 and 300 ms measured a little slower still (docs/benchmark-history.md).
 */
const PACED_GAP_MS = 20;
const PACED_EDITS = 150;

/** Edits timed by the session's typeEdits. */
interface TypedEdits {
  readonly times: number[];
  readonly engineTimes: number[];
  readonly starts: number[];
  readonly plans: EditPlan[];
  maxFileBytes: number;
}
/** Distinct queries the replayed stream draws from. */
const REPLAY_POOL = 100;

const querySchema = z.array(z.object({ id: z.string(), query: z.string(), activeFile: z.string(), openFiles: z.array(z.string()) }));

const DEFAULTS = { budget: SETTINGS['context.maxChars'].default, relevanceThreshold: SETTINGS['context.relevanceThreshold'].default };

/** The index and engine in their own thread, as the product runs them. */
function openIndex(root: string, dist: string, storage: string, workers: number): ContextHost {
  return new ContextHost({
    root,
    scripts: contextHostScriptsFromDist(dist),
    location: grammarLocationFromDist(dist),
    logger: nullLogger,
    defaults: DEFAULTS,
    storageDir: storage,
    maxFileKB: SETTINGS['context.maxFileKB'].default,
    parseWorkers: workers,
  });
}

if (typeof nodeCrypto.createHash !== 'function') throw new Error('node:crypto did not load');

function summary(values: readonly number[]): LatencySummary {
  const r = (v: number): number => Math.round(v * 1000) / 1000;
  if (values.length === 0) return { count: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 };
  return { count: values.length, p50Ms: r(percentile(values, 50)), p95Ms: r(percentile(values, 95)), maxMs: r(Math.max(...values)) };
}

function currentRssMb(): number {
  return Math.round(process.memoryUsage.rss() / 1024 / 1024);
}

function lineCommentFor(file: string): string {
  return file.endsWith('.py') ? '#' : '//';
}

/** The edits typed into one file, in order, each in the coordinates of the text the one before left. */
interface EditPlan {
  readonly file: string;
  readonly changes: TextChange[];
}

const editPlansSchema = z.array(z.object({ file: z.string(), changes: z.array(z.object({ start: z.number(), deleteCount: z.number(), text: z.string() })) }));

/**
 * Edit times split by whether the tree after the edit has syntax errors, as the engine reads the text (tree-sitter
 * error recovery makes those re-parses slower; until session 56 the text was read without the TypeScript repairs, and
 * 171 of effect's 300 edits counted as in files with errors the index reads clean). The texts are parsed by a child process (this one's arguments, scenario `syntax`), so the
 * grammars it loads do not count in this process's memory figures.
 */
function syntaxErrorsAfter(plans: readonly EditPlan[]): boolean[] {
  const [script, , ...args] = process.argv.slice(1);
  if (script === undefined) throw new Error('no script path to run the syntax check with');
  const child = spawnSync(process.execPath, [script, 'syntax', ...args], { input: JSON.stringify(plans), encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`syntax check failed: ${child.stderr}`);
  return z.array(z.boolean()).parse(JSON.parse(child.stdout));
}

/** Edit times split by whether the edited text has syntax errors (`errors`, in the same order). */
function bySyntaxErrors(times: readonly number[], errors: readonly boolean[]): { withErrors: LatencySummary; clean: LatencySummary } {
  if (errors.length !== times.length) throw new Error(`syntax check classified ${errors.length} of ${times.length} edits`);
  return { withErrors: summary(times.filter((_, i) => errors[i])), clean: summary(times.filter((_, i) => !errors[i])) };
}

/** Scenario `syntax`: reads edit plans on stdin, prints whether each edit left its file's text with a syntax error. */
async function syntaxScenario(root: string, dist: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const plans = editPlansSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  const loader = new TreeSitterLoader(grammarLocationFromDist(dist), nullLogger);
  const out: boolean[] = [];
  try {
    for (const { file, changes } of plans) {
      const language = languageForPath(file);
      let text = (await readFile(path.join(root, file), 'utf8')).replace(/^\uFEFF/, '');
      for (const c of changes) {
        text = text.slice(0, c.start) + c.text + text.slice(c.start + c.deleteCount);
        if (language === 'text') {
          out.push(false);
          continue;
        }
        // (Read as the engine reads an open document: TypeScript with its grammar's gaps repaired, else effect's
        // `in`/`out` variance annotations count as syntax errors the index never sees.)
        const tree = (await loader.load(language)).parser.parse(repairedSource(text, documentRepairs(language, text).repairs));
        out.push(tree?.rootNode.hasError ?? false);
        tree?.delete();
      }
    }
  } finally {
    await loader.dispose();
  }
  console.log(JSON.stringify(out));
}

/** When this thread created the engine thread (performance.now()): edit log times relative to the engine's clock. */
let engineCreatedAt = 0;

async function session(index: ContextHost, queriesFile: string, replay: number, edits: number): Promise<Record<string, unknown>> {
  const queries = querySchema.parse(JSON.parse(await readFile(queriesFile, 'utf8')));
  const rssMb: Record<string, number> = { afterReopen: currentRssMb() };
  // What the engine thread's V8 heap has committed (garbage included) and its array buffers at the end of each
  // phase: where the RSS between phases goes.
  const engineHeapByPhaseMb: Record<string, string> = {};
  const noteEngineHeap = async (phase: string): Promise<void> => {
    const h = await index.engineHeap(false);
    engineHeapByPhaseMb[phase] = `new ${h.newSpace} old ${h.oldSpace} large ${h.largeObjects} (used ${h.heapUsed}) arrays ${h.arrayBuffers}`;
  };
  await noteEngineHeap('afterReopen');

  // The first query also builds the ranking index (BM25 postings, graph): reported on its own.
  const warmStart = performance.now();
  const first = queries[0];
  if (first) await index.getRelevantContext({ query: `${first.query} (warm-up)`, activeFile: first.activeFile });
  const rankingWarmupMs = performance.now() - warmStart;
  rssMb.afterFirstQuery = currentRssMb();
  await noteEngineHeap('afterFirstQuery');

  const latencies: number[] = [];
  // CPU time of every thread (caller, engine) over the queries: less noisy than latencies on a busy machine.
  const queryCpu = process.cpuUsage();
  // Diagnostics: BENCH_EDITS_ONLY=1 skips the timed queries and the replay (profiling the edits alone).
  const editsOnly = process.env.BENCH_EDITS_ONLY === '1';
  for (const q of editsOnly ? [] : queries) {
    const t = performance.now();
    await index.getRelevantContext({ query: q.query, activeFile: q.activeFile, openFiles: q.openFiles });
    latencies.push(performance.now() - t);
  }
  const queryCpuMs = cpuMsSince(queryCpu);
  rssMb.afterQueries = currentRssMb();
  await noteEngineHeap('afterQueries');

  // A fresh engine (empty cache, ranking index rebuilt) replays a stream with repeats.
  await index.resetEngine();
  const stream = editsOnly ? [] : replayStream(queries, replay, REPLAY_POOL, 7);
  for (const q of stream) await index.getRelevantContext({ query: q.query, activeFile: q.activeFile, openFiles: q.openFiles });
  const cache = index.cacheStats();
  rssMb.afterReplay = currentRssMb();
  await noteEngineHeap('afterReplay');

  // Incremental re-index: an open document takes small edits (a comment line typed in), each re-parsed
  // incrementally from the previous tree and re-extracted (where a tree has syntax errors, only the statements
  // around the edit, until the document settles); the first open (a full parse) is not timed. Each edit is timed
  // until the index as queries see it reflects it.
  const candidates = (await index.listFiles()).filter((f) => f.size < INCREMENTAL_MAX_BYTES && f.language !== 'text').map((f) => f.path).sort();
  const editable = shuffled(createSeededRandom(11), candidates);
  const files = editable.slice(0, Math.ceil(edits / EDITS_PER_FILE));
  const texts = new Map<string, string>();
  const typeLine = (file: string, i: number): TextChange => {
    const text = texts.get(file) ?? '';
    const lineEnd = text.indexOf('\n', Math.floor((text.length * (i + 1)) / (EDITS_PER_FILE + 1)));
    const at = lineEnd === -1 ? text.length : lineEnd;
    const change = { start: at, deleteCount: 0, text: `\n${lineCommentFor(file)} benchEdit${i}` };
    texts.set(file, text.slice(0, at) + change.text + text.slice(at));
    return change;
  };
  /**
   * Opens each file (a full parse, not timed), then types EDITS_PER_FILE edits into it (`count` in all), each `gapMs`
   * after the answer to the one before. Also gives the time each edit elapsed on the engine thread (nothing else runs
   * there meanwhile: the rest of an edit's time is the messages both ways and the threads waiting for a CPU).
   */
  const typeEdits = async (opened: readonly string[], count: number, gapMs: number): Promise<TypedEdits> => {
    const typed: TypedEdits = { times: [], engineTimes: [], starts: [], plans: [], maxFileBytes: 0 };
    for (const file of opened) {
      const text = (await index.readText(file)) ?? '';
      texts.set(file, text);
      typed.maxFileBytes = Math.max(typed.maxFileBytes, Buffer.byteLength(text));
      await index.updateDocument(file, text);
      const plan: EditPlan = { file, changes: [] };
      typed.plans.push(plan);
      for (let i = 0; i < EDITS_PER_FILE && typed.times.length < count; i++) {
        const change = typeLine(file, i);
        if (gapMs > 0) await sleep(gapMs);
        const t = performance.now();
        const timing = await index.updateDocument(file, texts.get(file) ?? '', [change]);
        typed.times.push(performance.now() - t);
        if (timing === undefined) throw new Error(`the edit of ${file} was not applied`);
        typed.engineTimes.push(timing.engineMs);
        typed.starts.push(t);
        plan.changes.push(change);
      }
    }
    return typed;
  };
  // CPU time of every thread over the edits (opening the documents included): less noisy than latencies.
  const editCpu = process.cpuUsage();
  // Diagnostics: with BENCH_EDITS_ONLY=1, BENCH_EDIT_GAP_MS=N spaces these edits too, N ms apart (docs/benchmark-history.md's edits-only
  // sessions with gaps, the code cold); their figures are then no longer back to back. Ignored in a full session.
  const firstGapMs = editsOnly ? Number(process.env.BENCH_EDIT_GAP_MS ?? '0') : 0;
  const { times: editTimes, engineTimes: editEngineTimes, starts: editStarts, plans: editPlans, maxFileBytes } = await typeEdits(files, edits, firstGapMs);
  const editCpuMs = cpuMsSince(editCpu);
  // Diagnostics: BENCH_EDIT_LOG=FILE writes each of these back-to-back edits (file, change, ms, its start `at` in ms since the
  // engine thread was created, in order) as JSON lines.
  const editLog = process.env.BENCH_EDIT_LOG;
  if (editLog) {
    let k = 0;
    const lines = editPlans.flatMap((p) => p.changes.map((change, i) => JSON.stringify({ file: p.file, i, change, ms: editTimes[k], engineMs: editEngineTimes[k], at: (editStarts[k++] ?? 0) - engineCreatedAt })));
    await writeFile(editLog, `${lines.join('\n')}\n`);
  }
  rssMb.afterEdits = currentRssMb();
  await noteEngineHeap('afterEdits');
  // The same, timed until the index holds exactly what a fresh index of the edited text would (the edit, then
  // settling the document at once instead of after its quiet period): what the figure above meant before
  // documents with syntax errors were answered from the statements around the edit. One more edit per file.
  const exactTimes: number[] = [];
  await index.settleDocuments(); // (those still within their quiet period: not this loop's work)
  for (const plan of editPlans) {
    const change = typeLine(plan.file, EDITS_PER_FILE);
    const t = performance.now();
    await index.updateDocument(plan.file, texts.get(plan.file) ?? '', [change]);
    await index.settleDocuments();
    exactTimes.push(performance.now() - t);
    plan.changes.push(change);
  }
  // The same kind of edits, paced, in other files: each PACED_GAP_MS after the answer to the one before, where
  // the edits above come back to back. (After the edits above: the code they ran is warm.)
  const paced = await typeEdits(editable.slice(files.length, files.length + Math.ceil(PACED_EDITS / EDITS_PER_FILE)), PACED_EDITS, PACED_GAP_MS);
  // What the engine thread's V8 heap has committed (garbage included), then what it keeps: peak RSS
  // includes garbage not yet collected (run with --expose-gc; collected only now, so the peak is untouched).
  const { newSpace, oldSpace, largeObjects, external, heapUsed, arrayBuffers, collected } = await index.engineHeap(true);
  const heapSpacesMb = { newSpace, oldSpace, largeObjects, external };
  if (collected) {
    rssMb.retainedHeapAfterGc = heapUsed;
    // Typed arrays (the ranking index keeps most of its data in them) live outside the V8 heap.
    rssMb.retainedArrayBuffersAfterGc = arrayBuffers;
    // Freed memory the process keeps (V8 pages, the C allocator's arenas) is not returned by a collection.
    rssMb.afterGc = currentRssMb();
  }
  // Each plan's last change is its untilExact edit.
  const errorsOf = syntaxErrorsAfter(editPlans);
  const exactEdit = editPlans.flatMap((p) => p.changes.map((_, i) => i === p.changes.length - 1));
  const main = process.memoryUsage();
  return {
    rssMb,
    engineHeapByPhaseMb,
    heapSpacesMb,
    callerThreadMb: { heapTotal: Math.round(main.heapTotal / 1048576), heapUsed: Math.round(main.heapUsed / 1048576) },
    rankingWarmupMs: Math.round(rankingWarmupMs),
    query: { ...summary(latencies), cpuMs: queryCpuMs },
    cache: { queries: stream.length, distinctQueries: new Set(stream.map((q) => q.id)).size, hits: cache.hits, hitRate: cache.hitRate },
    incremental: {
      ...summary(editTimes),
      engineThread: summary(editEngineTimes),
      paced: { ...summary(paced.times), gapMs: PACED_GAP_MS, engineThread: summary(paced.engineTimes) },
      cpuMs: editCpuMs,
      maxFileBytes,
      ...bySyntaxErrors(editTimes, errorsOf.filter((_, i) => !exactEdit[i])),
      untilExact: { ...summary(exactTimes), ...bySyntaxErrors(exactTimes, errorsOf.filter((_, i) => exactEdit[i])) },
    },
  };
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      root: { type: 'string' },
      dist: { type: 'string' },
      storage: { type: 'string' },
      workers: { type: 'string', default: '2' },
      queries: { type: 'string' },
      replay: { type: 'string', default: '400' },
      edits: { type: 'string', default: '300' },
    },
  });
  const scenario = positionals[0];
  const { root, dist, storage } = values;
  if (!root || !dist || !storage) throw new Error('--root, --dist and --storage are required');
  if (scenario === 'syntax') return syntaxScenario(root, dist);
  // Timed from before the engine thread exists: starting it (and the parse workers it starts) is part of
  // opening a workspace in the product.
  const wallStart = performance.now();
  engineCreatedAt = wallStart;
  const cpu = process.cpuUsage();
  const index = openIndex(root, dist, storage, Number(values.workers));
  try {
    // RSS of the whole process (main thread, worker threads, wasm) sampled at each progress report,
    // the highest per phase: where a cold index's memory goes.
    const buildRssMb: Record<string, number> = {};
    const stats = await index.build({
      onProgress: ({ phase }) => {
        buildRssMb[phase] = Math.max(buildRssMb[phase] ?? 0, currentRssMb());
      },
    });
    const wallMs = performance.now() - wallStart;
    const cpuMs = cpuMsSince(cpu);
    buildRssMb.afterBuild = currentRssMb();
    // The index is ready (and timed) before it is saved; the save follows in the background. Its time is
    // reported on its own, and the peak RSS below is taken after it, so the save's memory counts.
    const saveStart = performance.now();
    const saveCpu = process.cpuUsage();
    await index.whenSaved();
    const save = { ms: Math.round(performance.now() - saveStart), cpuMs: cpuMsSince(saveCpu) };
    buildRssMb.afterSave = currentRssMb();
    const heap = process.memoryUsage();
    const mainThreadMb = { heapTotal: Math.round(heap.heapTotal / 1048576), heapUsed: Math.round(heap.heapUsed / 1048576), external: Math.round(heap.external / 1048576) };
    const engine = await index.engineHeap(false);
    const engineThreadMb = { newSpace: engine.newSpace, oldSpace: engine.oldSpace, heapUsed: engine.heapUsed, arrayBuffers: engine.arrayBuffers };
    const built = {
      ms: Math.round(wallMs),
      indexMs: Math.round(stats.ms),
      cpuMs,
      save,
      files: stats.files,
      definitions: stats.definitions,
      references: stats.references,
      parsed: stats.parsed,
      reused: stats.reused,
      buildRssMb,
      mainThreadMb,
      engineThreadMb,
    };
    if (scenario === 'cold' || scenario === 'warm') {
      console.log(JSON.stringify({ ...built, peakRssMb: peakRssMb() }));
    } else if (scenario === 'session') {
      if (!values.queries) throw new Error('--queries is required');
      const result = await session(index, values.queries, Number(values.replay), Number(values.edits));
      console.log(JSON.stringify({ ...built, ...result, peakRssMb: peakRssMb() }));
    } else {
      throw new Error(`unknown scenario ${scenario ?? '(none)'}`);
    }
  } finally {
    await index.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
