import assert from 'node:assert/strict';
import { IntBuffer } from '../../../src/core/context/intBuffer';

describe('int buffer', () => {
  it('grows, copies out exactly its values, and drops a huge capacity when cleared', () => {
    const buffer = new IntBuffer(2);
    for (let i = 0; i < 5; i++) buffer.push(i * 7);
    assert.deepEqual([...buffer.toUint32Array()], [0, 7, 14, 21, 28]);
    buffer.clear();
    assert.equal(buffer.length, 0);
    assert.equal(buffer.data.length, 8, 'a small capacity is kept for the next use');
    for (let i = 0; i < 300_000; i++) buffer.push(i);
    assert.equal(buffer.toUint32Array().length, 300_000);
    buffer.clear();
    assert.equal(buffer.data.length, 2, 'a capacity grown for a huge file is not kept');
  });
});
