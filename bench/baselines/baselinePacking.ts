// The baselines rank definitions; packing them into the budget goes through the engine's own packer
// (src/core/context/contextPacker.ts), so every system is held to exactly the same packing rules.
import { packContext, type PackResult } from '../../src/core/context/contextPacker';
import type { RankedCandidate } from '../../src/core/context/contextRanker';
import type { Definition } from '../../src/core/context/model';
import { nullLogger } from '../../src/core/ports';

export interface RankedDefinition {
  readonly definition: Definition;
  readonly score: number;
}

/** A baseline ranking as the packer's candidates (scores rescaled to 0..1 by the best one). */
function asCandidates(ranked: readonly RankedDefinition[]): RankedCandidate[] {
  const best = ranked.reduce((m, r) => Math.max(m, r.score), 0) || 1;
  return ranked.map((r, slot) => ({
    slot,
    node: { kind: 'definition', slot, def: r.definition },
    score: r.score / best,
    lexical: 0,
    use: 0,
    graph: 0,
    proximity: 0,
    reasons: () => [],
  }));
}

export function packRanked(
  ranked: readonly RankedDefinition[],
  budget: number,
  readText: (path: string) => Promise<string | undefined>,
  signal?: AbortSignal,
): Promise<PackResult> {
  return packContext(asCandidates(ranked), { budget, readText, logger: nullLogger, ...(signal ? { signal } : {}) });
}
