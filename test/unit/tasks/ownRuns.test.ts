import assert from 'node:assert/strict';
import type { StateStore } from '../../../src/core/ports';
import { MAX_KEPT_OWN_RUNS, OWN_RUN_CLOCK_SLACK_MS, OWN_RUN_MAX_AGE_MS, OwnRuns, type OwnRun } from '../../../src/core/tasks/ownRuns';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';

const BASE_URL = 'https://api.codegen.com';

/** A workspace state in memory, through JSON as VS Code keeps it. */
function memoryStore(initial?: unknown): StateStore & { value(): unknown; readonly writes: number } {
  let kept: string | undefined = initial === undefined ? undefined : JSON.stringify(initial);
  let writes = 0;
  return {
    value: () => (kept === undefined ? undefined : (JSON.parse(kept) as unknown)),
    get writes() {
      return writes;
    },
    get: () => (kept === undefined ? undefined : (JSON.parse(kept) as unknown)),
    update: (_key, value) => {
      writes++;
      kept = value === undefined ? undefined : JSON.stringify(value);
      return Promise.resolve();
    },
  };
}

function kept(id: number, since: number, extra: Partial<OwnRun> = {}): OwnRun {
  return { id, organizationId: 1, baseUrl: BASE_URL, since, activeSince: since, ...extra };
}

