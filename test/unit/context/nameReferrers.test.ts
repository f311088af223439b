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
    const refStart = new Int32Array(this.live.length + 1);
    let at = 0;
    this.live.forEach((_, slot) => {
      refStart[slot] = at;
      for (let i = this.refStart[slot] as number; i < (this.refEnd[slot] as number); i++) at = writeRowEntry(bytes, at, this.refName[i] as number, 1);
    });
    refStart[this.live.length] = at;
    return { slotEnd: this.live.length, refStart, rowBytes: bytes, nameCount, isLive: this.isLive };
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

  it('freezes in steps to the same table as at once, and reads as before until its last step', () => {
    const random = seededRandom(7);
    const names = 60;
    const table = new Rows();
    const atOnce = new NameReferrers();
    const stepped = new NameReferrers();
    const add = (count: number): void => {
      for (let k = 0; k < count; k++) {
        const referenced = new Set(Array.from({ length: 1 + Math.floor(random() * 4) }, () => Math.floor(random() * names)));
        const slot = table.add(referenced, random() < 0.9);
        for (const n of referenced) {
          atOnce.add(n, slot);
          stepped.add(n, slot);
        }
      }
    };
    add(2_000);
    atOnce.freezeFromRows(table.rows(names));
    stepped.freezeFromRows(table.rows(names));
    add(3_000); // past the freeze threshold: a frozen part and recent additions
    const { isLive } = table;
    const lists = (referrers: NameReferrers): number[][] => Array.from({ length: names }, (_, n) => referrers.get(n, isLive));
    // The bounds count the frozen part's referrers and the recent ones, freed slots included: what a freeze changes.
    const bounds = (referrers: NameReferrers): number[] => Array.from({ length: names }, (_, n) => referrers.bound(n));
    const before = bounds(stepped);
    const listed = lists(stepped);
    const rows = table.rows(names);
    assert.ok(atOnce.freeze(rows));
    const steps = stepped.freezeSteps(rows, 400);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) {
      yields++;
      assert.deepEqual(bounds(stepped), before, 'nothing changes before the last step');
      if (yields % 5 === 1) assert.deepEqual(lists(stepped), listed, `step ${yields}: reads as before`);
      assert.throws(() => stepped.add(0, table.live.length), /freeze in steps/);
      assert.throws(() => stepped.freezeFromRows(rows), /freeze in steps/);
    }
    assert.equal(step.value, true);
    // Two passes over ~12,500 references (live rows only), each giving way after about 400.
    assert.ok(yields >= 40, `gave way ${yields} times`);
    assert.deepEqual(lists(stepped), lists(atOnce));
    assert.deepEqual(bounds(stepped), bounds(atOnce));
    assert.notDeepEqual(bounds(stepped), before, 'frozen: the freed slots among the recent additions are gone');
  });
});
