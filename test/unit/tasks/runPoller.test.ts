import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import { runStateOf } from '../../../src/core/api/codegenSchemas';
import type { RequestPriority } from '../../../src/core/api/ratePacer';
import { errorFromHttpResponse } from '../../../src/core/api/httpErrors';
import { AuthenticationError, CancellationError, ConfigurationError, NetworkError, NotFoundError, PlanLimitError, ProtocolError, RateLimitError, ServerError, TimeoutError } from '../../../src/core/errors';
import { MAX_ENDED_RUNS, MAX_POLL_BACKOFF_MS, RESUMED_END_GRACE_MS, RunPoller, classifyPollFailure, pollIntervalMs } from '../../../src/core/tasks/runPoller';
import { driveUntil, settle } from '../fakes/driveClock';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';
import { startHarness } from '../api/codegenHarness';
import type { RequestLogEntry } from '../../servers/codegen/codegenServer';

function run(id: number, status: string, createdAt?: number, extra: Partial<AgentRun> = {}): AgentRun {
  const s = status.toUpperCase();
  return { id, organizationId: 1, status: s, state: runStateOf(s), pullRequests: [], ...(createdAt !== undefined ? { createdAt: new Date(createdAt) } : {}), ...extra };
}

/** A scripted getRun: answers the current state of each run, or throws queued errors. */
class ScriptedRuns {
  readonly calls: { id: number; at: number; priority: RequestPriority | undefined }[] = [];
  readonly runs = new Map<number, AgentRun>();
  readonly failures = new Map<number, Error[]>();
  private readonly held = new Map<number, Promise<AgentRun>>();
  constructor(private readonly clock: FakeClock) {}
  async getRun(id: number, _signal?: AbortSignal, _owner?: unknown, priority?: RequestPriority): Promise<AgentRun> {
    this.calls.push({ id, at: this.clock.now(), priority });
    const gate = this.held.get(id);
    if (gate) {
      this.held.delete(id);
      return gate;
    }
    const err = this.failures.get(id)?.shift();
    if (err) throw err;
    const r = this.runs.get(id);
    if (!r) throw new NotFoundError(`run ${id}`);
    return { ...r };
  }
  /** The next poll of run `id` is answered only when the returned function is called (never, if it is not: a hung request). */
  hold(id: number): (answer: AgentRun) => void {
    let release: (answer: AgentRun) => void = () => undefined;
    this.held.set(id, new Promise<AgentRun>((resolve) => (release = resolve)));
    return (answer) => release(answer);
  }
  /** The next poll of run `id` fails only when the returned function is called, with the error given. */
  holdFailure(id: number): (err: Error) => void {
    let fail: (err: Error) => void = () => undefined;
    this.held.set(id, new Promise<AgentRun>((_resolve, reject) => (fail = reject)));
    return (err) => fail(err);
  }
  callsFor(id: number): number[] {
    return this.calls.filter((c) => c.id === id).map((c) => c.at);
  }
}

