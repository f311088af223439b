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
});
