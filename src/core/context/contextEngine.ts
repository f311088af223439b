// The context engine: for a prompt and the editor state, ranks the workspace's definitions, packs the
// best into a character budget and explains each pick. Results are cached per normalised prompt,
// editor state, budget and index version. Used by the VS Code glue and the headless CLI alike.

import { abortScope, throwIfAborted, untilAborted } from '../errors';
import type { Clock, Logger } from '../ports';
import { ContextCache, contextCacheKey, normaliseQuery } from './contextCache';
import { packContext } from './contextPacker';
import { formatPromptWithContext } from './contextPrompt';
import { ContextRanker, DEFAULT_TUNING, weightsFor } from './contextRanker';
import { parseQuery } from './identifierTokens';
import { MAX_BUDGET, QUERY_LIMITS, type ContextCacheStats, type ContextQuery, type ContextResult, type Definition, type IndexSnapshot } from './model';
import { definitionTerms, RankingIndex } from './rankingIndex';

export interface ContextEngineOptions {
  index: IndexSnapshot;
  clock: Clock;
  logger: Logger;
  cacheSize?: number;
  defaults: { budget: number; relevanceThreshold: number };
  /** The ranking index to keep (default: a new one): a test compares the one the engine kept in step with a fresh one. */
  rankingIndex?: RankingIndex;
}

const { maxQueryChars: MAX_QUERY_CHARS, maxHintFiles: MAX_HINT_FILES } = QUERY_LIMITS;

function isHintList(v: unknown): boolean {
  if (v === undefined) return true;
  if (!Array.isArray(v) || v.length > MAX_HINT_FILES) return false;
  for (const s of v) if (typeof s !== 'string') return false;
  return true;
}

/**
 * Whether a query surely passes the schema (contextQuerySchema.ts): checked by hand, so that zod (its module and
 * the schema) is loaded only for a query that may be invalid, never on the engine thread's way to its first
 * answer. Stricter than the schema is harmless (the schema decides); never looser.
 */
function isSurelyValid(q: ContextQuery): boolean {
  if (typeof q !== 'object' || q === null || Array.isArray(q)) return false;
  const { budget, relevanceThreshold } = q;
  return (
    typeof q.query === 'string' &&
    q.query.length <= MAX_QUERY_CHARS &&
    (q.activeFile === undefined || q.activeFile === null || typeof q.activeFile === 'string') &&
    isHintList(q.openFiles) &&
    isHintList(q.recentFiles) &&
    (budget === undefined || (Number.isSafeInteger(budget) && budget >= 0 && budget <= MAX_BUDGET)) &&
    (relevanceThreshold === undefined || (typeof relevanceThreshold === 'number' && relevanceThreshold >= 0 && relevanceThreshold <= 1))
  );
}

/** @throws ValidationError naming each field the schema rejects. */
async function rejectIfInvalid(q: ContextQuery): Promise<void> {
  const { invalidQueryError } = await import('./contextQuerySchema.js');
  const error = invalidQueryError(q, QUERY_LIMITS);
  if (error) throw error;
}

/** The query prepare ranks and packs once, for its code to be compiled before the first prompt (see prepare). */
const WARM_UP_QUERY = 'main';
const WARM_UP_BUDGET = 1_000;

export class ContextEngine {
  private index: IndexSnapshot;
  /** Bumps when the index object is swapped, so equal version numbers of two indexes never collide. */
  private indexSerial = 0;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly defaults: { budget: number; relevanceThreshold: number };
  private readonly cache: ContextCache;
  private readonly rankingIndex: RankingIndex;
  private readonly ranker: ContextRanker;
  private lastScores: { key: string; scores: Map<string, number> } | undefined;
  /** The ranking index's sync under way, or waiting for the readers to finish (nextSync): callers wait for it. */
  private syncing: Promise<void> | undefined;
  /** Queries ranking or packing over the ranking index (a sync waits until there are none). */
  private readers = 0;
  private readersGone: (() => void)[] = [];

  constructor(opts: ContextEngineOptions) {
    this.index = opts.index;
    this.clock = opts.clock;
    this.logger = opts.logger;
    this.defaults = opts.defaults;
    this.cache = new ContextCache(opts.cacheSize);
    this.rankingIndex = opts.rankingIndex ?? new RankingIndex();
    this.ranker = new ContextRanker(this.rankingIndex);
  }

  /** Replaces the index the engine ranks over (a changed `version` of the same index is noticed by itself). */
  setIndex(index: IndexSnapshot): void {
    this.index = index;
    this.indexSerial++;
  }

