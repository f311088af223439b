// Ranks the definitions of the workspace for a prompt by combining four signals, each in 0..1:
//  - lexical: BM25 over identifier sub-tokens of names, signatures and doc words, relative to the best
//    match and scaled by how much of the query a definition covers; a definition named in the query
//    (`parseConfig`, read_file) gets a floor;
//  - graph: personalized PageRank over the reference/import graph, seeded by the best lexical matches,
//    the active file, open editors and recent files (only mass that arrives through edges counts); a
//    definition the best lexical matches use directly scores at least as high as the match is good;
//  - proximity: in or imported by name into the active file, in a file it imports or that imports it,
//    open, recently edited, or in the same directory;
//  - use: how many places in the active file's code (its definitions, its top-level code) use the definition.
// The combined score is a weighted sum with weights adding up to 1, so it is itself in 0..1. Without an active file
// there is no use to weigh: the other three share its weight (weightsFor), so a score means nearly what it did before
// the use signal (0.451 / 0.253 / 0.297 against 0.45 / 0.25 / 0.30).

import { throwIfAborted } from '../errors';
import { identifierTerms, parseQuery, textTerms, type ParsedQuery } from './identifierTokens';
import { BM25_WORK_ARRAYS, type QueryTerm } from './bm25Index';
import { DEFAULT_PAGERANK, PAGERANK_WORK_ARRAYS, personalizedPageRank, type PageRankOptions, type PageRankWorkArrays, type SparseVector } from './personalizedPageRank';
import { directoryOf, nodeIn, SlotKind, type FileEntry, type FileNode, type RankNode, type RankingIndex } from './rankingIndex';
import { ScratchArrays } from './scratchArrays';
import { identifierAt, identifierCount } from './storedFile';
import { bringsDefinition, fromImportMemberMark, importTargets, isDefaultExport, namespaceNameOf, shownReference } from './model';

export interface RankingHints {
  readonly activeFile?: string;
  readonly openFiles?: readonly string[];
  /** Most recent first. */
  readonly recentFiles?: readonly string[];
}

export interface RankingWeights {
  readonly lexical: number;
  readonly graph: number;
  readonly proximity: number;
  readonly use: number;
}

/** Everything the ranking can be tuned by (the defaults were chosen on the context quality eval). */
export interface RankingTuning {
  readonly weights: RankingWeights;
  /** How many of the best lexical matches seed the PageRank walk. */
  readonly querySeeds: number;
  /** Share of PageRank personalization mass per seed group (renormalised over the groups present). */
  readonly seedShares: { readonly query: number; readonly active: number; readonly open: number; readonly recent: number };
  /** Proximity value of each relation to the editor state (the strongest one counts). */
  readonly proximity: {
    /** Imported by name, or a member of something imported by name. */
    readonly importedByName: number;
    /** In a module the active file imports whole. */
    readonly inImportedModule: number;
    /** In a file the active file imports other names from. */
    readonly inImportedFile: number;
    readonly inActiveFile: number;
    readonly inImportingFile: number;
    readonly open: number;
    readonly recent: number;
    /** Each older recent file counts this much less. */
    readonly recentDecay: number;
    readonly sameDirectory: number;
  };
  /** How many places in the active file using a definition give it the full use score (fewer give less: useScore). */
  readonly fullUse: number;
  readonly pageRank: PageRankOptions;
  /**
   * Graph score a definition that one of the best lexical matches uses directly gets at least, times that match's lexical
   * score relative to the best one's, and less as the walk splits the match's edges (liftStrength: among the
   * definitions of a name, and among the match's names beyond TYPICAL_NAMES); at most 1 whatever this is
   * (usedByBestMatches).
   */
  readonly usedByBestMatch: number;
  /**
   * Lexical score a definition named in the prompt gets at least (its BM25 score lifts it further).
   * Below 1, so a definition matching the whole prompt still beats one that is merely mentioned.
   */
  readonly exactName: number;
}

export const DEFAULT_TUNING: RankingTuning = {
  weights: { lexical: 0.41, graph: 0.23, proximity: 0.27, use: 0.09 },
  querySeeds: 16,
  seedShares: { query: 0.5, active: 0.3, open: 0.1, recent: 0.1 },
  proximity: { importedByName: 1, inImportedModule: 0.9, inImportedFile: 0.5, inActiveFile: 0.3, inImportingFile: 0.5, open: 0.5, recent: 0.5, recentDecay: 0.8, sameDirectory: 0.35 },
  fullUse: 8,
  pageRank: DEFAULT_PAGERANK,
  usedByBestMatch: 1,
  exactName: 0.4,
};

export interface RankedCandidate {
  readonly slot: number;
  readonly node: RankNode;
  /** Combined score, 0..1. */
  readonly score: number;
  readonly lexical: number;
  readonly graph: number;
  readonly proximity: number;
  /** The use score, 0..1 (how many places in the active file use it: useScore); 0 without an active file. */
  readonly use: number;
  /** Human-readable reasons, computed on demand (only packed items need them). */
  reasons(): string[];
}

export interface RankOptions {
  readonly signal?: AbortSignal;
  /** Candidates scoring below this are dropped (the relevance threshold). */
  readonly minScore?: number;
  /** At most this many candidates, the best ones. */
  readonly limit?: number;
}