describe('RunPoller', () => {
  let clock: FakeClock;
  let api: ScriptedRuns;
  let logger: RecordingLogger;
  let poller: RunPoller;
  const changes: AgentRun[] = [];
  const finishes: AgentRun[] = [];
  const authFailures: AuthenticationError[] = [];

  beforeEach(() => {
    clock = new FakeClock();
    api = new ScriptedRuns(clock);
    logger = new RecordingLogger();
    poller = new RunPoller({ client: api, clock, logger });
    changes.length = 0;
    finishes.length = 0;
    authFailures.length = 0;
    poller.onDidChange((r) => changes.push(r));
    poller.onDidFinish((r) => finishes.push(r));
    poller.onDidFailAuthentication((e) => authFailures.push(e));
  });
  afterEach(() => poller.dispose());

  const follow = (r: AgentRun): void => {
    api.runs.set(r.id, r);
    poller.track(r);
  };

  it('interval by age: 2 s under 1 min, 5 s under 5 min, 15 s under 30 min, then 60 s', () => {
    assert.deepEqual(
      [0, 59_999, 60_000, 299_999, 300_000, 1_799_999, 1_800_000, 86_400_000].map(pollIntervalMs),
      [2_000, 2_000, 5_000, 5_000, 15_000, 15_000, 60_000, 60_000],
    );
  });

  it('polls a young run fast and slows down as it ages', async () => {
    const created = clock.now();
    follow(run(1, 'RUNNING', created));
    await clock.advance(35 * 60_000);
    const at = api.callsFor(1);
    assert.equal(at[0], created + 2_000);
    for (let i = 1; i < at.length; i++) {
      const prev = at[i - 1] ?? 0;
      assert.equal((at[i] ?? 0) - prev, pollIntervalMs(prev - created), `poll ${i}`);
    }
    const gaps = new Set(at.slice(1).map((t, i) => t - (at[i] ?? 0)));
    assert.deepEqual([...gaps], [2_000, 5_000, 15_000, 60_000]);
    assert.equal(changes.length, 0, 'an unchanged run fires no change event');
  });

  it('uses the creation time: a run started two hours ago is polled once a minute', async () => {
    follow(run(2, 'RUNNING', clock.now() - 2 * 3_600_000));
    await clock.advance(3 * 60_000);
    assert.equal(api.callsFor(2).length, 3);
  });

  it('never polls terminal runs', async () => {
    follow(run(3, 'COMPLETE', clock.now()));
    follow(run(4, 'failed', clock.now()));
    follow(run(5, 'completed', clock.now()));
    assert.equal(clock.pending(), 0);
    await clock.advance(10 * 60_000);
    await poller.refreshNow();
    assert.equal(api.calls.length, 0);
  });

  it('fires change on each new status and finish exactly once, then stops polling that run', async () => {
    follow(run(6, 'PENDING', clock.now()));
    await clock.advance(2_000);
    api.runs.set(6, run(6, 'RUNNING', clock.now()));
    await clock.advance(2_000);
    api.runs.set(6, run(6, 'COMPLETE', clock.now(), { result: 'done\n```ts\nx\n```' }));
    await clock.advance(2_000);
    const polls = api.callsFor(6).length;
    await clock.advance(10 * 60_000);
    await poller.refreshNow();
    assert.equal(api.callsFor(6).length, polls);
    assert.deepEqual(
      changes.map((r) => r.status),
      ['RUNNING', 'COMPLETE'],
    );
    assert.equal(finishes.length, 1);
    assert.equal(finishes[0]?.result, 'done\n```ts\nx\n```');
  });

  it('keeps polling runs with unknown statuses until they resolve', async () => {
    follow(run(7, 'AWAITING_REVIEW', clock.now()));
    await clock.advance(6_000);
    assert.equal(api.callsFor(7).length, 3);
    api.runs.set(7, run(7, 'FAILED', clock.now()));
    await clock.advance(2_000);
    assert.equal(finishes.length, 1);
    assert.equal(finishes[0]?.state, 'failed');
  });

  it('pauses while the window is unfocused and polls overdue runs at once on focus', async () => {
    follow(run(8, 'RUNNING', clock.now()));
    await clock.advance(2_000);
    assert.equal(api.callsFor(8).length, 1);
    poller.setFocused(false);
    assert.equal(clock.pending(), 0);
    await clock.advance(10 * 60_000);
    assert.equal(api.callsFor(8).length, 1);
    const focusedAt = clock.now();
    poller.setFocused(true);
    await clock.advance(0);
    assert.deepEqual(api.callsFor(8).slice(1), [focusedAt]);
  });

  it('refreshNow polls every active run immediately, even while unfocused', async () => {
    follow(run(9, 'RUNNING', clock.now()));
    follow(run(10, 'PENDING', clock.now()));
    follow(run(11, 'COMPLETE', clock.now()));
    poller.setFocused(false);
    await poller.refreshNow();
    assert.deepEqual(api.calls.map((c) => c.id).sort(), [10, 9]);
  });

  it('gives each poll out a signal of its own, which dispose aborts (one shared by 11 polls out: Node 20 warns)', async () => {
    const signals: AbortSignal[] = [];
    const getRun = api.getRun.bind(api);
    // (As the HTTP transport does: a listener on the signal of each request while it is out; these stay out.)
    api.getRun = (id, signal) => {
      if (signal) {
        signals.push(signal);
        signal.addEventListener('abort', () => undefined, { once: true });
      }
      void getRun(id);
      return new Promise<AgentRun>(() => undefined);
    };
    for (let id = 100; id < 112; id++) follow(run(id, 'RUNNING', clock.now()));
    void poller.refreshNow();
    await flushPromises();
    assert.equal(signals.length, 12);
    assert.equal(Math.max(...signals.map((sig) => getEventListeners(sig, 'abort').length)), 1);
    poller.dispose();
    assert.ok(signals.every((sig) => sig.aborted));
  });

  it('a failing poll is logged and backed off without stopping the poller', async () => {
    follow(run(12, 'RUNNING', clock.now()));
    follow(run(13, 'RUNNING', clock.now()));
    api.failures.set(12, [new ServerError('Codegen failed (HTTP 502)', 502)]);
    await clock.advance(2_000);
    assert.match(logger.text('warn'), /polling run 12 failed \(Codegen failed \(HTTP 502\)\); trying again in 4 s/);
    await clock.advance(6_000);
    const t0 = api.callsFor(12)[0] ?? 0;
    assert.deepEqual(
      api.callsFor(12).map((t) => t - t0),
      [0, 4_000, 6_000],
    );
    assert.equal(api.callsFor(13).length, 4, 'the other run kept its 2 s rhythm');
  });

  it('a 429 the client gave back (Retry-After over its own limit) is not polled again before the wait the server asked for', async () => {
    follow(run(14, 'RUNNING', clock.now()));
    api.failures.set(14, [new RateLimitError('Codegen: too many requests (HTTP 429)', 8 * 60_000)]);
    await clock.advance(2_000);
    assert.match(logger.text('warn'), /polling run 14 failed \(Codegen: too many requests \(HTTP 429\)\); trying again in 8 min/);
    await clock.advance(8 * 60_000 - 1);
    assert.equal(api.callsFor(14).length, 1, 'no poll before the 8 min asked for (longer than the longest backoff)');
    await clock.advance(1);
    assert.equal(api.callsFor(14).length, 2);
  });

  it('backs off after failed polls in a row, doubling the wait up to 5 minutes at most, and polls at the usual rhythm after a success', async () => {
    const steady = new RunPoller({ client: api, clock, logger, intervalFor: () => 2_000 });
    try {
      api.runs.set(15, run(15, 'RUNNING', clock.now()));
      api.failures.set(15, Array.from({ length: 10 }, () => new ServerError('Codegen failed (HTTP 503)', 503)));
      steady.track(run(15, 'RUNNING', clock.now()));
      await clock.advance(30 * 60_000);
      const at = api.callsFor(15);
      const gaps = at.slice(1, 13).map((t, i) => t - (at[i] ?? 0));
      // 2 s doubled after each failure (4 s … 256 s), then never more than MAX_POLL_BACKOFF_MS; 2 s again after the 11th poll answered.
      assert.deepEqual(gaps, [4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, MAX_POLL_BACKOFF_MS, MAX_POLL_BACKOFF_MS, MAX_POLL_BACKOFF_MS, 2_000, 2_000]);
      assert.equal(MAX_POLL_BACKOFF_MS, 5 * 60_000);
      assert.match(logger.text('warn'), /polling run 15 failed \(Codegen failed \(HTTP 503\)\); trying again in 5 min/);
    } finally {
      steady.dispose();
    }
  });

  it('an answer that will not pass by waiting (unreadable, 402) is logged as an error and tried again at the longest wait', async () => {
    follow(run(20, 'RUNNING', clock.now()));
    api.failures.set(20, [new ProtocolError('Codegen sent an answer that does not match its API')]);
    await clock.advance(2_000);
    assert.match(logger.text('error'), /polling run 20 failed \(Codegen sent an answer that does not match its API\); trying again in 5 min/);
    await clock.advance(MAX_POLL_BACKOFF_MS - 1);
    assert.equal(api.callsFor(20).length, 1, 'no poll before the longest wait');
    await clock.advance(1);
    assert.equal(api.callsFor(20).length, 2);
  });

  it('classifies a failed poll once for the poller and an awaited follow', () => {
    const aborted = new AbortController();
    aborted.abort();
    const cases: [unknown, string][] = [
      [new CancellationError(), 'cancelled'],
      [new ServerError('x', 502), 'cancelled'],
      [new AuthenticationError('x', 403), 'unauthorized'],
      [new NotFoundError('x'), 'gone'],
      [new ServerError('x', 503), 'passing'],
      [new NetworkError('x'), 'passing'],
      [new TimeoutError('x'), 'passing'],
      [new RateLimitError('x', 1_000), 'passing'],
      [new ConfigurationError('x', 'contexten.codegen.baseUrl'), 'passing'],
      // (A redirect: the server answered, the base URL is not the API's — waiting will not change that.)
      [errorFromHttpResponse(302, { location: 'https://login.example/' }, '', { service: 'Codegen', what: 'GET /v1/x', credential: 'codegen', nowMs: 0 }), 'lasting'],
      [new RateLimitError('x', undefined, true), 'lasting'],
      [new PlanLimitError('x'), 'lasting'],
      [new ProtocolError('x'), 'lasting'],
      [new Error('x'), 'lasting'],
    ];
    cases.forEach(([err, expected], i) => assert.equal(classifyPollFailure(err, i === 1 ? aborted.signal : undefined), expected, `case ${i}`));
  });

  it('a 401 stops all polling and is reported once, until restart()', async () => {
    follow(run(14, 'RUNNING', clock.now()));
    api.failures.set(14, [new AuthenticationError('Codegen rejected the API token (HTTP 401).', 401)]);
    await clock.advance(1_000);
    follow(run(15, 'RUNNING', clock.now()));
    await clock.advance(2_000);
    assert.deepEqual(
      api.calls.map((c) => c.id),
      [14],
      'the run due after the 401 is not polled',
    );
    const afterStop = api.calls.length;
    await clock.advance(30 * 60_000);
    follow(run(16, 'RUNNING', clock.now()));
    await clock.advance(60_000);
    await poller.refreshNow();
    assert.equal(api.calls.length, afterStop);
    assert.equal(authFailures.length, 1);
    assert.equal(clock.pending(), 0);

    poller.restart();
    await clock.advance(0);
    assert.deepEqual(api.calls.slice(afterStop).map((c) => c.id).sort(), [14, 15, 16]);
    assert.equal(authFailures.length, 1);
  });

  it('a 401 for a poll sent before restart() (the token of before a sign-in) does not stop polling: the run is polled again', async () => {
    follow(run(21, 'RUNNING', clock.now()));
    const reject = api.holdFailure(21);
    await clock.advance(2_000);
    assert.equal(api.callsFor(21).length, 1, 'the poll is out');
    // Signed in again meanwhile: the glue restarts the poller; then the old token's answer arrives.
    poller.restart();
    reject(new AuthenticationError('Codegen rejected the API token (HTTP 401).', 401));
    await flushPromises();
    assert.equal(authFailures.length, 0);
    await clock.advance(0);
    assert.equal(api.callsFor(21).length, 2, 'polled again at once');
    await clock.advance(2_000);
    assert.equal(api.callsFor(21).length, 3, 'and on as usual');
  });

  it('stops following a run that no longer exists (a 404 twice in a row, after the usual backoff), and says which (the sidebar drops it)', async () => {
    const gone: number[] = [];
    poller.onDidDisappear((id) => gone.push(id));
    const created = clock.now();
    follow(run(17, 'RUNNING', created));
    api.runs.delete(17);
    await clock.advance(60_000);
    assert.deepEqual(api.callsFor(17), [created + 2_000, created + 6_000], 'asked again after the backoff (2 s doubled)');
    assert.match(logger.text('warn'), /run 17 was not found .*asking again in 4 s/);
    assert.match(logger.text('warn'), /run 17 no longer exists/);
    assert.deepEqual(gone, [17]);
  });

  it('one 404 followed by a good answer is no end: the run is still followed, and its finish reported', async () => {
    const gone: number[] = [];
    poller.onDidDisappear((id) => gone.push(id));
    follow(run(16, 'RUNNING', clock.now()));
    api.failures.set(16, [new NotFoundError('run 16')]);
    await clock.advance(6_000);
    assert.equal(api.callsFor(16).length, 2);
    assert.deepEqual(gone, []);
    assert.equal(poller.isTracking(16), true);
    // Another single 404 later: still not two in a row.
    api.failures.set(16, [new NotFoundError('run 16')]);
    await clock.advance(10_000);
    assert.deepEqual(gone, []);
    api.runs.set(16, run(16, 'COMPLETE', clock.now()));
    await clock.advance(10_000);
    assert.deepEqual(finishes.map((r) => r.id), [16]);
    assert.deepEqual(gone, []);
  });

  it('a 404, then a list load showing the run, then a 404 is no end: an answer of the run in between breaks the two in a row', async () => {
    const gone: number[] = [];
    poller.onDidDisappear((id) => gone.push(id));
    const created = clock.now();
    follow(run(18, 'RUNNING', created));
    api.failures.set(18, [new NotFoundError('run 18'), new NotFoundError('run 18')]);
    await clock.advance(2_000);
    assert.equal(api.callsFor(18).length, 1, 'the first 404');
    // A list load answers with the run, active, before the next poll (sent after that first poll).
    poller.track(run(18, 'RUNNING', created), { readAt: clock.now() });
    await clock.advance(4_000);
    assert.equal(api.callsFor(18).length, 2, 'the second 404');
    assert.deepEqual(gone, [], 'not two in a row: the list showed it in between');
    assert.equal(poller.isFollowing(18), true);
  });

  it('a background run (one this window did not start) is polled at the slow rhythm however young; tracked without it, at its own pace', async () => {
    const created = clock.now();
    api.runs.set(30, run(30, 'RUNNING', created));
    poller.track(run(30, 'RUNNING', created), { background: true });
    await clock.advance(150_000);
    assert.deepEqual(api.callsFor(30), [created + 60_000, created + 120_000]);
    // A list load's copy does not make it faster; the user resuming it (or stopping it) does.
    poller.track(run(30, 'RUNNING', created), { background: true });
    await clock.advance(10_000);
    assert.equal(api.callsFor(30).length, 2);
    poller.track(run(30, 'RUNNING', created));
    await clock.advance(5_000);
    assert.equal(api.callsFor(30).length, 3, 'at its age\'s interval (5 s) from now on');
    // Once followed at its own pace, a later list load's copy leaves it so.
    poller.track(run(30, 'RUNNING', created), { background: true });
    await clock.advance(5_000);
    assert.equal(api.callsFor(30).length, 4);
  });

  it('a resumed run is young again: polled fast, and finishes again', async () => {
    const old = clock.now() - 3_600_000;
    follow(run(18, 'COMPLETE', old));
    assert.equal(clock.pending(), 0);
    follow(run(18, 'RUNNING', old));
    await clock.advance(4_000);
    assert.equal(api.callsFor(18).length, 2);
    api.runs.set(18, run(18, 'COMPLETE', old));
    await clock.advance(2_000);
    assert.equal(finishes.length, 1);
  });

  it('a copy read before the poll that saw the run end (a slow list load) does not restart it: no second finish', async () => {
    follow(run(23, 'RUNNING', clock.now()));
    const listSentAt = clock.now() + 1_000;
    await clock.advance(1_000);
    // The sidebar's list request goes out now and reads RUNNING; then the run ends and the next poll sees it.
    api.runs.set(23, run(23, 'COMPLETE', clock.now()));
    await clock.advance(1_000);
    assert.equal(finishes.length, 1);
    // The list's answer arrives after that poll's.
    poller.track(run(23, 'RUNNING', clock.now()), { readAt: listSentAt });
    await clock.advance(60_000);
    assert.equal(finishes.length, 1);
    assert.equal(api.callsFor(23).length, 1, 'not polled again');
    // A list read after that poll that shows it active again: resumed elsewhere (say, on the web).
    api.runs.set(23, run(23, 'RUNNING', clock.now()));
    poller.track(run(23, 'RUNNING', clock.now()), { readAt: clock.now() });
    api.runs.set(23, run(23, 'COMPLETE', clock.now()));
    await clock.advance(2_000);
    assert.equal(finishes.length, 2);
  });

  it('a poll answer read after a resume is about the run before it: dropped, and the resumed run is followed to its new end', async () => {
    const old = clock.now() - 3_600_000;
    follow(run(22, 'RUNNING', old));
    const answer = api.hold(22);
    await clock.advance(60_000);
    assert.equal(api.callsFor(22).length, 1, 'the poll is out');
    // Meanwhile the run completed, the user resumed it and the resume's answer came first; then the poll's answer arrives.
    api.runs.set(22, run(22, 'RUNNING', old));
    poller.track(run(22, 'RUNNING', old), { resumed: true });
    answer(run(22, 'COMPLETE', old));
    await flushPromises();
    assert.equal(finishes.length, 0, 'the older COMPLETE ended the resumed run');
    await clock.advance(2_000);
    assert.equal(api.callsFor(22).length, 2, 'the resumed run is polled at the young interval');
    api.runs.set(22, run(22, 'COMPLETE', old, { summary: 'with the follow-up' }));
    await clock.advance(2_000);
    assert.deepEqual(finishes.map((r) => r.summary), ['with the follow-up']);
  });

  it("a resume answered with the run's old end is followed: that end, polled or listed again, is not the new one", async () => {
    const old = clock.now() - 3_600_000;
    const ended = run(24, 'COMPLETE', old, { summary: 'first pass' });
    api.runs.set(24, ended);
    poller.track(ended, { resumed: true });
    assert.ok(poller.isTracking(24));
    await clock.advance(2_000);
    assert.equal(api.callsFor(24).length, 1, 'polled at the young interval');
    // A list load sent after the resume, before the server flipped the status, shows the old end too.
    poller.track(ended, { readAt: clock.now() });
    await clock.advance(2_000);
    assert.equal(api.callsFor(24).length, 2, 'still followed');
    assert.equal(finishes.length, 0);
    api.runs.set(24, run(24, 'RUNNING', old, { summary: 'first pass' }));
    await clock.advance(2_000);
    api.runs.set(24, run(24, 'COMPLETE', old, { summary: 'with the follow-up' }));
    await clock.advance(2_000);
    assert.deepEqual(finishes.map((r) => r.summary), ['with the follow-up']);
  });

  it('a failure read after a resume is about the run before it: no backoff for the new period, no "gone"', async () => {
    follow(run(23, 'RUNNING', clock.now()));
    const gone: number[] = [];
    poller.onDidDisappear((id) => gone.push(id));
    api.failures.set(23, [new NotFoundError('run 23')]);
    let failed: () => void = () => undefined;
    const failure = new Promise<void>((resolve) => (failed = resolve));
    const getRun = api.getRun.bind(api);
    // (the 404 is read only once the resume was tracked)
    api.getRun = async (id) => {
      await failure;
      return getRun(id);
    };
    await clock.advance(2_000);
    poller.track(run(23, 'RUNNING', clock.now()), { resumed: true });
    failed();
    await flushPromises();
    assert.deepEqual(gone, []);
    await clock.advance(2_000);
    assert.equal(api.callsFor(23).length, 2, 'still followed, at the young interval');
  });

  it('one hung poll holds up no other run: each is polled when due', async () => {
    const now = clock.now();
    follow(run(24, 'RUNNING', now));
    api.hold(24); // never answered
    await clock.advance(1_000);
    follow(run(25, 'RUNNING', clock.now()));
    follow(run(26, 'RUNNING', clock.now()));
    await clock.advance(1_000);
    assert.equal(api.callsFor(24).length, 1, 'run 24 is polled and hangs');
    await clock.advance(2_000);
    assert.deepEqual(api.callsFor(25), [now + 3_000]);
    assert.deepEqual(api.callsFor(26), [now + 3_000]);
    await clock.advance(4_000);
    assert.deepEqual(api.callsFor(25), [now + 3_000, now + 5_000, now + 7_000]);
    assert.equal(api.callsFor(24).length, 1, 'the hung run is not polled twice at once');
  });

  it('a run untracked and tracked anew while its poll is out is not polled a second time at once: after that poll ends', async () => {
    const now = clock.now();
    follow(run(27, 'RUNNING', now));
    const release = api.hold(27);
    await clock.advance(2_000);
    assert.deepEqual(api.callsFor(27), [now + 2_000], 'the first poll is out (and hangs)');
    poller.untrack(27);
    follow(run(27, 'RUNNING', clock.now()));
    await clock.advance(10_000);
    assert.deepEqual(api.callsFor(27), [now + 2_000], 'no second poll while the first is out');
    release(run(27, 'RUNNING', now));
    await flushPromises();
    await clock.advance(0);
    assert.deepEqual(api.callsFor(27), [now + 2_000, now + 12_000], 'polled as soon as the first answered');
  });

  it('tells whether it follows a run (one it saw end included), for a follower handing runs over', async () => {
    const now = clock.now();
    assert.equal(poller.isTracking(28), false);
    follow(run(28, 'RUNNING', now));
    assert.equal(poller.isTracking(28), true);
    api.runs.set(28, run(28, 'COMPLETE', now));
    await clock.advance(2_000);
    assert.equal(finishes.length, 1);
    assert.equal(poller.isTracking(28), true, 'an ended run is remembered');
    poller.untrack(28);
    assert.equal(poller.isTracking(28), false);
  });

  it('lets go of a finished run (its result) once the listeners had it', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const own = new RunPoller({ client: api, clock, logger });
    try {
      let finished: WeakRef<AgentRun> | undefined;
      let resultLength = 0;
      own.onDidFinish((r) => {
        finished = new WeakRef(r);
        resultLength = r.result?.length ?? 0;
      });
      api.runs.set(29, run(29, 'RUNNING', clock.now()));
      own.track(run(29, 'RUNNING', clock.now()));
      api.runs.set(29, run(29, 'COMPLETE', clock.now(), { result: 'x'.repeat(20_000) }));
      await clock.advance(2_000);
      assert.equal(resultLength, 20_000, 'the listener had the whole result');
      assert.equal(own.isTracking(29), true, 'the ended run is remembered');
      await flushPromises();
      gc();
      assert.equal(finished?.deref(), undefined, 'the poller no longer holds the finished run');
      // Remembered all the same: an older copy (a slow list load's) is passed over, a newer active one is followed again.
      own.track(run(29, 'RUNNING', clock.now()), { readAt: clock.now() - 1 });
      await clock.advance(60_000);
      assert.equal(api.callsFor(29).length, 1);
    } finally {
      own.dispose();
    }
  });

  it(`remembers the last ${MAX_ENDED_RUNS} runs seen ending, not every one of a long session`, async () => {
    const now = clock.now();
    follow(run(1, 'RUNNING', now));
    api.runs.set(1, run(1, 'COMPLETE', now));
    await clock.advance(2_000);
    assert.equal(finishes.length, 1);
    for (let id = 2; id <= MAX_ENDED_RUNS; id++) follow(run(id, 'COMPLETE', now));
    assert.equal(poller.isTracking(1), true, `${MAX_ENDED_RUNS} ended runs are remembered`);
    follow(run(MAX_ENDED_RUNS + 1, 'COMPLETE', now));
    assert.equal(poller.isTracking(1), false, 'the one seen ending longest ago is forgotten');
    assert.equal(poller.isTracking(2), true);
    assert.equal(poller.isTracking(MAX_ENDED_RUNS + 1), true);
    // A run forgotten that is active again is followed as a run not known (and reported when it ends again).
    follow(run(1, 'RUNNING', clock.now()));
    api.runs.set(1, run(1, 'COMPLETE', clock.now()));
    await clock.advance(2_000);
    assert.equal(finishes.length, 2);
  });

  it('a run resumed here that the poller did not know (finished runs are not kept) is young again too', async () => {
    const old = clock.now() - 2 * 3_600_000;
    api.runs.set(21, run(21, 'RUNNING', old));
    poller.track(run(21, 'RUNNING', old), { resumed: true });
    await clock.advance(2_000);
    assert.equal(api.callsFor(21).length, 1, 'polled at the young interval, not after a minute');
  });

  it('a throwing listener does not break polling', async () => {
    poller.onDidChange(() => {
      throw new Error('listener bug');
    });
    follow(run(19, 'PENDING', clock.now()));
    api.runs.set(19, run(19, 'RUNNING', clock.now()));
    await clock.advance(2_000);
    api.runs.set(19, run(19, 'COMPLETE', clock.now()));
    await clock.advance(2_000);
    assert.equal(finishes.length, 1);
    assert.match(logger.text('error'), /listener bug/);
  });

  it('runs followed again after a window reload (restore) are first polled spread over their interval, not all at once', async () => {
    const old = clock.now() - 3_600_000;
    const ids = Array.from({ length: 50 }, (_, i) => 100 + i);
    for (const id of ids) api.runs.set(id, run(id, 'RUNNING', old));
    const t0 = clock.now();
    poller.restore(ids.map((id) => ({ id, organizationId: 1, period: { activeSince: old, endBefore: undefined } })));
    await clock.advance(60_000);
    const firsts = ids.map((id) => (api.callsFor(id)[0] ?? Number.NaN) - t0);
    // (The first of them, the newest, at once; the others 1.2 s apart: 50 over the 60 s interval of an old run.)
    assert.deepEqual(firsts, ids.map((_, i) => Math.floor((60_000 * i) / 50)));
    const perSecond = new Map<number, number>();
    for (const c of api.calls) perSecond.set(Math.floor((c.at - t0) / 1_000), (perSecond.get(Math.floor((c.at - t0) / 1_000)) ?? 0) + 1);
    assert.ok(Math.max(...perSecond.values()) <= 2, `at most 2 polls in a second, got ${Math.max(...perSecond.values())}`);
  });

  it('tells when the first poll of each run followed again after a reload is answered — failed too — after its finish, and only the first', async () => {
    const created = clock.now();
    const events: string[] = [];
    poller.onDidFinish((r) => events.push(`finish #${r.id}`));
    poller.onDidAnswerRestored((id) => events.push(`answered #${id}`));
    api.runs.set(42, run(42, 'COMPLETE', created));
    api.runs.set(43, run(43, 'RUNNING', created));
    api.runs.set(44, run(44, 'RUNNING', created));
    api.failures.set(44, [new ServerError('Codegen answered 503.', 503)]);
    // (A run not restored: never told of.)
    poller.track(run(45, 'RUNNING', created));
    api.runs.set(45, run(45, 'COMPLETE', created));
    poller.restore([42, 43, 44].map((id) => ({ id, organizationId: 1, period: { activeSince: created, endBefore: undefined } })));
    await clock.advance(60_000);
    assert.deepEqual(events.filter((e) => !e.endsWith('#45')), ['finish #42', 'answered #42', 'answered #43', 'answered #44']);
    assert.deepEqual(events.filter((e) => e.endsWith('#45')), ['finish #45']);
  });

  it("this window's runs are polled as the user's requests; background runs, and a restored run's first poll, as background ones", async () => {
    const created = clock.now();
    api.runs.set(40, run(40, 'RUNNING', created));
    api.runs.set(41, run(41, 'RUNNING', created));
    api.runs.set(42, run(42, 'RUNNING', created));
    poller.track(run(40, 'RUNNING', created));
    poller.track(run(41, 'RUNNING', created), { background: true });
    poller.restore([{ id: 42, organizationId: 1, period: { activeSince: created, endBefore: undefined } }]);
    await clock.advance(61_000);
    const priorities = (id: number): (RequestPriority | undefined)[] => api.calls.filter((c) => c.id === id).map((c) => c.priority);
    assert.ok(priorities(40).length > 20, 'a young own run, polled every 2 s');
    assert.deepEqual(new Set(priorities(40)), new Set(['user']));
    assert.deepEqual(new Set(priorities(41)), new Set(['background']));
    const restored = priorities(42);
    assert.equal(restored[0], 'background', 'the first (spread) poll after a reload');
    assert.ok(restored.length > 1);
    assert.deepEqual(new Set(restored.slice(1)), new Set(['user']), 'then at its own pace, as the user\'s');
  });

  it('five tasks created together are each told of their end within a poll of it (their polls are not held to the background share)', async () => {
    const runningMs = 20_000;
    const h = await startHarness({ server: { timings: { pendingMs: 1_000, runningMs } } });
    const poller = new RunPoller({ client: h.client, clock: h.clock, logger: h.logger });
    try {
      const endAt = new Map<number, number>();
      const finished = new Map<number, number>();
      poller.onDidFinish((r) => finished.set(r.id, h.clock.now()));
      for (let i = 0; i < 5; i++) {
        const t0 = h.clock.now();
        const created = await settle(h.client.createRun({ prompt: `task ${i}` }), h.clock, h.transport);
        endAt.set(created.id, t0 + 1_000 + runningMs);
        poller.track(created);
      }
      await driveUntil(() => finished.size === 5, h.clock, h.transport, undefined, 100_000);
      const late = [...endAt].map(([id, at]) => (finished.get(id) ?? Number.NaN) - at);
      // (2 s: the young interval. Sent as background requests they took 9–12 s: 50 per 31 s for 5 runs at 2 s.)
      assert.ok(Math.max(...late) <= 2_000, `told of each end within 2 s, late by ${late.join(', ')} ms`);
      assert.equal(h.server.requests().filter((r) => r.status === 429).length, 0);
    } finally {
      poller.dispose();
      await h.close();
    }
  });

  it("a restored resume's grace ends RESUMED_END_GRACE_MS after the reload at the latest, whatever the deadline kept (the clock was ahead)", async () => {
    const old = clock.now() - 3_600_000;
    const ended = run(25, 'COMPLETE', old, { summary: 'first pass' });
    api.runs.set(25, ended);
    poller.track(ended, { resumed: true });
    const period = poller.followed(25);
    assert.ok(period?.endBefore);
    poller.dispose();

    // A reload; the deadline kept lies an hour ahead (the clock went back an hour meanwhile), the server never flipped.
    poller = new RunPoller({ client: api, clock, logger });
    poller.onDidFinish((r) => finishes.push(r));
    poller.restore([{ id: 25, organizationId: 1, period: { activeSince: period.activeSince, endBefore: { fingerprint: period.endBefore.fingerprint, until: period.endBefore.until + 3_600_000 } } }]);
    await clock.advance(RESUMED_END_GRACE_MS + 5_000);
    assert.deepEqual(finishes.map((r) => r.summary), ['first pass'], 'the end is told once the grace is over');
  });

  it('dispose stops every timer', async () => {
    follow(run(20, 'RUNNING', clock.now()));
    poller.dispose();
    assert.equal(clock.pending(), 0);
    await clock.advance(60_000);
    await flushPromises();
    assert.equal(api.calls.length, 0);
  });
});

