import assert from 'node:assert/strict';
import { grownReleasing, releaseArray, withExactLength, withLength } from '../../../src/core/context/typedArrayGrowth';

describe('typed array growth', () => {
  it('grows by half again or to the length asked for, keeping the elements and filling the new ones', () => {
    const a = Int32Array.from([1, 2, 3]);
    assert.equal(withLength(a, 3), a);
    const grown = withLength(a, 4, -1);
    assert.deepEqual([...grown], [1, 2, 3, ...new Array<number>(61).fill(-1)]);
    assert.deepEqual([...withExactLength(a, 5, 9)], [1, 2, 3, 9, 9]);
  });

  it('releases the array a growth replaces, and nothing when the array holds enough', () => {
    const a = Int32Array.from([1, 2, 3]);
    assert.equal(grownReleasing(a, 3), a);
    assert.deepEqual([...a], [1, 2, 3], 'kept as it is');
    const grown = grownReleasing(a, 5, 7);
    assert.deepEqual([...grown.subarray(0, 5)], [1, 2, 3, 7, 7]);
    if (typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function') assert.equal(a.length, 0, 'the old array released');
  });

  it('releases an array at once where the runtime detaches buffers (its memory no longer counted), a no-op elsewhere', () => {
    const array = new Float64Array(1 << 20).fill(1);
    const before = process.memoryUsage().arrayBuffers;
    releaseArray(array);
    if (typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer !== 'function') {
      assert.equal(array.length, 1 << 20);
      return;
    }
    assert.equal(array.length, 0);
    assert.equal(array.buffer.byteLength, 0);
    assert.ok(before - process.memoryUsage().arrayBuffers >= 8 << 20, 'the 8 MB buffer is freed without a collection');
    releaseArray(array); // twice: nothing to free
  });
});
