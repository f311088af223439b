// `npm run bench`: the context engine's performance on real and synthetic corpora, then the generation pipeline's.
//   BENCH_FULL=1        also run the 50,000-file synthetic workspace (several minutes more)
//   BENCH_CORPORA=a,b   only these corpora (effect, monaco, synthetic-5000, synthetic-50000)
//   BENCH_RUNS=n        measure each timed scenario n times and keep the fastest (default 1); the parse floor, the
//                       cold index and the warm reopen go in rounds (floor, 1 worker, 2 workers, warm; n times)
// Prints a table per run and the PASS/MISS of every target, and writes bench/results/latest.json.
// A MISS is a finding, not a failure: the exit code is non-zero only when the bench itself broke.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import {
  checkTargets,
  formatResults,
  formatTargets,
  throughput,
  type BenchResults,
  type CorpusResult,
} from './benchReport';
import { runJsonChild, tsxScript } from './childProcess';
import { buildBenchBinaries } from './benchBuild';
import { coldIndexRun, measureContextEngine, warmReopenRun } from './contextBench';
import { contended, type Measured, OTHERS_BUSY_SHARE, othersShare, roundShare, sampleLoad, shareOf, underLoad, wasBusy } from './machineLoad';
import { fastestOf, fastestOfRounds } from './stats';
import { EFFECT_CORPUS, ensureNpmCorpus, ensureSyntheticCorpus, MONACO_CORPUS, REPO_ROOT, type Corpus } from './corpora';

const SYNTHETIC_SEED = 1;

const readOnlySchema = z.object({ files: z.number(), bytes: z.number(), ms: z.number(), cpuMs: z.number(), peakRssMb: z.number() });
const parseFloorSchema = readOnlySchema.extend({ initMs: z.number(), parseMs: z.number(), filesWithErrors: z.number() });

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

async function loadCorpora(full: boolean, only: ReadonlySet<string> | undefined): Promise<Corpus[]> {
  const wanted = (name: string): boolean => !only || only.has(name);
  const out: Corpus[] = [];
  if (wanted('effect')) out.push(await ensureNpmCorpus(EFFECT_CORPUS, log));
  if (wanted('monaco')) out.push(await ensureNpmCorpus(MONACO_CORPUS, log));
  if (wanted('synthetic-5000')) out.push(await ensureSyntheticCorpus(5000, SYNTHETIC_SEED, log));
  if ((full && !only) || only?.has('synthetic-50000')) out.push(await ensureSyntheticCorpus(50_000, SYNTHETIC_SEED, log));
  return out;
}

async function benchCorpus(corpus: Corpus, runs: number): Promise<CorpusResult> {
  log(`${corpus.name}: read-only pass`);
  const ro = await fastestOf(runs, () => underLoad(() => runJsonChild(tsxScript('scenarioChild.ts', 'read-only', corpus.root), readOnlySchema)));
  // The floor and the runs it and they divide, in rounds (fastestOfRounds): a slower spell of the machine then slows
  // one round, not every run of one side of a ratio. (Each round's warm reopen reads what its 2-worker run saved.)
  log(`${corpus.name}: parse-only floor, cold index with 1 and 2 workers, warm reopen (${runs} round(s))`);
  const { floor: pf, cold1, cold2, warm } = await fastestOfRounds(runs, {
    floor: () => underLoad(() => runJsonChild(tsxScript('scenarioChild.ts', 'parse-floor', corpus.root), parseFloorSchema)),
    cold1: () => coldIndexRun(corpus, 1),
    cold2: () => coldIndexRun(corpus, 2),
    warm: () => warmReopenRun(corpus),
  });
  const engine = await measureContextEngine(corpus, { log }, { cold: [cold1, cold2], warm });
  return {
    corpus: { name: corpus.name, files: corpus.files.length, mb: corpus.bytes / 1e6, skippedLarge: corpus.skippedLarge },
    readOnly: { ...throughput(ro.ms, ro.cpuMs, ro.files, ro.bytes, ro.peakRssMb), ...shareOf(ro) },
    parseFloor: { ...throughput(pf.ms, pf.cpuMs, pf.files, pf.bytes, pf.peakRssMb), ...shareOf(pf), initMs: pf.initMs, parseMs: pf.parseMs, filesWithErrors: pf.filesWithErrors },
    engine,
  };
}