  async getRelevantContext(q: ContextQuery, signal?: AbortSignal): Promise<ContextResult> {
    throwIfAborted(signal);
    // A valid query goes on in the same turn (as it did when the schema was checked synchronously).
    if (!isSurelyValid(q)) await rejectIfInvalid(q);
    const started = this.clock.now();
    const index = this.index;
    const version = index.version;
    const budget = q.budget ?? this.defaults.budget;
    const relevanceThreshold = q.relevanceThreshold ?? this.defaults.relevanceThreshold;
    const openFiles = [...new Set(q.openFiles ?? [])].sort();
    const recentFiles = [...new Set(q.recentFiles ?? [])];
    const key = contextCacheKey({ query: q.query, activeFile: q.activeFile, openFiles, recentFiles, budget, relevanceThreshold, indexKey: `${this.indexSerial}:${version}` });
    const hit = await this.cache.get(key, (p) => index.readText(p));
    if (hit) return { ...hit, cached: true, ms: this.clock.now() - started };

    // Ranked and packed over the ranking index as the turn that found it synced left it: from that turn on, this query
    // is a reader that no sync steps under (packing awaits file reads, and reads ranked candidates lazily).
    while (!this.rankingIndex.isSyncedWith(index, version)) await this.nextSync(index, signal);
    throwIfAborted(signal);
    const { items, chars, candidates } = await this.rankAndPack(index, { ...q, openFiles, recentFiles }, budget, relevanceThreshold, signal);
    const result: ContextResult = { items, chars, budget, ms: this.clock.now() - started, cached: false, indexVersion: version };
    // An index that changed while files were read may have produced a mixed result: do not keep it.
    if (this.index === index && index.version === version) this.cache.set(key, result);
    this.logger.debug(`context: ${items.length} items, ${chars}/${budget} chars from ${candidates} candidates in ${result.ms} ms`);
    return result;
  }

  /**
   * Ranks and packs `q` over the ranking index, which must be synced (isSyncedWith) in the caller's turn:
   * from it on, the query is a reader that no sync steps under until its result is packed.
   */
  private async rankAndPack(
    index: IndexSnapshot,
    q: ContextQuery,
    budget: number,
    relevanceThreshold: number,
    signal: AbortSignal | undefined,
  ): Promise<{ items: ContextResult['items']; chars: number; candidates: number }> {
    this.readers++;
    try {
      const hints = { ...(typeof q.activeFile === 'string' ? { activeFile: q.activeFile } : {}), openFiles: q.openFiles ?? [], recentFiles: q.recentFiles ?? [] };
      const ranked = this.ranker.rank(q.query, hints, { ...(signal ? { signal } : {}), minScore: relevanceThreshold });
      throwIfAborted(signal);
      // A cancelled query stops waiting for a file read at once: it would hold every sync (and query) after it. (The
      // reads read ahead wait through one listener on the signal: abortScope.)
      const reads = abortScope(signal);
      try {
        const packed = await packContext(ranked, { budget, readText: (p) => reads.until(index.readText(p)), logger: this.logger, ...(signal ? { signal } : {}) });
        return { ...packed, candidates: ranked.length };
      } finally {
        reads.dispose();
      }
    } finally {
      if (--this.readers === 0 && this.readersGone.length > 0) for (const resume of this.readersGone.splice(0)) resume();
    }
  }

  /**
   * The prompt with its context. The budget bounds the context items' text (`context.chars`), as everywhere; the prompt
   * adds its own framing around them — an introduction of ~230 characters, and per item a heading and a code fence.
   */
  async enhancePrompt(prompt: string, hints: Omit<ContextQuery, 'query'>, signal?: AbortSignal): Promise<{ prompt: string; context: ContextResult }> {
    const context = await this.getRelevantContext({ ...hints, query: prompt }, signal);
    return { prompt: formatPromptWithContext(prompt, context), context };
  }

