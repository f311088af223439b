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
      // (Trimmed now and then: later adds and deletes go on from the trimmed arrays.)
      if (op % 997 === 0) multimap.trim();
      const probe = Math.floor(random() * 320) - 10;
      assert.deepEqual(multimap.get(probe), reference.get(probe) ?? [], `key ${probe} after op ${op}`);
      assert.equal(multimap.count(probe), (reference.get(probe) ?? []).length);
    }
    for (const [key, slots] of reference) assert.deepEqual(multimap.get(key), slots);
  });

  it('trim copies each array of slots (exact room), in order, and leaves single slots as they are', () => {
    const multimap = new SlotMultimap();
    for (let slot = 0; slot < 40; slot++) multimap.add(3, slot);
    multimap.add(5, 99);
    const before = multimap.get(3);
    multimap.trim();
    const after = multimap.get(3);
    assert.notEqual(after, before, 'the grown array is replaced by a copy');
    assert.deepEqual(after, before);
    assert.deepEqual(multimap.get(5), [99]);
    multimap.add(3, 40);
    multimap.delete(3, 0);
    assert.deepEqual(multimap.get(3), [...before.slice(1), 40]);
  });

  it('refuses a key that is not a name id, and has no slots for one', () => {
    const multimap = new SlotMultimap();
    assert.throws(() => multimap.add(-1, 3), RangeError);
    assert.deepEqual([multimap.get(-1), multimap.count(-1)], [[], 0]);
    multimap.delete(-1, 3);
  });
});
