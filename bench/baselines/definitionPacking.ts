// Packing for the baselines, following the engine's packing rules (issue 3, "Ranking and packing"):
// walk the ranking and take whole definitions while they fit the character budget, then fill what is
// left with signature-only summaries of the lower-ranked definitions that did not fit; never send a
// line twice; items keep rank order; `chars` is the sum of the items' text lengths.
import type { Definition, DefinitionKind } from '../../src/core/context/model';

export interface RankedDefinition {
  readonly definition: Definition;
  readonly score: number;
}

export interface PackedItem {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly symbol: string;
  readonly kind: DefinitionKind;
  readonly detail: 'full' | 'signature';
  readonly score: number;
  readonly text: string;
}

export interface PackedContext {
  readonly items: readonly PackedItem[];
  readonly chars: number;
}

/** The lines a definition sends: with its doc comment when whole, its declaration head when a summary. */
export function definitionText(
  def: Definition,
  lines: readonly string[],
  detail: 'full' | 'signature',
): { startLine: number; endLine: number; text: string } {
  const startLine = detail === 'full' ? (def.docStartLine ?? def.startLine) : def.startLine;
  const endLine = detail === 'full' ? def.endLine : Math.min(def.signatureEndLine, def.endLine);
  return { startLine, endLine, text: lines.slice(startLine - 1, endLine).join('\n') };
}

export function packDefinitions(
  ranked: readonly RankedDefinition[],
  budget: number,
  lines: (file: string) => readonly string[],
): PackedContext {
  const chosen: { rank: number; item: PackedItem }[] = [];
  const taken = new Map<string, { startLine: number; endLine: number }[]>();
  let chars = 0;
  const overlaps = (file: string, startLine: number, endLine: number): boolean =>
    (taken.get(file) ?? []).some((r) => r.startLine <= endLine && startLine <= r.endLine);
  const tryTake = (rank: number, entry: RankedDefinition, detail: 'full' | 'signature'): boolean => {
    const def = entry.definition;
    const piece = definitionText(def, lines(def.file), detail);
    if (overlaps(def.file, piece.startLine, piece.endLine)) return true; // already sent: nothing to do
    if (chars + piece.text.length > budget) return false;
    chars += piece.text.length;
    const list = taken.get(def.file) ?? [];
    list.push({ startLine: piece.startLine, endLine: piece.endLine });
    taken.set(def.file, list);
    chosen.push({ rank, item: { file: def.file, symbol: def.name, kind: def.kind, detail, score: entry.score, ...piece } });
    return true;
  };

  const leftOver: number[] = [];
  ranked.forEach((entry, rank) => {
    if (!tryTake(rank, entry, 'full')) leftOver.push(rank);
  });
  for (const rank of leftOver) {
    const entry = ranked[rank];
    if (entry) tryTake(rank, entry, 'signature');
  }
  chosen.sort((a, b) => a.rank - b.rank);
  return { items: chosen.map((c) => c.item), chars };
}
