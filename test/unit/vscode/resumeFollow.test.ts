import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode } from '../fakes/fakeVscode';
import type { AgentRun, CodegenClient, Page } from '../../../src/core/api/codegenClient';
import { RESUMED_END_GRACE_MS, type RunPoller } from '../../../src/core/tasks/runPoller';
import type { TaskController } from '../../../src/vscode/tasks';
import { memoryState, taskControllerOn } from './taskControllerHarness';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';

const complete = (summary: string): AgentRun => ({ id: 7, organizationId: 1, status: 'COMPLETE', state: 'complete', pullRequests: [], summary });
const active: AgentRun = { id: 7, organizationId: 1, status: 'ACTIVE', state: 'active', pullRequests: [], summary: 'First pass done' };

describe('Resume of a run whose answer still shows its end (TaskController, on a fake VS Code)', () => {
  let polls: AgentRun[];
  let clock: FakeClock;
  let tasks: TaskController;
  let poller: RunPoller;
  let dispose: () => void;
  /** The workspace state (kept across a window reload) and the fake client, for a second window. */
  let state: ReturnType<typeof memoryState>;
  let client: CodegenClient;
  let log: RecordingLogger;

  beforeEach(() => {
    fakeVscode.openWorkspace('/home/user/w');
    polls = [];
    clock = new FakeClock();
    log = new RecordingLogger();
    state = memoryState();
    client = {
      // (The server has not flipped the status yet: the resume answers with the run as it ended.)
      resumeRun: (): Promise<AgentRun> => Promise.resolve(complete('First pass done')),
      getRun: (): Promise<AgentRun> => Promise.resolve(polls.length > 1 ? (polls.shift() as AgentRun) : (polls[0] as AgentRun)),
      listRuns: (): Promise<Page<AgentRun>> => Promise.resolve({ items: [], total: 0, page: 1, size: 25, pages: 0 }),
      isCurrentOrganization: (): boolean => true,
      // (One base URL throughout: a sign-in not read yet is of it.)
      isCurrentEndpoint: (): boolean => true,
      // (The sign-in a run of this window is kept across a reload as.)
      signIn: (): Promise<string> => Promise.resolve('https://codegen.test 0123456789ab'),
    } as unknown as CodegenClient;
    ({ tasks, poller, dispose } = taskControllerOn(client, clock, log, () => true, state));
  });
  afterEach(() => dispose());

  /** The finish notices of run #7 shown since the test began. */
  let shownBefore = 0;
  beforeEach(() => (shownBefore = fakeVscode.messages.length));
  const finishNotices = (): string[] => fakeVscode.messages.slice(shownBefore).filter((m) => /agent run #7 (finished|ended)/.test(m.text)).map((m) => m.text);

  it('follows the resumed run to its new end: one finish notice, none for the old end read before the flip', async () => {
    polls = [complete('First pass done'), active, complete('Added the refunds tests')];
    const resumed = await tasks.resume({ kind: 'run', run: complete('First pass done') }, 'Also add tests for the refunds path');
    assert.equal(resumed?.status, 'COMPLETE');
    assert.ok(poller.isTracking(7));
    for (let i = 0; i < 10; i++) await clock.advance(2_000);
    assert.equal(finishNotices().length, 1, JSON.stringify(fakeVscode.messages.slice(shownBefore)));
    assert.match(finishNotices()[0] ?? '', /finished\. Added the refunds tests/);
    assert.equal(tasks.tree.getRun(7)?.summary, 'Added the refunds tests');
  });

  it('a resume the server never shows (the old end answered past the grace time) still ends with a notice', async () => {
    polls = [complete('First pass done')];
    await tasks.resume({ kind: 'run', run: complete('First pass done') }, 'Also add tests for the refunds path');
    await clock.advance(RESUMED_END_GRACE_MS - 5_000);
    assert.equal(finishNotices().length, 0, 'the old end is not reported while the resume may still be applied');
    await clock.advance(20_000);
    assert.equal(finishNotices().length, 1);
  });

  it('a window reload within the grace time keeps it: the old end read after the reload is not the new end', async () => {
    polls = [complete('First pass done')];
    await tasks.resume({ kind: 'run', run: complete('First pass done') }, 'Also add tests for the refunds path');
    // (Kept once the sign-in is read.)
    await flushPromises();
    // The window reloads at once; the server shows the old end for another minute, then the resumed run, then its end.
    dispose();
    ({ tasks, poller, dispose } = taskControllerOn(client, clock, log, () => true, state));
    tasks.onAuthChanged('signedOut');
    tasks.onAuthChanged('signedIn');
    await flushPromises();
    assert.ok(poller.isFollowing(7), 'followed again after the reload');
    await clock.advance(60_000);
    assert.equal(finishNotices().length, 0, JSON.stringify(fakeVscode.messages.slice(shownBefore)));
    polls = [active, complete('Added the refunds tests')];
    for (let i = 0; i < 10; i++) await clock.advance(2_000);
    assert.deepEqual(finishNotices(), ['Contexten: agent run #7 finished. Added the refunds tests']);
  });
});
