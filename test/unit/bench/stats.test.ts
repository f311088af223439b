import * as assert from 'node:assert/strict';
import { fastestOf, fastestOfRounds } from '../../../bench/stats';

describe('fastestOfRounds', () => {
  it('runs the measures in rounds, each once per round in order, and keeps the fastest result of each', async () => {
    const calls: string[] = [];
    const times: Record<string, number[]> = { floor: [12, 10, 11], cold: [30, 31, 29] };
    const measure = (key: string) => (): Promise<{ ms: number; key: string; run: number }> => {
      const run = calls.filter((c) => c === key).length;
      calls.push(key);
      return Promise.resolve({ ms: times[key]?.[run] ?? Number.NaN, key, run });
    };
    const best = await fastestOfRounds(3, { floor: measure('floor'), cold: measure('cold') });
    assert.deepEqual(calls, ['floor', 'cold', 'floor', 'cold', 'floor', 'cold']);
    assert.deepEqual(best.floor, { ms: 10, key: 'floor', run: 1 });
    assert.deepEqual(best.cold, { ms: 29, key: 'cold', run: 2 });
  });

  it('keeps the first of equally fast results, runs each measure once for one round, and refuses no round at all', async () => {
    let n = 0;
    const best = await fastestOfRounds(2, { a: () => Promise.resolve({ ms: 5, n: n++ }) });
    assert.deepEqual(best.a, { ms: 5, n: 0 });
    const once = await fastestOfRounds(1, { a: () => Promise.resolve({ ms: 7, n: n++ }) });
    assert.deepEqual(once.a, { ms: 7, n: 2 });
    assert.equal(n, 3);
    await assert.rejects(fastestOfRounds(0, { a: () => Promise.resolve({ ms: 1 }) }), /at least one round/);
  });
});

describe('fastestOf', () => {
  it('runs one measure that many times, at least once, and keeps its fastest result', async () => {
    const times = [9, 4, 6];
    let calls = 0;
    const measure = (): Promise<{ ms: number }> => Promise.resolve({ ms: times[calls++] ?? Number.NaN });
    assert.deepEqual(await fastestOf(3, measure), { ms: 4 });
    assert.equal(calls, 3);
    calls = 0;
    assert.deepEqual(await fastestOf(0, measure), { ms: 9 });
    assert.equal(calls, 1);
  });
});