/** The uses of a query without an active file. */
const NO_USES: ReadonlyMap<number, number> = new Map();
/** More candidates than a 50,000-character budget can hold, even as one-line signatures. */
export const DEFAULT_CANDIDATE_LIMIT = 2_000;
const CONTEXT_RANK_CACHE_SIZE = 16;
const GRAPH_DECADES = 3;
/** Directories with up to this many files give full same-directory proximity; larger ones less. */
const SMALL_DIRECTORY = 16;
/** Beyond this many files, sharing the directory says nothing. */
const LARGE_DIRECTORY = 64;
/** Files without definitions (docs, configs) match by any identifier in them: trust that less. */
const WHOLE_FILE_LEXICAL_FACTOR = 0.6;
/** Only seeds at least this close to the best lexical score lift and explain what they use ("used by …")… */
const BEST_MATCH_SHARE = 0.5;
/** …and only this many of them, the best. */
const BEST_MATCHES = 5;
/** A best match referencing up to this many names (as shares of its edges) lifts what it uses fully (liftStrength). */
const TYPICAL_NAMES = 16;
/** Only query words at least this long can match a definition name exactly. */
const EXACT_MIN_LENGTH = 3;

/** A definition one of the best lexical matches uses directly: the graph score that gives it, and the match giving the most. */
interface UsedByBestMatch {
  readonly matchName: string;
  readonly lift: number;
}

interface ProximityFact {
  value: number;
  reasons: string[];
}

interface ProximityResult {
  /** Proximity by slot (dense). */
  readonly value: Float64Array;
  /** The slots with a proximity, with its reasons. */
  readonly facts: ReadonlyMap<number, ProximityFact>;
}

interface SeededRank {
  readonly seeds: ReadonlyMap<number, number>;
  readonly rank: SparseVector;
  /** Share of the personalization mass this walk stands for. */
  readonly share: number;
}

/** A dense score per slot, with the slots that have one listed. */
interface DenseScores {
  readonly slots: Int32Array;
  readonly value: Float64Array;
}

interface LexicalResult extends DenseScores {
  /** Definitions named exactly like a query word, with that word. */
  readonly exact: ReadonlyMap<number, string>;
}

interface PageRankResult extends DenseScores {
  /** `value` = mass that arrived through edges (teleport mass of the seeds removed). Its maximum: */
  readonly max: number;
  /** Positive values of rankable nodes, sorted descending (for "top N%" reasons). */
  readonly sorted: Float64Array;
}

/**
 * A query's dense work arrays (as long as the index has slots: ~6.4 MB each of Float64 at 50,000 files), shared by
 * work whose lifetimes do not overlap. Float64: `bm25.score` holds BM25's and then the lexical scores to the end;
 * `bm25.matchedIdf` holds BM25's matched idf (read by lexicalScores), then a walk's rank (its result is a copy), then
 * proximity's values, then the final scores; `pagerank.residual` a walk's residuals, then the mixed walks' graph
 * values to the end. The walks' queue, touched list and queued flags are likewise reused by pageRankFor and rank().
 */
const RANKER_WALK_ARRAYS: PageRankWorkArrays = { ...PAGERANK_WORK_ARRAYS, rank: BM25_WORK_ARRAYS.matchedIdf };

export class ContextRanker {
  private readonly contextRankCache = new Map<string, SeededRank>();
  private readonly scratch = new ScratchArrays();
  /** usesBy's last answer: for that file, at that generation of the index (queries of one editor repeat it). */
  private usedMemo: { readonly file: string; readonly generation: number; readonly used: ReadonlyMap<number, number> } | undefined;

  constructor(
    private readonly index: RankingIndex,
    private readonly tuning: RankingTuning = DEFAULT_TUNING,
  ) {}

  /**
   * The best `limit` candidates scoring at least `minScore` (and above 0), best first; ties are broken
   * by file path, then line, then name.
   */
  rank(query: string, hints: RankingHints, options: RankOptions = {}): RankedCandidate[] {
    const { signal, minScore = 0, limit = DEFAULT_CANDIDATE_LIMIT } = options;
    const index = this.index;
    const parsed = parseQuery(query, (term) => index.lexical.idf(term) > 0);
    const lexical = this.lexicalScores(parsed);
    throwIfAborted(signal);

    const activeFile = hints.activeFile !== undefined && index.entry(hints.activeFile) ? hints.activeFile : undefined;
    const openFiles = (hints.openFiles ?? []).filter((f) => f !== activeFile && index.entry(f));
    const recentFiles = (hints.recentFiles ?? []).filter((f) => f !== activeFile && index.entry(f));

    const querySeeds = this.querySeeds(lexical);
    const usedByBest = this.usedByBestMatches(querySeeds);
    const rank = this.pageRankFor(querySeeds, activeFile, openFiles, recentFiles);
    throwIfAborted(signal);
    const proximity = this.proximity(activeFile, openFiles, recentFiles);
    const uses = activeFile !== undefined ? this.usedByActiveFile(activeFile) : NO_USES;
    throwIfAborted(signal);

    const w = weightsFor(this.tuning.weights, activeFile !== undefined);
    // The final scores are written over proximity's dense values (RANKER_WALK_ARRAYS): `consider` reads a slot's
    // proximity before it writes the slot's score, once per slot, and nothing reads `proximity.value` after this
    // (candidates keep its facts). The graph score is not kept: computed again (the same function of the same values)
    // for the candidates.
    const score = proximity.value;
    const passing = this.scratch.int32List(PAGERANK_WORK_ARRAYS.touched, index.capacity);
    let passed = 0;
    const seen = this.scratch.uint8(PAGERANK_WORK_ARRAYS.queued, index.capacity);
    const consider = (slot: number, used?: UsedByBestMatch): void => {
      if (seen[slot] === 1) return;
      seen[slot] = 1;
      if (!index.isRankable(slot)) return;
      const g = graphOf(rank, slot, used);
      const u = useScore(uses.get(slot) ?? 0, this.tuning.fullUse);
      const s = onScoreGrid(Math.min(1, w.lexical * (lexical.value[slot] ?? 0) + w.graph * g + w.proximity * (proximity.value[slot] ?? 0) + w.use * u));
      if (s <= 0 || s < minScore) return;
      score[slot] = s;
      passing[passed++] = slot;
    };
    // What the best matches use first, with its lift (the few slots that have one: no lookup for every other slot).
    for (const [slot, used] of usedByBest) consider(slot, used);
    for (let i = 0; i < lexical.slots.length; i++) consider(lexical.slots[i] as number);
    for (let i = 0; i < rank.slots.length; i++) consider(rank.slots[i] as number);
    for (const slot of proximity.facts.keys()) consider(slot);
    for (const slot of uses.keys()) consider(slot);
    throwIfAborted(signal);

    // Only the best `limit` become candidate objects: a prompt of common words can match most of a workspace.
    const cutoff = passed > limit ? topCutoff(passing.subarray(0, passed), score, limit) : 0;
    const kept: number[] = [];
    for (let i = 0; i < passed; i++) {
      const slot = passing[i] as number;
      if ((score[slot] ?? 0) >= cutoff) kept.push(slot);
    }
    // Sorted as slots; only the returned ones become objects. The dense arrays are reused by the next
    // query: candidates (and their lazy reasons) keep copies.
    kept.sort((a, b) => compareSlots(index, score, a, b));
    if (kept.length > limit) kept.length = limit;
    const explainer = new Explainer(index, parsed, lexical.exact, usedByBest, rank.sorted, activeFile, openFiles);
    const candidates: RankedCandidate[] = new Array<RankedCandidate>(kept.length);
    for (let i = 0; i < kept.length; i++) {
      const slot = kept[i] as number;
      const p = proximity.facts.get(slot);
      const received = rank.value[slot] ?? 0;
      const places = uses.get(slot) ?? 0;
      const use = useScore(places, this.tuning.fullUse);
      candidates[i] = new Candidate(index, slot, score[slot] ?? 0, lexical.value[slot] ?? 0, graphOf(rank, slot, usedByBest.get(slot)), use, p, places, received, explainer);
    }
    return candidates;
  }

