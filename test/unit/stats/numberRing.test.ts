import assert from 'node:assert/strict';
import { NumberRing, percentile } from '../../../src/core/stats/numberRing';

describe('number ring', () => {
  it('keeps the latest `capacity` values, oldest first, once it has wrapped around', () => {
    const ring = new NumberRing(4);
    assert.deepEqual(ring.latest(), []);
    for (const v of [5, 1, 9]) ring.push(v);
    assert.equal(ring.size, 3);
    assert.deepEqual(ring.latest(), [5, 1, 9]);
    for (const v of [7, 3, 8]) ring.push(v);
    assert.equal(ring.size, 4);
    assert.deepEqual(ring.latest(), [9, 7, 3, 8]);
    assert.deepEqual(ring.latest(2), [3, 8]);
    assert.deepEqual(ring.sorted(), [3, 7, 8, 9]);
    assert.deepEqual(ring.latest(), [9, 7, 3, 8], 'sorted() leaves the ring as it was');
  });

  it('takes nearest-rank percentiles of a sorted array', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 10);
    assert.equal(percentile(values, 95), 19);
    assert.equal(percentile(values, 100), 20);
    assert.equal(percentile([4], 95), 4);
    assert.equal(percentile([], 50), undefined);
  });
});
