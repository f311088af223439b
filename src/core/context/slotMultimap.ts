// A key → slots multimap over small non-negative integer keys (the ranking index's name ids, numbered densely from 0)
// that stores the common single-slot case without an array: the ranking index keeps several of these over every
// (interned) name of the workspace. The values sit in an array indexed by key rather than a Map (measured about even:
// the build's adds cost the same, the 50,000-file session peak did not move). Callers add each (key, slot) pair once; a
// negative key (a name never interned) has no slots.

const EMPTY: readonly number[] = Object.freeze([]);

export class SlotMultimap {
  private readonly values: (number | number[] | undefined)[] = [];

  add(key: number, slot: number): void {
    if (!(key >= 0)) throw new RangeError(`SlotMultimap key ${key} is not a name id`);
    // (Grown one key at a time, so the array stays packed: keys come in about the order names are numbered.)
    while (this.values.length < key) this.values.push(undefined);
    const value = this.values[key];
    if (value === undefined) this.values[key] = slot;
    else if (typeof value === 'number') this.values[key] = [value, slot];
    else value.push(slot);
  }

  delete(key: number, slot: number): void {
    const value = key >= 0 ? this.values[key] : undefined;
    if (value === undefined) return;
    if (typeof value === 'number') {
      if (value === slot) this.values[key] = undefined;
      return;
    }
    const i = value.indexOf(slot);
    if (i < 0) return;
    value.splice(i, 1);
    if (value.length === 1) this.values[key] = value[0] as number;
  }

  /**
   * Gives every key's array of slots the exact room its slots take. Arrays grown by `add` keep room for more (V8 grows
   * one by half again and 16 more): after a ranking index's build from nothing, where most are never added to again,
   * that room was ~7 MB of the 50,000-file session's heap (lists of ~19 slots had room for ~32: 17.6 → 10.8 MB trimmed).
   * Order is kept; a later `add` grows the key's array again.
   */
  trim(): void {
    const values = this.values;
    for (let key = 0; key < values.length; key++) {
      const value = values[key];
      if (typeof value === 'object') values[key] = value.slice();
    }
  }

  get(key: number): readonly number[] {
    const value = key >= 0 ? this.values[key] : undefined;
    if (value === undefined) return EMPTY;
    return typeof value === 'number' ? [value] : value;
  }

  count(key: number): number {
    const value = key >= 0 ? this.values[key] : undefined;
    return value === undefined ? 0 : typeof value === 'number' ? 1 : value.length;
  }
}
