import assert from 'node:assert/strict';
import type { StateStore } from '../../../src/core/ports';
import { MAX_KEPT_OWN_RUNS, OWN_RUN_MAX_AGE_MS, OwnRuns, type OwnRun } from '../../../src/core/tasks/ownRuns';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';

const SIGN_IN = 'https://api.codegen.com 0123456789ab';

/** A workspace state in memory, through JSON as VS Code keeps it. */
function memoryStore(initial?: unknown): StateStore & { value(): unknown } {
  let kept: string | undefined = initial === undefined ? undefined : JSON.stringify(initial);
  return {
    value: () => (kept === undefined ? undefined : (JSON.parse(kept) as unknown)),
    get: () => (kept === undefined ? undefined : (JSON.parse(kept) as unknown)),
    update: (_key, value) => {
      kept = value === undefined ? undefined : JSON.stringify(value);
      return Promise.resolve();
    },
  };
}

function kept(id: number, since: number, extra: Partial<OwnRun> = {}): OwnRun {
  return { id, organizationId: 1, signIn: SIGN_IN, since, activeSince: since, ...extra };
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
      runs.add(id, 1, period, Promise.resolve(SIGN_IN));
      await clock.advance(1_000);
    }
    await flushPromises();
    const ids = (store.value() as OwnRun[]).map((r) => r.id);
    assert.equal(ids.length, MAX_KEPT_OWN_RUNS);
    assert.equal(ids[0], MAX_KEPT_OWN_RUNS + 50, 'newest first');
    assert.equal(ids.at(-1), 51);

    // A reload days later: what became this window's over OWN_RUN_MAX_AGE_MS ago is not taken back.
    await clock.advance(OWN_RUN_MAX_AGE_MS - 100_000);
    const after = ownRuns(store).restore(SIGN_IN, () => true);
    assert.deepEqual(
      after.map((r) => r.id),
      Array.from({ length: 100 }, (_, i) => MAX_KEPT_OWN_RUNS + 50 - i),
    );
  });

  it('reads back only what has the shape it wrote: another shape is ignored, entry by entry, and nothing throws', () => {
    const now = clock.now();
    for (const value of ['x', 42, null, { runs: [kept(1, now)] }, [null, 'x', { id: -1 }]]) {
      assert.deepEqual(ownRuns(memoryStore(value)).restore(SIGN_IN, () => true), [], JSON.stringify(value));
    }
    const mixed = [{ ...kept(1, now), id: '1' }, kept(2, now), { ...kept(3, now), endBefore: { fingerprint: 7, until: now } }, kept(2, now - 5), kept(4, now, { endBefore: { fingerprint: 'ab', until: now + 1 } })];
    assert.deepEqual(
      ownRuns(memoryStore(mixed)).restore(SIGN_IN, () => true).map((r) => [r.id, r.endBefore?.fingerprint]),
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
    assert.deepEqual(runs.restore(SIGN_IN, () => true), []);
    runs.add(5, 1, period, Promise.resolve(SIGN_IN));
    assert.ok(runs.has(5), 'followed here all the same');
  });

  it('takes back the runs of the sign-in and organization of now only; the others are dropped from what is kept', () => {
    const now = clock.now();
    const store = memoryStore([kept(1, now), kept(2, now, { signIn: 'https://api.codegen.com ffffffffffff' }), kept(3, now, { organizationId: 2 })]);
    const runs = ownRuns(store);
    assert.deepEqual(runs.restore(SIGN_IN, (org) => org === 1).map((r) => r.id), [1]);
    assert.ok(runs.has(1));
    assert.deepEqual((store.value() as OwnRun[]).map((r) => r.id), [1]);
  });

  it('keeps the runs read back while they wait to be taken back; clear() (a sign-out) drops them', async () => {
    const now = clock.now();
    const store = memoryStore([kept(1, now)]);
    const runs = ownRuns(store);
    runs.add(2, 1, period, Promise.resolve(SIGN_IN));
    await flushPromises();
    assert.deepEqual((store.value() as OwnRun[]).map((r) => r.id).sort(), [1, 2]);
    runs.clear();
    assert.equal(store.value(), undefined);
    assert.deepEqual(ownRuns(store).restore(SIGN_IN, () => true), []);
  });
});
