// What the performance view says of the ranking index (IndexStats.ranking): the engine builds it once indexing is
// done, ahead of the first prompt; without that build (indexing cancelled, or the build ahead failed) the first prompt
// builds it.

/** The ranking index of the current engine: being built ahead, built ahead (how long that took), or built by a prompt. */
export type RankingState = 'building' | { readonly readyMs: number } | 'builtByPrompt';

/**
 * The ranking index's state for one engine at a time. Every call names the engine it is about: news of an engine that
 * is no longer the current one (replaced, or stopped) changes nothing.
 */
export class RankingReadiness<Engine> {
  private engine: Engine | undefined;
  private state: RankingState | undefined;

  /** A new current engine (or none): nothing is known of its ranking index yet. */
  reset(engine: Engine | undefined): void {
    this.engine = engine;
    this.state = undefined;
  }

  /** Indexing finished and the build ahead of the first prompt started. */
  buildingAhead(engine: Engine): void {
    if (engine === this.engine) this.state = 'building';
  }

  /** The build ahead finished, `readyMs` after it started (a prompt may have built the index meanwhile). */
  builtAhead(engine: Engine, readyMs: number): void {
    if (engine === this.engine) this.state = { readyMs };
  }

  /** The build ahead failed or was cancelled: the first prompt builds the ranking index. */
  failedAhead(engine: Engine): void {
    if (engine === this.engine && this.state === 'building') this.state = undefined;
  }

  /** A prompt was answered: the ranking index exists now, built by it when no build ahead had run. */
  answered(engine: Engine): void {
    if (engine === this.engine && this.state === undefined) this.state = 'builtByPrompt';
  }

  /** The state of `engine`'s ranking index; undefined when nothing built it yet (or `engine` is not the current one). */
  of(engine: Engine | undefined): RankingState | undefined {
    return engine !== undefined && engine === this.engine ? this.state : undefined;
  }
}
