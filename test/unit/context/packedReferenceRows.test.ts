import assert from 'node:assert/strict';
import { ReferenceRowReader, rowEntryLength, unpackRowNames, writeRowEntry } from '../../../src/core/context/packedReferenceRows';
import { seededRandom } from './builders';

describe('packed reference rows', () => {

  it('counts exactly the bytes it writes for name ids and counts around every power of two (each group boundary)', () => {
    const around = (k: number): number[] => [2 ** k - 1, 2 ** k, 2 ** k + 1].filter((v) => v >= 1 && v <= 2 ** 31 - 1);
    for (let k = 0; k <= 31; k++) {
      for (const [name, count] of around(k).flatMap((v) => [[v, 1], [1, v], [v, v], [v - 1, 2]] as const)) {
        const bytes = new Uint8Array(16);
        const written = writeRowEntry(bytes, 0, name, count);
        assert.equal(rowEntryLength(name, count), written, `counted ${name} x${count}`);
        const reader = new ReferenceRowReader().open(bytes, 0, written);
        assert.equal(reader.next(), name);
        assert.equal(reader.count, count);
        assert.ok(reader.done);
      }
    }
  });
  it('reads back rows of name ids and mention counts of every size, each entry as long as counted', () => {
    const random = seededRandom(9);
    const value = (): number => Math.floor(random() * (random() < 0.5 ? 300 : random() < 0.8 ? 3_000_000 : 2 ** 31));
    const rows: [number, number][][] = [[], [[0, 1]], [[2 ** 31 - 1, 2 ** 31 - 1]], [[63, 1], [64, 1], [63, 2], [8191, 255], [8192, 256]]];
    for (let k = 0; k < 300; k++) rows.push(Array.from({ length: Math.floor(random() * 20) }, () => [value(), random() < 0.8 ? 1 : 1 + value()]));
    let length = 0;
    for (const row of rows) for (const [name, count] of row) length += rowEntryLength(name, count);
    const bytes = new Uint8Array(length);
    const ends: number[] = [];
    let at = 0;
    for (const row of rows) {
      for (const [name, count] of row) {
        const next = writeRowEntry(bytes, at, name, count);
        assert.equal(next - at, rowEntryLength(name, count), `entry ${name} x${count}`);
        at = next;
      }
      ends.push(at);
    }
    const reader = new ReferenceRowReader();
    rows.forEach((row, k) => {
      const read: [number, number][] = [];
      for (reader.open(bytes, k > 0 ? (ends[k - 1] as number) : 0, ends[k] as number); !reader.done; ) {
        const name = reader.next();
        read.push([name, reader.count]);
      }
      assert.deepEqual(read, row, `row ${k}`);
      // The names alone, unpacked after 2 elements of something else, which stay.
      const into = new Int32Array(2 + row.length).fill(-3);
      const count = unpackRowNames(bytes, k > 0 ? (ends[k - 1] as number) : 0, ends[k] as number, into, 2);
      assert.deepEqual([...into.subarray(2, 2 + count)], row.map(([name]) => name), `names of row ${k}`);
      assert.deepEqual([...into.subarray(0, 2)], [-3, -3]);
    });
  });

  it('takes a byte for a name id below 64 mentioned once', () => {
    assert.equal(rowEntryLength(63, 1), 1);
    assert.equal(rowEntryLength(64, 1), 2);
    assert.equal(rowEntryLength(63, 2), 2);
  });
});
