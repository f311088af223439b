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

  it('copies bytes out of a reused buffer, small ones side by side in slabs (a new one when the first is full), large ones alone', () => {
    const slabs = new TypedArraySlabs();
    const reused = new Uint8Array(40_000);
    const kept: { original: number[]; copy: Uint8Array }[] = [];
    // 8,192 bytes are the most a slab takes: six more of them leave 8,168 bytes of the first 64 KB slab, too few for 8,190.
    for (const length of [0, 1, 5, 3, 8_192, 30_000, 7, ...Array<number>(6).fill(8_192), 8_190]) {
      for (let i = 0; i < length; i++) reused[i] = (length + i) & 0xff;
      const copy = slabs.uint8Copy(reused.subarray(0, length));
      kept.push({ original: [...reused.subarray(0, length)], copy });
      reused.fill(0);
    }
    for (const { original, copy } of kept) assert.deepEqual([...copy], original);
    const copies = kept.map((k) => k.copy);
    const [, one, five, three, most, large, seven] = copies;
    const last = copies[copies.length - 1];
    assert.ok(one && five && three && most && large && seven && last);
    // Side by side, each at a 4-byte boundary; 30,000 bytes are too many for a slab.
    assert.ok([five, three, most, seven, ...copies.slice(7, -1)].every((c) => c.buffer === one.buffer));
    assert.deepEqual([one.byteOffset, five.byteOffset, three.byteOffset, most.byteOffset, seven.byteOffset], [0, 4, 12, 16, 8_208]);
    assert.ok(large.buffer !== one.buffer && large.byteOffset === 0 && large.buffer.byteLength === 30_000);
    assert.ok(last.buffer !== one.buffer && last.byteOffset === 0 && last.buffer !== large.buffer);
    // A large view of a larger buffer (a Buffer, whose slice is a view too) is copied into a buffer of its size.
    const whole = Buffer.alloc(50_000, 3);
    const alone = slabs.uint8Copy(whole.subarray(100, 20_100));
    assert.ok(alone.buffer !== whole.buffer && alone.byteOffset === 0 && alone.buffer.byteLength === 20_000 && alone.every((v) => v === 3));
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
