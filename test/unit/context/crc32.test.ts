import assert from 'node:assert/strict';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32Table } from '../../../src/core/context/crc32';
import { seededRandom } from './builders';

describe('crc32', () => {
  it('gives the standard check value, natively and from its table', () => {
    const bytes = new TextEncoder().encode('123456789');
    assert.equal(crc32(bytes), 0xcbf43926);
    assert.equal(crc32Table(bytes), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });

  it('computes from its table what zlib computes, continued piece by piece', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 200; round++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 3_000) }, () => Math.floor(random() * 256));
      const cut = Math.floor(random() * (bytes.length + 1));
      const whole = zlibCrc32(bytes);
      assert.equal(crc32Table(bytes), whole);
      assert.equal(crc32Table(bytes.subarray(cut), crc32Table(bytes.subarray(0, cut))), whole);
      assert.equal(crc32(bytes.subarray(cut), crc32(bytes.subarray(0, cut))), whole);
    }
  });
});
