// A map from keys to sets of strings that keeps small sets small: one string as it is, up to MAX_IN_ARRAY in an array
// of exactly their number, a Set only past that. The index keeps several such maps — each imported file's importers
// (in the workspace index, and again in the ranking index over its snapshot), unresolved imports by stem, files by
// directory and by name — and most of their sets hold one value or a few: at 50,000 synthetic files they were 78,900
// Sets, ~20 MB of the engine thread's heap (a Set of 4 costs ~240 bytes, an array of 4 of exactly that length ~90).
// A Set's table takes ~20 bytes per value of its capacity (a power of two, up to twice its size), an exact array 8:
// with Sets from 9 values on, the 24,600 of 9 to 128 values took 19 MB at 50,000 files; arrays take ~6. An array's
// add and delete scan it (at most MAX_IN_ARRAY values, each compared by reference first) and copy it.
// Values come out in the order they were added, as from a Set.

/** The most values kept in an array; one more makes a Set. */
export const MAX_IN_ARRAY = 128;
/** A Set that shrinks to this many values goes back to an array (not at MAX_IN_ARRAY: no flapping around one size). */
const BACK_TO_ARRAY = MAX_IN_ARRAY / 2;

type Entry = string | readonly string[] | Set<string>;

const NONE: readonly string[] = Object.freeze([]);

/**
 * The values of `set` in an array of exactly their number (an array grown by a spread or a push keeps room for ~16
 * more, which would cost more than the Set it replaces).
 */
function exactArray(set: ReadonlySet<string>): string[] {
  const out = new Array<string>(set.size);
  let i = 0;
  for (const v of set) out[i++] = v;
  return out;
}

/** Whether `values` (a StringSetMap's values of one key) holds `value`: for checks in a loop over one key's values. */
export function holds(values: readonly string[] | ReadonlySet<string>, value: string): boolean {
  return values instanceof Set ? values.has(value) : (values as readonly string[]).includes(value);
}

export class StringSetMap<K> {
  private readonly entries = new Map<K, Entry>();

  /** Adds `value` under `key` (nothing when it is there already). */
  add(key: K, value: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) this.entries.set(key, value);
    else if (typeof entry === 'string') {
      if (entry !== value) this.entries.set(key, [entry, value]);
    } else if (entry instanceof Set) entry.add(value);
    else if (!entry.includes(value)) this.entries.set(key, entry.length < MAX_IN_ARRAY ? entry.concat(value) : new Set(entry).add(value));
  }

  /** Removes `value` from under `key`; the key goes with its last value. */
  delete(key: K, value: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    if (typeof entry === 'string') {
      if (entry === value) this.entries.delete(key);
    } else if (entry instanceof Set) {
      if (entry.delete(value) && entry.size <= BACK_TO_ARRAY) this.entries.set(key, exactArray(entry));
    } else {
      const at = entry.indexOf(value);
      if (at < 0) return;
      if (entry.length === 2) this.entries.set(key, entry[1 - at] as string);
      else this.entries.set(key, entry.slice(0, at).concat(entry.slice(at + 1)));
    }
  }

  /** The values under `key`, in the order they were added (none: empty). Not to be kept: a later add may change it. */
  values(key: K): readonly string[] | ReadonlySet<string> {
    const entry = this.entries.get(key);
    if (entry === undefined) return NONE;
    return typeof entry === 'string' ? [entry] : entry;
  }

  /** How many values are under `key`. */
  count(key: K): number {
    const entry = this.entries.get(key);
    if (entry === undefined) return 0;
    if (typeof entry === 'string') return 1;
    return entry instanceof Set ? entry.size : entry.length;
  }

  /** How many keys have values. */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
