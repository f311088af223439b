import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode } from '../fakes/fakeVscode';
import type { AgentRun, CodegenClient, SignIn } from '../../../src/core/api/codegenClient';
import { CancellationError, NetworkError } from '../../../src/core/errors';
import type { RunPoller } from '../../../src/core/tasks/runPoller';
import type { TaskController } from '../../../src/vscode/tasks';
import { taskControllerOn } from './taskControllerHarness';
import { FakeClock } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';

/** The sign-in the fake client reads (CodegenClient.signIn). */
const SIGN_IN = 'https://codegen.test 0123456789ab' as SignIn;
const PROMPT = 'Refactor the billing module: split invoices from payments, keep the public API, open a PR';

describe('"New Agent Task" (TaskController, on a fake VS Code)', () => {
  let created: string[];
  let failNext: number;
  /** What a failing createRun rejects with. */
  let failure: () => Error;
  let hasToken: boolean;
  /** The organization the settings name (CodegenClient.isCurrentOrganization). */
  let listedOrg: number;
  let tasks: TaskController;
  let poller: RunPoller;
  let dispose: () => void;

  beforeEach(() => {
    fakeVscode.openWorkspace('/home/user/w');
    created = [];
    failNext = 0;
    failure = () => new NetworkError('Could not reach Codegen (ECONNRESET).');
    hasToken = true;
    listedOrg = 1;
    const log = new RecordingLogger();
    const client = {
      createRun: (request: { prompt: string }): Promise<AgentRun> => {
        if (failNext > 0) {
          failNext--;
          return Promise.reject(failure());
        }
        created.push(request.prompt);
        return Promise.resolve({ id: 41 + created.length, organizationId: 1, status: 'COMPLETE', state: 'complete', pullRequests: [] });
      },
      resumeRun: (): Promise<AgentRun> => Promise.reject(new NetworkError('Could not reach Codegen (ECONNRESET).')),
      isCurrentOrganization: (id: number): boolean => id === listedOrg,
      // (One base URL throughout: a sign-in not read yet is of it.)
      isCurrentEndpoint: (): boolean => true,
      // (The sign-in a run of this window is kept across a reload as.)
      signIn: (): Promise<string> => Promise.resolve(SIGN_IN),
    } as unknown as CodegenClient;
    const clock = new FakeClock();
    ({ tasks, poller, dispose } = taskControllerOn(client, clock, log, () => hasToken));
  });
  afterEach(() => dispose());

  it('keeps the prompt of a task whose creation failed: the next New Agent Task starts with it, until it is created', async () => {
    failNext = 1;
    fakeVscode.inputAnswers.push(PROMPT);
    await assert.rejects(tasks.newTask(), NetworkError);
    assert.deepEqual(created, []);

    // The user only presses Enter: the box holds the prompt typed before.
    const boxes = fakeVscode.inputBoxes.length;
    fakeVscode.inputAnswers.push(PROMPT);
    const run = await tasks.newTask();
    assert.equal(fakeVscode.inputBoxes[boxes]?.value, PROMPT);
    assert.equal(run?.id, 42);
    assert.deepEqual(created, [PROMPT]);

    // Created: the next task starts empty.
    fakeVscode.inputAnswers.push(undefined);
    assert.equal(await tasks.newTask(), undefined);
    assert.equal(fakeVscode.inputBoxes.at(-1)?.value, '');
  });

  /** A New Agent Task whose creation fails (`NetworkError`): its prompt is kept for the next one. */
  async function failedTask(): Promise<void> {
    failNext = 1;
    fakeVscode.inputAnswers.push(PROMPT);
    await assert.rejects(tasks.newTask(), NetworkError);
  }

  /** The value the next New Agent Task's input box starts with (the box is dismissed). */
  async function nextBoxValue(): Promise<string | undefined> {
    fakeVscode.inputAnswers.push(undefined);
    assert.equal(await tasks.newTask(), undefined);
    return fakeVscode.inputBoxes.at(-1)?.value;
  }

  it('drops the kept prompt at sign-out (not for a rejected token): whoever signs in next does not find it one Enter away', async () => {
    await failedTask();
    tasks.onAuthChanged('invalid');
    assert.equal(await nextBoxValue(), PROMPT, 'kept while the same user signs in again');
    tasks.onAuthChanged('signedOut');
    tasks.onAuthChanged('signedIn');
    assert.equal(await nextBoxValue(), '');
  });

  it("drops a run's unsent follow-up at sign-out", async () => {
    const run: AgentRun = { id: 7, organizationId: 1, status: 'COMPLETE', state: 'complete', pullRequests: [] };
    fakeVscode.inputAnswers.push('Also add tests for the refunds path');
    await assert.rejects(tasks.resume({ run }), NetworkError);
    tasks.onAuthChanged('signedOut');
    tasks.onAuthChanged('signedIn');
    fakeVscode.inputAnswers.push(undefined);
    assert.equal(await tasks.resume({ run }), undefined);
    assert.equal(fakeVscode.inputBoxes.at(-1)?.value, '');
  });

  it('keeps no prompt or follow-up typed while a sign-out or an endpoint change happened (the box left open meanwhile)', async () => {
    failNext = 1;
    fakeVscode.inputAnswers.push(() => {
      tasks.onAuthChanged('signedOut');
      return PROMPT;
    });
    await assert.rejects(tasks.newTask(), NetworkError);
    tasks.onAuthChanged('signedIn');
    assert.equal(await nextBoxValue(), '');
    const run: AgentRun = { id: 7, organizationId: 1, status: 'COMPLETE', state: 'complete', pullRequests: [] };
    fakeVscode.inputAnswers.push(() => {
      tasks.onEndpointChanged();
      return 'Also add tests for the refunds path';
    });
    await assert.rejects(tasks.resume({ run }), NetworkError);
    fakeVscode.inputAnswers.push(undefined);
    assert.equal(await tasks.resume({ run }), undefined);
    assert.equal(fakeVscode.inputBoxes.at(-1)?.value, '');
  });

  it("opens a run's or pull request's link only when it is https (or http on this computer), whatever a command's argument holds", async () => {
    const run = (webUrl: string, prUrl = ''): AgentRun => ({ id: 9, organizationId: 1, status: 'COMPLETE', state: 'complete', webUrl, pullRequests: [{ id: 1, title: 'Fix', url: prUrl }] });
    // (Runs not in the tree, from another extension's or a keybinding's arguments: the schema never saw them.)
    await tasks.openInBrowser({ run: run('file:///etc/passwd') });
    await tasks.openPullRequest({ kind: 'pr', run: run('https://codegen.com/run/9', 'command://workbench.action.terminal.new'), index: 0 });
    await tasks.openPullRequest({ run: run('https://codegen.com/run/9', 'http://example.com/pr/1') });
    assert.deepEqual(fakeVscode.opened, []);
    assert.equal(fakeVscode.messages.filter((m) => m.kind === 'warning' && /the link was not opened/.test(m.text)).length, 3);
    await tasks.openInBrowser({ run: run('https://codegen.com/run/9') });
    await tasks.openPullRequest({ kind: 'pr', run: run('https://codegen.com/run/9', 'http://localhost:3000/pr/1'), index: 0 });
    assert.deepEqual(fakeVscode.opened, ['https://codegen.com/run/9', 'http://localhost:3000/pr/1']);
  });

  it('drops the kept prompt when the endpoint changes (another organization or base URL)', async () => {
    await failedTask();
    tasks.onEndpointChanged();
    assert.equal(await nextBoxValue(), '');
  });

  it('a run of the organization set before (a generation follows it there) is neither shown nor polled in the new one', () => {
    const active = (id: number, organizationId: number): AgentRun => ({ id, organizationId, status: 'RUNNING', state: 'active', pullRequests: [] });
    listedOrg = 1001;
    tasks.adoptFollowed(active(7, 1), SIGN_IN);
    tasks.takeOver(active(7, 1), SIGN_IN);
    assert.equal(tasks.tree.getRun(7), undefined);
    assert.ok(!poller.isTracking(7), 'a poll in organization 1001 would find it gone');
    tasks.adoptFollowed(active(8, 1001), SIGN_IN);
    assert.equal(tasks.tree.getRun(8)?.organizationId, 1001);
    tasks.takeOver(active(9, 1001), SIGN_IN);
    assert.ok(poller.isTracking(9));
  });

  it('does not keep the prompt when the user cancelled the creation (it may have reached the server)', async () => {
    failNext = 1;
    failure = () => new CancellationError();
    fakeVscode.inputAnswers.push(PROMPT);
    await assert.rejects(tasks.newTask(), CancellationError);
    assert.equal(await nextBoxValue(), '');
  });

  it('without a token, says to sign in first (with Sign In) instead of asking for a prompt it could not send', async () => {
    hasToken = false;
    fakeVscode.inputAnswers.push(PROMPT);
    assert.equal(await tasks.newTask(), undefined);
    assert.deepEqual(fakeVscode.inputBoxes, []);
    assert.deepEqual(created, []);
    const message = fakeVscode.messages.at(-1);
    assert.match(message?.text ?? '', /sign in to Codegen first/);
    assert.deepEqual(message?.actions, ['Sign In']);
  });
});
