// A key → slots multimap that stores the common single-slot case without an array: the ranking
// index keeps several of these over every (interned) name of the workspace. Callers add each
// (key, slot) pair once.

const EMPTY: readonly number[] = Object.freeze([]);

export class SlotMultimap<K = number> {
  private readonly map = new Map<K, number | number[]>();

  add(key: K, slot: number): void {
    const value = this.map.get(key);
    if (value === undefined) this.map.set(key, slot);
    else if (typeof value === 'number') this.map.set(key, [value, slot]);
    else value.push(slot);
  }

  delete(key: K, slot: number): void {
    const value = this.map.get(key);
    if (value === undefined) return;
    if (typeof value === 'number') {
      if (value === slot) this.map.delete(key);
      return;
    }
    const i = value.indexOf(slot);
    if (i < 0) return;
    value.splice(i, 1);
    if (value.length === 1) this.map.set(key, value[0] as number);
  }

  get(key: K): readonly number[] {
    const value = this.map.get(key);
    if (value === undefined) return EMPTY;
    return typeof value === 'number' ? [value] : value;
  }

  count(key: K): number {
    const value = this.map.get(key);
    return value === undefined ? 0 : typeof value === 'number' ? 1 : value.length;
  }
}
