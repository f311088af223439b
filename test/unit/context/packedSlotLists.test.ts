import assert from 'node:assert/strict';
import { packedLength, unpackSlots, writePacked } from '../../../src/core/context/packedSlotLists';
import { seededRandom } from './builders';

/** Packs the lists one after another; returns the bytes and each list's end. */
function pack(lists: readonly (readonly number[])[]): { bytes: Uint8Array; ends: number[] } {
  let length = 0;
  for (const list of lists) list.forEach((slot, i) => (length += packedLength(slot - (i > 0 ? (list[i - 1] as number) : 0))));
  const bytes = new Uint8Array(length);
  const ends: number[] = [];
  let at = 0;
  for (const list of lists) {
    list.forEach((slot, i) => (at = writePacked(bytes, at, slot - (i > 0 ? (list[i - 1] as number) : 0))));
    ends.push(at);
  }
  assert.equal(at, length, 'packedLength counts the bytes writePacked writes');
  return { bytes, ends };
}

describe('packed slot lists', () => {

  it('counts exactly the bytes it writes for differences around every power of two (each group boundary)', () => {
    const around = (k: number): number[] => [2 ** k - 1, 2 ** k, 2 ** k + 1].filter((v) => v <= 2 ** 31 - 1);
    for (let k = 0; k <= 31; k++) {
      for (const delta of around(k).flatMap((v) => (v === 0 ? [0] : [v, -v]))) {
        const bytes = new Uint8Array(8);
        const written = writePacked(bytes, 0, delta);
        assert.equal(packedLength(delta), written, `counted ${delta}`);
        const into = new Int32Array(1);
        unpackSlots(bytes, 0, written, into);
        assert.equal(into[0], delta);
      }
    }
  });
  it('reads back ascending, descending and mixed lists of slots up to 2^31 - 1', () => {
    const random = seededRandom(5);
    const slot = (): number => {
      const size = random();
      return Math.floor(random() * (size < 0.3 ? 200 : size < 0.6 ? 40_000 : size < 0.9 ? 5_000_000 : 2 ** 31));
    };
    const lists: number[][] = [[], [0], [2 ** 31 - 1], [2 ** 31 - 1, 0, 2 ** 31 - 1], [127, 128, 16_383, 16_384, 0]];
    for (let k = 0; k < 300; k++) {
      const list = Array.from({ length: Math.floor(random() * 40) }, slot);
      if (k % 3 === 0) list.sort((a, b) => a - b);
      else if (k % 3 === 1) list.sort((a, b) => b - a);
      lists.push(list);
    }
    const { bytes, ends } = pack(lists);
    const into = new Int32Array(50).fill(-7);
    lists.forEach((list, k) => {
      // Unpacked after 3 slots of something else, which stay.
      const count = unpackSlots(bytes, k > 0 ? (ends[k - 1] as number) : 0, ends[k] as number, into, 3);
      assert.deepEqual([...into.subarray(3, 3 + count)], list, `list ${k}`);
      assert.deepEqual([...into.subarray(0, 3)], [-7, -7, -7]);
    });
  });

  it('takes a byte for a difference of up to 63 either way, two up to 8,191', () => {
    for (const delta of [0, 1, 63, -1, -64]) assert.equal(packedLength(delta), 1, `${delta}`);
    for (const delta of [64, -65, 8191, -8192]) assert.equal(packedLength(delta), 2, `${delta}`);
    assert.equal(packedLength(8192), 3);
    assert.equal(packedLength(2 ** 31 - 1), 5);
  });
});
