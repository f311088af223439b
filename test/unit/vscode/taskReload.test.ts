import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode } from '../fakes/fakeVscode';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import { tokenFingerprint } from '../../../src/core/auth/tokenFingerprint';
import { MAX_KEPT_OWN_RUNS, OWN_RUNS_KEY } from '../../../src/core/tasks/ownRuns';
import type { RunPoller } from '../../../src/core/tasks/runPoller';
import type { TaskController } from '../../../src/vscode/tasks';
import { startHarness, type Harness } from '../api/codegenHarness';
import { driveUntil, settle } from '../fakes/driveClock';
import { flushPromises } from '../fakes/fakeClock';
import { memoryState, taskControllerOn } from './taskControllerHarness';

/** How long the contract server keeps a new run RUNNING here: long enough for a reload in the middle. */
const RUNNING_MS = 10 * 60_000;

describe('Agent runs of this window across a window reload (TaskController, on the contract server)', () => {
  let h: Harness;
  /** The workspace state: what VS Code keeps from one window to the next on this workspace. */
  let state: ReturnType<typeof memoryState>;
  let windows: { readonly tasks: TaskController; readonly poller: RunPoller; dispose(): void }[];

  beforeEach(async () => {
    fakeVscode.openWorkspace('/home/user/w');
    h = await startHarness({ server: { tokens: ['sandbox-token', 'other-token'], timings: { pendingMs: 1_000, runningMs: RUNNING_MS } } });
    state = memoryState();
    windows = [];
  });
  afterEach(async () => {
    for (const w of windows) w.dispose();
    await h.close();
  });

  /**
   * A window opened on the workspace, wired as the container does it: "signed out" until the stored token has been read,
   * then signed in.
   */
  function openWindow(): TaskController {
    const w = taskControllerOn(h.client, h.clock, h.logger, () => true, state);
    windows.push(w);
    w.tasks.onAuthChanged('signedOut');
    w.tasks.onAuthChanged('signedIn');
    return w.tasks;
  }

  /** The window closes (a reload, or VS Code quitting). */
  function closeWindow(tasks: TaskController): void {
    const i = windows.findIndex((w) => w.tasks === tasks);
    windows.splice(i, 1)[0]?.dispose();
  }

  async function newTask(tasks: TaskController, prompt: string): Promise<AgentRun> {
    const run = await settle(tasks.newTask(prompt), h.clock, h.transport);
    assert.ok(run);
    // (Kept once the sign-in it was made as is read: no request, a few promise callbacks.)
    await flushPromises();
    return run;
  }

  /** Run ids kept in the workspace state. */
  const keptIds = (): number[] => {
    const kept = state.values.get(OWN_RUNS_KEY);
    return Array.isArray(kept) ? kept.map((r: { id: number }) => r.id) : [];
  };
  const finishNotices = (id: number): string[] => fakeVscode.messages.filter((m) => new RegExp(`agent run #${id} (finished|ended)`).test(m.text)).map((m) => m.text);
  const polls = (id: number): number => h.server.requests().filter((e) => e.method === 'GET' && e.path === `/v1/organizations/1/agent/run/${id}`).length;
  /** Runs the fake clock `ms` on, with the HTTP it starts. */
  async function runFor(ms: number): Promise<void> {
    const until = h.clock.now() + ms;
    await driveUntil(() => h.clock.now() >= until, h.clock, h.transport);
  }

  it('a run started before a reload is this window\'s again: polled at its own pace, its end notified once, then no longer kept', async () => {
    const first = openWindow();
    const run = await newTask(first, 'Add a greeting to the README');
    closeWindow(first);

    openWindow();
    h.server.clearRequests();
    await runFor(30_000);
    // (A run of someone else's, a list load's, is polled once a minute at most.)
    assert.ok(polls(run.id) >= 10, `polled ${polls(run.id)} times in the 30 s after the reload`);
    assert.deepEqual(finishNotices(run.id), []);
    await runFor(RUNNING_MS);
    assert.deepEqual(finishNotices(run.id), [`Contexten: agent run #${run.id} finished. Implemented: Add a greeting to the README`]);
    assert.deepEqual(keptIds(), []);
  });

  it('a run that ended while the window was closed: one notification at the first poll after the reload, none after the next reload', async () => {
    const first = openWindow();
    const run = await newTask(first, 'Add a greeting to the README');
    closeWindow(first);
    await h.clock.advance(RUNNING_MS + 60_000);

    const second = openWindow();
    await runFor(5_000);
    assert.equal(finishNotices(run.id).length, 1);
    assert.deepEqual(keptIds(), []);
    closeWindow(second);

    openWindow();
    await runFor(5 * 60_000);
    assert.equal(finishNotices(run.id).length, 1, 'not notified again');
  });

  it('several runs that ended while the window was closed: one notification naming them, with a button to the Agent Tasks view; a run ending later is notified on its own', async () => {
    const first = openWindow();
    const a = await newTask(first, 'Add a greeting to the README');
    const b = await newTask(first, 'Add a farewell to the README');
    await h.clock.advance(RUNNING_MS / 2);
    const c = await newTask(first, 'Add a table of contents to the README');
    closeWindow(first);
    // (a and b end while the window is closed; c still runs when it opens again.)
    await h.clock.advance(RUNNING_MS / 2 + 60_000);
    fakeVscode.answerMessage = (m) => (m.text.includes('ended while VS Code was closed') ? 'Show Agent Tasks' : undefined);

    openWindow();
    await runFor(60_000);
    const closedNotices = fakeVscode.messages.filter((m) => m.text.includes('ended while VS Code was closed'));
    assert.deepEqual(closedNotices.map((m) => [m.kind, m.text, m.actions]), [['info', `Contexten: 2 agent runs ended while VS Code was closed: #${b.id} finished, #${a.id} finished.`, ['Show Agent Tasks']]]);
    assert.deepEqual([...finishNotices(a.id), ...finishNotices(b.id)], [], 'not each on its own');
    await flushPromises();
    assert.ok(fakeVscode.executed.some(([id]) => id === 'contexten.tasks.focus'), 'the button shows the Agent Tasks view');

    await runFor(RUNNING_MS);
    assert.deepEqual(finishNotices(c.id), [`Contexten: agent run #${c.id} finished. Implemented: Add a table of contents to the README`]);
    assert.deepEqual(keptIds(), []);
  });

  it('runs that ended while the window was closed, one found ended before a sign-in as another token: neither is told to the new account', async () => {
    const first = openWindow();
    const a = await newTask(first, 'Add a greeting to the README');
    await h.clock.advance(2_000);
    const b = await newTask(first, 'Add a farewell to the README');
    closeWindow(first);
    await h.clock.advance(RUNNING_MS + 60_000);

    const second = openWindow();
    const { poller } = windows.at(-1) ?? assert.fail('no window');
    // Until the first of the two first polls after the reload found its run ended (taken to be told with the other's).
    await driveUntil(() => poller.isFollowing(a.id) !== poller.isFollowing(b.id), h.clock, h.transport);
    const ends = (): string[] => fakeVscode.messages.map((m) => m.text).filter((t) => /finished|ended/.test(t));
    assert.deepEqual(ends(), [], 'nothing told yet: the other run is waited for');
    h.token.value = 'other-token';
    second.onAuthChanged('signedIn');
    await flushPromises();
    await runFor(2 * 60_000);
    assert.deepEqual(ends(), [], 'the account before\'s runs are not told to this one');
    // (This account's own runs are told as before.)
    const c = await newTask(second, 'Add a table of contents to the README');
    await runFor(RUNNING_MS + 60_000);
    assert.equal(finishNotices(c.id).length, 1);
  });

  it('a sign-out forgets the runs started before it, after a reload too: only the next sign-in\'s are notified', async () => {
    const first = openWindow();
    const before = await newTask(first, 'Add a greeting to the README');
    first.onAuthChanged('signedOut');
    first.onAuthChanged('signedIn');
    const after = await newTask(first, 'Add a farewell to the README');
    closeWindow(first);

    openWindow();
    await runFor(RUNNING_MS + 2 * 60_000);
    assert.deepEqual(finishNotices(before.id), []);
    assert.equal(finishNotices(after.id).length, 1);
  });

  it('a change of organization forgets the runs of the one before, after a reload too', async () => {
    const first = openWindow();
    const before = await newTask(first, 'Add a greeting to the README');
    h.settings.orgId = '2';
    first.onEndpointChanged();
    h.settings.orgId = '1';
    first.onEndpointChanged();
    const after = await newTask(first, 'Add a farewell to the README');
    closeWindow(first);

    openWindow();
    await runFor(RUNNING_MS + 2 * 60_000);
    assert.deepEqual(finishNotices(before.id), []);
    assert.equal(finishNotices(after.id).length, 1);
  });

  it('signing in again as another token without signing out forgets the runs of the one before (the same token again keeps them): no longer polled as this window\'s, nor notified, after a reload either', async () => {
    const first = openWindow();
    const before = await newTask(first, 'Add a greeting to the README');
    // Signed in again with the same token: nothing changes.
    first.onAuthChanged('signedIn');
    await flushPromises();
    assert.deepEqual(keptIds(), [before.id]);
    // Signed in again with another token of the same organization (another user's, maybe), without a sign-out first.
    h.token.value = 'other-token';
    first.onAuthChanged('signedIn');
    await flushPromises();
    assert.deepEqual(keptIds(), [], 'not kept for a reload');
    const after = await newTask(first, 'Add a farewell to the README');
    assert.deepEqual(keptIds(), [after.id]);
    // (Listed for the new sign-in, it is polled as any run of the list — a teammate's: once a minute at most.)
    h.server.clearRequests();
    await runFor(30_000);
    assert.ok(polls(before.id) <= 1, `polled ${polls(before.id)} times in 30 s`);
    assert.ok(polls(after.id) >= 10);
    await runFor(RUNNING_MS + 2 * 60_000);
    assert.deepEqual(finishNotices(before.id), []);
    assert.equal(finishNotices(after.id).length, 1);
    closeWindow(first);

    openWindow();
    await runFor(5 * 60_000);
    assert.deepEqual(finishNotices(before.id), []);
  });

  // Nothing of the token is kept (a hash of it on disk would let guesses at a weak token be tested offline), so runs are
  // kept by endpoint and organization: another token of the same organization at the same endpoint (the token changed
  // in the environment or the secret storage while the window was closed — no sign-out in the window, which clears them)
  // takes them back. Those runs are that organization's: the token reads them as the list shows them.
  it('the runs kept are taken back with another token of the same organization and endpoint (token changed while the window was closed), and nothing of the token is kept', async () => {
    const first = openWindow();
    const before = await newTask(first, 'Add a greeting to the README');
    assert.doesNotMatch(JSON.stringify(state.values.get(OWN_RUNS_KEY)), new RegExp(tokenFingerprint('sandbox-token')));
    assert.doesNotMatch(JSON.stringify(state.values.get(OWN_RUNS_KEY)), /sandbox-token/);
    closeWindow(first);
    h.token.value = 'other-token';

    const second = openWindow();
    const after = await newTask(second, 'Add a farewell to the README');
    closeWindow(second);

    openWindow();
    await runFor(RUNNING_MS + 2 * 60_000);
    assert.equal(finishNotices(before.id).length, 1);
    assert.equal(finishNotices(after.id).length, 1);
    assert.deepEqual(keptIds(), []);
  });

  it('a kept value of another shape (an older version\'s, a corrupt one) is ignored: the window opens and keeps its own runs', async () => {
    state.values.set(OWN_RUNS_KEY, { runs: 'from an older version' });
    const first = openWindow();
    const run = await newTask(first, 'Add a greeting to the README');
    closeWindow(first);

    openWindow();
    await runFor(RUNNING_MS + 60_000);
    assert.equal(finishNotices(run.id).length, 1);
  });
});

