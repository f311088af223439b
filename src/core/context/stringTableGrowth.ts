// When the index's shared string table (InternedStrings) holds too many strings no file uses any more. The table only
// grows: every identifier typed (and each partial word on the way), every path of a file created and deleted since
// (a watch-mode build writing hashed names), stays numbered for the engine's life, ~1.2 KB of engine heap each with
// what hangs off them (the ranking index's arrays by identifier number). Renumbering it in place would mean remapping
// every stored file's identifier arrays and the ranking index; a new engine started from the saved index instead keeps
// only the strings that index still uses (a reopen adopts its table), so the index asks its owner for that.

/** How far the table may outgrow the strings its files use: to max(factor × live, live + slack) strings. */
export interface StringTableBound {
  readonly factor: number;
  readonly slack: number;
}

export const STRING_TABLE_BOUND: StringTableBound = { factor: 2, slack: 20_000 };

/** What the index tells its owner when its table outgrew the bound: restarting the engine from the saved index frees the rest. */
export interface StringTableGrowth {
  /** Strings the table holds. */
  readonly strings: number;
  /** Strings the index's files use (those the save just written holds, those only open documents use, and the files' paths). */
  readonly live: number;
  /**
   * Found at the index's first count (a new engine's first save): a restart from the saved index would start with much
   * the same table (the saved strings, and the open documents' sent again), so an owner that just restarted the engine
   * for growth does not restart it again for this (it would again and again: a count that left out strings in use).
   */
  readonly firstCount: boolean;
}

/**
 * The bookkeeping: the limit follows the last count of live strings (each save counts them); past it a save is due
 * (which counts them again), and when the table is still past the limit after it, the growth is reported. The owner
 * replaces the engine then, mostly; one that does not (a restart it found would not help) is asked again only once the
 * table outgrew the bound over what it held at the report (at least 20,000 more strings with the default bound).
 */
export class StringTableWatch {
  /** No limit until the first count (the first build's save, or its end when it had nothing to save). */
  private limit = Number.POSITIVE_INFINITY;
  /** The least limit after a report: the bound over the strings the table held then. */
  private floor = 0;
  private state: 'watching' | 'counting' = 'watching';

  constructor(private readonly bound: StringTableBound = STRING_TABLE_BOUND) {}

  /** After a change, with the table's size: true when a save should count the live strings now. */
  countDue(size: number): boolean {
    if (this.state !== 'watching' || size <= this.limit) return false;
    this.state = 'counting';
    return true;
  }

  /** A build ended with nothing to save: its strings are taken for live ones when nothing was counted yet. */
  assumeLive(size: number): void {
    if (this.limit === Number.POSITIVE_INFINITY) this.limit = this.limitFor(size);
  }

  /** A save counted `live` strings with the table at `size`: the growth to report, if the table is past the bound. */
  counted(size: number, live: number): StringTableGrowth | undefined {
    const firstCount = this.limit === Number.POSITIVE_INFINITY;
    this.limit = Math.max(this.limitFor(live), this.floor);
    this.state = 'watching';
    if (size <= this.limit) return undefined;
    this.floor = this.limit = this.limitFor(size);
    return { strings: size, live, firstCount };
  }

  /** The save that was to count did not run (a build was under way): the next change asks again. */
  countSkipped(): void {
    if (this.state === 'counting') this.state = 'watching';
  }

  /** The save that was to count failed: the next count waits until the table grew by the bound again. */
  countFailed(size: number): void {
    this.limit = Math.max(this.limitFor(size), this.floor);
    if (this.state === 'counting') this.state = 'watching';
  }

  private limitFor(live: number): number {
    return Math.max(this.bound.factor * live, live + this.bound.slack);
  }
}
