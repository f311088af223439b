import assert from 'node:assert/strict';
import { releaseArray, withExactLength, withLength } from '../../../src/core/context/typedArrayGrowth';

describe('typed array growth', () => {
  it('grows by half again or to the length asked for, keeping the elements and filling the new ones', () => {
    const a = Int32Array.from([1, 2, 3]);
    assert.equal(withLength(a, 3), a);
    const grown = withLength(a, 4, -1);
    assert.deepEqual([...grown], [1, 2, 3, ...new Array<number>(61).fill(-1)]);
    assert.deepEqual([...withExactLength(a, 5, 9)], [1, 2, 3, 9, 9]);
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
