import assert from 'node:assert/strict';
import { personalizedPageRank } from '../../../src/core/context/personalizedPageRank';
import type { Edges } from '../../../src/core/context/rankingIndex';

function graph(adjacency: Record<number, number[]>): (slot: number) => Edges {
  return (slot) => {
    const targets = adjacency[slot] ?? [];
    return { targets, weights: targets.map(() => 1 / targets.length) };
  };
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
    const push = personalizedPageRank(seeds, graph(adjacency), 6, { alpha: 0.25, epsilon: 1e-10, maxEdgeVisits: 1e6 });
    const exact = powerIteration(6, adjacency, seeds, 0.25);
    for (let u = 0; u < 6; u++) assert.ok(Math.abs((push.get(u) ?? 0) - (exact[u] ?? 0)) < 1e-6, `node ${u}`);
  });

  it('decays with distance from the seed and never reaches nodes upstream of it', () => {
    const rank = personalizedPageRank(new Map([[0, 1]]), graph(adjacency), 6, { alpha: 0.25, epsilon: 1e-9, maxEdgeVisits: 1e6 });
    const r = (u: number): number => rank.get(u) ?? 0;
    assert.ok(r(0) > r(1) && r(1) === r(2) && r(3) > r(4) && r(4) > 0);
    assert.equal(rank.has(5), false);
    const total = [...rank.values()].reduce((a, b) => a + b, 0);
    assert.ok(total <= 1 + 1e-9);
  });

  it('stops early on a coarse epsilon and within the edge-visit cap', () => {
    let visits = 0;
    const counting = (slot: number): Edges => {
      const e = graph(adjacency)(slot);
      visits += e.targets.length;
      return e;
    };
    // Node 0 pushes 0.375 to each neighbour: below epsilon, so nothing else is pushed.
    const coarse = personalizedPageRank(new Map([[0, 1]]), counting, 6, { alpha: 0.25, epsilon: 0.4, maxEdgeVisits: 1e6 });
    assert.equal(visits, 2);
    assert.deepEqual([...coarse.keys()], [0]);
    visits = 0;
    const ring = (slot: number): Edges => {
      visits++;
      return { targets: [(slot + 1) % 1000], weights: [1] };
    };
    personalizedPageRank(new Map([[0, 1]]), ring, 1000, { alpha: 0.01, epsilon: 1e-12, maxEdgeVisits: 50 });
    assert.ok(visits <= 51);
  });
});
