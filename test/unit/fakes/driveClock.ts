import { FakeClock, flushPromises } from './fakeClock';
import type { TrackingTransport } from './trackingTransport';

/**
 * Runs a fake clock forward until `until()` holds: waits for real HTTP to go quiet, then fires the
 * next timer, and so on. `wake` should settle when `until()` may have become true by other means
 * (e.g. the awaited promise). No wall-clock sleeps; fails loudly instead of spinning forever.
 */
export async function driveUntil(until: () => boolean, clock: FakeClock, transport?: TrackingTransport, wake?: Promise<unknown>, maxSteps = 10_000): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    if (transport) await transport.whenIdle();
    await flushPromises();
    if (until()) return;
    if (transport && transport.inFlight > 0) continue;
    if (clock.pending() > 0) {
      await clock.next();
      continue;
    }
    // Nothing scheduled and no HTTP in flight: wait for either to happen.
    await Promise.race([clock.whenTimerPending(), ...(transport ? [transport.whenActivity()] : []), ...(wake ? [wake] : [])]);
  }
  throw new Error(`driveUntil: condition not reached after ${maxSteps} steps (clock at ${new Date(clock.now()).toISOString()})`);
}

/** Drives the clock until the promise settles, then returns its outcome. */
export async function settle<T>(promise: Promise<T>, clock: FakeClock, transport?: TrackingTransport): Promise<T> {
  let done = false;
  const mark = (): void => {
    done = true;
  };
  const settled = promise.then(mark, mark);
  await driveUntil(() => done, clock, transport, settled);
  return promise;
}
