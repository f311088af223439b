// The ranking side of the randomized index test (workspaceIndexModel.test.ts, MODEL_RANK=1): a ContextEngine kept on
// the live index as the engine thread keeps it (syncs in steps between the index's changes, queries that read and
// memoise edges), compared after every batch with a ranking index built fresh from the fresh index; and the index's
// change events, from which the engine thread tallies the definitions it reports (contextHostWorker.ts), compared
// with the index itself.
import { ContextEngine } from '../../../src/core/context/contextEngine';
import { CancellationError } from '../../../src/core/errors';
import type { ContextQuery, IndexedFile } from '../../../src/core/context/model';
import { definitionTerms, fileTerms, RankingIndex, type RankingIndexLimits } from '../../../src/core/context/rankingIndex';
import { definitionCount } from '../../../src/core/context/storedFile';
import type { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { pick, randomInt } from '../../../bench/seededRandom';
import { systemClock, type Clock, type Disposable, type Random } from '../../../src/core/ports';
import { describeEdges } from './builders';
import { WORDS } from './indexModel';
import { recordingLogger } from './indexerHarness';

/** The model's words, and others its texts hold (a method, large texts' and edits' function names, Markdown's prose). */
const QUERY_WORDS = [...WORDS, 'run', 'filler', 'added', 'notes'];

/** A node's name in comparisons: a definition's id, or the file's path. */
function labelOf(index: RankingIndex, slot: number): string {
  const n = index.node(slot);
  return n === undefined ? '?' : n.kind === 'definition' ? n.def.id : `file:${n.path}`;
}

/** Every term the ranking index holds a document for (its definitions' and whole-ranked files'), by slot. */
function termsOf(index: RankingIndex): Set<string> {
  const terms = new Set<string>();
  for (let slot = 0; slot < index.capacity; slot++) {
    const n = index.node(slot);
    if (n === undefined) continue;
    const file = n.kind === 'file' ? index.entry(n.path)?.file : undefined;
    const tf = n.kind === 'definition' ? definitionTerms(n.def, index.referencedNames(slot)) : file ? fileTerms(file) : new Map<string, number>();
    for (const term of tf.keys()) terms.add(term);
  }
  return terms;
}

/** What a one-term BM25 search scores, by node (9 digits). */
function searchOf(index: RankingIndex, term: string): string[] {
  const hits = index.lexical.search([{ term, weight: 1, countsForCoverage: true }]);
  return [...hits.slots].map((slot) => `${labelOf(index, slot)}=${(hits.score[slot] ?? 0).toFixed(9)}`).sort();
}

function describeMapDifference(what: string, actual: ReadonlyMap<string, unknown>, expected: ReadonlyMap<string, unknown>, expectedIs = 'fresh'): string[] {
  const out: string[] = [];
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = JSON.stringify(actual.get(key));
    const e = JSON.stringify(expected.get(key));
    if (a !== e) out.push(`${what} ${key}: ${a ?? 'none'}, ${expectedIs} ${e ?? 'none'}`);
  }
  return out;
}

/**
 * How `actual` (kept up to date through edits) differs from `expected` (built fresh from the same files): edges (with
 * weights), definitions by name, importers, and the BM25 index (idf and a one-term search's scores of every term).
 * Empty when they agree. Reads every node's edges (memoising them in both).
 */
export function rankingDifference(actual: RankingIndex, expected: RankingIndex, files: Iterable<string>): string {
  const out = describeMapDifference('edges of', describeEdges(actual), describeEdges(expected));
  const names = new Map<string, string[]>();
  const expectedNames = new Map<string, string[]>();
  const importers = new Map<string, string[]>();
  const expectedImporters = new Map<string, string[]>();
  for (const [index, byName] of [
    [actual, names],
    [expected, expectedNames],
  ] as const) {
    for (let slot = 0; slot < index.capacity; slot++) {
      const n = index.node(slot);
      if (n?.kind !== 'definition') continue;
      byName.set(n.def.name, index.definitionsNamed(n.def.name).map((s) => labelOf(index, s)).sort());
    }
  }
  for (const path of files) {
    importers.set(path, [...actual.importersOf(path)].sort());
    expectedImporters.set(path, [...expected.importersOf(path)].sort());
  }
  out.push(...describeMapDifference('definitions named', names, expectedNames));
  out.push(...describeMapDifference('importers of', importers, expectedImporters));
  const lexical = new Map<string, string>();
  const expectedLexical = new Map<string, string>();
  for (const term of new Set([...termsOf(actual), ...termsOf(expected)])) {
    lexical.set(term, `idf ${actual.lexical.idf(term).toFixed(9)} ${searchOf(actual, term).join(' ')}`);
    expectedLexical.set(term, `idf ${expected.lexical.idf(term).toFixed(9)} ${searchOf(expected, term).join(' ')}`);
  }
  out.push(...describeMapDifference('BM25 term', lexical, expectedLexical));
  return out.slice(0, 20).join('\n');
}

/**
 * A ContextEngine on the live index with its own RankingIndex (which the test compares), driven as the engine thread
 * drives it: `prepare` (the extension asks for the ranking index once the index is ready) and queries, neither awaited
 * by the steps, so that the ranking index syncs in steps while the index changes under it.
 */
