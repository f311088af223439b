import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode } from '../fakes/fakeVscode';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import { OWN_RUNS_KEY } from '../../../src/core/tasks/ownRuns';
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

  it('the runs of another token (signed in to another account while the window was closed) are not taken back', async () => {
    const first = openWindow();
    const theirs = await newTask(first, 'Add a greeting to the README');
    closeWindow(first);
    h.token.value = 'other-token';

    const second = openWindow();
    const mine = await newTask(second, 'Add a farewell to the README');
    closeWindow(second);

    openWindow();
    await runFor(RUNNING_MS + 2 * 60_000);
    assert.deepEqual(finishNotices(theirs.id), []);
    assert.equal(finishNotices(mine.id).length, 1);
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
