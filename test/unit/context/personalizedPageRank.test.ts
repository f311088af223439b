import assert from 'node:assert/strict';
import { personalizedPageRank, type SparseVector } from '../../../src/core/context/personalizedPageRank';
import type { EdgeGraph } from '../../../src/core/context/rankingIndex';
import { ScratchArrays } from '../../../src/core/context/scratchArrays';
import { seededRandom } from './builders';

/** An edge graph over an adjacency list (uniform weights), counting the edges it hands out. */
class AdjacencyGraph implements EdgeGraph {
  readonly edgeTargets: Int32Array;
  readonly edgeWeights: Float32Array;
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  visits = 0;

  constructor(n: number, adjacency: (slot: number) => readonly number[]) {
    const targets: number[] = [];
    const weights: number[] = [];
    for (let u = 0; u < n; u++) {
      const out = adjacency(u);
      this.start.push(targets.length);
      for (const v of out) {
        targets.push(v);
        weights.push(1 / out.length);
      }
      this.end.push(targets.length);
    }
    this.edgeTargets = Int32Array.from(targets);
    this.edgeWeights = Float32Array.from(weights);
  }

  edgesStart(slot: number): number {
    this.visits += (this.end[slot] ?? 0) - (this.start[slot] ?? 0);
    return this.start[slot] ?? 0;
  }

  edgesEnd(slot: number): number {
    return this.end[slot] ?? 0;
  }
}

function graph(adjacency: Record<number, number[]>): AdjacencyGraph {
  return new AdjacencyGraph(6, (u) => adjacency[u] ?? []);
}

function asMap(vector: SparseVector): Map<number, number> {
  return new Map([...vector.slots].map((slot, i) => [slot, vector.values[i] ?? 0]));
}

/** Reference: dense power iteration of the same walk (dangling mass is dropped, like the push). */
function powerIteration(n: number, adjacency: Record<number, number[]>, seeds: Map<number, number>, alpha: number): number[] {
  let rank = new Array<number>(n).fill(0);
  for (let it = 0; it < 200; it++) {
    const next = new Array<number>(n).fill(0);
    for (let u = 0; u < n; u++) next[u] = alpha * (seeds.get(u) ?? 0);
    for (let u = 0; u < n; u++) {
      const targets = adjacency[u] ?? [];
      for (const v of targets) next[v] = (next[v] ?? 0) + ((1 - alpha) * (rank[u] ?? 0)) / targets.length;
    }
    rank = next;
  }
  // The push keeps alpha of what reaches each node; the fixed point above is the same quantity.
  return rank;
}

