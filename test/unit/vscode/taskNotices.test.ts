import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode } from '../fakes/fakeVscode';
import type { AgentRun, CodegenClient, Page, SignIn } from '../../../src/core/api/codegenClient';
import { runStateOf } from '../../../src/core/api/codegenSchemas';
import { NotFoundError } from '../../../src/core/errors';
import type { TaskController } from '../../../src/vscode/tasks';
import { taskControllerOn } from './taskControllerHarness';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';

function run(id: number, status: string, createdAt: number): AgentRun {
  return { id, organizationId: 1, status, state: runStateOf(status), pullRequests: [], createdAt: new Date(createdAt) };
}

describe('Agent task notices (TaskController, on a fake VS Code)', () => {
  let clock: FakeClock;
  /** The server's runs, by id (a missing one answers 404). */
  let runs: Map<number, AgentRun>;
  let polls: number[];
  let tasks: TaskController;
  let dispose: () => void;

  beforeEach(() => {
    fakeVscode.openWorkspace('/home/user/w');
    clock = new FakeClock();
    runs = new Map();
    polls = [];
    const log = new RecordingLogger();
    const client = {
      createRun: (): Promise<AgentRun> => {
        const created = run(50, 'RUNNING', clock.now());
        runs.set(50, created);
        return Promise.resolve(created);
      },
      getRun: (id: number): Promise<AgentRun> => {
        polls.push(id);
        const r = runs.get(id);
        return r ? Promise.resolve({ ...r }) : Promise.reject(new NotFoundError(`run ${id}`));
      },
      listRuns: (): Promise<Page<AgentRun>> => {
        const items = [...runs.values()].sort((a, b) => b.id - a.id);
        return Promise.resolve({ items, total: items.length, page: 1, size: 100, pages: 1, received: items.length });
      },
      isCurrentOrganization: (id: number): boolean => id === 1,
      // (The sign-in a run of this window is kept across a reload as.)
      signIn: (): Promise<string> => Promise.resolve('https://codegen.test 0123456789ab'),
    } as unknown as CodegenClient;
    ({ tasks, dispose } = taskControllerOn(client, clock, log));
  });
  afterEach(() => dispose());

  const infos = (): string[] => fakeVscode.messages.map((m) => m.text);

  it("notifies the end of a run started here, not of a teammate's run in the list (shown and kept up to date, at the slow rhythm)", async () => {
    // A teammate's young run (from Slack, say), in the list.
    runs.set(60, run(60, 'RUNNING', clock.now()));
    tasks.onAuthChanged('signedIn');
    await tasks.refresh();
    const mine = await tasks.newTask('Add input validation to the signup form');
    assert.equal(mine?.id, 50);
    fakeVscode.messages = [];
    // (Refresh polled every run listed once: from here on, the usual rhythm.)
    polls.length = 0;
    await clock.advance(30_000);
    assert.equal(polls.filter((id) => id === 60).length, 0, "the teammate's run is not polled every 2 s");
    assert.ok(polls.filter((id) => id === 50).length >= 10, 'the own run is');
    runs.set(50, run(50, 'COMPLETE', 0));
    runs.set(60, run(60, 'COMPLETE', 0));
    await clock.advance(31_000);
    await flushPromises();
    assert.equal(tasks.tree.getRun(60)?.status, 'COMPLETE', "the teammate's run is kept up to date");
    assert.equal(infos().filter((t) => t.includes('#50')).length, 1, 'the own run finish is notified');
    assert.deepEqual(infos().filter((t) => t.includes('#60')), []);
  });

  it('a run a follow of this window hands over after a list load showed it (runAgentTask, the codegen provider) is this window\'s: polled at its pace, its end notified', async () => {
    // runAgentTask created run 70 and follows it; meanwhile the list loads (the view shown), with 70 in it.
    runs.set(70, run(70, 'RUNNING', clock.now()));
    tasks.onAuthChanged('signedIn');
    await tasks.refresh();
    polls.length = 0;
    // The follow ends (its caller cancelled, say) before the run: the sidebar takes it over.
    tasks.takeOver(run(70, 'RUNNING', clock.now()), 'https://codegen.test 0123456789ab' as SignIn);
    await clock.advance(30_000);
    assert.ok(polls.filter((id) => id === 70).length >= 5, `polled ${polls.filter((id) => id === 70).length} times in 30 s`);
    runs.set(70, run(70, 'COMPLETE', 0));
    await clock.advance(20_000);
    await flushPromises();
    assert.equal(infos().filter((t) => t.includes('#70')).length, 1, 'its end is notified');
  });

  it('a run of this window the server no longer has (404 twice): dropped from the list, which says so, and named once', async () => {
    tasks.onAuthChanged('signedIn');
    await tasks.refresh();
    await tasks.newTask('Add input validation to the signup form');
    fakeVscode.messages = [];
    runs.delete(50);
    await clock.advance(2_000);
    assert.ok(tasks.tree.getRun(50), 'one 404 is no end');
    runs.set(50, run(50, 'RUNNING', 0));
    await clock.advance(10_000);
    runs.delete(50);
    await clock.advance(30_000);
    await flushPromises();
    assert.equal(tasks.tree.getRun(50), undefined);
    assert.deepEqual(
      tasks.tree.getChildren().flatMap((n) => (n.kind === 'message' ? [n.text] : [])),
      ['Run #50 no longer exists on Codegen: removed from the list.', 'No agent runs yet. Use "New Task" to start one.'],
    );
    assert.deepEqual(infos(), ['Contexten: agent run #50 no longer exists on Codegen; it was removed from Agent Tasks.']);
  });
});