describe('RunPoller with the real client and contract server', () => {
  it('a 429 with a Retry-After longer than the client retries for: the run is polled again no sooner', async () => {
    const h = await startHarness();
    const poller = new RunPoller({ client: h.client, clock: h.clock, logger: h.logger });
    try {
      const created = await h.client.createRun({ prompt: 'x' });
      const t0 = h.clock.now();
      h.server.addFault({ path: `/agent/run/${created.id}$`, kind: '429', retryAfter: '120', times: 2 });
      const finished: AgentRun[] = [];
      poller.onDidFinish((r) => finished.push(r));
      poller.track(created);
      await driveUntil(() => finished.length > 0, h.clock, h.transport);
      const polls = h.server.requests().filter((e) => e.path === `/v1/organizations/1/agent/run/${created.id}`);
      assert.deepEqual(
        polls.slice(0, 3).map((p) => [p.at - t0, p.status]),
        [
          [2_000, 429],
          [122_000, 429],
          [242_000, 200],
        ],
      );
    } finally {
      poller.dispose();
      await h.close();
    }
  });

  it('one stray 404 on a poll (a proxy, read-after-write lag) loses no run: still followed to COMPLETE, its finish reported', async () => {
    const h = await startHarness();
    const poller = new RunPoller({ client: h.client, clock: h.clock, logger: h.logger });
    try {
      const gone: number[] = [];
      const finished: AgentRun[] = [];
      poller.onDidDisappear((id) => gone.push(id));
      poller.onDidFinish((r) => finished.push(r));
      const created = await h.client.createRun({ prompt: 'add a PR for x' });
      h.server.addFault({ path: `/agent/run/${created.id}$`, method: 'GET', kind: '404', times: 1 });
      poller.track(created);
      const t0 = h.clock.now();
      await driveUntil(() => finished.length > 0 || gone.length > 0 || h.clock.now() - t0 > 120_000, h.clock, h.transport);
      assert.deepEqual(gone, []);
      assert.deepEqual(finished.map((r) => [r.id, r.status]), [[created.id, 'COMPLETE']]);
    } finally {
      poller.dispose();
      await h.close();
    }
  });

  it('a run the server no longer has (404 at two polls in a row) is dropped as gone', async () => {
    const h = await startHarness();
    const poller = new RunPoller({ client: h.client, clock: h.clock, logger: h.logger });
    try {
      const gone: number[] = [];
      poller.onDidDisappear((id) => gone.push(id));
      const created = await h.client.createRun({ prompt: 'add a PR for x' });
      h.server.addFault({ path: `/agent/run/${created.id}$`, method: 'GET', kind: '404', times: 2 });
      poller.track(created);
      await driveUntil(() => gone.length > 0, h.clock, h.transport);
      assert.deepEqual(gone, [created.id]);
      const polls = h.server.requests().filter((e) => e.path === `/v1/organizations/1/agent/run/${created.id}`);
      assert.deepEqual(polls.map((p) => p.status), [404, 404]);
    } finally {
      poller.dispose();
      await h.close();
    }
  });

  it("teammates' young runs, tracked as background, leave the token's rate budget to the user's own requests", async () => {
    const h = await startHarness({ server: { tokens: ['sandbox-token', 'teammate-token'], timings: { pendingMs: 3_000, runningMs: 40 * 60_000 } } });
    const poller = new RunPoller({ client: h.client, clock: h.clock, logger: h.logger });
    try {
      h.token.value = 'teammate-token';
      const mates: AgentRun[] = [];
      for (let i = 0; i < 8; i++) mates.push(await settle(h.client.createRun({ prompt: `teammate task ${i}` }), h.clock, h.transport));
      h.token.value = 'sandbox-token';
      // (As the sidebar tracks what a list load shows and this window did not start.)
      for (const m of mates) poller.track(m, { background: true });
      h.server.clearRequests();
      const t0 = h.clock.now();
      await h.clock.advance(30_000);
      assert.deepEqual(h.server.requests().map((r) => `${r.method} ${r.path}`), [], 'no teammate run polled in its first 30 s');
      const own = await settle(h.client.createRun({ prompt: 'mine' }), h.clock, h.transport);
      const t1 = h.clock.now();
      await settle(h.client.stopRun(own.id), h.clock, h.transport);
      assert.equal(h.clock.now() - t1, 0, 'the Stop went out at once');
      const polls = (): RequestLogEntry[] => h.server.requests().filter((e) => /\/agent\/run\/\d+$/.test(e.path) && e.method === 'GET');
      await driveUntil(() => polls().length >= 8, h.clock, h.transport);
      assert.deepEqual(polls().map((p) => p.at - t0), Array<number>(8).fill(60_000), 'each polled once a minute');
      await h.clock.advance(59_000);
      assert.equal(polls().length, 8);
      assert.equal(polls().filter((p) => p.status === 429).length, 0);
    } finally {
      poller.dispose();
      await h.close();
    }
  });

  it('follows a created run to COMPLETE and reports the finish once', async () => {
    const h = await startHarness();
    const poller = new RunPoller({ client: h.client, clock: h.clock, logger: h.logger });
    try {
      const statuses: string[] = [];
      const finished: AgentRun[] = [];
      poller.onDidChange((r) => statuses.push(r.status));
      const done = new Promise<void>((resolve) =>
        poller.onDidFinish((r) => {
          finished.push(r);
          resolve();
        }),
      );
      const created = await h.client.createRun({ prompt: 'Add a greeting, then open a PR' });
      poller.track(created);
      await driveUntil(() => finished.length > 0, h.clock, h.transport, done);
      assert.deepEqual(statuses, ['RUNNING', 'COMPLETE']);
      assert.match(finished[0]?.result ?? '', /```ts\n[\s\S]+\n```/);
      assert.equal(finished[0]?.pullRequests.length, 1);
      const polls = h.server.requests().filter((e) => e.path === `/v1/organizations/1/agent/run/${created.id}`);
      assert.equal(polls.length, 12, 'one poll every 2 s over the 23 s the run takes');
      await h.clock.advance(10 * 60_000);
      assert.equal(h.server.requests().filter((e) => e.path === `/v1/organizations/1/agent/run/${created.id}`).length, 12);
    } finally {
      poller.dispose();
      await h.close();
    }
  });
});
