import assert from 'node:assert/strict';
import { SlotMultimap } from '../../../src/core/context/slotMultimap';
import { seededRandom } from './builders';

describe('slot multimap', () => {
  it('answers as a map of arrays through random adds and deletes, keys added in any order', () => {
    const random = seededRandom(7);
    const multimap = new SlotMultimap();
    const reference = new Map<number, number[]>();
    let nextSlot = 0;
    for (let op = 0; op < 20_000; op++) {
      const key = Math.floor(random() * 300);
      const slots = reference.get(key) ?? [];
      if (random() < 0.6 || slots.length === 0) {
        const slot = nextSlot++;
        multimap.add(key, slot);
        reference.set(key, [...slots, slot]);
      } else {
        const slot = random() < 0.9 ? (slots[Math.floor(random() * slots.length)] as number) : nextSlot + 5;
        multimap.delete(key, slot);
        reference.set(
          key,
          slots.filter((s) => s !== slot),
        );
      }
      const probe = Math.floor(random() * 320) - 10;
      assert.deepEqual(multimap.get(probe), reference.get(probe) ?? [], `key ${probe} after op ${op}`);
      assert.equal(multimap.count(probe), (reference.get(probe) ?? []).length);
    }
    for (const [key, slots] of reference) assert.deepEqual(multimap.get(key), slots);
  });

  it('refuses a key that is not a name id, and has no slots for one', () => {
    const multimap = new SlotMultimap();
    assert.throws(() => multimap.add(-1, 3), RangeError);
    assert.deepEqual([multimap.get(-1), multimap.count(-1)], [[], 0]);
    multimap.delete(-1, 3);
  });
});
