// Personalized PageRank by local forward push (Andersen, Chung & Lang 2006): instead of iterating over
// the whole graph, residual mass is pushed out from the seeds until every residual is below `epsilon`.
// The work is proportional to the neighbourhood of the seeds, not to the size of the workspace, which
// keeps a query in the low milliseconds even on 50,000 definitions.

import type { EdgeGraph } from './rankingIndex';
import type { ScratchArrays } from './scratchArrays';
import { withLength } from './typedArrayGrowth';

export interface PageRankOptions {
  /** Teleport probability: the share of mass that stays at a node when it is pushed. */
  readonly alpha: number;
  /** Residuals below this are not pushed further. */
  readonly epsilon: number;
  /** Upper bound on edges pushed along, to cap the cost on pathological graphs (past it only by the seeds' own edges). */
  readonly maxEdgeVisits: number;
}

export const DEFAULT_PAGERANK: PageRankOptions = { alpha: 0.25, epsilon: 1e-4, maxEdgeVisits: 100_000 };

/** A sparse vector: values[i] belongs to slots[i]. */
export interface SparseVector {
  readonly slots: Int32Array;
  readonly values: Float64Array;
}

/**
 * Keys of a walk's dense work arrays in the caller's ScratchArrays. A walk's result is a copy, so once it has
 * returned they are free for the caller's own per-slot work (one set of dense arrays instead of two).
 */
export const PAGERANK_WORK_ARRAYS = { rank: 'pagerank.rank', residual: 'pagerank.residual', queued: 'pagerank.queued', queue: 'pagerank.queue', touched: 'pagerank.touched' } as const;

/** Keys of a walk's work arrays: PAGERANK_WORK_ARRAYS, or a caller's own that shares some with its other work. */
export type PageRankWorkArrays = { readonly [K in keyof typeof PAGERANK_WORK_ARRAYS]: string };

/**
 * Sparse PageRank vector (slots in the order first reached) for seeds whose masses sum to 1. Slots
 * (of seeds and edge targets) must be below `capacity`; the work arrays are dense over it (taken
 * from `scratch` when given, so repeated walks do not allocate them).
 */
export function personalizedPageRank(
  seeds: ReadonlyMap<number, number>,
  graph: EdgeGraph,
  capacity: number,
  options: PageRankOptions = DEFAULT_PAGERANK,
  scratch?: ScratchArrays,
  keys: PageRankWorkArrays = PAGERANK_WORK_ARRAYS,
): SparseVector & { readonly edgeVisits: number } {
  const rank = scratch ? scratch.float64(keys.rank, capacity) : new Float64Array(capacity);
  const residual = scratch ? scratch.float64(keys.residual, capacity) : new Float64Array(capacity);
  const inQueue = scratch ? scratch.uint8(keys.queued, capacity) : new Uint8Array(capacity);
  // Each slot is queued at most once at a time, so a ring over `capacity` holds the FIFO queue.
  const queue = scratch ? scratch.int32List(keys.queue, capacity) : new Int32Array(capacity);
  const touched = scratch ? scratch.int32List(keys.touched, capacity) : new Int32Array(capacity);
  let touchedCount = 0;
  let head = 0;
  let queued = 0;
  const ringSize = queue.length;
  for (const [slot, mass] of seeds) {
    residual[slot] = mass;
    inQueue[slot] = 1;
    queue[(head + queued++) % ringSize] = slot;
  }
  let visits = 0;
  // In rounds (Jacobi): every slot queued when a round begins gives up its residual first, then all of them push it
  // on; what reaches a slot of the round meanwhile waits for the next one. Pushed one at a time in queue order, the
  // result depended on the order slots sat in the queue — on their numbers, which change as files are indexed again
  // (an edit undone ranked low items a little otherwise than a fresh index did).
  let roundSlots = new Int32Array(64);
  let roundMass = new Float64Array(64);
  while (queued > 0) {
    let pushing = 0;
    let roundEdges = 0;
    for (let n = queued; n > 0; n--) {
      const u = queue[head] as number;
      head = (head + 1) % ringSize;
      queued--;
      inQueue[u] = 0;
      const r = residual[u] ?? 0;
      if (r <= options.epsilon) continue;
      if (pushing === roundSlots.length) {
        roundSlots = withLength(roundSlots, pushing + 1);
        roundMass = withLength(roundMass, pushing + 1);
      }
      roundSlots[pushing] = u;
      roundMass[pushing++] = r;
      // (Counted until the round is known to pass the cap: the edges of the rest need not be computed.)
      if (visits === 0 || visits + roundEdges <= options.maxEdgeVisits) {
        const start = graph.edgesStart(u);
        roundEdges += graph.edgesEnd(u) - start;
      }
    }
    for (let k = 0; k < pushing; k++) {
      const u = roundSlots[k] as number;
      const r = roundMass[k] as number;
      residual[u] = 0;
      if (rank[u] === 0) touched[touchedCount++] = u;
      rank[u] = (rank[u] ?? 0) + options.alpha * r;
    }
    // The cap ends the walk at a round that would pass it — its slots keep what they hold, pushed no further (whole
    // rounds only, for the same reason; the seeds' own round always runs).
    if (visits > 0 && visits + roundEdges > options.maxEdgeVisits) break;
    for (let k = 0; k < pushing; k++) {
      const u = roundSlots[k] as number;
      const start = graph.edgesStart(u);
      const end = graph.edgesEnd(u);
      const targets = graph.edgeTargets;
      const weights = graph.edgeWeights;
      const spread = (1 - options.alpha) * (roundMass[k] as number);
      for (let i = start; i < end; i++) {
        const v = targets[i] as number;
        const nr = (residual[v] ?? 0) + spread * (weights[i] as number);
        residual[v] = nr;
        if (nr > options.epsilon && inQueue[v] === 0) {
          inQueue[v] = 1;
          queue[(head + queued++) % ringSize] = v;
        }
      }
      visits += end - start;
    }
  }
  const slots = touched.slice(0, touchedCount);
  const values = new Float64Array(touchedCount);
  for (let i = 0; i < touchedCount; i++) values[i] = rank[slots[i] as number] as number;
  return { slots, values, edgeVisits: visits };
}
