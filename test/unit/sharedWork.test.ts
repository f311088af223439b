import assert from 'node:assert/strict';
import { CancellationError } from '../../src/core/errors';
import { SharedWork } from '../../src/core/sharedWork';
import { flushPromises } from './fakes/fakeClock';

/** Work that ends when the test says, or rejects with CancellationError when its signal aborts; counts its starts. */
function controllable(): { shared: SharedWork<string>; starts: AbortSignal[]; finish: (value: string) => void } {
  const starts: AbortSignal[] = [];
  let finish: (value: string) => void = () => undefined;
  const shared = new SharedWork<string>(
    (signal) =>
      new Promise<string>((resolve, reject) => {
        starts.push(signal);
        finish = resolve;
        signal.addEventListener('abort', () => reject(new CancellationError()), { once: true });
      }),
  );
  return { shared, starts, finish: (value) => finish(value) };
}

/** 'pending', or how the promise settled (after the callbacks queued so far ran). */
async function outcome<T>(p: Promise<T>): Promise<string> {
  let state = 'pending';
  p.then(
    (v) => (state = `resolved ${String(v)}`),
    (e: unknown) => (state = `rejected ${e instanceof Error ? e.name : String(e)}`),
  );
  await flushPromises();
  return state;
}

describe('SharedWork (one run shared by its callers, each waiting through its own signal)', () => {
  it('a caller that joins a run and cancels stops waiting at once; the run goes on for the caller without a signal', async () => {
    const { shared, starts, finish } = controllable();
    const background = shared.run();
    const ac = new AbortController();
    const user = shared.run(ac.signal);
    assert.equal(starts.length, 1, 'one run for both');
    ac.abort();
    assert.equal(await outcome(user), 'rejected CancellationError');
    assert.equal(starts[0]?.aborted, false, 'the run is still wanted');
    assert.equal(await outcome(background), 'pending');
    finish('list');
    assert.equal(await outcome(background), 'resolved list');
  });

  it('the run is aborted when every caller waiting for it cancelled; the next caller starts a new run', async () => {
    const { shared, starts, finish } = controllable();
    const a = new AbortController();
    const b = new AbortController();
    const first = shared.run(a.signal);
    const second = shared.run(b.signal);
    a.abort();
    assert.equal(await outcome(first), 'rejected CancellationError');
    assert.equal(starts[0]?.aborted, false, 'b still waits');
    assert.equal(await outcome(second), 'pending');
    b.abort();
    assert.equal(await outcome(second), 'rejected CancellationError');
    assert.equal(starts[0]?.aborted, true);
    assert.equal(shared.running, false);
    const third = shared.run();
    assert.equal(starts.length, 2, 'not joined to the aborted run');
    finish('again');
    assert.equal(await outcome(third), 'resolved again');
  });

  it('a caller with an aborted signal is refused without starting anything; one joining after a finish starts anew', async () => {
    const { shared, starts, finish } = controllable();
    const ac = new AbortController();
    ac.abort();
    assert.equal(await outcome(shared.run(ac.signal)), 'rejected CancellationError');
    assert.equal(starts.length, 0);
    const one = shared.run(new AbortController().signal);
    finish('one');
    assert.equal(await outcome(one), 'resolved one');
    void shared.run();
    assert.equal(starts.length, 2);
  });

  it('abort() ends the run out even for a caller without a signal; the next caller starts a new run, never joining it', async () => {
    const { shared, starts, finish } = controllable();
    const background = shared.run();
    shared.abort();
    assert.equal(starts[0]?.aborted, true);
    assert.equal(shared.running, false);
    const next = shared.run();
    assert.equal(starts.length, 2, 'a new run');
    assert.equal(await outcome(background), 'rejected CancellationError');
    finish('new');
    assert.equal(await outcome(next), 'resolved new');
    shared.abort(); // nothing out: nothing to do
    assert.equal(starts.length, 2);
  });
});

