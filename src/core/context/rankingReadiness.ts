// What the performance view says of the ranking index (IndexStats.ranking): the engine builds it once indexing is
// done, ahead of the first prompt; without that build (indexing cancelled, or the build ahead failed) the first prompt
// builds it.

/** The ranking index of the current engine: being built ahead, built ahead (how long that took), or built by a prompt. */
export type RankingState = 'building' | { readonly readyMs: number } | 'builtByPrompt';

/**
 * The ranking index's state for one engine at a time. Every call names the engine it is about: news of an engine that
 * is no longer the current one (replaced, or stopped) changes nothing. A prompt answered while indexing still runs
 * counts once indexing has ended without a build ahead (until then the state says nothing: the build ahead follows);
 * whether indexing runs is the caller's to say (`of`), who owns the build.
 */
export class RankingReadiness<Engine> {
  private engine: Engine | undefined;
  /** The build ahead of the first prompt: under way, or done (how long it took); undefined when none ran or it failed. */
  private ahead: Exclude<RankingState, 'builtByPrompt'> | undefined;
  private prompted = false;

  /** A new current engine (or none): nothing is known of its ranking index yet. */
  reset(engine: Engine | undefined): void {
    this.engine = engine;
    this.ahead = undefined;
    this.prompted = false;
  }

  /** Indexing finished and the build ahead of the first prompt started. */
  buildingAhead(engine: Engine): void {
    if (engine === this.engine) this.ahead = 'building';
  }

  /** The build ahead finished, `readyMs` after it started (a prompt may have built the index meanwhile). */
  builtAhead(engine: Engine, readyMs: number): void {
    if (engine === this.engine) this.ahead = { readyMs };
  }

  /** The build ahead failed: the first prompt builds the ranking index (or has built it already). */
  failedAhead(engine: Engine): void {
    if (engine === this.engine && this.ahead === 'building') this.ahead = undefined;
  }

  /** A prompt was answered: the ranking index exists now. */
  answered(engine: Engine): void {
    if (engine === this.engine) this.prompted = true;
  }

  /**
   * The state of `engine`'s ranking index while its indexing runs (`indexing`) or not; undefined when nothing built it
   * yet (or `engine` is not the current one).
   */
  of(engine: Engine | undefined, indexing: boolean): RankingState | undefined {
    if (engine === undefined || engine !== this.engine) return undefined;
    if (this.ahead !== undefined) return this.ahead;
    return this.prompted && !indexing ? 'builtByPrompt' : undefined;
  }
}