  /**
   * Lexical score per slot: BM25 relative to the best match, scaled by the idf-weighted share of the
   * query the definition covers (0.5 for a sliver, 1 for all of it); 1 for an exact name.
   */
  private lexicalScores(parsed: ParsedQuery): LexicalResult {
    const bm25 = this.index.lexical;
    const terms: QueryTerm[] = [];
    const seen = new Set<string>();
    const knownIdf: number[] = [];
    let unknown = 0;
    for (const part of parsed.parts) {
      if (seen.has(part.term)) continue;
      seen.add(part.term);
      terms.push({ term: part.term, weight: 1, countsForCoverage: true });
      const idf = bm25.idf(part.term);
      if (idf > 0) knownIdf.push(idf);
      else unknown++;
    }
    // Words the workspace never uses still count against coverage, at the average weight of the rest:
    // a prompt about something absent should not make its one incidental match look perfect.
    const knownTotal = knownIdf.reduce((a, b) => a + b, 0);
    const totalIdf = knownIdf.length > 0 ? knownTotal + (unknown * knownTotal) / knownIdf.length : 0;
    for (const compound of parsed.compounds) {
      if (seen.has(compound)) continue;
      seen.add(compound);
      terms.push({ term: compound, weight: 1, countsForCoverage: false });
    }
    const hits = bm25.search(terms, this.scratch);
    // Rewritten in place into lexical scores. `lift` below also writes slots BM25 did not match: safe because BM25's
    // array spans every definition slot (each definition has a BM25 document), and a scratch array is zeroed up to
    // the length asked for — a definition without a BM25 document would break this.
    const value = hits.score;
    // The lifted slots are listed after BM25's matches, in the array that lists them (it has room for every slot);
    // in a new one, the matches copied first, should the index have more slots than BM25 asked room for.
    const slots = this.scratch.int32List(BM25_WORK_ARRAYS.slots, this.index.capacity);
    if (slots.buffer !== hits.slots.buffer) slots.set(hits.slots);
    let count = hits.slots.length;
    for (let i = 0; i < hits.slots.length; i++) {
      const slot = hits.slots[i] as number;
      const coverage = totalIdf > 0 ? Math.min(1, (hits.matchedIdf[slot] ?? 0) / totalIdf) : 0;
      const factor = this.index.kindOf(slot) === SlotKind.RankedFile ? WHOLE_FILE_LEXICAL_FACTOR : 1;
      value[slot] = factor * ((value[slot] ?? 0) / hits.max) * (0.5 + 0.5 * coverage);
    }
    const exact = new Map<number, string>();
    const exactBase = this.tuning.exactName;
    const lift = (slot: number, mention: string): void => {
      if (exact.has(slot)) return;
      exact.set(slot, mention);
      if (value[slot] === 0) slots[count++] = slot;
      value[slot] = exactBase + (1 - exactBase) * (value[slot] ?? 0);
    };
    // `HashMap.get`: the `get` whose container or file is HashMap, not every `get`.
    for (const { qualifier, name } of parsed.qualified) {
      for (const slot of this.index.definitionsNamedIgnoringCase(name)) {
        if (this.index.kindOf(slot) !== SlotKind.Definition) continue;
        if (this.index.definitionContainer(slot)?.toLowerCase() === qualifier || fileStemOf(this.index.fileOf(slot)).toLowerCase() === qualifier) lift(slot, `${qualifier}.${name}`);
      }
    }
    for (const word of parsed.names) {
      if (word.length < EXACT_MIN_LENGTH) continue;
      for (const slot of this.index.definitionsNamedIgnoringCase(word)) lift(slot, word);
    }
    return { slots: slots.subarray(0, count), value, exact };
  }

