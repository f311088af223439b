// Retrieval quality of one context (a list of items in rank order) against an eval case's gold set.
import type { GoldDefinition } from './evalCases';

export interface RetrievedItem {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** Whether `item` shows (part of) the gold definition: same file, overlapping lines. */
export function itemHitsGold(item: RetrievedItem, gold: GoldDefinition): boolean {
  return item.file === gold.file && gold.ranges.some((r) => r.startLine <= item.endLine && item.startLine <= r.endLine);
}

/** Share of the gold definitions that some item shows (0..1). */
export function recall(items: readonly RetrievedItem[], gold: readonly GoldDefinition[]): number {
  if (gold.length === 0) return 0;
  return gold.filter((g) => items.some((i) => itemHitsGold(i, g))).length / gold.length;
}

/** 1 / (1-based rank of the first item that shows any gold definition), or 0 when none does. */
export function reciprocalRank(items: readonly RetrievedItem[], gold: readonly GoldDefinition[]): number {
  const index = items.findIndex((i) => gold.some((g) => itemHitsGold(i, g)));
  return index === -1 ? 0 : 1 / (index + 1);
}
