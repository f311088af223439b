import assert from 'node:assert/strict';
import { EdgePool, SEGMENT_LENGTH } from '../../../src/core/context/edgePool';
import { createSeededRandom } from '../../../bench/seededRandom';

/** Runs by slot as a pool holds them, and what they should hold. */
interface Model {
  readonly pool: EdgePool;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly expected: Map<number, number[]>;
}

function write(model: Model, slot: number, values: number[]): void {
  const start = model.pool.allocate(values.length);
  const segment = model.pool.segmentAt(start);
  values.forEach((v, i) => {
    segment.targets[start - segment.base + i] = v;
    segment.weights[start - segment.base + i] = v / 2;
  });
  model.starts[slot] = start;
  model.ends[slot] = start + values.length;
  model.expected.set(slot, values);
}

function read(model: Model, slot: number): { targets: ArrayLike<number>; weights: ArrayLike<number> } {
  const start = model.starts[slot] as number;
  const end = model.ends[slot] as number;
  const segment = model.pool.segmentAt(start);
  assert.ok(end - segment.base <= segment.targets.length, `slot ${slot}'s run lies within one segment`);
  return { targets: segment.targets.subarray(start - segment.base, end - segment.base), weights: segment.weights.subarray(start - segment.base, end - segment.base) };
}

/** Asserts that `actual` holds exactly `expected` (compared in a loop: deepEqual of arrays of thousands took seconds; it only spells out a difference). */
function assertHolds(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  let same = actual.length === expected.length;
  for (let i = 0; same && i < expected.length; i++) same = actual[i] === expected[i];
  if (!same) assert.deepEqual(Array.from(actual), expected, what);
}

function assertIntact(model: Model): void {
  for (const [slot, values] of model.expected) {
    const { targets, weights } = read(model, slot);
    assertHolds(targets, values, `slot ${slot}'s targets`);
    assertHolds(
      weights,
      values.map((v) => v / 2),
      `slot ${slot}'s weights`,
    );
  }
}

describe('edge pool', () => {
  it('keeps every run contiguous and intact across segments, long runs, resets and compaction', () => {
    const random = createSeededRandom(5);
    const slots = 400;
    const model: Model = { pool: new EdgePool(), starts: new Int32Array(slots).fill(-1), ends: new Int32Array(slots), expected: new Map() };
    let next = 0;
    const values = (n: number): number[] => Array.from({ length: n }, () => next++ % 1_000_003);
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 300; i++) {
        const slot = Math.floor(random() * slots);
        if (model.expected.has(slot)) {
          // Forget it, as the ranking index forgets a slot's edges.
          model.pool.dead += (model.ends[slot] as number) - (model.starts[slot] as number);
          model.starts[slot] = -1;
          model.expected.delete(slot);
          continue;
        }
        const r = random();
        // Mostly short runs, some empty, a few longer than a segment.
        const length = r < 0.1 ? 0 : r < 0.97 ? Math.floor(random() * 3_000) : SEGMENT_LENGTH + Math.floor(random() * SEGMENT_LENGTH * 2);
        write(model, slot, values(length));
      }
      assertIntact(model);
      if (round % 2 === 0) {
        model.pool.compact(model.starts, model.ends, slots);
        assert.equal(model.pool.dead, 0);
        assertIntact(model);
      } else {
        model.pool.reset();
        model.starts.fill(-1);
        model.expected.clear();
      }
    }
  });

  it('places a run that does not fit in the rest of a segment at the next one', () => {
    const pool = new EdgePool();
    assert.equal(pool.allocate(SEGMENT_LENGTH - 10), 0);
    assert.equal(pool.allocate(10), SEGMENT_LENGTH - 10);
    assert.equal(pool.allocate(0), SEGMENT_LENGTH);
    assert.equal(pool.allocate(5), SEGMENT_LENGTH);
    assert.equal(pool.allocate(SEGMENT_LENGTH), 2 * SEGMENT_LENGTH);
    assert.equal(pool.segmentAt(SEGMENT_LENGTH + 3).base, SEGMENT_LENGTH);
    const long = pool.allocate(SEGMENT_LENGTH * 2 + 1);
    assert.equal(long, 3 * SEGMENT_LENGTH);
    assert.equal(pool.segmentAt(long + SEGMENT_LENGTH * 2).base, long, 'a long run has one segment under every number it spans');
    assert.equal(pool.used, 5 * SEGMENT_LENGTH + 1);
  });
});
