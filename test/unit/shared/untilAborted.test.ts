import assert from 'node:assert/strict';
import { CancellationError, untilAborted } from '../../../src/core/errors';

describe('untilAborted (waiting for shared work that a caller may stop waiting for)', () => {
  it("resolves with the work's value, and rejects with its error", async () => {
    assert.equal(await untilAborted(Promise.resolve(7), new AbortController().signal), 7);
    assert.equal(await untilAborted(Promise.resolve(8), undefined), 8);
    await assert.rejects(untilAborted(Promise.reject(new Error('broke')), new AbortController().signal), /broke/);
  });

  it('rejects with a CancellationError as soon as the signal aborts, while the work goes on', async () => {
    let finish: (value: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const controller = new AbortController();
    const waiting = untilAborted(work, controller.signal);
    controller.abort();
    await assert.rejects(waiting, CancellationError);
    finish('done');
    assert.equal(await work, 'done');
    // An aborted signal: no wait at all.
    await assert.rejects(untilAborted(new Promise<never>(() => undefined), controller.signal), CancellationError);
  });
});
