// The shape of bench/results/latest.json, the target checks, and the printed tables.
import { contended, type Measured } from './machineLoad';

export interface Throughput extends Measured {
  /** Wall-clock time. */
  readonly ms: number;
  /** CPU time of the process (all threads): far less sensitive than `ms` to other load on a shared machine. */
  readonly cpuMs: number;
  readonly files: number;
  readonly bytes: number;
  readonly filesPerSec: number;
  readonly mbPerSec: number;
  readonly peakRssMb: number;
}

export interface ParseFloorResult extends Throughput {
  readonly initMs: number;
  readonly parseMs: number;
  readonly filesWithErrors: number;
}

export interface ColdIndexResult extends Throughput {
  readonly workers: number;
  readonly definitions: number;
  readonly references: number;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface EngineResult {
  readonly coldIndex: readonly ColdIndexResult[];
  readonly warmReopen: { readonly ms: number; readonly cpuMs: number; readonly peakRssMb: number; readonly filesReparsed: number } & Measured;
  /** Distinct queries, each a cache miss; peak RSS of the whole session (reopen, queries, replay, edits). */
  readonly query: LatencySummary & { readonly peakRssMb: number };
  /** All edits (the target), and split by whether the tree after the edit has syntax errors. */
  readonly incremental: LatencySummary & {
    /**
     * The time the same edits elapsed on the engine thread (ContextHost's DocumentUpdateTiming.engineMs); the rest of an
     * edit's time is the messages both ways and each thread waiting for a CPU. Absent in results of earlier versions.
     */
    readonly engineThread?: LatencySummary;
    /**
     * Edits of the same kind in other files, each `gapMs` after the answer to the one before (paced; the edits
     * above come back to back), with the time they elapsed on the engine thread. Absent in results of earlier versions.
     */
    readonly paced?: LatencySummary & { readonly gapMs: number; readonly engineThread: LatencySummary };
    /** CPU time of every thread over the edits, opening the documents included. */
    readonly cpuMs: number;
    readonly maxFileBytes: number;
    readonly withErrors: LatencySummary;
    readonly clean: LatencySummary;
    /** One more edit per file, timed until the index is exactly a fresh index of the text (the document settled at once). */
    readonly untilExact: LatencySummary & { readonly withErrors: LatencySummary; readonly clean: LatencySummary };
  };
  readonly cache: { readonly queries: number; readonly distinctQueries: number; readonly hits: number; readonly hitRate: number };
  /** Anything measured differently from the plan, or not measurable, said plainly. */
  readonly notes: readonly string[];
}

export interface CorpusResult {
  readonly corpus: { readonly name: string; readonly files: number; readonly mb: number; readonly skippedLarge: number };
  readonly readOnly: Throughput;
  readonly parseFloor: ParseFloorResult;
  readonly engine: EngineResult;
}

export type TargetStatus = 'PASS' | 'MISS' | 'N/A';

export interface TargetCheck {
  readonly corpus: string;
  readonly target: string;
  readonly measured: string;
  readonly status: TargetStatus;
}

export interface BenchResults {
  readonly generatedAt: string;
  readonly node: string;
  readonly cpus: number;
  readonly full: boolean;
  /** Measurements per scenario (the minimum is reported: the machine is shared, noise only adds time). */
  readonly runs: number;
  /** 1-minute load average when the run started and ended: above the CPU count, timings are inflated. */
  readonly loadAverage: { readonly start: number; readonly end: number };
  /** Share (0..1) of the machine's CPU capacity that other processes used during the run (Linux; machineLoad.ts). */
  readonly othersCpuShare?: number;
  /** Other processes competed for the CPUs (machineLoad.ts wasBusy): ratio targets were judged on the stricter of wall and CPU time. */
  readonly busy: boolean;
  readonly corpora: readonly CorpusResult[];
  readonly targets: readonly TargetCheck[];
}

export function throughput(ms: number, cpuMs: number, files: number, bytes: number, peakRssMb: number): Throughput {
  const s = ms / 1000;
  return {
    ms: Math.round(ms),
    cpuMs: Math.round(cpuMs),
    files,
    bytes,
    filesPerSec: s > 0 ? Math.round(files / s) : 0,
    mbPerSec: s > 0 ? Math.round((bytes / 1e6 / s) * 10) / 10 : 0,
    peakRssMb,
  };
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function coldFor(engine: EngineResult, workers: number): ColdIndexResult | undefined {
  return engine.coldIndex.find((c) => c.workers === workers);
}

function check(corpus: string, target: string, value: number | undefined, limit: number, show: (v: number) => string): TargetCheck {
  if (value === undefined || !Number.isFinite(value)) return { corpus, target, measured: 'not measured', status: 'N/A' };
  return { corpus, target, measured: show(value), status: value <= limit ? 'PASS' : 'MISS' };
}

/**
 * A ratio of two timings, judged on wall-clock time as the targets mean it, or, on a busy machine, on the
 * stricter of wall-clock and CPU time. Other processes inflate wall times at random — the denominator's as
 * much as the numerator's — while CPU time is barely touched by them; but CPU time adds up the threads that run
 * side by side, which can flatter a ratio as well as hurt it (a warm reopen on one thread against a cold index
 * on three: 9 % of the CPU time when it was 12 % of the wall time). The stricter of the two keeps CPU time from
 * flattering a busy run. That cannot undo every distortion: a denominator slowed by others in wall time and
 * many-threaded in CPU time deflates both ratios. So a ratio that others touched directly — one of its measurements
 * (or, for `touched`, another that decided which measurement to use) ran while they used much of the machine
 * (machineLoad.ts contended) — is never a PASS: above the limit it is a MISS, below it is not judged (N/A, saying why).
 */
function ratioCheck(corpus: string, target: string, limit: number, runBusy: boolean, a: Throughput | undefined, b: Throughput | undefined, show: (v: number) => string, touched: readonly Measured[] = []): TargetCheck {
  if (!a || !b || b.ms <= 0 || b.cpuMs <= 0) return { corpus, target, measured: 'not measured', status: 'N/A' };
  const disturbed = [a, b, ...touched].some(contended);
  const busy = runBusy || disturbed;
  const wall = a.ms / b.ms;
  const cpu = a.cpuMs / b.cpuMs;
  const judged = busy ? Math.max(cpu, wall) : wall;
  const measured = busy
    ? cpu >= wall
      ? `${show(cpu)} CPU time (wall ${show(wall)}: machine busy)`
      : `${show(wall)} (CPU time ${show(cpu)}: machine busy, the stricter counts)`
    : `${show(wall)} (CPU time ${show(cpu)})`;
  if (judged > limit) return { corpus, target, measured, status: 'MISS' };
  if (disturbed) return { corpus, target, measured: `${measured}; not judged: measured while other processes used much of the machine`, status: 'N/A' };
  return { corpus, target, measured, status: 'PASS' };
}

/**
 * Incremental re-index p95, judged on the stricter of the edits back to back and those 20 ms apart. A person's edits
 * come with time between them, after which this machine runs the same edit slower (session 18: p50 on the engine
 * thread 1.7–2.1× in the bench's order, ~2× or more in sessions of cold edits), while back to back the early edits wait
 * for V8's compiler threads warming up: either p95 can be the larger one. The paced edits come after the others (the
 * code warm) and 20 ms apart where the extension sends a document's changes 300 ms apart at the least: a lower bound
 * for the product's pace, not the pace itself.
 */
function incrementalCheck(corpus: string, incremental: EngineResult['incremental']): TargetCheck {
  const target = 'incremental re-index p95 ≤ 2 ms (files < 64 KB)';
  const ms = (v: number): string => `${fmt(v, 2)} ms`;
  if (incremental.count === 0) return { corpus, target, measured: 'not measured', status: 'N/A' };
  const { paced } = incremental;
  if (paced === undefined) return check(corpus, target, incremental.p95Ms, 2, ms);
  if (paced.count === 0) return check(corpus, target, incremental.p95Ms, 2, (v) => `${ms(v)} back to back (no edits 20 ms apart: too few files)`);
  const judged = Math.max(incremental.p95Ms, paced.p95Ms);
  const measured = `${ms(incremental.p95Ms)} back to back, ${ms(paced.p95Ms)} ${paced.gapMs} ms apart (the stricter counts)`;
  return { corpus, target, measured, status: judged <= 2 ? 'PASS' : 'MISS' };
}

/**
 * A replay's repeats (requests of a query asked earlier in the stream: all a cache can answer), the share of them that
 * hit (undefined without repeats), and the best hit rate over all requests the stream allows.
 */
function repeatHits(cache: EngineResult['cache']): { repeats: number; ofRepeats: number | undefined; ceiling: number } {
  const repeats = cache.queries - cache.distinctQueries;
  return { repeats, ofRepeats: repeats > 0 ? cache.hits / repeats : undefined, ceiling: cache.queries > 0 ? repeats / cache.queries : 0 };
}

/**
 * The context engine's hit rate on a replayed query stream (the seed's "> 80 % cache hit rate on repeated context
 * queries"): the pipeline benchmark's cache figure is the generation cache's, fed by a stub context source.
 * Judged on the repeats — the requests that ask a query asked earlier in the stream, the only ones a cache can answer —
 * not on all requests: their share is the stream's, not the cache's (500 requests from a pool of 100 with seed 7 draw
 * 86 distinct queries, so at most 82.8 % of all can hit, just over 80 % however well the cache does, and a seed drawing
 * all 100 leaves at most 80 %, a MISS for a perfect cache). Of the repeats a working cache answers every one.
 */
function contextCacheCheck(corpus: string, cache: EngineResult['cache']): TargetCheck {
  const target = 'context cache hit rate on repeated queries (replay) > 80 %';
  if (cache.queries === 0 || !Number.isFinite(cache.hitRate)) return { corpus, target, measured: 'not measured', status: 'N/A' };
  const { repeats, ofRepeats, ceiling } = repeatHits(cache);
  const ofAll = `${cache.hits} hits in ${cache.queries} requests, ${fmt(cache.hitRate * 100, 1)} % of all (at most ${fmt(ceiling * 100, 1)} %)`;
  if (ofRepeats === undefined) return { corpus, target, measured: `no repeated query in the stream; ${ofAll}`, status: 'N/A' };
  return { corpus, target, measured: `${fmt(ofRepeats * 100, 1)} % of ${repeats} repeats (${ofAll})`, status: ofRepeats > 0.8 ? 'PASS' : 'MISS' };
}

/** The issue's performance targets, checked per corpus (size-specific ones only where they apply). */
export function checkTargets(corpora: readonly CorpusResult[], busy: boolean): TargetCheck[] {
  const out: TargetCheck[] = [];
  const times = (v: number): string => `${fmt(v, 2)}×`;
  for (const c of corpora) {
    const name = c.corpus.name;
    const engine = c.engine;
    out.push(ratioCheck(name, 'cold index (1 worker) ≤ 1.4 × parse floor', 1.4, busy, coldFor(engine, 1), c.parseFloor, times));
    if (c.corpus.files <= 5000) {
      out.push(check(name, 'query p95 ≤ 50 ms (≤ 5,000 files)', engine.query.p95Ms, 50, (v) => `${fmt(v, 1)} ms`));
    }
    out.push(incrementalCheck(name, engine.incremental));
    const fastestCold = [...engine.coldIndex].sort((x, y) => x.ms - y.ms)[0];
    const warm = { ...engine.warmReopen, files: 0, bytes: 0, filesPerSec: 0, mbPerSec: 0 };
    // Every cold run decided which one is the denominator (a slowed one drops out, and its slowing with it).
    out.push(ratioCheck(name, 'warm reopen ≤ 10 % of cold index', 0.1, busy, warm, fastestCold, (v) => `${fmt(v * 100, 1)} %`, engine.coldIndex));
    const rss = Math.max(...engine.coldIndex.map((x) => x.peakRssMb), engine.warmReopen.peakRssMb, engine.query.peakRssMb);
    const rssLimit = c.corpus.files <= 5000 ? 300 : 500;
    out.push(check(name, `peak RSS ≤ ${rssLimit} MB (${c.corpus.files <= 5000 ? '≤ 5,000' : '50,000'} files)`, rss, rssLimit, (v) => `${fmt(v)} MB`));
    out.push(contextCacheCheck(name, engine.cache));
  }
  return out;
}

/** Pads columns to a plain-text table. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function speed(t: Throughput): string {
  return `${fmt(t.ms)} ms (cpu ${fmt(t.cpuMs)})  ${fmt(t.filesPerSec)} f/s  ${fmt(t.mbPerSec, 1)} MB/s`;
}

/** The per-corpus measurement table (metrics as rows, corpora as columns). */
export function formatResults(results: BenchResults): string {
  const cols = results.corpora;
  const row = (label: string, cell: (c: CorpusResult, e: EngineResult) => string): string[] => [label, ...cols.map((c) => cell(c, c.engine))];
  const cold = (workers: number) => (_c: CorpusResult, e: EngineResult) => {
    const r = coldFor(e, workers);
    return r ? `${speed(r)}  ${fmt(r.peakRssMb)} MB` : 'not measured';
  };
  const ratio = (c: CorpusResult, e: EngineResult, workers: number): string => {
    const r = coldFor(e, workers);
    return r ? `${fmt(r.ms / c.parseFloor.ms, 2)}×` : '–';
  };
  const cpuRatio = (c: CorpusResult, e: EngineResult, workers: number): string => {
    const r = coldFor(e, workers);
    return r ? `${fmt(r.cpuMs / c.parseFloor.cpuMs, 2)}×` : '–';
  };
  const rows = [
    row('files / MB (skipped > 256 KB)', (c) => `${c.corpus.files} / ${fmt(c.corpus.mb, 1)} (${c.corpus.skippedLarge})`),
    row('read-only', (c) => speed(c.readOnly)),
    row('parse floor, 1 thread', (c) => `${speed(c.parseFloor)}  ${fmt(c.parseFloor.peakRssMb)} MB`),
    row('  of which parse() / init', (c) => `${fmt(c.parseFloor.parseMs)} / ${fmt(c.parseFloor.initMs)} ms  (${c.parseFloor.filesWithErrors} files w/ ERROR)`),
    row('cold index, 1 worker', cold(1)),
    row('cold index, 2 workers', cold(2)),
    row('cold / parse floor (1w | 2w)', (c, e) => `${ratio(c, e, 1)} | ${ratio(c, e, 2)}`),
    row('  same in CPU time (1w | 2w)', (c, e) => `${cpuRatio(c, e, 1)} | ${cpuRatio(c, e, 2)}`),
    row('index size (defs / refs)', (_c, e) => (e.coldIndex[0] ? `${e.coldIndex[0].definitions} / ${e.coldIndex[0].references}` : '–')),
    row('warm reopen', (_c, e) => `${fmt(e.warmReopen.ms)} ms (cpu ${fmt(e.warmReopen.cpuMs)})  ${fmt(e.warmReopen.peakRssMb)} MB`),
    row('query p50 / p95 (n)', (_c, e) => `${fmt(e.query.p50Ms, 1)} / ${fmt(e.query.p95Ms, 1)} ms (${e.query.count})`),
    row('session peak RSS', (_c, e) => `${fmt(e.query.peakRssMb)} MB`),
    row('incremental back to back p50 / p95 (n), cpu', (_c, e) => `${fmt(e.incremental.p50Ms, 2)} / ${fmt(e.incremental.p95Ms, 2)} ms (${e.incremental.count}), cpu ${e.incremental.cpuMs} ms`),
    row('  elapsed on the engine thread', (_c, e) => (e.incremental.engineThread ? `${fmt(e.incremental.engineThread.p50Ms, 2)} / ${fmt(e.incremental.engineThread.p95Ms, 2)} ms` : '—')),
    row('  in files w/ ERROR', (_c, e) => `${fmt(e.incremental.withErrors.p50Ms, 2)} / ${fmt(e.incremental.withErrors.p95Ms, 2)} ms (${e.incremental.withErrors.count})`),
    row('  in clean files', (_c, e) => `${fmt(e.incremental.clean.p50Ms, 2)} / ${fmt(e.incremental.clean.p95Ms, 2)} ms (${e.incremental.clean.count})`),
    row('  until exact (settled at once), w/ ERROR', (_c, e) => `${fmt(e.incremental.untilExact.withErrors.p50Ms, 2)} / ${fmt(e.incremental.untilExact.withErrors.p95Ms, 2)} ms (${e.incremental.untilExact.withErrors.count})`),
    row('incremental paced, warm (n); engine thread', (_c, e) => {
      const paced = e.incremental.paced;
      return paced && paced.count > 0 ? `${fmt(paced.p50Ms, 2)} / ${fmt(paced.p95Ms, 2)} ms, ${paced.gapMs} ms apart (${paced.count}); ${fmt(paced.engineThread.p50Ms, 2)} / ${fmt(paced.engineThread.p95Ms, 2)} ms` : '—';
    }),
    row('context cache hit rate (replayed): repeats | all', (_c, e) => {
      const { ofRepeats, ceiling } = repeatHits(e.cache);
      return `${ofRepeats === undefined ? '–' : `${fmt(ofRepeats * 100, 1)} %`} | ${fmt(e.cache.hitRate * 100, 1)} % (at most ${fmt(ceiling * 100, 1)} %)`;
    }),
  ];
  return formatTable(['metric', ...cols.map((c) => c.corpus.name)], rows);
}

export function formatTargets(targets: readonly TargetCheck[]): string {
  return formatTable(
    ['status', 'corpus', 'target', 'measured'],
    targets.map((t) => [t.status, t.corpus, t.target, t.measured]),
  );
}
