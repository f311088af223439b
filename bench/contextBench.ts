// Context engine measurements for one corpus, each scenario in its own process (engineChild.ts):
// cold index with 1 and with 2 worker threads (into an empty storage folder, as a first open does),
// warm reopen from the saved index, and a session (query latency, cache hit rate, incremental re-index).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { throughput, type ColdIndexResult, type EngineResult } from './benchReport';
import { buildBenchBinaries } from './benchBuild';
import { deriveQueries } from './benchQueries';
import { runJsonChild } from './childProcess';
import { BENCH_CACHE, type Corpus } from './corpora';
import { shareOf, underLoad, type Measured } from './machineLoad';

export interface EngineBenchOptions {
  readonly log: (line: string) => void;
}

const QUERY_COUNT = 220;
const QUERY_SEED = 5;
const REPLAY_LENGTH = 500;
const INCREMENTAL_EDITS = 300;

const builtSchema = z.object({
  ms: z.number(),
  indexMs: z.number(),
  cpuMs: z.number(),
  /** The background save after the index is ready (not in ms/cpuMs). */
  save: z.object({ ms: z.number(), cpuMs: z.number() }),
  files: z.number(),
  definitions: z.number(),
  references: z.number(),
  parsed: z.number(),
  reused: z.number(),
  buildRssMb: z.record(z.string(), z.number()),
  mainThreadMb: z.object({ heapTotal: z.number(), heapUsed: z.number(), external: z.number() }),
  engineThreadMb: z.object({ newSpace: z.number(), oldSpace: z.number(), heapUsed: z.number(), arrayBuffers: z.number() }),
  peakRssMb: z.number(),
});
const latencySchema = z.object({ count: z.number(), p50Ms: z.number(), p95Ms: z.number(), maxMs: z.number() });
const sessionSchema = builtSchema.extend({
  rssMb: z.record(z.string(), z.number()),
  engineHeapByPhaseMb: z.record(z.string(), z.string()),
  heapSpacesMb: z.record(z.string(), z.number()),
  rankingWarmupMs: z.number(),
  query: latencySchema,
  cache: z.object({ queries: z.number(), distinctQueries: z.number(), hits: z.number(), hitRate: z.number() }),
  incremental: latencySchema.extend({
    engineThread: latencySchema,
    paced: latencySchema.extend({ gapMs: z.number(), engineThread: latencySchema }),
    cpuMs: z.number(),
    maxFileBytes: z.number(),
    withErrors: latencySchema,
    clean: latencySchema,
    untilExact: latencySchema.extend({ withErrors: latencySchema, clean: latencySchema }),
  }),
});

