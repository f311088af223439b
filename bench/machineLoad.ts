// Whether other processes competed for the CPUs while the bench ran. The 1-minute load average cannot tell: the
// bench's own threads (a 2-worker cold index keeps three busy) lift it above the CPU count on an idle two-core
// machine. On Linux the kernel's counters can: the whole machine's busy time (/proc/stat, steal time included —
// on a VM that is the host running someone else) minus the CPU time of the bench and its waited-for children
// (/proc/self/stat) is what everything else used.

import { readFileSync } from 'node:fs';

/** Clock ticks of the whole machine: busy (user, nice, system, irq, softirq, steal) and in all. */
export interface MachineTicks {
  readonly busy: number;
  readonly total: number;
}

/** A reading of the counters: the machine's ticks and this process's own (itself and its waited-for children). */
export interface LoadSample {
  readonly machine: MachineTicks;
  readonly own: number;
}

/** Above this share of the machine's capacity used by other processes over the run, the run counts as busy. */
export const OTHERS_BUSY_SHARE = 0.1;

/** The aggregate `cpu` line of /proc/stat, or undefined when the text has none. */
export function parseMachineTicks(procStat: string): MachineTicks | undefined {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const n = line.trim().split(/\s+/).slice(1).map(Number);
  if (n.length < 8 || n.some((v) => !Number.isFinite(v))) return undefined;
  // user nice system idle iowait irq softirq steal [guest guest_nice — already counted in user and nice]
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = n;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** utime + stime + cutime + cstime of a /proc/PID/stat line, or undefined when it is not one. */
export function parseOwnTicks(procSelfStat: string): number | undefined {
  // The command name (field 2) is in parentheses and may hold spaces or parentheses: count from after the last ')'.
  const rest = procSelfStat.slice(procSelfStat.lastIndexOf(')') + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state), so fields 14..17 are rest[11..14].
  const times = rest.slice(11, 15).map(Number);
  if (times.length < 4 || times.some((v) => !Number.isInteger(v) || v < 0)) return undefined;
  return times.reduce((a, b) => a + b, 0);
}

/** The counters now, or undefined where /proc cannot be read (not Linux). */
export function sampleLoad(): LoadSample | undefined {
  try {
    const machine = parseMachineTicks(readFileSync('/proc/stat', 'utf8'));
    const own = parseOwnTicks(readFileSync('/proc/self/stat', 'utf8'));
    return machine && own !== undefined ? { machine, own } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The share of the machine's capacity (0..1) that other processes used between two samples: the machine's busy
 * ticks less this process's own, over all ticks. Undefined without both samples or when no time passed.
 */
export function othersShare(start: LoadSample | undefined, end: LoadSample | undefined): number | undefined {
  if (!start || !end) return undefined;
  const total = end.machine.total - start.machine.total;
  if (total <= 0) return undefined;
  const others = end.machine.busy - start.machine.busy - (end.own - start.own);
  return Math.min(1, Math.max(0, others / total));
}

/**
 * Whether the run was busy: the load average was above the CPU count before it started, or other processes used
 * more than OTHERS_BUSY_SHARE of the machine during it. Where that share is unknown, the load average at the end
 * decides, as before (it may count the bench's own threads: a false "busy", which can only make the verdict stricter).
 */
export function wasBusy(cpus: number, loadAtStart: number, loadAtEnd: number, share: number | undefined): boolean {
  if (loadAtStart > cpus) return true;
  return share !== undefined ? share > OTHERS_BUSY_SHARE : loadAtEnd > cpus;
}

/** What a measurement carries of the machine's load: the share (0..1) other processes used while it ran (absent where unknown). */
export interface Measured {
  readonly othersShare?: number;
}

/** A measurement, with the share of the machine other processes used while it ran. */
export type UnderLoad<T> = T & Measured;

/**
 * Runs one measurement and notes what share of the machine other processes used meanwhile: the run's share is an
 * average over minutes, while a competitor of a few seconds can slow one measurement (and so one side of a ratio).
 */
export async function underLoad<T extends object>(measure: () => Promise<T>, sample: () => LoadSample | undefined = sampleLoad): Promise<UnderLoad<T>> {
  const before = sample();
  const value = await measure();
  const share = othersShare(before, sample());
  return share === undefined ? value : { ...value, othersShare: share };
}

/** Whether other processes used more than OTHERS_BUSY_SHARE of the machine while this measurement ran. */
export function contended(m: Measured | undefined): boolean {
  return (m?.othersShare ?? 0) > OTHERS_BUSY_SHARE;
}

/** A share as reported (three decimals). */
export function roundShare(share: number): number {
  return Math.round(share * 1000) / 1000;
}

/** `{ othersShare }` of a measurement, to carry into its result (nothing where unknown). */
export function shareOf(m: Measured): Measured {
  return m.othersShare === undefined ? {} : { othersShare: roundShare(m.othersShare) };
}