describe('Many runs of this window across a window reload, under the rate limits (contract server)', () => {
  let h: Harness;
  beforeEach(async () => {
    fakeVscode.openWorkspace('/home/user/w');
    // (Runs that stay RUNNING for a day; creations not limited, to make 200 of them quickly.)
    h = await startHarness({ server: { tokens: ['sandbox-token'], timings: { pendingMs: 1_000, runningMs: 24 * 3_600_000 }, rateLimits: { creation: { limit: 100_000, windowMs: 60_000 } } } });
  });
  afterEach(async () => h.close());

  it("200 runs kept by an earlier build: the newest MAX_KEPT_OWN_RUNS followed, their polls spread, and the user's Stop and list load never wait behind them", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${h.server.url}/v1/organizations/1/agent/run`, { method: 'POST', headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' }, body: JSON.stringify({ prompt: `task ${i}` }) });
      ids.push(((await res.json()) as { id: number }).id);
    }
    const state = memoryState();
    const now = h.clock.now();
    // (Followed for an hour: each is polled once a minute.)
    state.values.set(OWN_RUNS_KEY, ids.map((id, i) => ({ id, organizationId: 1, baseUrl: h.server.url.replace(/\/+$/, ''), since: now - i, activeSince: now - 3_600_000 })));
    const w = taskControllerOn(h.client, h.clock, h.logger, () => true, state);
    try {
      h.server.clearRequests();
      w.tasks.onAuthChanged('signedOut');
      w.tasks.onAuthChanged('signedIn');
      const signedInAt = h.clock.now();
      await driveUntil(() => h.clock.now() >= signedInAt + 1_000, h.clock, h.transport, undefined, 100_000);
      const kept = state.values.get(OWN_RUNS_KEY);
      assert.ok(Array.isArray(kept));
      assert.deepEqual(kept.map((r: { id: number }) => r.id), ids.slice(0, MAX_KEPT_OWN_RUNS), 'the newest, followed as this window\'s');
      assert.ok(ids.slice(0, MAX_KEPT_OWN_RUNS).every((id) => w.poller.isFollowing(id)));

      // The user stops a run a second after the window opened: sent at once, not behind the reload's polls.
      const stopAt = h.clock.now();
      await settle(h.client.stopRun(ids[5] ?? 0), h.clock, h.transport);
      assert.ok(h.clock.now() - stopAt < 1_000, `the Stop waited ${h.clock.now() - stopAt} ms`);

      // Five minutes on: every run followed is polled at its pace (once a minute), no 429, and a list load goes at once.
      h.server.clearRequests();
      const steadyAt = h.clock.now();
      await driveUntil(() => h.clock.now() >= steadyAt + 5 * 60_000, h.clock, h.transport, undefined, 100_000);
      const requests = h.server.requests();
      assert.equal(requests.filter((r) => r.status === 429).length, 0);
      const pollsOf = (id: number): number => requests.filter((r) => r.method === 'GET' && r.path === `/v1/organizations/1/agent/run/${id}`).length;
      for (const id of ids.slice(0, MAX_KEPT_OWN_RUNS)) if (id !== ids[5]) assert.ok([5, 6].includes(pollsOf(id)), `run #${id} polled ${pollsOf(id)} times in 5 min`);
      const listAt = h.clock.now();
      await settle(h.client.listRuns({ skip: 0, limit: 25 }), h.clock, h.transport);
      assert.ok(h.clock.now() - listAt < 1_000, `the list load waited ${h.clock.now() - listAt} ms`);
    } finally {
      w.dispose();
    }
  });
});