function describeMb(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** One run that opens a corpus, a cold index or a warm reopen (what it built, and the share of the machine others used meanwhile). */
export type OpeningRun = z.infer<typeof builtSchema> & Measured;

/** Where a corpus's scenarios keep their saved indexes (cold-1, cold-2: the cold runs'; the warm reopen reads cold-2's). */
function storageBaseOf(corpus: Corpus): string {
  return path.join(BENCH_CACHE, 'storage', corpus.name);
}

/** The engine child's arguments for a scenario over `corpus`, its index saved in `storage`. */
async function engineChildArgs(corpus: Corpus, scenario: string, storage: string, ...extra: string[]): Promise<string[]> {
  const { engineChild, distDir } = await buildBenchBinaries();
  return [...(scenario === 'session' ? ['--expose-gc'] : []), engineChild, scenario, '--root', corpus.root, '--dist', distDir, '--storage', storage, ...extra];
}

/** Indexes `corpus` from nothing with `workers` parse workers, into an empty storage folder (as a first open does). */
export async function coldIndexRun(corpus: Corpus, workers: number): Promise<OpeningRun> {
  const storage = path.join(storageBaseOf(corpus), `cold-${workers}`);
  await rm(storage, { recursive: true, force: true });
  await mkdir(storage, { recursive: true });
  const args = await engineChildArgs(corpus, 'cold', storage, '--workers', String(workers));
  return underLoad(() => runJsonChild(args, builtSchema));
}

/** Reopens `corpus` from what its last 2-worker cold run saved (the product's default worker count on 2 cores). */
export async function warmReopenRun(corpus: Corpus): Promise<OpeningRun> {
  const args = await engineChildArgs(corpus, 'warm', path.join(storageBaseOf(corpus), 'cold-2'), '--workers', '2');
  return underLoad(() => runJsonChild(args, builtSchema));
}

/** The fastest of each kind of run that opens a corpus (measured in rounds with the parse floor: run.ts). */
export interface OpeningRuns {
  /** Cold runs with 1 and 2 workers (coldIndexRun). */
  readonly cold: readonly [OpeningRun, OpeningRun];
  /** warmReopenRun. */
  readonly warm: OpeningRun;
}

/** The engine's figures for `corpus`: its opening runs' (measured by the caller), then a session's. */
export async function measureContextEngine(corpus: Corpus, options: EngineBenchOptions, { cold, warm }: OpeningRuns): Promise<EngineResult> {
  const { log } = options;
  const storageBase = storageBaseOf(corpus);
  const coldIndex: ColdIndexResult[] = [];
  const coldMemory: string[] = [];
  cold.forEach((r, i) => {
    const workers = i + 1;
    coldIndex.push({ ...throughput(r.ms, r.cpuMs, r.files, corpus.bytes, r.peakRssMb), ...shareOf(r), workers, definitions: r.definitions, references: r.references });
    coldMemory.push(`cold ${workers} worker(s): ready in ${r.ms} ms (the index's own build ${r.indexMs} ms, the rest starting the engine thread), then saved in ${r.save.ms} ms (cpu ${r.save.cpuMs}); RSS by phase (MB) ${describeMb(r.buildRssMb)}; peak ${r.peakRssMb}; caller thread heap ${r.mainThreadMb.heapUsed} used / ${r.mainThreadMb.heapTotal} total; engine thread heap ${r.engineThreadMb.heapUsed} used, committed new ${r.engineThreadMb.newSpace} + old ${r.engineThreadMb.oldSpace}`);
  });

  // The session reopens what the last 2-worker cold run saved, as the warm reopen did.
  const saved = path.join(storageBase, 'cold-2');

  log(`${corpus.name}: queries, cache replay, incremental re-index`);
  const queries = deriveQueries(corpus, QUERY_COUNT, QUERY_SEED);
  const queriesFile = path.join(storageBase, 'queries.json');
  await writeFile(queriesFile, JSON.stringify(queries));
  const s = await runJsonChild(await engineChildArgs(corpus, 'session', saved, '--workers', '2', '--queries', queriesFile, '--replay', String(REPLAY_LENGTH), '--edits', String(INCREMENTAL_EDITS)), sessionSchema);

  const notes = [
    `ranking index built on the first query after reopening: ${s.rankingWarmupMs} ms (not in the query percentiles)`,
    `cache replay: ${s.cache.queries} requests over ${s.cache.distinctQueries} distinct queries, so at most ${((1 - s.cache.distinctQueries / s.cache.queries) * 100).toFixed(1)} % can hit`,
    `session memory (MB): ${describeMb(s.rssMb)}; peak RSS ${s.peakRssMb}; engine-thread heap committed at the end: ${describeMb(s.heapSpacesMb)}`,
    `session engine-thread heap by phase (MB): ${Object.entries(s.engineHeapByPhaseMb)
      .map(([phase, heap]) => `${phase} ${heap}`)
      .join('; ')}`,
    ...coldMemory,
  ];
  if (warm.parsed > 0) notes.push(`warm reopen re-parsed ${warm.parsed} file(s)`);
  if (queries.length < QUERY_COUNT) notes.push(`only ${queries.length} distinct queries could be derived`);
  return {
    coldIndex,
    warmReopen: { ms: warm.ms, cpuMs: warm.cpuMs, peakRssMb: warm.peakRssMb, filesReparsed: warm.parsed, ...shareOf(warm) },
    query: { ...s.query, peakRssMb: s.peakRssMb },
    incremental: s.incremental,
    cache: s.cache,
    notes,
  };
}
