import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { abortScope, CancellationError } from '../../src/core/errors';

/** A promise and the functions that settle it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('abortScope', () => {
  it('waits for many pieces of work through one abort listener, and rejects those still waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const scope = abortScope(controller.signal);
    const works = Array.from({ length: 30 }, () => deferred<number>());
    const waits = works.map((w) => scope.until(w.promise));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    works[0]?.resolve(7);
    assert.equal(await waits[0], 7);
    works[1]?.reject(new Error('unreadable'));
    await assert.rejects(waits[1] as Promise<number>, /unreadable/);
    controller.abort();
    for (const wait of waits.slice(2)) await assert.rejects(wait, CancellationError);
    // (A wait asked for after the abort is rejected at once.)
    await assert.rejects(scope.until(new Promise<number>(() => undefined)), CancellationError);
    scope.dispose();
  });

  it('removes its listener when disposed; what still waits then settles with its work', async () => {
    const controller = new AbortController();
    const scope = abortScope(controller.signal);
    const work = deferred<string>();
    const wait = scope.until(work.promise);
    scope.dispose();
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    controller.abort();
    work.resolve('read');
    assert.equal(await wait, 'read');
  });

  it('passes work through as it is without a signal', async () => {
    const scope = abortScope(undefined);
    const work = Promise.resolve(3);
    assert.equal(scope.until(work), work);
    scope.dispose();
  });
});
