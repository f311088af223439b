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
  readonly items: readonly (RetrievedItem & { readonly text: string })[];
  readonly chars: number;
}

type System = (c: EvalCase, budget: number) => Promise<Retrieval>;

interface BudgetScore {
  readonly recall: number;
  readonly chars: number;
  /** Characters spent on the active file itself (already in the editor). */
  readonly activeChars: number;
}

export interface CaseScore {
  readonly id: string;
  readonly gold: number;
  /** Gold definitions the index has a definition for (what any system could find at most). */
  readonly goldIndexed: number;
  readonly scores: Record<SystemName, { readonly budgets: Record<EvalBudget, BudgetScore>; readonly rr: number; readonly ms: number }>;
}

export interface SystemSummary {
  readonly recall: Record<EvalBudget, number>;
  /** Mean reciprocal rank of the first gold item, at the largest budget. */
  readonly mrr: number;
  /** Mean characters packed at each budget. */
  readonly chars: Record<EvalBudget, number>;
  /** Share of the packed characters that come from the active file, at each budget. */
  readonly activeFileShare: Record<EvalBudget, number>;
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

async function lines(snapshot: IndexSnapshot, file: string): Promise<string[]> {
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

export async function runEval(cases: readonly EvalCase[], snapshot: IndexSnapshot): Promise<CaseScore[]> {
  const systems = await buildSystems(snapshot);
  const out: CaseScore[] = [];
  for (const c of cases) {
    const scores = {} as CaseScore['scores'];
    for (const name of SYSTEMS) {
      const budgets = {} as Record<EvalBudget, BudgetScore>;
      let rr = 0;
      let ms = 0;
      for (const budget of EVAL_BUDGETS) {
        const started = performance.now();
        const result = await systems[name](c, budget);
        // Timed on the first budget: the engine may reuse its ranking for the second one.
        if (budget === EVAL_BUDGETS[0]) ms = performance.now() - started;
        if (budget === EVAL_BUDGETS[EVAL_BUDGETS.length - 1]) rr = reciprocalRank(result.items, c.gold);
        const activeChars = result.items.filter((i) => i.file === c.file).reduce((s, i) => s + i.text.length, 0);
        budgets[budget] = { recall: round(recall(result.items, c.gold), 4), chars: result.chars, activeChars };
      }
      scores[name] = { budgets, rr: round(rr, 4), ms: round(ms, 1) };
    }
    const goldIndexed = c.gold.filter((g) => snapshot.files.get(g.file)?.definitions.some((d) => itemHitsGold(d, g))).length;
    out.push({ id: c.id, gold: c.gold.length, goldIndexed, scores });
  }
  return out;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Means over the cases (each case weighs the same). */
export function summarise(perCase: readonly CaseScore[]): EvalSummary {
  const systems = {} as Record<SystemName, SystemSummary>;
  for (const name of SYSTEMS) {
    const per = (b: EvalBudget, f: (x: BudgetScore) => number): number => mean(perCase.map((c) => f(c.scores[name].budgets[b])));
    const recallAt = {} as Record<EvalBudget, number>;
    const charsAt = {} as Record<EvalBudget, number>;
    const activeAt = {} as Record<EvalBudget, number>;
    for (const b of EVAL_BUDGETS) {
      recallAt[b] = per(b, (x) => x.recall);
      charsAt[b] = Math.round(per(b, (x) => x.chars));
      const packed = perCase.reduce((s, c) => s + c.scores[name].budgets[b].chars, 0);
      activeAt[b] = packed === 0 ? 0 : perCase.reduce((s, c) => s + c.scores[name].budgets[b].activeChars, 0) / packed;
    }
    systems[name] = {
      recall: recallAt,
      mrr: mean(perCase.map((c) => c.scores[name].rr)),
      chars: charsAt,
      activeFileShare: activeAt,
      msPerQuery: mean(perCase.map((c) => c.scores[name].ms)),
    };
  }
  const gold = perCase.reduce((s, c) => s + c.gold, 0);
  return {
    cases: perCase.length,
    meanGold: mean(perCase.map((c) => c.gold)),
    goldIndexed: gold === 0 ? 0 : perCase.reduce((s, c) => s + c.goldIndexed, 0) / gold,
    systems,
  };
}
