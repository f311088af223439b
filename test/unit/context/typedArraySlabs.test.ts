import assert from 'node:assert/strict';
import { TypedArraySlabs } from '../../../src/core/context/typedArraySlabs';
import { seededRandom } from './builders';

describe('typed array slabs', () => {
  it('keeps copies of small arrays side by side in shared buffers, equal to the originals and unchanged by later ones', () => {
    const random = seededRandom(11);
    const slabs = new TypedArraySlabs();
    const kept: { original: number[]; copy: Uint16Array | Uint32Array | Int32Array }[] = [];
    for (let i = 0; i < 2_000; i++) {
      const length = Math.floor(random() * 300);
      const kind = i % 3;
      const values = Array.from({ length }, () => Math.floor(random() * 2 ** 31) * (kind === 2 && random() < 0.5 ? -1 : 1));
      const array = kind === 0 ? new Uint16Array(values) : kind === 1 ? new Uint32Array(values) : new Int32Array(values);
      const copy = slabs.keep(array);
      assert.equal(copy.constructor, array.constructor);
      kept.push({ original: [...array], copy });
    }
    for (const { original, copy } of kept) assert.deepEqual([...copy], original);
    // Small arrays share buffers; none overlaps another.
    const buffers = new Set(kept.filter((k) => k.copy.length > 0).map((k) => k.copy.buffer));
    assert.ok(buffers.size < kept.length / 10, `${buffers.size} buffers`);
    const byBuffer = new Map<ArrayBufferLike, [number, number][]>();
    for (const { copy } of kept) {
      const ranges = byBuffer.get(copy.buffer) ?? [];
      ranges.push([copy.byteOffset, copy.byteOffset + copy.byteLength]);
      byBuffer.set(copy.buffer, ranges);
    }
    for (const ranges of byBuffer.values()) {
      ranges.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < ranges.length; i++) assert.ok((ranges[i - 1]?.[1] ?? 0) <= (ranges[i]?.[0] ?? 0));
    }
  });

  it('gives a large array back as it is, and copies values as 16-bit numbers in or out of a slab', () => {
    const slabs = new TypedArraySlabs();
    const large = new Uint32Array(100_000).fill(7);
    assert.equal(slabs.keep(large), large);
    const small = new Uint32Array([0, 1, 65_535, 300]);
    const narrowed = slabs.uint16Copy(small);
    assert.ok(narrowed instanceof Uint16Array);
    assert.deepEqual([...narrowed], [0, 1, 65_535, 300]);
    const big = slabs.uint16Copy(new Uint32Array(50_000).fill(9));
    assert.equal(big.length, 50_000);
    assert.equal(big[49_999], 9);
    assert.equal(narrowed[2], 65_535);
  });
});
