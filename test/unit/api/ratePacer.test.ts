import assert from 'node:assert/strict';
import { CancellationError } from '../../../src/core/errors';
import { BACKGROUND_RESERVE, CODEGEN_RATE_LIMITS, RatePacer } from '../../../src/core/api/ratePacer';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { driveUntil } from '../fakes/driveClock';

describe('RatePacer', () => {
  let clock: FakeClock;
  beforeEach(() => {
    clock = new FakeClock();
  });

  it('lets a burst of 30 creations through 10 per (window + margin), in arrival order', async () => {
    const pacer = new RatePacer({ clock, limits: CODEGEN_RATE_LIMITS });
    const t0 = clock.now();
    const granted: { i: number; at: number }[] = [];
    const all = Array.from({ length: 30 }, (_, i) => pacer.acquire('creation').then(() => granted.push({ i, at: clock.now() - t0 })));
    await driveUntil(() => granted.length === 30, clock);
    await Promise.all(all);
    assert.deepEqual(
      granted.map((g) => g.i),
      Array.from({ length: 30 }, (_, i) => i),
    );
    const times = [...new Set(granted.map((g) => g.at))];
    assert.deepEqual(times, [0, 61_000, 122_000]);
    assert.equal(granted.filter((g) => g.at === 61_000).length, 10);
  });

  it("a user's request goes before the background ones queued, which leave BACKGROUND_RESERVE of the window to the user's", async () => {
    const pacer = new RatePacer({ clock, limits: CODEGEN_RATE_LIMITS });
    const t0 = clock.now();
    const polls: number[] = [];
    // 200 polls of runs followed again after a reload, all due at once.
    const all = Array.from({ length: 200 }, () => pacer.acquire('standard', undefined, 'background').then(() => polls.push(clock.now() - t0)));
    await clock.advance(1_000);
    const backgroundLimit = CODEGEN_RATE_LIMITS.standard.limit - Math.ceil(CODEGEN_RATE_LIMITS.standard.limit * BACKGROUND_RESERVE);
    assert.equal(polls.length, backgroundLimit, 'the background share of the first window, no more');
    // A Stop the user clicked now goes at once (the reserve), and the next ones too, ahead of the polls queued.
    for (let i = 0; i < CODEGEN_RATE_LIMITS.standard.limit - backgroundLimit; i++) {
      let sent = false;
      void pacer.acquire('standard').then(() => (sent = true));
      await flushPromises();
      assert.ok(sent, `user request ${i} went at once`);
    }
    // With the window full, a user's request waits for the next window, and goes before the polls queued then.
    let listAt: number | undefined;
    let pollsBeforeList = 0;
    void pacer.acquire('standard').then(() => {
      listAt = clock.now() - t0;
      pollsBeforeList = polls.length;
    });
    await driveUntil(() => listAt !== undefined, clock);
    assert.equal(listAt, 31_000);
    assert.equal(pollsBeforeList, backgroundLimit, 'no poll queued went before it');
    assert.ok(polls.some((at) => at === 31_000), 'the polls go on behind it');
    pacer.dispose();
    await Promise.allSettled(all);
  });

  it("a user's request queued in a full window goes when the window drops under the user's limit, not the background share", async () => {
    const pacer = new RatePacer({ clock, limits: CODEGEN_RATE_LIMITS });
    const t0 = clock.now();
    const { limit } = CODEGEN_RATE_LIMITS.standard;
    // 10 requests at t0 and 50 ten seconds later: the window is full until t0 + 31 s, when the first 10 leave it (60 → 50,
    // under the user's limit but not under the background share of 50: that takes until the other 50 leave, at 41 s).
    for (let i = 0; i < 10; i++) await pacer.acquire('standard');
    await clock.advance(10_000);
    for (let i = 0; i < limit - 10; i++) await pacer.acquire('standard');
    let sentAt: number | undefined;
    void pacer.acquire('standard').then(() => (sentAt = clock.now() - t0));
    await driveUntil(() => sentAt !== undefined, clock);
    assert.equal(sentAt, 31_000);
    pacer.dispose();
  });

  it('a background request queued for a whole window may use the user\'s room: steady user traffic over the background share starves it no longer', async () => {
    const pacer = new RatePacer({ clock, limits: CODEGEN_RATE_LIMITS });
    const t0 = clock.now();
    // The user's requests, 55 per window of 31 s (window + margin): over the background share (50), under the limit (60).
    const stop = new AbortController();
    let userSent = 0;
    const user = (async (): Promise<void> => {
      for (;;) {
        await pacer.acquire('standard', stop.signal);
        userSent++;
        await clock.sleep(Math.ceil(31_000 / 55), stop.signal);
      }
    })();
    await clock.advance(40_000);
    const queuedAt = clock.now() - t0;
    let pollAt: number | undefined;
    void pacer.acquire('standard', undefined, 'background').then(() => (pollAt = clock.now() - t0));
    await driveUntil(() => pollAt !== undefined || clock.now() - t0 > 20 * 60_000, clock);
    stop.abort();
    assert.ok(pollAt !== undefined, 'the background request was served');
    assert.ok(pollAt <= queuedAt + 31_000, `served once it had waited a window (queued at ${queuedAt}, served at ${pollAt})`);
    assert.ok(userSent > 55, 'the user traffic went on meanwhile');
    pacer.dispose();
    await user.catch(() => undefined);
  });

  it('never lets more than `limit` go in any window', async () => {
    const pacer = new RatePacer({ clock, limits: { x: { limit: 3, windowMs: 1000 } }, marginMs: 0 });
    const at: number[] = [];
    for (let i = 0; i < 20; i++) void pacer.acquire('x').then(() => at.push(clock.now()));
    await driveUntil(() => at.length === 20, clock);
    for (const t of at) assert.ok(at.filter((u) => u > t - 1000 && u <= t).length <= 3, `window ending ${t}`);
    assert.equal(at[19]! - at[0]!, 6000);
  });

  it('keeps classes independent', async () => {
    const pacer = new RatePacer({ clock, limits: CODEGEN_RATE_LIMITS });
    for (let i = 0; i < 10; i++) await pacer.acquire('creation');
    let creationDone = false;
    void pacer.acquire('creation').then(() => (creationDone = true));
    await pacer.acquire('standard');
    await pacer.acquire('logs');
    assert.equal(creationDone, false);
    assert.equal(pacer.queued('creation'), 1);
  });

  it('an aborted waiter leaves the queue with CancellationError and its place goes to the next', async () => {
    const pacer = new RatePacer({ clock, limits: { x: { limit: 1, windowMs: 1000 } }, marginMs: 0 });
    await pacer.acquire('x');
    const ac = new AbortController();
    const order: string[] = [];
    const first = pacer.acquire('x', ac.signal).then(
      () => order.push('first'),
      (e: unknown) => order.push(e instanceof CancellationError ? 'first cancelled' : 'first failed'),
    );
    const second = pacer.acquire('x').then(() => order.push(`second at ${clock.now()}`));
    ac.abort();
    await first;
    const start = clock.now();
    await driveUntil(() => order.length === 2, clock);
    await second;
    assert.deepEqual(order, ['first cancelled', `second at ${start + 1000}`]);
  });

  it('a hold (the server asked to wait) keeps its class, and only it, waiting until then, queued requests too', async () => {
    const pacer = new RatePacer({ clock, limits: { x: { limit: 1, windowMs: 1000 }, y: { limit: 1, windowMs: 1000 } }, marginMs: 0 });
    const t0 = clock.now();
    await pacer.acquire('x');
    const at: string[] = [];
    const queued = pacer.acquire('x').then(() => at.push(`queued at ${clock.now() - t0}`));
    pacer.holdUntil('x', t0 + 120_000);
    pacer.holdUntil('x', t0 + 5_000); // (an earlier end does not shorten it)
    const later = pacer.acquire('x').then(() => at.push(`later at ${clock.now() - t0}`));
    await pacer.acquire('y');
    await driveUntil(() => at.length === 2, clock);
    await Promise.all([queued, later]);
    assert.deepEqual(at, ['queued at 120000', 'later at 121000']);
  });

  it('rejects an already-aborted acquire and everything queued on dispose', async () => {
    const pacer = new RatePacer({ clock, limits: { x: { limit: 1, windowMs: 1000 } } });
    await assert.rejects(pacer.acquire('x', AbortSignal.abort()), CancellationError);
    await pacer.acquire('x');
    const queued = pacer.acquire('x');
    pacer.dispose();
    await assert.rejects(queued, CancellationError);
    assert.equal(clock.pending(), 0);
  });
});
