// Where the ranking index memoises the out-edges it computes: (target slot, weight) pairs in segments of a
// fixed size instead of one array grown by copying. A growing pool of millions of edges would otherwise leave
// its previous arrays (megabytes each) as garbage until a major collection, and freeing them raises the C
// allocator's thresholds, after which freed memory of every thread stays resident. Segments are kept when the
// memo starts over, so a pool that has reached its size allocates nothing more.
//
// Positions are global (segment number × SEGMENT_LENGTH + offset); one slot's edges never straddle segments.
// A run longer than a segment gets a segment of its own spanning as many segment numbers as it needs.

const SEGMENT_SHIFT = 16;
/**
 * Edges per segment: 256 KB of targets and 256 KB of weights. Weights are single precision (a walk sums them into
 * doubles): shares of a node's mass need no more than 7 digits, and at 50,000 files that is ~6 MB less.
 */
export const SEGMENT_LENGTH = 1 << SEGMENT_SHIFT;

export interface EdgeSegment {
  /** Global position of targets[0] / weights[0]. */
  readonly base: number;
  readonly targets: Int32Array;
  readonly weights: Float32Array;
}

const NO_SEGMENT: EdgeSegment = { base: 0, targets: new Int32Array(0), weights: new Float32Array(0) };

export class EdgePool {
  /** By segment number; a long run's segment is listed under every number it spans. */
  private segments: EdgeSegment[] = [];
  /** One more than the highest position handed out since the last reset. */
  used = 0;
  /** Positions handed out whose edges were forgotten since. */
  dead = 0;

  /** Reserves `count` contiguous positions after those in use; returns the first. */
  allocate(count: number): number {
    let start = this.used;
    const offset = start & (SEGMENT_LENGTH - 1);
    if (count > 0 && offset !== 0 && offset + count > SEGMENT_LENGTH) start += SEGMENT_LENGTH - offset;
    this.cover(start, count);
    this.used = start + count;
    return start;
  }

  /** The segment holding position `position` (a segment with nothing in it when none was needed there yet). */
  segmentAt(position: number): EdgeSegment {
    return this.segments[position >>> SEGMENT_SHIFT] ?? NO_SEGMENT;
  }

  /** Forgets every run; the segments stay for the next ones. */
  reset(): void {
    this.used = 0;
    this.dead = 0;
  }

  /**
   * Moves the live runs (by slot: starts[s]..ends[s], start -1 when none) next to each other in new segments,
   * in slot order, and updates starts and ends.
   */
  compact(starts: Int32Array, ends: Int32Array, slotEnd: number): void {
    const old = this.segments;
    this.segments = [];
    this.reset();
    for (let slot = 0; slot < slotEnd; slot++) {
      const start = starts[slot] as number;
      if (start < 0) continue;
      const end = ends[slot] as number;
      const to = this.allocate(end - start);
      if (end > start) {
        const from = old[start >>> SEGMENT_SHIFT] as EdgeSegment;
        const into = this.segmentAt(to);
        into.targets.set(from.targets.subarray(start - from.base, end - from.base), to - into.base);
        into.weights.set(from.weights.subarray(start - from.base, end - from.base), to - into.base);
      }
      starts[slot] = to;
      ends[slot] = to + end - start;
    }
  }

  /** Makes sure positions start..start+count lie in one segment (start is a segment's first position when they span several). */
  private cover(start: number, count: number): void {
    if (count === 0) return;
    const first = start >>> SEGMENT_SHIFT;
    const existing = this.segments[first];
    if (existing && existing.base + existing.targets.length >= start + count) return;
    // Positions from `start` on hold nothing live, so the numbers this segment spans can be taken over.
    const last = (start + count - 1) >>> SEGMENT_SHIFT;
    const length = (last - first + 1) * SEGMENT_LENGTH;
    const segment: EdgeSegment = { base: first * SEGMENT_LENGTH, targets: new Int32Array(length), weights: new Float32Array(length) };
    for (let i = first; i <= last; i++) this.segments[i] = segment;
  }
}
