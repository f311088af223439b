// The strings the index shares across its files (paths, names, identifiers, import sources): each kept once, and
// numbered in the order it was first kept, so that a save can number the strings it writes with a typed array over
// these numbers instead of a map of its own (at 50,000 synthetic files ~150,000 distinct strings, the map made on top
// of the index at the end of a cold build, when its memory peaks).

/** A string kept as it is. */
export function keptAsIs(s: string): string {
  return s;
}

/** Strings adopted per push (InternedStrings.adopt). */
const ADOPTED_SLICE = 8192;

export class InternedStrings implements NumberedStrings {
  /** The numbers of values[0, mapped): the strings a saved table brought (adopt) are added only when first looked up. */
  private readonly ids = new Map<string, number>();
  private mapped = 0;
  private readonly values: string[] = [];

  /**
   * Keeps `table`'s strings, numbered as there (0, 1, …), when no string is kept yet: a saved index's table, adopted as
   * a reopen loads (true), without the map lookups interning them one by one would take — ~8,000 strings in effect's
   * index, ~27,000 in monaco-editor's, most of the time their load spent on its table — until something looks a
   * string up. False, keeping nothing, when strings are kept already. A save writes each string once (StringTable); a
   * table that repeats one anyway (a damaged file, discarded once its checksum is read) keeps the first as the one found.
   * The strings stay kept when the load that adopted them fails, as interning them kept them.
   */
  adopt(table: readonly string[]): boolean {
    if (this.values.length > 0) return false;
    // (In slices: a spread's arguments are bounded by the stack; pushed one by one, the strings took ~3 ms of a cold reopen.)
    for (let i = 0; i < table.length; i += ADOPTED_SLICE) this.values.push(...table.slice(i, i + ADOPTED_SLICE));
    return true;
  }

  /**
   * The kept string equal to `s`; when there is none, `copy(s)` is kept and returned.
   * @param copy how a string not yet known is kept (e.g. detached from the text it was cut from).
   */
  intern(s: string, copy: (s: string) => string = keptAsIs): string {
    return this.values[this.internId(s, copy)] as string;
  }

  /** The number of the kept string equal to `s`; when there is none, `copy(s)` is kept and its number returned. */
  internId(s: string, copy: (s: string) => string = keptAsIs): number {
    const ids = this.numbered();
    const id = ids.get(s);
    if (id !== undefined) return id;
    const kept = copy(s);
    const added = this.values.push(kept) - 1;
    ids.set(kept, added);
    this.mapped = this.values.length;
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
    return this.numbered().get(s);
  }

  /** How many strings are kept (one more than the highest number). */
  get size(): number {
    return this.values.length;
  }

  /** The map of every kept string's number (the adopted ones added now, the first time one is looked up). */
  private numbered(): Map<string, number> {
    const values = this.values;
    if (this.mapped < values.length) {
      // (The first of equal strings is the one found: a table adopted from a damaged file — its checksum is checked
      // at the file's end, after its strings were adopted — may repeat one.)
      for (let i = this.mapped; i < values.length; i++) {
        const s = values[i] as string;
        if (!this.ids.has(s)) this.ids.set(s, i);
      }
      this.mapped = values.length;
    }
    return this.ids;
  }
}

/** What a table of numbered strings offers the files that keep numbers into it (InternedStrings, InternedSubset). */
export interface NumberedStrings {
  /** The number of `s`, given one when it has none (`copy(s)` kept when the string is new). */
  internId(s: string, copy?: (s: string) => string): number;
  /** The strings by number (only ever appended to). */
  readonly table: readonly string[];
}

/**
 * Some of an InternedStrings' strings (the index's identifiers), numbered apart from 0 in the order first numbered:
 * their own numbers, dense for the files' 16-bit arrays, found through the strings' map and a number per string
 * (an Int32Array) instead of a map of their own — loading a saved index filled a second map with every identifier
 * (~11 ms of a monaco-editor reopen's ~250 for 24,000 identifiers, ~130 ms at 50,000 files), which also held the
 * largest map of the index twice.
 */
export class InternedSubset implements NumberedStrings {
  /** By the strings' number: this numbering's number + 1 (0: not numbered here). */
  private byStringId = new Int32Array(1024);
  private readonly values: string[] = [];

  constructor(private readonly strings: InternedStrings) {}

  internId(s: string, copy: (s: string) => string = keptAsIs): number {
    const stringId = this.strings.internId(s, copy);
    return this.numbered(stringId, this.strings.table[stringId] as string);
  }

  /**
   * The number here of the string numbered `stringId` in the strings this subset is of, given one when it has none:
   * as internId, without looking the string up (a reopen's identifiers, read as numbers into an adopted table).
   */
  numberOf(stringId: number): number {
    const s = this.strings.table[stringId];
    if (s === undefined) throw new RangeError(`string number ${stringId} out of range`);
    return this.numbered(stringId, s);
  }

  get table(): readonly string[] {
    return this.values;
  }

  get size(): number {
    return this.values.length;
  }

  private numbered(stringId: number, s: string): number {
    if (stringId >= this.byStringId.length) {
      const grown = new Int32Array(Math.max(stringId + 1, 2 * this.byStringId.length));
      grown.set(this.byStringId);
      this.byStringId = grown;
    }
    const known = this.byStringId[stringId] ?? 0;
    if (known > 0) return known - 1;
    const id = this.values.push(s) - 1;
    this.byStringId[stringId] = id + 1;
    return id;
  }
}
