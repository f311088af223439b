import assert from 'node:assert/strict';
import { CancellationError } from '../../../src/core/errors';
import { ConcurrencyLimiter } from '../../../src/core/generation/concurrencyLimiter';

describe('ConcurrencyLimiter', () => {
  it('lets in at most the limit; the others wait, first in, first out', async () => {
    const limiter = new ConcurrencyLimiter(() => 1);
    const release = await limiter.acquire();
    const order: string[] = [];
    const second = limiter.acquire().then((r) => (order.push('second'), r));
    const third = limiter.acquire().then((r) => (order.push('third'), r));
    await Promise.resolve();
    assert.deepEqual([limiter.running, limiter.waiting, order], [1, 2, []]);
    release();
    (await second)();
    (await third)();
    assert.deepEqual(order, ['second', 'third']);
    assert.equal(limiter.running, 0);
  });

  it('a release called twice frees its slot once', async () => {
    const limiter = new ConcurrencyLimiter(() => 2);
    const a = await limiter.acquire();
    await limiter.acquire();
    a();
    a();
    assert.equal(limiter.running, 1);
  });

  it('an aborted waiter leaves the queue without taking a slot: every slot is still usable after', async () => {
    const limiter = new ConcurrencyLimiter(() => 2);
    const held = [await limiter.acquire(), await limiter.acquire()];
    const first = new AbortController();
    const third = new AbortController();
    const waiters = [limiter.acquire(first.signal), limiter.acquire(), limiter.acquire(third.signal)];
    assert.equal(limiter.waiting, 3);
    first.abort();
    third.abort();
    await assert.rejects(waiters[0] as Promise<() => void>, CancellationError);
    await assert.rejects(waiters[2] as Promise<() => void>, CancellationError);
    assert.equal(limiter.waiting, 1, 'the aborted waiters left the queue');
    // A freed slot goes to the waiter still there, not to an aborted one.
    held[0]?.();
    const second = await (waiters[1] as Promise<() => void>);
    assert.deepEqual([limiter.running, limiter.waiting], [2, 0]);
    second();
    held[1]?.();
    assert.equal(limiter.running, 0, 'no slot leaked to an aborted waiter');
    // Both slots can be taken at once again.
    const again = await Promise.all([limiter.acquire(), limiter.acquire()]);
    assert.equal(limiter.running, 2);
    for (const r of again) r();
  });
});