async function main(): Promise<void> {
  const full = process.env.BENCH_FULL === '1' || process.argv.includes('--full');
  const only = process.env.BENCH_CORPORA ? new Set(process.env.BENCH_CORPORA.split(',').map((s) => s.trim())) : undefined;
  const runs = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? '1', 10) || 1);
  // The load before the bench's own setup (generating or unpacking corpora, the production build) adds to it.
  const loadAtStart = os.loadavg()[0] ?? 0;
  const corpora = await loadCorpora(full, only);
  // Built before the counters start: the esbuild service that builds them outlives the build, and its CPU time
  // would count as another process's (machineLoad.ts).
  await buildBenchBinaries();
  const countersAtStart = sampleLoad();
  const results: CorpusResult[] = [];
  for (const corpus of corpora) results.push(await benchCorpus(corpus, runs));

  const loadAtEnd = os.loadavg()[0] ?? 0;
  const share = othersShare(countersAtStart, sampleLoad());
  const busy = wasBusy(os.cpus().length, loadAtStart, loadAtEnd, share);
  const report: BenchResults = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    full,
    runs,
    loadAverage: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(loadAtEnd * 100) / 100 },
    ...(share !== undefined ? { othersCpuShare: roundShare(share) } : {}),
    busy,
    corpora: results,
    targets: checkTargets(results, busy),
  };
  const out = path.join(REPO_ROOT, 'bench', 'results', 'latest.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `\nContext engine benchmark — Node ${report.node}, ${report.cpus} CPUs, best of ${runs} run(s)${full ? ', full (50,000 files)' : ''}, ` +
      `load average ${report.loadAverage.start} → ${report.loadAverage.end}` +
      `${report.othersCpuShare !== undefined ? `, other processes ${(report.othersCpuShare * 100).toFixed(1)} % of the CPUs` : ''}\n`,
  );
  console.log(formatResults(report));
  if (busy) {
    console.log(
      `\nwarning: other processes competed for the ${report.cpus} CPUs (the load average before the run exceeded them, or they used ` +
        `over ${OTHERS_BUSY_SHARE * 100} % of the machine during it), so wall times may be inflated; the ratio targets below are judged ` +
        'on the stricter of wall and CPU time, and latencies may read high',
    );
  }
  console.log('');
  for (const c of results) for (const n of c.engine.notes) console.log(`note (${c.corpus.name}): ${n}`);
  for (const c of results) {
    const measured: [string, Measured][] = [
      ['parse floor', c.parseFloor],
      ...c.engine.coldIndex.map((r): [string, Measured] => [`cold index, ${r.workers} worker(s)`, r]),
      ['warm reopen', c.engine.warmReopen],
    ];
    for (const [what, m] of measured) {
      if (contended(m)) console.log(`note (${c.corpus.name}): the ${what} ran while other processes used ${((m.othersShare ?? 0) * 100).toFixed(0)} % of the machine: no ratio it enters can PASS (rerun on a quiet machine)`);
    }
  }
  console.log('\nTargets\n');
  console.log(formatTargets(report.targets));
  const misses = report.targets.filter((t) => t.status === 'MISS').length;
  console.log(`\n${report.targets.filter((t) => t.status === 'PASS').length} PASS, ${misses} MISS, ${report.targets.filter((t) => t.status === 'N/A').length} N/A — written to ${path.relative(REPO_ROOT, out)}`);

  // The generation pipeline's figures (issue 4): overhead, batch throughput, cache replay, memory — in a
  // child process so its heap does not mix with the context engine's. BENCH_PIPELINE=0 skips it.
  if (process.env.BENCH_PIPELINE !== '0') {
    console.log('');
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bench', 'pipelineBench.ts')], { stdio: 'inherit', cwd: REPO_ROOT });
    if (child.status !== 0) throw new Error(`the pipeline benchmark failed (exit ${String(child.status)})`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
