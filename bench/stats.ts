// Small statistics helpers for timings.
import { percentile as percentileOfSorted } from '../src/core/stats/numberRing';

/** The p-th percentile (0..100) by nearest rank of a list in any order; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted([...values].sort((a, b) => a - b), p) ?? Number.NaN;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Milliseconds since `start` (a performance.now() value), rounded to 0.01 ms. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

/** CPU time (user + system, all threads of this process) since `start` (a process.cpuUsage() value), in ms. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return Math.round((d.user + d.system) / 1000);
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Runs `measure` `runs` times (at least once) and keeps the fastest result. */
export async function fastestOf<T extends { ms: number }>(runs: number, measure: () => Promise<T>): Promise<T> {
  return (await fastestOfRounds(Math.max(1, runs), { measure })).measure;
}

/**
 * Runs every measure of `measures` `runs` times, in rounds (each round runs them once, in order), and keeps the
 * fastest result of each. A slower spell of the machine (a VM whose host is busy: none of this machine's counters shows
 * it, but the same work then takes more CPU time) lasting a few seconds then slows one round, not every run of one
 * measure: run back to back, the three runs of a 2-second measure could all fall in it, and a ratio of two measures
 * taken minutes apart would compare a slow spell with a quiet one.
 */
export async function fastestOfRounds<M extends Record<string, () => Promise<{ ms: number }>>>(runs: number, measures: M): Promise<{ [K in keyof M]: Awaited<ReturnType<M[K]>> }> {
  if (!(runs >= 1)) throw new Error(`fastestOfRounds needs at least one round, got ${runs}`);
  const best = new Map<keyof M, { ms: number }>();
  // In the order the measures were written (names that are not integers keep it): a measure may read what the one
  // before it in the round left (run.ts: the warm reopen reads what the 2-worker cold run saved).
  for (let round = 0; round < runs; round++) {
    for (const [key, measure] of Object.entries(measures) as [keyof M, () => Promise<{ ms: number }>][]) {
      const next = await measure();
      const kept = best.get(key);
      if (kept === undefined || next.ms < kept.ms) best.set(key, next);
    }
  }
  return Object.fromEntries(best) as { [K in keyof M]: Awaited<ReturnType<M[K]>> };
}
