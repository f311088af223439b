import assert from 'node:assert/strict';
import { NameReferrers, type ReferenceRows } from '../../../src/core/context/nameReferrers';
import { seededRandom } from './builders';

describe('name referrers', () => {
  it('lists the live referrers of each name in ascending slot order, before and after freezing', () => {
    const random = seededRandom(3);
    const names = 50;
    const refStart: number[] = [];
    const refEnd: number[] = [];
    const refName: number[] = [];
    const live: boolean[] = [];
    const referrers = new NameReferrers();
    const rows = (): ReferenceRows => ({
      slotEnd: live.length,
      refStart: Int32Array.from(refStart),
      refEnd: Int32Array.from(refEnd),
      refName: Int32Array.from(refName),
      nameCount: names,
      isLive: (slot) => live[slot] === true,
    });
    let freezes = 0;
    for (let round = 0; round < 12; round++) {
      // New slots, each referencing a few distinct names.
      for (let k = 0; k < 1_500; k++) {
        const slot = live.length;
        live.push(true);
        refStart.push(refName.length);
        const referenced = new Set(Array.from({ length: 1 + Math.floor(random() * 5) }, () => Math.floor(random() * names)));
        for (const n of referenced) {
          refName.push(n);
          referrers.add(n, slot);
        }
        refEnd.push(refName.length);
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
    const refStart: number[] = [];
    const refEnd: number[] = [];
    const refName: number[] = [];
    const live: boolean[] = [];
    const added = new NameReferrers();
    // Some referrers recorded before (of slots later freed), as a build from nothing after removals has.
    for (let slot = 0; slot < 30; slot++) added.add(slot % names, slot);
    const fromRows = new NameReferrers();
    for (let slot = 0; slot < 30; slot++) fromRows.add(slot % names, slot);
    for (let slot = 0; slot < 30; slot++) {
      live.push(false);
      refStart.push(0);
      refEnd.push(0);
    }
    for (let k = 0; k < 500; k++) {
      const slot = live.length;
      live.push(random() < 0.9);
      refStart.push(refName.length);
      for (const n of new Set(Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * names)))) {
        refName.push(n);
        added.add(n, slot);
      }
      refEnd.push(refName.length);
    }
    const rows: ReferenceRows = {
      slotEnd: live.length,
      refStart: Int32Array.from(refStart),
      refEnd: Int32Array.from(refEnd),
      refName: Int32Array.from(refName),
      nameCount: names,
      isLive: (slot) => live[slot] === true,
    };
    // Fewer than the freeze threshold: without `always` the added ones stay recent, the rows-only one must freeze.
    assert.equal(fromRows.freeze(rows, true), true);
    added.freeze(rows);
    const isLive = (slot: number): boolean => live[slot] === true;
    for (let n = -1; n < names; n++) {
      assert.deepEqual(fromRows.get(n, isLive), added.get(n, isLive), `name ${n}`);
      const into = new Int32Array(fromRows.bound(n));
      assert.deepEqual([...into.subarray(0, fromRows.collect(n, isLive, into))], added.get(n, isLive), `collect: name ${n}`);
    }
  });
});