  /**
   * Relevance (0..1) of a definition to a query with no editor state. Definitions of the index get
   * their ranking score; others are scored by the share of the query their words cover. Synchronous: it brings the
   * ranking index up to date at once, whatever sync or query is under way — not for a caller with queries in flight.
   */
  scoreRelevance(item: Definition, query: string): number {
    this.rankingIndex.sync(this.index);
    const key = `${this.rankingIndex.generation}\u0000${normaliseQuery(query)}`;
    if (this.lastScores?.key !== key) {
      const scores = new Map<string, number>();
      for (const c of this.ranker.rank(query, {}, { limit: Infinity })) if (c.node.kind === 'definition') scores.set(c.node.def.id, c.score);
      this.lastScores = { key, scores };
    }
    const score = this.lastScores.scores.get(item.id);
    if (score !== undefined) return score;
    return this.rankingIndex.entry(item.file)?.file.definitions.some((d) => d.id === item.id) ? 0 : this.coverage(item, query);
  }

  /**
   * Brings the ranking index up to date with the index as it is now, rather than on the next query: a first build
   * over a large workspace takes seconds (50,000 files: ~8 s), which the first prompt then does not wait for. In
   * steps, giving the event loop a turn between them (a query or an edit coming meanwhile waits a step: at 50,000
   * files 15–20 ms, the longest ~130 ms); a query that comes meanwhile joins the build (nextSync).
   * After a build it ranks and packs one query for nobody (WARM_UP_QUERY). Resolves true when it had anything to do,
   * false when the ranking index was up to date already; rejects with a CancellationError as soon as `signal` aborts —
   * the build goes on.
   */
  async prepare(signal?: AbortSignal): Promise<boolean> {
    const index = this.index;
    const version = index.version;
    const ready = this.rankingIndex.isSyncedWith(index, version);
    while (!this.rankingIndex.isSyncedWith(index, version)) await this.nextSync(index, signal);
    throwIfAborted(signal);
    if (!ready) {
      // One query's ranking and packing, kept by nobody (no cache entry, no statistics): the code of the query path
      // is compiled now too, not on the first prompts (effect: first two queries ~60 ms each without this, ~25 with).
      // In the turn the loop above found the ranking index synced, as a query ranks.
      await this.rankAndPack(index, { query: WARM_UP_QUERY, budget: WARM_UP_BUDGET }, WARM_UP_BUDGET, this.defaults.relevanceThreshold, signal);
    }
    return !ready;
  }

  /** Whether the ranking index is up to date with the index (a query would not build or update it first). */
  get rankingReady(): boolean {
    return this.rankingIndex.isSyncedWith(this.index);
  }

  /**
   * Waits for the ranking index's sync under way, or begins one with `index` (in steps, giving the event loop a turn
   * between them, so a first build over a large workspace does not block the thread). One sync runs at a time,
   * shared by every caller (prepare, queries), each of which loops until the ranking index holds the index as it was
   * when the caller came (RankingIndex.isSyncedWith: a sync records the version it began from, so a caller that came
   * after a sync began waits for one more; changes after it came are the next caller's) and acts in the turn that
   * found it so. A caller whose signal aborts stops waiting; the sync goes on for the others and the next query (it
   * is not cancelled: its steps are done work).
   */
  private async nextSync(index: IndexSnapshot, signal: AbortSignal | undefined): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.syncInSteps(index).finally(() => (this.syncing = undefined));
      // Its failure is each waiting caller's; with none left waiting (all cancelled), the next sync meets it again.
      this.syncing.catch(() => undefined);
    }
    await untilAborted(this.syncing, signal);
  }

  private async syncInSteps(index: IndexSnapshot): Promise<void> {
    // Not under a query still packing: it reads the ranking index as it ranked over it. Once the sync has begun, new
    // queries wait for it (RankingIndex.isSyncedWith is false while it is under way).
    while (this.readers > 0) await new Promise<void>((resolve) => this.readersGone.push(resolve));
    const steps = this.rankingIndex.syncSteps(index);
    for (let step = steps.next(); !step.done; step = steps.next()) await this.clock.sleep(0);
  }

  cacheStats(): ContextCacheStats {
    return this.cache.stats();
  }

  private coverage(item: Definition, query: string): number {
    const bm25 = this.rankingIndex.lexical;
    const terms = definitionTerms(item);
    let total = 0;
    let matched = 0;
    const seen = new Set<string>();
    for (const part of parseQuery(query, (t) => bm25.idf(t) > 0 || terms.has(t)).parts) {
      if (seen.has(part.term)) continue;
      seen.add(part.term);
      const idf = bm25.idf(part.term) || 1;
      total += idf;
      if (terms.has(part.term)) matched += idf;
    }
    // (As the ranker weighs a query without hints, which scoreRelevance ranks with.)
    return total === 0 ? 0 : weightsFor(DEFAULT_TUNING.weights, false).lexical * (matched / total);
  }
}