/**
 * Limits low enough for a workspace of a few dozen files to cross them: syncs give way every few files (so the index
 * changes between a sync's steps), slots are renumbered and the edge pool compacted after little churn, and the edge
 * memo starts over when it is full.
 */
const SMALL_LIMITS: RankingIndexLimits = { rebuildDeadSlots: 24, compactDeadEdges: 16, maxMemoisedEdges: 400, settleStep: 8, syncStep: 6 };

export class RankingDriver {
  readonly ranking = new RankingIndex(SMALL_LIMITS);
  private readonly engine: ContextEngine;
  private readonly inFlight: Promise<unknown>[] = [];
  private readonly failures: string[] = [];
  /** What each cancellable call still under way counts as a tick: called at every step of the ranking index's sync. */
  private readonly onSyncStep = new Set<() => void>();

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly random: Random,
  ) {
    // The system clock, each sleep announced: the engine sleeps once after each step of a sync (syncInSteps).
    const clock: Clock = {
      now: () => systemClock.now(),
      setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms),
      sleep: (ms, signal) => {
        for (const tick of [...this.onSyncStep]) tick();
        return systemClock.sleep(ms, signal);
      },
    };
    this.engine = new ContextEngine({ index, clock, logger: recordingLogger(), defaults: { budget: 3_000, relevanceThreshold: 0 }, rankingIndex: this.ranking });
  }

  /**
   * Maybe starts a prepare or a query (not awaited: `settled` waits for them); a third of them are cancelled part way
   * (the user cancelling: the caller stops waiting, a sync under way goes on for the others) — at a point of the
   * call's own progress that the seed chooses (cancelAt), not by a timer, so that a failing seed runs the same way again.
   */
  act(log: string[]): void {
    const r = this.random();
    if (r >= 0.35) return;
    const cancelAtTick = this.random() < 0.33 ? randomInt(this.random, 1, 8) : undefined;
    const { signal, done } = this.cancelAt(cancelAtTick);
    const cancelled = cancelAtTick !== undefined ? ` (cancelled at tick ${cancelAtTick})` : '';
    if (r < 0.15) {
      log.push(`(ranking: prepare${cancelled})`);
      this.track(this.engine.prepare(signal).finally(done), 'prepare');
    } else {
      const q = this.query();
      log.push(`(ranking: query ${JSON.stringify(q)}${cancelled})`);
      this.track(this.engine.getRelevantContext(q, signal).finally(done), `query ${q.query}`);
    }
  }

  /**
   * A signal that aborts at the call's `tick`-th tick (never when undefined): a tick is a look at `signal.aborted` (the
   * engine's checks: before it waits for a sync, after it, while it ranks and packs) or a step of the ranking index's
   * sync while the call is under way (the abort then comes while it waits for the sync). `done` ends the counting.
   */
  private cancelAt(tick: number | undefined): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    if (tick === undefined) return { signal: controller.signal, done: () => undefined };
    let ticks = 0;
    let aborted = false;
    const count = (): void => {
      if (aborted || ++ticks < tick) return;
      aborted = true;
      this.onSyncStep.delete(count);
      controller.abort();
    };
    this.onSyncStep.add(count);
    Object.defineProperty(controller.signal, 'aborted', {
      get: (): boolean => {
        count();
        return aborted;
      },
    });
    return { signal: controller.signal, done: () => this.onSyncStep.delete(count) };
  }

  private query(): ContextQuery {
    const words = Array.from({ length: randomInt(this.random, 1, 3) }, () => `${pick(this.random, QUERY_WORDS)}${this.random() < 0.5 ? randomInt(this.random, 0, 30) : ''}`);
    const paths = [...this.index.files.keys()];
    const activeFile = paths.length > 0 && this.random() < 0.7 ? pick(this.random, paths) : undefined;
    return { query: words.join(' '), ...(activeFile !== undefined ? { activeFile, openFiles: [activeFile] } : {}), budget: randomInt(this.random, 200, 3_000) };
  }

  /** Records how `p` failed, unless it was cancelled. */
  private track(p: Promise<unknown>, what: string): void {
    this.inFlight.push(
      p.catch((err: unknown) => {
        if (!(err instanceof CancellationError)) this.failures.push(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }),
    );
  }

  /** Waits for what act started, then brings the ranking index up to date. Failures of what it started, if any. */
  async settled(): Promise<string> {
    while (this.inFlight.length > 0) await Promise.all(this.inFlight.splice(0));
    await this.engine.prepare();
    return this.failures.splice(0).join('\n');
  }
}

/** The definitions per file as the index's change events report them (the engine thread's tally, contextHostWorker.ts). */
export class ChangeTally implements Disposable {
  private readonly counts = new Map<string, number>();
  private readonly subscription: Disposable;

  constructor(private readonly index: WorkspaceIndex) {
    this.subscription = index.onDidChange((change) => {
      for (const p of [...change.removed, ...change.changed]) {
        const file: IndexedFile | undefined = index.files.get(p);
        if (file) this.counts.set(p, definitionCount(file));
        else this.counts.delete(p);
      }
    });
  }

  /** Where the tally differs from the index's files (empty when it agrees). */
  difference(): string {
    const actual = new Map([...this.index.files].map(([p, f]) => [p, definitionCount(f)]));
    return describeMapDifference('definitions reported for', this.counts, actual, 'the index holds').slice(0, 20).join('\n');
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