describe('OwnRuns (the runs of this window, kept across a window reload)', () => {
  let clock: FakeClock;
  let logger: RecordingLogger;
  beforeEach(() => {
    clock = new FakeClock();
    logger = new RecordingLogger();
  });
  const ownRuns = (store: StateStore): OwnRuns => new OwnRuns({ store, clock, logger });
  const period = { activeSince: 0, endBefore: undefined };

  it('keeps the newest MAX_KEPT_OWN_RUNS, and none that became this window\'s more than OWN_RUN_MAX_AGE_MS ago', async () => {
    const store = memoryStore();
    const runs = ownRuns(store);
    for (let id = 1; id <= MAX_KEPT_OWN_RUNS + 50; id++) {
      runs.add(id, 1, period, Promise.resolve(BASE_URL));
      await clock.advance(1_000);
    }
    await flushPromises();
    const ids = (store.value() as OwnRun[]).map((r) => r.id);
    assert.equal(ids.length, MAX_KEPT_OWN_RUNS);
    assert.equal(ids[0], MAX_KEPT_OWN_RUNS + 50, 'newest first');
    assert.equal(ids.at(-1), 51);

    // A reload days later: what became this window's over OWN_RUN_MAX_AGE_MS ago is not taken back.
    const half = MAX_KEPT_OWN_RUNS / 2;
    await clock.advance(OWN_RUN_MAX_AGE_MS - half * 1_000);
    const after = ownRuns(store).restore(BASE_URL, () => true);
    assert.deepEqual(
      after.map((r) => r.id),
      Array.from({ length: half }, (_, i) => MAX_KEPT_OWN_RUNS + 50 - i),
    );
  });

  it('reads back only what has the shape it wrote: another shape is ignored, entry by entry, and nothing throws', () => {
    const now = clock.now();
    for (const value of ['x', 42, null, { runs: [kept(1, now)] }, [null, 'x', { id: -1 }]]) {
      assert.deepEqual(ownRuns(memoryStore(value)).restore(BASE_URL, () => true), [], JSON.stringify(value));
    }
    const mixed = [{ ...kept(1, now), id: '1' }, kept(2, now), { ...kept(3, now), endBefore: { fingerprint: 7, until: now } }, kept(2, now - 5), kept(4, now, { endBefore: { fingerprint: 'ab', until: now + 1 } })];
    assert.deepEqual(
      ownRuns(memoryStore(mixed)).restore(BASE_URL, () => true).map((r) => [r.id, r.endBefore?.fingerprint]),
      [
        [2, undefined],
        [4, 'ab'],
      ],
    );
    const throwing: StateStore = {
      get: () => {
        throw new Error('storage closed');
      },
      update: () => {
        throw new Error('storage closed');
      },
    };
    const runs = ownRuns(throwing);
    assert.deepEqual(runs.restore(BASE_URL, () => true), []);
    runs.add(5, 1, period, Promise.resolve(BASE_URL));
    assert.ok(runs.has(5), 'followed here all the same');
  });

  it('takes back the runs of the endpoint and organization of now only; the others are dropped from what is kept', async () => {
    const now = clock.now();
    const store = memoryStore([kept(1, now), kept(2, now, { baseUrl: 'https://eu.codegen.com' }), kept(3, now, { organizationId: 2 })]);
    const runs = ownRuns(store);
    assert.deepEqual(runs.restore(BASE_URL, (org) => org === 1).map((r) => r.id), [1]);
    assert.ok(runs.has(1));
    await flushPromises();
    assert.deepEqual((store.value() as OwnRun[]).map((r) => r.id), [1]);
  });

  it('keepAccount forgets the runs followed as another sign-in or in another organization, here and in what is kept; only the endpoint of a sign-in is written', async () => {
    const asA = `${BASE_URL} aaaaaaaaaaaa`;
    const asB = `${BASE_URL} bbbbbbbbbbbb`;
    const now = clock.now();
    const store = memoryStore([kept(1, now)]);
    const runs = ownRuns(store);
    assert.deepEqual(runs.restore(asA, () => true).map((r) => r.id), [1]);
    runs.add(2, 1, period, Promise.resolve(asA));
    runs.add(3, 2, period, Promise.resolve(asA));
    await flushPromises();
    assert.deepEqual(store.value(), [kept(1, now), kept(2, now, { activeSince: 0 }), kept(3, now, { organizationId: 2, activeSince: 0 })], 'the endpoint only: nothing of the token');
    // Signed in again as the same token, organization 1: run 3 (of organization 2) is no longer this window's.
    assert.deepEqual(runs.keepAccount(asA, (org) => org === 1), [3]);
    // As another token: neither is the rest, the run taken back after the reload included.
    runs.add(4, 1, period, Promise.resolve(asB));
    await flushPromises();
    assert.deepEqual(runs.keepAccount(asB, () => true).sort(), [1, 2]);
    assert.deepEqual([1, 2, 3, 4].filter((id) => runs.has(id)), [4]);
    await flushPromises();
    assert.deepEqual((store.value() as OwnRun[]).map((r) => r.id), [4]);
  });

  it('a run added with the sign-in its request was sent as, known at once: a sign-in as another token told in the same turn forgets it', async () => {
    const asA = `${BASE_URL} aaaaaaaaaaaa`;
    const asB = `${BASE_URL} bbbbbbbbbbbb`;
    const store = memoryStore();
    const runs = ownRuns(store);
    runs.add(1, 1, period, asA);
    runs.add(2, 1, period, asB);
    // (No turn passes: a sign-in whose read ended right then.)
    assert.deepEqual(runs.keepAccount(asB, () => true), [1]);
    assert.deepEqual([1, 2].filter((id) => runs.has(id)), [2]);
    await flushPromises();
    assert.deepEqual(store.value(), [kept(2, clock.now(), { activeSince: 0 })], 'the endpoint only: nothing of the token');
  });

  it('keeps the runs read back while they wait to be taken back; clear() (a sign-out) drops them', async () => {
    const now = clock.now();
    const store = memoryStore([kept(1, now)]);
    const runs = ownRuns(store);
    runs.add(2, 1, period, Promise.resolve(BASE_URL));
    await flushPromises();
    assert.deepEqual((store.value() as OwnRun[]).map((r) => r.id).sort(), [1, 2]);
    runs.clear();
    await flushPromises();
    assert.equal(store.value(), undefined);
    assert.deepEqual(ownRuns(store).restore(BASE_URL, () => true), []);
  });

  it('a run kept while the clock was ahead is taken as this window\'s from the reload on: it ages out, and does not sort before the newer', async () => {
    const now = clock.now();
    const store = memoryStore([kept(1, now + 365 * 24 * 3_600_000), kept(2, now - 1_000), kept(3, now + OWN_RUN_CLOCK_SLACK_MS)]);
    const runs = ownRuns(store);
    await clock.advance(1_000);
    runs.add(4, 1, period, Promise.resolve(BASE_URL));
    await flushPromises();
    assert.deepEqual((store.value() as OwnRun[]).map((r) => r.id), [3, 4, 1, 2], 'one within the slack keeps its time; the year ahead is now');
    await clock.advance(OWN_RUN_MAX_AGE_MS);
    assert.deepEqual(ownRuns(store).restore(BASE_URL, () => true).map((r) => r.id), [3, 4]);
  });

  it('writes once for the changes of one turn, not at all for a change that changes nothing, and a change not yet written at flush()', async () => {
    const store = memoryStore();
    const runs = ownRuns(store);
    // A list load adopts 300 runs (each known by its endpoint a few promise callbacks later), then resumes 50 of them.
    for (let id = 1; id <= 300; id++) runs.add(id, 1, period, Promise.resolve(BASE_URL));
    await flushPromises();
    assert.equal(store.writes, 1);
    for (let id = 1; id <= 50; id++) runs.add(id, 1, period, Promise.resolve(BASE_URL));
    await flushPromises();
    assert.equal(store.writes, 1, 'the same runs at the same time: nothing to write');
    await clock.advance(1_000);
    for (let id = 1; id <= 50; id++) runs.add(id, 1, period, Promise.resolve(BASE_URL));
    await flushPromises();
    assert.equal(store.writes, 2);
    runs.delete(1);
    runs.flush();
    assert.equal(store.writes, 3, 'written at flush (the window closes)');
    assert.equal((store.value() as OwnRun[]).some((r) => r.id === 1), false);
    await flushPromises();
    assert.equal(store.writes, 3, 'not again at the end of the turn');
  });

  it('an entry of an earlier build, with the token\'s fingerprint, is read without error, not taken back, and rewritten away at once', async () => {
    const now = clock.now();
    const { baseUrl: _url, ...rest } = kept(1, now);
    const store = memoryStore([{ ...rest, signIn: `${BASE_URL} 0123456789ab` }, kept(2, now)]);
    const runs = ownRuns(store);
    await flushPromises();
    assert.doesNotMatch(JSON.stringify(store.value()), /0123456789ab/);
    assert.deepEqual(runs.restore(BASE_URL, () => true).map((r) => r.id), [2]);
  });
});
