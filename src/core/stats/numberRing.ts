// Fixed-size sample windows for latency statistics: memory stays flat however many samples go through.

/** A fixed-capacity ring of numbers. */
export class NumberRing {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  push(v: number): void {
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.values.length;
    if (this.filled < this.values.length) this.filled += 1;
  }

  get size(): number {
    return this.filled;
  }

  /** The most recent `n` values (all when n is omitted), oldest first. */
  latest(n = this.filled): number[] {
    const k = Math.min(n, this.filled);
    const out = new Array<number>(k);
    const cap = this.values.length;
    for (let i = 0; i < k; i++) out[i] = this.values[(this.next - k + i + cap) % cap] ?? 0;
    return out;
  }

  /** The values in ascending order (for percentile). */
  sorted(): number[] {
    return this.latest().sort((a, b) => a - b);
  }
}

/** Nearest-rank percentile of an ascending array; undefined for an empty one. */
export function percentile(sortedAscending: readonly number[], p: number): number | undefined {
  if (sortedAscending.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1];
}