  /** The best lexical matches among definitions, with their scores (ties: first in a fresh index's order, RankingIndex.precedes). */
  private querySeeds(lexical: LexicalResult): Map<number, number> {
    const value = lexical.value;
    const best: number[] = [];
    let floor = -1; // score of the worst kept seed once `best` is full
    for (let j = 0; j < lexical.slots.length; j++) {
      const slot = lexical.slots[j] as number;
      const v = value[slot] ?? 0;
      if (v < floor || (v === floor && this.index.precedes(best[best.length - 1] ?? 0, slot))) continue;
      if (this.index.kindOf(slot) !== SlotKind.Definition) continue;
      let i = best.length < this.tuning.querySeeds ? best.length : this.tuning.querySeeds - 1;
      while (i > 0) {
        const prev = best[i - 1] as number;
        const pv = value[prev] ?? 0;
        if (pv > v || (pv === v && this.index.precedes(prev, slot))) break;
        best[i] = prev;
        i--;
      }
      best[i] = slot;
      if (best.length === this.tuning.querySeeds) floor = value[best[this.tuning.querySeeds - 1] as number] ?? 0;
    }
    return new Map(best.map((s) => [s, value[s] ?? 0]));
  }

  /**
   * The definitions the best lexical matches (at least BEST_MATCH_SHARE of the best score, at most BEST_MATCHES) use
   * directly, as the graph resolves the names they reference (a name resolved to several definitions none of which
   * their imports prefer is left out), each with the graph score a match using it lifts it to — the match's share of the
   * best score, less as the walk splits it (liftStrength) — and the match lifting it most. What the code most like the prompt calls is
   * what code written for the prompt is likely to call: the walk gives it only a share of that match's mass, split
   * among everything the match references and mixed with the editor state's walk, which leaves a helper the best match
   * calls a decade below the hubs everything reaches.
   */
  private usedByBestMatches(querySeeds: ReadonlyMap<number, number>): Map<number, UsedByBestMatch> {
    const used = new Map<number, UsedByBestMatch>();
    let best = 0;
    for (const v of querySeeds.values()) best = Math.max(best, v);
    if (best <= 0) return used;
    let matches = 0;
    // (The seeds are in descending order of score.)
    for (const [match, score] of querySeeds) {
      if (score < best * BEST_MATCH_SHARE || matches++ === BEST_MATCHES) break;
      const matchName = this.index.definitionName(match);
      if (matchName === undefined) continue;
      const full = this.tuning.usedByBestMatch * (score / best);
      // The weights are shares of the match's forward edges once the sum over every name is known.
      const targets: number[] = [];
      const weights: number[] = [];
      const definitions: number[] = [];
      const sum = this.index.forEachUsedName(match, (slots, weight, preferred) => {
        if (!preferred && slots.length > 1) return;
        for (let i = 0; i < slots.length; i++) {
          targets.push(slots[i] as number);
          weights.push(weight);
          definitions.push(slots.length);
        }
      });
      for (let i = 0; i < targets.length; i++) {
        const target = targets[i] as number;
        // At most 1, as any graph score (a tuning above 1 would print "graph rank 1.20").
        const lift = Math.min(1, full * liftStrength((weights[i] as number) / sum, definitions[i] as number));
        const before = used.get(target);
        if (lift > 0 && (before === undefined || lift > before.lift)) used.set(target, { matchName, lift });
      }
    }
    return used;
  }

  private pageRankFor(querySeeds: Map<number, number>, activeFile: string | undefined, openFiles: readonly string[], recentFiles: readonly string[]): PageRankResult {
    const walks: SeededRank[] = [];
    if (querySeeds.size > 0) {
      const seeds = normalise(querySeeds);
      walks.push({ seeds, rank: this.walk(seeds), share: this.tuning.seedShares.query });
    }
    const context = this.contextRank(activeFile, openFiles, recentFiles);
    if (context) walks.push(context);
    // PageRank is linear in its personalization: the mixed walk is the share-weighted sum of the walks.
    const total = walks.reduce((sum, w) => sum + w.share, 0);
    // In the walks' work arrays, free now that both walks have returned (their results are copies).
    const value = this.scratch.float64(PAGERANK_WORK_ARRAYS.residual, this.index.capacity);
    const slots = this.scratch.int32List(PAGERANK_WORK_ARRAYS.queue, this.index.capacity);
    let count = 0;
    for (const { seeds, rank, share } of walks) {
      for (let i = 0; i < rank.slots.length; i++) {
        const slot = rank.slots[i] as number;
        const r = rank.values[i] as number;
        const viaEdges = r - this.tuning.pageRank.alpha * (seeds.get(slot) ?? 0);
        if (viaEdges <= 1e-12) continue;
        if (value[slot] === 0) slots[count++] = slot;
        value[slot] = (value[slot] ?? 0) + (viaEdges * share) / total;
      }
    }
    let max = 0;
    let rankable = 0;
    for (let i = 0; i < count; i++) if (this.index.isRankable(slots[i] as number)) rankable++;
    // Kept by the explainer after this query (its arrays are reused): a copy.
    const sorted = new Float64Array(rankable);
    for (let i = 0, j = 0; i < count; i++) {
      const slot = slots[i] as number;
      if (!this.index.isRankable(slot)) continue;
      const v = value[slot] ?? 0;
      if (v > max) max = v;
      sorted[j++] = v;
    }
    sorted.sort().reverse();
    return { slots: slots.subarray(0, count), value, max, sorted };
  }

  private walk(seeds: ReadonlyMap<number, number>): SparseVector {
    return personalizedPageRank(seeds, this.index, this.index.capacity, this.tuning.pageRank, this.scratch, RANKER_WALK_ARRAYS);
  }

