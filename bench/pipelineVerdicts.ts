// How the generation pipeline benchmark's figures are judged against their targets (pure, so unit-tested).
// bench/pipelineBench.ts measures; these say PASS or MISS.

export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly pass: boolean;
  readonly detail: string;
}

/** Requests a benchmark sent and how many of them failed (as the PerformanceMonitor counts them). */
export interface RequestTally {
  readonly requests: number;
  readonly failed: number;
}

export const MAX_ERROR_RATE = 0.01;

/**
 * Heap after 10,000 requests against after 1,000: within ±10 %, and only when every request was answered — requests
 * that fail cost less memory than answers (nothing is cached), so a failing run says nothing about the target.
 */
export function memoryVerdict(after1kBytes: number, after10kBytes: number, tally: RequestTally, holding: string): BenchFigure {
  const growth = (after10kBytes - after1kBytes) / after1kBytes;
  const failed = tally.failed > 0 ? `; ${tally.failed} of ${tally.requests} requests failed: not a measurement of answered requests` : '';
  return {
    name: 'heap after 10,000 requests vs after 1,000',
    value: round(growth * 100),
    unit: '% change',
    target: 'within ±10 %, every request answered',
    pass: Math.abs(growth) <= 0.1 && tally.failed === 0 && tally.requests > 0,
    detail: `${mb(after1kBytes)} MB → ${mb(after10kBytes)} MB (${holding})${failed}`,
  };
}

/** The share of the pipeline benchmark's requests that failed (a local server without faults: normal operation). */
export function errorRateVerdict(tally: RequestTally): BenchFigure {
  const rate = tally.requests === 0 ? Number.NaN : tally.failed / tally.requests;
  return {
    name: 'error rate in normal operation (every request of this benchmark, local server without faults)',
    value: Number.isNaN(rate) ? 0 : round(rate * 100),
    unit: '%',
    target: '< 1 %',
    pass: !Number.isNaN(rate) && rate < MAX_ERROR_RATE,
    detail: tally.requests === 0 ? 'no requests made' : `${tally.failed} of ${tally.requests} requests failed`,
  };
}

/** One timed `batchGenerate` call after a warm-up call, and how the batcher was set up. */
export interface ThroughputRun {
  /** Requests in the timed call, and how long it took. */
  readonly requests: number;
  readonly ms: number;
  readonly failed: number;
  /** The warm-up call before it: its failures count against the figure too. */
  readonly warmUp: RequestTally;
  /** contexten.batch.size: batches go out one at a time, so at most this many generations run at once… */
  readonly batchSize: number;
  /** …and at most this many HTTP connections are open. */
  readonly connections: number;
}

/** `batchGenerate` throughput against ≥ 1,000 requests/min, named by how many generations it ran at once; no PASS with failures. */
export function throughputVerdict(run: ThroughputRun): BenchFigure {
  const perMin = run.ms > 0 ? (run.requests / run.ms) * 60_000 : 0;
  const failed = run.failed + run.warmUp.failed;
  const atOnce = Math.min(run.batchSize, run.connections);
  return {
    name: `batchGenerate throughput (batch size ${run.batchSize}, batches one at a time: at most ${atOnce} generations at once)`,
    value: Math.round(perMin),
    unit: 'requests/min',
    target: '≥ 1,000 requests/min',
    pass: perMin >= 1_000 && failed === 0 && run.requests > 0,
    detail: `${run.requests} requests in ${round(run.ms)} ms, ${run.failed} failed; warm-up ${run.warmUp.failed} of ${run.warmUp.requests} failed (${run.connections} connections allowed)`,
  };
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function mb(bytes: number): number {
  return round(bytes / 1_048_576);
}
