// Runs the eval cases of one corpus through the engine and the two baselines, all over the same index
// snapshot (the same extraction), with the same budgets and the same packer, and scores them.
import { ContextEngine } from '../src/core/context/contextEngine';
import type { IndexSnapshot } from '../src/core/context/model';
import { SETTINGS } from '../src/core/config/configSchema';
import { nullLogger, systemClock } from '../src/core/ports';
import { packRanked } from './baselines/baselinePacking';
import { Bm25DefinitionBaseline } from './baselines/bm25Baseline';
import { RepoMapBaseline } from './baselines/repoMapBaseline';
import type { EvalCase } from './evalCases';
import { itemHitsGold, recall, reciprocalRank, type RetrievedItem } from './evalMetrics';
import { mean } from './stats';

export const EVAL_BUDGETS = [8_000, 32_000] as const;
export type EvalBudget = (typeof EVAL_BUDGETS)[number];
export const SYSTEMS = ['engine', 'bm25', 'repo-map'] as const;
export type SystemName = (typeof SYSTEMS)[number];

interface Retrieval {
  readonly items: readonly RetrievedItem[];
  readonly chars: number;
}

type System = (c: EvalCase, budget: number) => Promise<Retrieval>;

export interface CaseScore {
  readonly id: string;
  readonly gold: number;
  /** Gold definitions the index has a definition for (what any system could find at most). */
  readonly goldIndexed: number;
  /** Per system: recall at each budget and the reciprocal rank at the largest budget. */
  readonly scores: Record<SystemName, { readonly recall: Record<EvalBudget, number>; readonly rr: number }>;
}

export interface SystemSummary {
  readonly recall: Record<EvalBudget, number>;
  readonly mrr: number;
  /** Mean characters packed at each budget. */
  readonly chars: Record<EvalBudget, number>;
  /** Mean milliseconds per query (ranking + packing), timed at the first budget. */
  readonly msPerQuery: number;
}

export interface EvalSummary {
  readonly cases: number;
  readonly meanGold: number;
  /** Share of all gold definitions that the index has a definition for: the recall ceiling. */
  readonly goldIndexed: number;
  readonly systems: Record<SystemName, SystemSummary>;
}

export async function lines(snapshot: IndexSnapshot, file: string): Promise<string[]> {
  return ((await snapshot.readText(file)) ?? '').split(/\r?\n/);
}

async function buildSystems(snapshot: IndexSnapshot): Promise<Record<SystemName, System>> {
  const files = [...snapshot.files.values()];
  const text = new Map<string, string[]>();
  for (const f of files) text.set(f.path, await lines(snapshot, f.path));
  const bm25 = new Bm25DefinitionBaseline(files, (p) => text.get(p) ?? []);
  const repoMap = new RepoMapBaseline(files);
  const engine = new ContextEngine({
    index: snapshot,
    clock: systemClock,
    logger: nullLogger,
    defaults: { budget: SETTINGS['context.maxChars'].default, relevanceThreshold: SETTINGS['context.relevanceThreshold'].default },
  });
  const readText = (p: string): Promise<string | undefined> => snapshot.readText(p);
  return {
    engine: async (c, budget) => engine.getRelevantContext({ query: c.query, activeFile: c.file, budget }),
    bm25: async (c, budget) => packRanked(bm25.rank(c.query), budget, readText),
    'repo-map': async (c, budget) => packRanked(repoMap.rank({ query: c.query, activeFile: c.file }), budget, readText),
  };
}

export async function runEval(cases: readonly EvalCase[], snapshot: IndexSnapshot): Promise<{ summary: EvalSummary; perCase: CaseScore[] }> {
  const systems = await buildSystems(snapshot);
  const perCase: CaseScore[] = [];
  const chars = new Map<string, number[]>();
  const ms = new Map<SystemName, number[]>();
  for (const c of cases) {
    const scores = {} as Record<SystemName, { recall: Record<EvalBudget, number>; rr: number }>;
    for (const name of SYSTEMS) {
      const recallAt = {} as Record<EvalBudget, number>;
      let rr = 0;
      for (const budget of EVAL_BUDGETS) {
        const started = performance.now();
        const result = await systems[name](c, budget);
        // Timed on the first budget: the engine may reuse its ranking for the second one.
        if (budget === EVAL_BUDGETS[0]) ms.set(name, [...(ms.get(name) ?? []), performance.now() - started]);
        if (budget === EVAL_BUDGETS[EVAL_BUDGETS.length - 1]) rr = reciprocalRank(result.items, c.gold);
        recallAt[budget] = recall(result.items, c.gold);
        chars.set(`${name}@${budget}`, [...(chars.get(`${name}@${budget}`) ?? []), result.chars]);
      }
      scores[name] = { recall: recallAt, rr };
    }
    const indexed = c.gold.filter((g) => snapshot.files.get(g.file)?.definitions.some((d) => itemHitsGold(d, g))).length;
    perCase.push({ id: c.id, gold: c.gold.length, goldIndexed: indexed, scores });
  }
  return { summary: summarise(perCase, chars, ms), perCase };
}

function summarise(perCase: readonly CaseScore[], chars: ReadonlyMap<string, number[]>, ms: ReadonlyMap<SystemName, number[]>): EvalSummary {
  const systems = {} as Record<SystemName, SystemSummary>;
  for (const name of SYSTEMS) {
    const recallAt = {} as Record<EvalBudget, number>;
    const charsAt = {} as Record<EvalBudget, number>;
    for (const b of EVAL_BUDGETS) {
      recallAt[b] = mean(perCase.map((c) => c.scores[name].recall[b]));
      charsAt[b] = Math.round(mean(chars.get(`${name}@${b}`) ?? []));
    }
    systems[name] = { recall: recallAt, mrr: mean(perCase.map((c) => c.scores[name].rr)), chars: charsAt, msPerQuery: mean(ms.get(name) ?? []) };
  }
  return { cases: perCase.length, meanGold: mean(perCase.map((c) => c.gold)), goldIndexed: goldIndexedShare(perCase), systems };
}

function goldIndexedShare(perCase: readonly CaseScore[]): number {
  const gold = perCase.reduce((s, c) => s + c.gold, 0);
  return gold === 0 ? 0 : perCase.reduce((s, c) => s + c.goldIndexed, 0) / gold;
}

/** Summary over several corpora's cases together (each case weighs the same). */
export function combine(perCase: readonly CaseScore[], parts: readonly EvalSummary[]): EvalSummary {
  const systems = {} as Record<SystemName, SystemSummary>;
  const total = parts.reduce((s, p) => s + p.cases, 0) || 1;
  for (const name of SYSTEMS) {
    const recallAt = {} as Record<EvalBudget, number>;
    const charsAt = {} as Record<EvalBudget, number>;
    for (const b of EVAL_BUDGETS) {
      recallAt[b] = mean(perCase.map((c) => c.scores[name].recall[b]));
      charsAt[b] = Math.round(parts.reduce((s, p) => s + p.systems[name].chars[b] * p.cases, 0) / total);
    }
    systems[name] = {
      recall: recallAt,
      mrr: mean(perCase.map((c) => c.scores[name].rr)),
      chars: charsAt,
      msPerQuery: parts.reduce((s, p) => s + p.systems[name].msPerQuery * p.cases, 0) / total,
    };
  }
  return { cases: perCase.length, meanGold: mean(perCase.map((c) => c.gold)), goldIndexed: goldIndexedShare(perCase), systems };
}