  /** The walk seeded by the editor state; cached, since it is the same for every prompt typed in one place. */
  private contextRank(activeFile: string | undefined, openFiles: readonly string[], recentFiles: readonly string[]): SeededRank | undefined {
    const share = (activeFile !== undefined ? this.tuning.seedShares.active : 0) + (openFiles.length > 0 ? this.tuning.seedShares.open : 0) + (recentFiles.length > 0 ? this.tuning.seedShares.recent : 0);
    if (share === 0) return undefined;
    const key = `${this.index.generation}\u0000${activeFile ?? ''}\u0000${openFiles.join('\u0001')}\u0000${recentFiles.join('\u0001')}`;
    const cached = this.contextRankCache.get(key);
    if (cached) return cached;
    const seeds = new Map<number, number>();
    if (activeFile !== undefined) this.addFileSeeds(seeds, activeFile, this.tuning.seedShares.active / share);
    for (const f of openFiles) this.addFileSeeds(seeds, f, this.tuning.seedShares.open / share / openFiles.length);
    const decay = recentFiles.map((_, i) => this.tuning.proximity.recentDecay ** i);
    const decaySum = decay.reduce((a, b) => a + b, 0);
    recentFiles.forEach((f, i) => this.addFileSeeds(seeds, f, ((this.tuning.seedShares.recent / share) * (decay[i] ?? 0)) / decaySum));
    const walk: SeededRank = { seeds, rank: this.walk(seeds), share };
    if (this.contextRankCache.size >= CONTEXT_RANK_CACHE_SIZE) this.contextRankCache.clear();
    this.contextRankCache.set(key, walk);
    return walk;
  }

  /** Seeds a file: half its mass on the file node (top-level code and imports), half on its definitions. */
  private addFileSeeds(seeds: Map<number, number>, path: string, mass: number): void {
    const entry = this.index.entry(path);
    if (!entry) return;
    const defs = entry.definitionSlots;
    const fileMass = defs.length > 0 ? mass / 2 : mass;
    seeds.set(entry.fileSlot, (seeds.get(entry.fileSlot) ?? 0) + fileMass);
    for (const s of defs) seeds.set(s, (seeds.get(s) ?? 0) + (mass - fileMass) / defs.length);
  }

  /** usesBy, memoised for the last active file until the index changes. */
  private usedByActiveFile(activeFile: string): ReadonlyMap<number, number> {
    const memo = this.usedMemo;
    if (memo !== undefined && memo.file === activeFile && memo.generation === this.index.generation) return memo.used;
    const used = usesBy(this.index, activeFile);
    this.usedMemo = { file: activeFile, generation: this.index.generation, used };
    return used;
  }

  private proximity(activeFile: string | undefined, openFiles: readonly string[], recentFiles: readonly string[]): ProximityResult {
    const index = this.index;
    const facts = new Map<number, ProximityFact>();
    // In the array BM25's search summed matched idf in and the walks ranked in, both done (RANKER_WALK_ARRAYS).
    const value = this.scratch.float64(BM25_WORK_ARRAYS.matchedIdf, index.capacity);
    const note = (slot: number, v: number, reason: string): void => {
      const fact = facts.get(slot);
      if (!fact) facts.set(slot, { value: v, reasons: [reason] });
      else {
        fact.value = Math.max(fact.value, v);
        if (!fact.reasons.includes(reason)) fact.reasons.push(reason);
      }
      value[slot] = Math.max(value[slot] ?? 0, v);
    };
    const noteFile = (path: string, value: number, reason: string): void => {
      const entry = index.entry(path);
      if (!entry) return;
      const definitionSlots = entry.definitionSlots;
      const slots = definitionSlots.length > 0 ? definitionSlots : [entry.fileSlot];
      for (const s of slots) note(s, value, reason);
    };
    const p = this.tuning.proximity;
    if (activeFile) {
      const entry = index.entry(activeFile);
      let used: ReadonlyMap<number, number> | undefined;
      noteFile(activeFile, p.inActiveFile, 'in the active file');
      // (Each file an import reaches with the names it brings from there: a Go package's files, a `use` group's items.)
      for (const imp of entry?.file.imports ?? []) {
        // (A namespace import's second edge, its local name's (namespaceNameOf), brings nothing by itself: the
        // whole-module edge beside it tells what the active file uses of the module and what is merely in scope.)
        if (namespaceNameOf(imp.names) !== undefined) continue;
        for (const { file, names } of importTargets(imp)) {
          if (file === activeFile) continue;
          const target = index.entry(file);
          const language = target?.file.language ?? 'text';
          for (const s of target?.definitionSlots ?? []) {
            const name = index.definitionName(s);
            if (name === undefined) continue;
            const container = index.definitionContainer(s);
            if (bringsDefinition(names, name, container, language, () => defaultExport(index, s))) note(s, p.importedByName, 'imported by name into the active file');
            else if (container !== undefined && names.includes(container)) note(s, p.importedByName, `member of ${container}, which the active file imports`);
          }
          // A name the file only re-exports (a barrel's `export { x } from`, `export *`, a package's __init__.py): the
          // definition it comes from — in the file itself for a name it exports its own definition as (`export { void_
          // as void }`), which is imported as one of that name is.
          for (const name of names) {
            for (const s of index.reexportedSlots(file, name)) note(s, p.importedByName, index.fileOf(s) === file ? 'imported by name into the active file' : `imported by name into the active file through ${file}`);
          }
          // A whole-module import (`import * as X`, Python `import x`) brings every definition into scope; a side-effect
          // import (`import './polyfill'`: SIDE_EFFECT_IMPORT) none, so its file weighs as one whose names are imported.
          if (names.length === 0 && target !== undefined && target.definitionSlots.length > 0) {
            // What the active file's code uses of a module it imports whole (`strings.toKebabCase` after `import * as
            // strings`) is as near as a name imported by name: the rest is merely in scope.
            used ??= this.usedByActiveFile(activeFile);
            for (const s of target.definitionSlots) {
              if (used.has(s)) note(s, p.importedByName, `used by the active file, which imports ${file} whole`);
              else note(s, p.inImportedModule, `in ${file}, which the active file imports`);
            }
          } else noteFile(file, names.length === 0 ? p.inImportedModule : p.inImportedFile, `in ${file}, which the active file imports`);
        }
      }
      for (const importer of index.importersOf(activeFile)) noteFile(importer, this.tuning.proximity.inImportingFile, `in ${importer}, which imports the active file`);
      // Sharing a directory means less the more files it holds (a flat src/ of 300 files says little).
      const dir = directoryOf(activeFile);
      const siblingCount = index.fileCountIn(dir);
      if (siblingCount <= LARGE_DIRECTORY) {
        const sameDirectory = this.tuning.proximity.sameDirectory * Math.min(1, SMALL_DIRECTORY / siblingCount);
        for (const f of index.filesIn(dir)) {
          if (f !== activeFile) noteFile(f, sameDirectory, `in the active file's directory (${dir === '' ? '.' : dir}/)`);
        }
      }
    }
    for (const f of openFiles) noteFile(f, this.tuning.proximity.open, `in ${f}, open in an editor`);
    recentFiles.forEach((f, i) => noteFile(f, this.tuning.proximity.recent * this.tuning.proximity.recentDecay ** i, `in ${f}, recently edited`));
    return { value, facts };
  }
}

