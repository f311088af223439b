import assert from 'node:assert/strict';
import { NameReferrers, type ReferenceRows } from '../../../src/core/context/nameReferrers';
import { rowEntryLength, writeRowEntry } from '../../../src/core/context/packedReferenceRows';
import { seededRandom } from './builders';

/** Reference rows built slot by slot, as the ranking index keeps them (each slot: its referenced name ids). */
class Rows {
  readonly refStart: number[] = [];
  readonly refEnd: number[] = [];
  readonly refName: number[] = [];
  readonly live: boolean[] = [];
  readonly isLive = (slot: number): boolean => this.live[slot] === true;

  /** A new slot referencing `names`; returns it. */
  add(names: Iterable<number>, live = true): number {
    const slot = this.live.length;
    this.live.push(live);
    this.refStart.push(this.refName.length);
    for (const n of names) this.refName.push(n);
    this.refEnd.push(this.refName.length);
    return slot;
  }

  /** The rows packed as the ranking index keeps them (mention counts of 1). */
  rows(nameCount: number): ReferenceRows {
    const bytes = new Uint8Array(this.refName.reduce((sum, n) => sum + rowEntryLength(n, 1), 0));
    const refStart = new Int32Array(this.live.length);
    const refEnd = new Int32Array(this.live.length);
    let at = 0;
    this.live.forEach((_, slot) => {
      refStart[slot] = at;
      for (let i = this.refStart[slot] as number; i < (this.refEnd[slot] as number); i++) at = writeRowEntry(bytes, at, this.refName[i] as number, 1);
      refEnd[slot] = at;
    });
    return { slotEnd: this.live.length, refStart, refEnd, rowBytes: bytes, nameCount, isLive: this.isLive };
  }
}

describe('name referrers', () => {
  it('lists the live referrers of each name in ascending slot order, before and after freezing', () => {
    const random = seededRandom(3);
    const names = 50;
    const table = new Rows();
    const { refStart, refEnd, refName, live } = table;
    const referrers = new NameReferrers();
    const rows = (): ReferenceRows => table.rows(names);
    let freezes = 0;
    for (let round = 0; round < 12; round++) {
      // New slots, each referencing a few distinct names.
      for (let k = 0; k < 1_500; k++) {
        const referenced = new Set(Array.from({ length: 1 + Math.floor(random() * 5) }, () => Math.floor(random() * names)));
        const slot = table.add(referenced);
        for (const n of referenced) referrers.add(n, slot);
      }
      // Some slots are freed.
      for (let k = 0; k < 300; k++) live[Math.floor(random() * live.length)] = false;
      if (referrers.freeze(rows())) freezes++;
      for (let n = -1; n < names; n++) {
        const expected: number[] = [];
        for (let slot = 0; slot < live.length; slot++) {
          if (!live[slot]) continue;
          for (let i = refStart[slot] as number; i < (refEnd[slot] as number); i++) if (refName[i] === n) expected.push(slot);
        }
        assert.deepEqual(referrers.get(n, (slot) => live[slot] === true), expected, `round ${round}, name ${n}`);
        // The same into a work array sized by the bound (filled with junk first).
        const into = new Int32Array(referrers.bound(n)).fill(-7);
        const count = referrers.collect(n, (slot) => live[slot] === true, into);
        assert.deepEqual([...into.subarray(0, count)], expected, `collect: round ${round}, name ${n}`);
      }
    }
    assert.ok(freezes >= 2, `froze ${freezes} times`);
  });

  it('freezes from the rows alone when told to (referrers never added one by one)', () => {
    const random = seededRandom(5);
    const names = 40;
    const table = new Rows();
    const added = new NameReferrers();
    // Some referrers recorded before (of slots later freed), as a build from nothing after removals has.
    for (let slot = 0; slot < 30; slot++) added.add(slot % names, slot);
    const fromRows = new NameReferrers();
    for (let slot = 0; slot < 30; slot++) fromRows.add(slot % names, slot);
    for (let slot = 0; slot < 30; slot++) table.add([], false);
    for (let k = 0; k < 500; k++) {
      const referenced = new Set(Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * names)));
      const slot = table.add(referenced, random() < 0.9);
      for (const n of referenced) added.add(n, slot);
    }
    const rows = table.rows(names);
    // Fewer than the freeze threshold: freeze leaves the added ones recent; freezeFromRows always rebuilds.
    fromRows.freezeFromRows(rows);
    added.freeze(rows);
    const { isLive } = table;
    for (let n = -1; n < names; n++) {
      assert.deepEqual(fromRows.get(n, isLive), added.get(n, isLive), `name ${n}`);
      const into = new Int32Array(fromRows.bound(n));
      assert.deepEqual([...into.subarray(0, fromRows.collect(n, isLive, into))], added.get(n, isLive), `collect: name ${n}`);
    }
  });
});