describe('personalized PageRank (forward push)', () => {
  const adjacency = { 0: [1, 2], 1: [3], 2: [3], 3: [4], 4: [], 5: [0] };

  it('agrees with power iteration on a small graph', () => {
    const seeds = new Map([[0, 1]]);
    const push = asMap(personalizedPageRank(seeds, graph(adjacency), 6, { alpha: 0.25, epsilon: 1e-10, maxEdgeVisits: 1e6 }));
    const exact = powerIteration(6, adjacency, seeds, 0.25);
    for (let u = 0; u < 6; u++) assert.ok(Math.abs((push.get(u) ?? 0) - (exact[u] ?? 0)) < 1e-6, `node ${u}`);
  });

  it('decays with distance from the seed and never reaches nodes upstream of it', () => {
    const rank = asMap(personalizedPageRank(new Map([[0, 1]]), graph(adjacency), 6, { alpha: 0.25, epsilon: 1e-9, maxEdgeVisits: 1e6 }));
    const r = (u: number): number => rank.get(u) ?? 0;
    assert.ok(r(0) > r(1) && r(1) === r(2) && r(3) > r(4) && r(4) > 0);
    assert.equal(rank.has(5), false);
    const total = [...rank.values()].reduce((a, b) => a + b, 0);
    assert.ok(total <= 1 + 1e-9);
  });

  it('gives the same ranks with reused scratch arrays as with fresh ones, walk after walk', () => {
    const scratch = new ScratchArrays();
    const options = { alpha: 0.25, epsilon: 1e-10, maxEdgeVisits: 1e6 };
    // Different seeds in turn: whatever one walk leaves in the reused arrays must not leak into the next.
    for (const seed of [0, 5, 3, 0, 4, 2]) {
      const seeds = new Map([[seed, 1]]);
      const fresh = personalizedPageRank(seeds, graph(adjacency), 6, options);
      const reused = personalizedPageRank(seeds, graph(adjacency), 6, options, scratch);
      assert.deepEqual([...asMap(reused)].sort(), [...asMap(fresh)].sort(), `seed ${seed}`);
    }
  });

  it('gives the same ranks whatever the slots are numbered and their edges listed in (a file indexed again renumbers them)', () => {
    const random = seededRandom(17);
    const n = 300;
    const adjacency: number[][] = Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => Math.floor(random() * n)).filter((v, i, all) => all.indexOf(v) === i));
    const seeds = new Map([
      [0, 0.5],
      [7, 0.3],
      [42, 0.2],
    ]);
    const options = { alpha: 0.25, epsilon: 1e-4, maxEdgeVisits: 1e6 };
    const reference = asMap(personalizedPageRank(seeds, new AdjacencyGraph(n, (u) => adjacency[u] ?? []), n, options));
    assert.ok(reference.size > 50);
    for (let round = 0; round < 5; round++) {
      // Slot u becomes renumbered[u]; each slot's edges in another order; the seeds given in another order.
      const renumbered = [...Array(n).keys()].sort(() => random() - 0.5);
      const original = new Array<number>(n);
      renumbered.forEach((to, from) => (original[to] = from));
      const moved = new AdjacencyGraph(n, (u) => [...(adjacency[original[u] ?? 0] ?? [])].reverse().map((v) => renumbered[v] ?? 0));
      const movedSeeds = new Map([...seeds].reverse().map(([slot, mass]) => [renumbered[slot] ?? 0, mass]));
      const ranks = asMap(personalizedPageRank(movedSeeds, moved, n, options));
      assert.equal(ranks.size, reference.size, `round ${round}`);
      for (const [slot, value] of reference) assert.ok(Math.abs((ranks.get(renumbered[slot] ?? 0) ?? 0) - value) < 1e-12, `round ${round}: slot ${slot} ${value} vs ${ranks.get(renumbered[slot] ?? 0)}`);
    }
  });

  it('stops early on a coarse epsilon and within the edge-visit cap', () => {
    // Node 0 pushes 0.375 to each neighbour: below epsilon, so nothing else is pushed.
    const coarse = personalizedPageRank(new Map([[0, 1]]), graph(adjacency), 6, { alpha: 0.25, epsilon: 0.4, maxEdgeVisits: 1e6 });
    assert.equal(coarse.edgeVisits, 2);
    assert.deepEqual([...coarse.slots], [0]);
    const ring = personalizedPageRank(new Map([[0, 1]]), new AdjacencyGraph(1000, (u) => [(u + 1) % 1000]), 1000, { alpha: 0.01, epsilon: 1e-12, maxEdgeVisits: 50 });
    assert.equal(ring.edgeVisits, 50);
    // Rounds of many slots with many edges each: the walk ends before a round that would pass the cap.
    const hubs = new AdjacencyGraph(5_001, (u) => (u === 0 ? Array.from({ length: 5_000 }, (_, i) => i + 1) : Array.from({ length: 150 }, (_, i) => ((u * 31 + i * 7) % 5_000) + 1)));
    const capped = personalizedPageRank(new Map([[0, 1]]), hubs, 5_001, { alpha: 0.25, epsilon: 1e-5, maxEdgeVisits: 100_000 });
    assert.ok(capped.edgeVisits <= 100_000, `${capped.edgeVisits} edges pushed`);
    // The seed's round ran (5,000 edges); the next (750,000) did not, but its slots keep what reached them.
    assert.equal(capped.edgeVisits, 5_000);
    assert.equal(capped.slots.length, 5_001);
  });
});