/**
 * The definitions of other files the active file's code references, as the graph resolves the names (through the
 * file's imports: a name no import reaches is left out), each with the number of places that reference it: the file's
 * definitions and its top-level code, each counted once however often it names the definition.
 */
function usesBy(index: RankingIndex, activeFile: string): Map<number, number> {
  const uses = new Map<number, number>();
  // The place each definition was last counted for (places come one after another: once per place).
  const countedFor = new Map<number, number>();
  index.forEachResolvedNameOfFile(activeFile, (place, slots, preferred) => {
    if (!preferred) return;
    for (const t of slots) {
      if (countedFor.get(t) === place || index.fileOf(t) === activeFile) continue;
      countedFor.set(t, place);
      uses.set(t, (uses.get(t) ?? 0) + 1);
    }
  });
  return uses;
}

/**
 * The weights a query is scored by: `weights` with an active file; without one (no use to weigh) the use's weight
 * shared out among the others in proportion, so they still add up to 1 — a purely lexical match, or a query from the
 * CLI or another extension without hints, scores about as high as it could before the use signal came.
 */
export function weightsFor(weights: RankingWeights, hasActiveFile: boolean): RankingWeights {
  if (hasActiveFile || weights.use >= 1) return weights;
  const scale = 1 / (1 - weights.use);
  return { lexical: weights.lexical * scale, graph: weights.graph * scale, proximity: weights.proximity * scale, use: 0 };
}

/**
 * The use score of a definition `places` places in the active file use (usesBy): 0 for none, 1 from `full` on, on a log
 * scale between (one place a third of the way at the default 8, three two thirds). The function being written is more
 * likely to call what the code around it calls everywhere than what one corner of the file imports: the walk from the
 * active file cannot tell, as it splits each place's mass among everything that place references and also reaches the
 * hubs every file uses.
 */
function useScore(places: number, full: number): number {
  return places <= 0 ? 0 : Math.min(1, Math.log2(1 + places) / Math.log2(1 + full));
}

/** Whether a slot holds the definition its file exports as the default (only read for a default import's files). */
function defaultExport(index: RankingIndex, slot: number): boolean {
  const node = index.node(slot);
  return node?.kind === 'definition' && isDefaultExport(node.def.signature, node.def.exportedAsDefault);
}

/** The graph score of a slot: its walk rank's (graphScore), or the lift of a best match using it if that is higher. */
function graphOf(rank: PageRankResult, slot: number, used: UsedByBestMatch | undefined): number {
  const walked = graphScore(rank.value[slot] ?? 0, rank.max);
  return used === undefined ? walked : Math.max(walked, used.lift);
}

/**
 * How much of its match's lift a definition the match uses gets (usedByBestMatches), on the graph score's log scale
 * (graphScore): the walk splits a name's weight evenly among the definitions it resolves to, and a match's among the
 * names it references, so each tenfold split costs a third, as it would cost the definition's walk rank. Twelve `get`s
 * of the match's file: 0.64 each; one of 490 helpers the match calls: 0.50. The names' split counts only beyond a
 * typical definition's (TYPICAL_NAMES), where the walk's edges are already thin.
 * @param weight the definition's share of the match's forward edges (RankingIndex.forEachUsedName)
 * @param definitions how many definitions its name resolves to
 */
function liftStrength(weight: number, definitions: number): number {
  const nameShare = weight * definitions;
  const split = Math.log10(definitions) + Math.log10(Math.max(1, 1 / (TYPICAL_NAMES * nameShare)));
  return Math.max(0, 1 - split / GRAPH_DECADES);
}

/** PageRank spans decades: the graph score is the rank's place on a log scale over the top three
 * decades below the best (1 = best, 0 = a thousandth of it or less). */
function graphScore(rank: number, max: number): number {
  if (rank <= 0 || max <= 0) return 0;
  return Math.max(0, 1 + Math.log10(rank / max) / GRAPH_DECADES);
}

const CUTOFF_BINS = 4096;

/**
 * A score such that at least `limit` of the slots score at or above it, and not many more: the lower
 * edge of the histogram bin (scores are in 0..1) where the count from the top reaches `limit`.
 */
function topCutoff(slots: Int32Array, score: Float64Array, limit: number): number {
  const bins = new Uint32Array(CUTOFF_BINS);
  // An indexed loop: iterating a typed array with for…of makes an iterator result per element until optimised.
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    const bin = Math.min(CUTOFF_BINS - 1, Math.floor((score[slot] ?? 0) * CUTOFF_BINS));
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  let count = 0;
  for (let b = CUTOFF_BINS - 1; b >= 0; b--) {
    count += bins[b] ?? 0;
    if (count >= limit) return b / CUTOFF_BINS;
  }
  return 0;
}

