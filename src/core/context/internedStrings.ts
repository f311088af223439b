// The strings the index shares across its files (paths, names, identifiers, import sources): each kept once, and
// numbered in the order it was first kept, so that a save can number the strings it writes with a typed array over
// these numbers instead of a map of its own (at 50,000 synthetic files ~150,000 distinct strings, the map made on top
// of the index at the end of a cold build, when its memory peaks).

/** A string kept as it is. */
export function keptAsIs(s: string): string {
  return s;
}

export class InternedStrings {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];

  /**
   * The kept string equal to `s`; when there is none, `copy(s)` is kept and returned.
   * @param copy how a string not yet known is kept (e.g. detached from the text it was cut from).
   */
  intern(s: string, copy: (s: string) => string = keptAsIs): string {
    return this.values[this.internId(s, copy)] as string;
  }

  /** The number of the kept string equal to `s`; when there is none, `copy(s)` is kept and its number returned. */
  internId(s: string, copy: (s: string) => string = keptAsIs): number {
    const id = this.ids.get(s);
    if (id !== undefined) return id;
    const kept = copy(s);
    const added = this.values.push(kept) - 1;
    this.ids.set(kept, added);
    return added;
  }

  /**
   * The kept strings by number. Only ever appended to, so a number read from it stays valid: the index keeps each
   * file's identifiers as numbers into it (IdentifierIds).
   */
  get table(): readonly string[] {
    return this.values;
  }

  /** The number of the kept string equal to `s` (0, 1, … in the order kept), or undefined when none is. */
  idOf(s: string): number | undefined {
    return this.ids.get(s);
  }

  /** How many strings are kept (one more than the highest number). */
  get size(): number {
    return this.values.length;
  }
}