/** How many values of a descending array are greater than `x` (binary search). */
function countGreater(descending: Float64Array, x: number): number {
  let lo = 0;
  let hi = descending.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((descending[mid] ?? 0) > x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function normalise(seeds: Map<number, number>): Map<number, number> {
  let sum = 0;
  for (const v of seeds.values()) sum += v;
  const out = new Map<number, number>();
  for (const [k, v] of seeds) out.set(k, sum > 0 ? v / sum : 0);
  return out;
}

function fileStemOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * A combined score rounded to single precision (24 significant bits, ~6e-8 of its size: far finer than the 4 decimals
 * shown). Scores that are equal but for the order their parts were summed in (a walk's residuals reach a slot in another
 * order once a file is indexed again and its slots renumbered: ~1e-16 apart) then come out equal — all but the rare pair
 * on either side of a rounding step — so their order is the tie-break's (file, line, name), as in a fresh index, not
 * whichever rounding happened to be a hair higher. Relative, so a tiny positive score stays positive; one instruction per
 * slot that passes (a query of common words passes most of a workspace).
 */
function onScoreGrid(score: number): number {
  return Math.fround(score);
}

/** Best score first; ties by file path, then line, then name. */
function compareSlots(index: RankingIndex, score: Float64Array, a: number, b: number): number {
  const sa = score[a] ?? 0;
  const sb = score[b] ?? 0;
  // The sign only (as `sb - sa` would give, NaN included): a difference of doubles is a new heap number per comparison.
  if (sa !== sb) return sb > sa ? 1 : sb < sa ? -1 : 0;
  const fa = index.fileOf(a);
  const fb = index.fileOf(b);
  if (fa !== fb) return fa < fb ? -1 : 1;
  // Read from the slots and the files' columns: no definition is made for a tie.
  const la = index.definitionStartLine(a) ?? 0;
  const lb = index.definitionStartLine(b) ?? 0;
  if (la !== lb) return la - lb;
  const na = index.definitionName(a) ?? '';
  const nb = index.definitionName(b) ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/**
 * A candidate whose node is made when first read (a query has up to 2,000 candidates; the packer reads the best few
 * dozen) and whose reasons are built by the shared explainer when asked for (no closure per candidate).
 */
class Candidate implements RankedCandidate {
  readonly proximity: number;
  private made: RankNode | undefined = undefined;
  /** The slot's file entry and kind when ranked: the node made later is the one ranked (see entryOfSlot). */
  private readonly entry: FileEntry;
  private readonly kind: SlotKind;

  constructor(
    index: RankingIndex,
    readonly slot: number,
    readonly score: number,
    readonly lexical: number,
    readonly graph: number,
    readonly use: number,
    private readonly fact: ProximityFact | undefined,
    /** The places in the active file that use it (usesBy). */
    private readonly places: number,
    private readonly received: number,
    private readonly explainer: Explainer,
  ) {
    this.proximity = fact?.value ?? 0;
    this.entry = index.entryOfSlot(slot) as FileEntry;
    this.kind = index.kindOf(slot);
  }

  get node(): RankNode {
    return (this.made ??= nodeIn(this.entry, this.kind, this.slot) as RankNode);
  }

  reasons(): string[] {
    return this.explainer.reasons(this.slot, this.node, this.lexical, this.graph, this.received, this.fact, this.places);
  }
}

function quoteList(words: readonly string[]): string {
  return words.join(', ');
}

/** Builds the reasons of a candidate from the facts the ranking used. */
class Explainer {
  private directFromActive: Map<number, string> | undefined;
  private activeNames: Set<string> | undefined;

  constructor(
    private readonly index: RankingIndex,
    private readonly parsed: ParsedQuery,
    private readonly exact: ReadonlyMap<number, string>,
    private readonly usedByBest: ReadonlyMap<number, UsedByBestMatch>,
    /** Graph ranks of all reached definitions, descending (for "top N%"; the first, graphScore's scale). */
    private readonly sortedRanks: Float64Array,
    private readonly activeFile: string | undefined,
    private readonly openFiles: readonly string[],
  ) {}

  reasons(slot: number, node: RankNode, lexical: number, graph: number, received: number, proximity: ProximityFact | undefined, places: number): string[] {
    const reasons: string[] = [];
    if (lexical > 0) reasons.push(...this.lexicalReasons(slot, node));
    if (graph > 0) reasons.push(...this.graphReasons(slot, node, graph, received));
    if (proximity) reasons.push(...proximity.reasons);
    // (One place is told by "referenced from the active file".)
    if (places > 1) reasons.push(`used in ${places} places in the active file`);
    if (reasons.length === 0) reasons.push('related to the query');
    return reasons;
  }

  private matchedParts(terms: readonly string[]): string[] {
    const set = new Set(terms);
    return this.parsed.parts.filter((p) => set.has(p.term)).map((p) => p.text);
  }

  private lexicalReasons(slot: number, node: RankNode): string[] {
    const out: string[] = [];
    const exactWord = this.exact.get(slot);
    if (node.kind === 'file') {
      const parts = this.matchedParts([...identifierTerms(node.path.slice(node.path.lastIndexOf('/') + 1)), ...this.fileIdentifierTerms(node)]);
      if (parts.length > 0) out.push(`file mentions query words ${quoteList(parts)}`);
      return out;
    }
    const def = node.def;
    if (exactWord !== undefined) {
      const qualifier = def.container?.toLowerCase() === exactWord.split('.')[0] ? def.container : fileStemOf(def.file);
      out.push(exactWord.includes('.') ? `'${qualifier ?? ''}.${def.name}' in the query names it` : `name '${def.name}' appears in the query`);
    }
    const credited = new Set<string>();
    const field = (terms: string[], describe: (words: string) => string): void => {
      const parts = this.matchedParts(terms).filter((p) => !credited.has(p));
      if (parts.length === 0) return;
      for (const p of parts) credited.add(p);
      out.push(describe(quoteList(parts)));
    };
    if (exactWord === undefined) field(identifierTerms(def.name), (w) => `name '${def.name}' matches query word${w.includes(',') ? 's' : ''} ${w}`);
    else for (const p of this.matchedParts(identifierTerms(def.name))) credited.add(p);
    if (def.container !== undefined) field(identifierTerms(def.container), (w) => `member of '${def.container ?? ''}', which matches ${w}`);
    if (def.doc !== undefined) field(textTerms(def.doc), (w) => `doc comment mentions ${w}`);
    field(textTerms(def.signature), (w) => `signature mentions ${w}`);
    const base = def.file.slice(def.file.lastIndexOf('/') + 1);
    field(identifierTerms(fileStemOf(def.file)), (w) => `file name '${base}' matches ${w}`);
    if (def.doc === undefined) {
      // (A Python `from … import` name's member, `views:index`, is shown as written, `views.index`, and a member once:
      // `views.index()`, `other.index()` and `index` match by the same terms — the first stands for them.)
      const used: string[] = [];
      const members = new Set<string>();
      for (const name of this.index.referencedNames(slot)) {
        const mark = fromImportMemberMark(name);
        const member = mark > 0 ? name.slice(mark + 1) : name;
        if (members.has(member) || !this.matchedParts(identifierTerms(name)).some((p) => !credited.has(p))) continue;
        members.add(member);
        used.push(name);
      }
      const shown = used.slice(0, 3).map(shownReference);
      field(used.flatMap((name) => identifierTerms(name)), (w) => `uses ${shown.join(', ')}, matching ${w}`);
    }
    return out;
  }

  private fileIdentifierTerms(node: FileNode): string[] {
    const file = this.index.entry(node.path)?.file;
    const out: string[] = [];
    if (file) for (let i = 0, n = identifierCount(file); i < n; i++) identifierTerms(identifierAt(file, i), out);
    return out;
  }

  private graphReasons(slot: number, node: RankNode, graph: number, received: number): string[] {
    const out: string[] = [];
    const fromActive = this.referencedFromActive().get(slot);
    if (fromActive !== undefined) out.push(fromActive);
    const usedBy = this.usedByBest.get(slot);
    if (usedBy !== undefined) out.push(`used by '${usedBy.matchName}', which matches the query`);
    const calls = this.callsIntoActive(node);
    if (calls !== undefined) out.push(calls);
    // Among what a query ranks: definitions, and files without any (ranked as a whole) — the ranks compared are theirs.
    const better = countGreater(this.sortedRanks, received);
    const files = this.index.rankedFileCount;
    const total = Math.max(1, this.index.definitionCount + files);
    const top = Math.min(100, Math.max(1, Math.ceil(((better + 1) / total) * 100)));
    const among = `top ${top}% of ${total} ${files > 0 ? 'definitions and whole files' : 'definitions'}`;
    // The lift of a best match using it (graphOf) says nothing of where the walk put it: both are told.
    const walked = graphScore(received, this.sortedRanks[0] ?? 0);
    // Told only when it shows: a lift to 0.501 from the walk's 0.499 would print "0.50 (lifted…; the walk's own 0.50…)".
    if (usedBy !== undefined && graph.toFixed(2) !== walked.toFixed(2)) out.push(`graph rank ${graph.toFixed(2)} (lifted: used by a best match; the walk's own ${walked.toFixed(2)}, ${among})`);
    else out.push(`graph rank ${graph.toFixed(2)} (${among})`);
    return out;
  }

  /** Definitions the active file (or an open file) references directly. */
  private referencedFromActive(): Map<number, string> {
    if (this.directFromActive) return this.directFromActive;
    const map = new Map<number, string>();
    const files = this.activeFile !== undefined ? [this.activeFile, ...this.openFiles] : [...this.openFiles];
    for (const path of files) {
      const label = path === this.activeFile ? `referenced from the active file ${path}` : `referenced from open file ${path}`;
      this.index.forEachResolvedNameOfFile(path, (_place, slots, preferred) => {
        if (!preferred && slots.length > 1) return;
        for (const t of slots) {
          if (this.index.kindOf(t) === SlotKind.Definition && this.index.fileOf(t) !== path && !map.has(t)) map.set(t, label);
        }
      });
    }
    this.directFromActive = map;
    return map;
  }

  /** "calls 'x' from the active file" when this definition references a name the active file defines. */
  private callsIntoActive(node: RankNode): string | undefined {
    if (this.activeFile === undefined || node.kind !== 'definition' || node.def.file === this.activeFile) return undefined;
    if (!this.activeNames) {
      this.activeNames = new Set();
      for (const s of this.index.entry(this.activeFile)?.definitionSlots ?? []) {
        const name = this.index.definitionName(s);
        if (name !== undefined) this.activeNames.add(name);
      }
    }
    for (const name of this.index.referencedNames(node.slot)) {
      // (A local name its file's imports give may stand for one, `total` of `import { cartTotal as total }`.)
      const local = this.index.givesLocalName(node.def.file, name);
      if (!local && !this.activeNames.has(name)) continue;
      // Only where the name reaches the active file's definition from the candidate's file (not one of its own, or of
      // a file it imports, of that name).
      // (As the graph takes it: a name no file in reach defines, with several definitions elsewhere, reaches none.)
      const { slots, preferred } = this.index.resolveName(name, node.def.file, node.slot);
      if (!preferred && slots.length !== 1) continue;
      const used = slots.find((s) => this.index.fileOf(s) === this.activeFile);
      if (used !== undefined) return `uses '${this.index.definitionName(used) ?? name}' from the active file`;
    }
    return undefined;
  }
}
