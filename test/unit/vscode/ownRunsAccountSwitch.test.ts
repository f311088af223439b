import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode } from '../fakes/fakeVscode';
import { endpointOf, type AgentRun, type CodegenClient, type Page, type SignIn } from '../../../src/core/api/codegenClient';
import { AuthenticationError } from '../../../src/core/errors';
import { OWN_RUNS_KEY } from '../../../src/core/tasks/ownRuns';
import type { RunPoller } from '../../../src/core/tasks/runPoller';
import { SIGN_IN_READ_WAIT_MS, type TaskController } from '../../../src/vscode/tasks';
import { memoryState, taskControllerOn } from './taskControllerHarness';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';
import type { OpenAiKeyStore } from '../../../src/core/auth/openAiKeyStore';
import { AgentTaskRunner } from '../../../src/core/generation/agentTaskRunner';
import type { GenerationServices } from '../../../src/core/generation/generationServices';
import type { ConfigService } from '../../../src/vscode/config';
import type { ContextService } from '../../../src/vscode/contextService';
import { GenerationController } from '../../../src/vscode/generation';
import type { ResultsPanel } from '../../../src/vscode/views/resultsPanel';
import type * as vscode from 'vscode';
import { FakeContextSource, generationSettings } from '../generation/builders';

/** A promise the test settles when it chooses: a request whose answer is still on its way. */
interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}
/** The sign-in (CodegenClient.signIn) of `token` at `baseUrl`, as the fake client gives it. */
const signInOf = (token: string, baseUrl = 'https://codegen.test'): SignIn => `${baseUrl} fingerprint-of-${token}` as SignIn;

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const activeRun = (id: number, organizationId = 1): AgentRun => ({ id, organizationId, status: 'ACTIVE', state: 'active', pullRequests: [] });
const completeRun = (id: number): AgentRun => ({ id, organizationId: 1, status: 'COMPLETE', state: 'complete', pullRequests: [], summary: 'Done' });

// A request that makes a run this window's (create, resume, stop) is sent as one account; its answer can come after the
// user signed in as another token, or signed out: the run is the account's it was sent as, not the one of the answer.
describe('A run created, resumed or stopped as one account, answered after the sign-in changed (TaskController, on a fake VS Code)', () => {
  /** The token signed in now (the fake client's CodegenClient.signIn reads it), undefined when signed out. */
  let token: string | undefined;
  /** The base URL the settings name (CodegenClient.signIn reads it too). */
  let baseUrl: string;
  /** The organization id the settings name (CodegenClient.isCurrentOrganization): not part of the sign-in. */
  let listedOrg: number;
  /** While set, CodegenClient.signIn waits for it (the token store read under way). */
  let signInGate: Promise<void> | undefined;
  /** The base URL the token was signed in to: at another, CodegenClient.signIn refuses it (TokenManager.tokenFor). */
  let tokenOrigin: string;
  let creation: Deferred<AgentRun>;
  let resumption: Deferred<AgentRun>;
  let stopping: Deferred<AgentRun>;
  let state: ReturnType<typeof memoryState>;
  let clock: FakeClock;
  let tasks: TaskController;
  let poller: RunPoller;
  let dispose: () => void;
  let shownBefore: number;
  let client: CodegenClient;
  let log: RecordingLogger;

  beforeEach(() => {
    fakeVscode.openWorkspace('/home/user/w');
    token = 'token-a';
    baseUrl = 'https://codegen.test';
    listedOrg = 1;
    signInGate = undefined;
    tokenOrigin = baseUrl;
    creation = deferred();
    resumption = deferred();
    stopping = deferred();
    state = memoryState();
    clock = new FakeClock();
    client = {
      createRun: (): Promise<AgentRun> => creation.promise,
      resumeRun: (): Promise<AgentRun> => resumption.promise,
      stopRun: (): Promise<AgentRun> => stopping.promise,
      getRun: (id: number): Promise<AgentRun> => Promise.resolve(activeRun(id)),
      listRuns: (): Promise<Page<AgentRun>> => Promise.resolve({ items: [], total: 0, page: 1, size: 25, pages: 0 }),
      isCurrentOrganization: (id: number): boolean => id === listedOrg,
      isCurrentEndpoint: (signIn: SignIn): boolean => endpointOf(signIn) === baseUrl,
      signIn: async (): Promise<string> => {
        // (The token is read as the call is made, then the store's answer may take a while.)
        const now = token;
        const at = baseUrl;
        await signInGate;
        if (now === undefined) throw new AuthenticationError('Not signed in to Codegen.');
        if (at !== tokenOrigin) throw new AuthenticationError('The token stored was signed in to another base URL.');
        return signInOf(now, at);
      },
    } as unknown as CodegenClient;
    log = new RecordingLogger();
    ({ tasks, poller, dispose } = taskControllerOn(client, clock, log, () => token !== undefined, state));
    // (As at activation: "signed out" until the stored token has been read, then signed in.)
    tasks.onAuthChanged('signedOut');
    tasks.onAuthChanged('signedIn');
    shownBefore = fakeVscode.messages.length;
  });
  afterEach(() => dispose());

  /**
   * New Agent Task answered (#42) while a sign-in of the same token reported meanwhile is still being read: the creation
   * is refused until that read is over. The read's gate, to end it.
   */
  async function createdWhileSignInRead(): Promise<Deferred<undefined>> {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    const gate = deferred<undefined>();
    signInGate = gate.promise;
    tasks.onAuthChanged('signedIn');
    creation.resolve(activeRun(42));
    await flushPromises();
    await clock.advance(SIGN_IN_READ_WAIT_MS);
    assert.equal((await task)?.id, 42);
    return gate;
  }

  /** A sign-in (as the token of now) whose read never ends, begun once what is under way has settled. */
  async function signInReadNeverEnds(): Promise<void> {
    await flushPromises();
    signInGate = new Promise(() => undefined);
    tasks.onAuthChanged('signedIn');
  }

  /** Signs in as `next` (another token, without signing out first) and lets the sign-in be read. */
  async function signInAs(next: string): Promise<void> {
    token = next;
    tasks.onAuthChanged('signedIn');
    await flushPromises();
  }
  /** Run ids kept in the workspace state (this window's runs, across a reload). */
  const keptIds = (): number[] => {
    const kept = state.values.get(OWN_RUNS_KEY);
    return Array.isArray(kept) ? kept.map((r: { id: number }) => r.id) : [];
  };
  const shown = (): string[] => fakeVscode.messages.slice(shownBefore).map((m) => m.text);

  /** Asserts that run `id` is not the window's: not followed, not kept, and not in the list as the new account's. */
  function assertNotOwn(id: number): void {
    assert.equal(poller.isFollowing(id), false, 'not followed as this account\'s run');
    assert.deepEqual(keptIds(), [], 'not kept for a reload');
    assert.equal(tasks.tree.getRun(id), undefined, 'not shown in the list as this account\'s');
  }

  it('a creation sent as account A, answered after a sign-in as token B: not B\'s run; nor A\'s again when A signs in again', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    await signInAs('token-b');
    creation.resolve(activeRun(42));
    const run = await task;
    await flushPromises();
    assert.equal(run?.id, 42, 'the task was created: the command says so');
    assertNotOwn(42);
    assert.ok(shown().some((t) => /agent task #42 was created as the account signed in before/.test(t)), JSON.stringify(shown()));
    assert.ok(!shown().some((t) => t.includes('#42 started')), 'not announced as started for this account');
    // (An account switch forgets the account before's runs: signing in as A again does not bring it back.)
    await signInAs('token-a');
    assertNotOwn(42);
  });

  it('a creation answered after a sign-out: not the run of whoever signs in next', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    token = undefined;
    tasks.onAuthChanged('signedOut');
    creation.resolve(activeRun(42));
    await task;
    await flushPromises();
    assertNotOwn(42);
    await signInAs('token-b');
    assertNotOwn(42);
  });

  it('a creation answered while the sign-in as another token is still being read: waits for it, then is not that account\'s', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    const gate = deferred<undefined>();
    signInGate = gate.promise;
    token = 'token-b';
    tasks.onAuthChanged('signedIn');
    creation.resolve(activeRun(42));
    await flushPromises();
    // (Not shown, followed nor announced while it is not known whose sign-in is the one of now.)
    assert.equal(tasks.tree.getRun(42), undefined, 'not shown before the sign-in is read');
    assert.ok(!shown().some((t) => t.includes('#42')), JSON.stringify(shown()));
    gate.resolve(undefined);
    assert.equal((await task)?.id, 42);
    await flushPromises();
    assertNotOwn(42);
    assert.ok(shown().some((t) => /agent task #42 was created as the account signed in before/.test(t)), JSON.stringify(shown()));
    assert.ok(!shown().some((t) => t.includes('#42 started')), 'not announced as started for this account');
  });

  it('a creation answered after the same token was signed in again: this window\'s run, as usual', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    await signInAs('token-a');
    creation.resolve(activeRun(42));
    await task;
    await flushPromises();
    assert.ok(poller.isFollowing(42));
    assert.deepEqual(keptIds(), [42]);
    assert.ok(shown().some((t) => t.includes('agent task #42 started')));
  });

  it('a resume sent as account A, answered after a sign-in as token B: not B\'s run', async () => {
    await flushPromises();
    const resumed = tasks.resume({ kind: 'run', run: completeRun(7) }, 'Also add tests');
    await flushPromises();
    await signInAs('token-b');
    resumption.resolve(activeRun(7));
    assert.equal((await resumed)?.id, 7);
    await flushPromises();
    assertNotOwn(7);
    assert.ok(shown().some((t) => /run #7 was resumed as the account signed in before/.test(t)), JSON.stringify(shown()));
  });

  for (const again of ['token-a', 'token-b']) {
    it(`a resume whose follow-up was typed while the user signed out and in again (as ${again}): sent as that sign-in, its run`, async () => {
      await flushPromises();
      // (The box stays open when focus moves, ignoreFocusOut: the sign-out and sign-in happen while it is.)
      fakeVscode.inputAnswers.push(() => {
        token = undefined;
        tasks.onAuthChanged('signedOut');
        token = again;
        tasks.onAuthChanged('signedIn');
        return 'Also add tests';
      });
      const resumed = tasks.resume({ kind: 'run', run: completeRun(7) });
      await flushPromises();
      resumption.resolve(activeRun(7));
      assert.equal((await resumed)?.id, 7);
      await flushPromises();
      assert.ok(poller.isFollowing(7), 'followed as this account\'s run');
      assert.deepEqual(keptIds(), [7]);
      assert.ok(tasks.tree.getRun(7));
      assert.ok(!shown().some((t) => /signed in before/.test(t)), JSON.stringify(shown()));
    });
  }

  it('a stop sent as account A that did not stop the run, answered after a sign-in as token B: not B\'s run', async () => {
    await flushPromises();
    const stopped = tasks.stop({ kind: 'run', run: activeRun(9) });
    await flushPromises();
    await signInAs('token-b');
    stopping.resolve(activeRun(9));
    assert.equal((await stopped)?.id, 9);
    await flushPromises();
    assertNotOwn(9);
    assert.ok(shown().some((t) => /the stop of run #9 was sent \(Codegen did not stop it: status active\) as the account signed in before/.test(t)), JSON.stringify(shown()));
  });

  it('a creation answered after the organization id changed (the same sign-in): says which organization the task is in, not "created as the account before"', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    listedOrg = 2;
    tasks.onEndpointChanged();
    creation.resolve(activeRun(42, 1));
    assert.equal((await task)?.id, 42);
    await flushPromises();
    assertNotOwn(42);
    assert.ok(shown().some((t) => /agent task #42 was created in organization 1; .*Set it back to 1 to see it there/.test(t)), JSON.stringify(shown()));
    assert.ok(!shown().some((t) => /signed in before/.test(t)), JSON.stringify(shown()));
  });

  // The account changed while the request was out and changed back: the sign-in and organization of now are the ones
  // the request was sent as, and the run just answered is this window's (the runs it owned before the change are still
  // forgotten, as at any sign-out or change of organization).
  const changesBack: { what: string; change: () => void }[] = [
    {
      what: 'the organization id set to another and back',
      change: () => {
        listedOrg = 2;
        tasks.onEndpointChanged();
        listedOrg = 1;
        tasks.onEndpointChanged();
      },
    },
    {
      what: 'a sign-out and a sign-in again with the same token',
      change: () => {
        token = undefined;
        tasks.onAuthChanged('signedOut');
        token = 'token-a';
        tasks.onAuthChanged('signedIn');
      },
    },
  ];
  for (const { what, change } of changesBack) {
    const sent: { what: string; send: () => Promise<AgentRun | undefined>; answer: () => void; says?: RegExp }[] = [
      { what: 'a creation', send: () => tasks.newTask('Add a greeting to the README'), answer: () => creation.resolve(activeRun(42)), says: /agent task #42 started/ },
      { what: 'a resume', send: () => tasks.resume({ kind: 'run', run: completeRun(42) }, 'Also add tests'), answer: () => resumption.resolve(activeRun(42)) },
      { what: 'a stop that did not stop the run', send: () => tasks.stop({ kind: 'run', run: activeRun(42) }), answer: () => stopping.resolve(activeRun(42)), says: /run #42/ },
    ];
    for (const request of sent) {
      it(`${request.what} answered after ${what}: this window's run, as usual`, async () => {
        await flushPromises();
        const answered = request.send();
        await flushPromises();
        change();
        await flushPromises();
        request.answer();
        assert.equal((await answered)?.id, 42);
        await flushPromises();
        assert.ok(poller.isFollowing(42), 'followed as this window\'s run');
        assert.deepEqual(keptIds(), [42]);
        assert.ok(tasks.tree.getRun(42), 'listed');
        assert.ok(!shown().some((t) => /signed in before|organization 1/.test(t)), JSON.stringify(shown()));
        // (A resume says nothing more when it goes well: the list shows the run running again.)
        if (request.says) assert.ok(shown().some((t) => request.says?.test(t)), JSON.stringify(shown()));
      });
    }
  }

  it('a creation answered after a sign-out and a sign-in whose read never ends: not followed, and not said to be the account before\'s', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    token = undefined;
    tasks.onAuthChanged('signedOut');
    token = 'token-a';
    await signInReadNeverEnds();
    creation.resolve(activeRun(42));
    await clock.advance(SIGN_IN_READ_WAIT_MS);
    assert.equal((await task)?.id, 42);
    await flushPromises();
    // (Whether the token of now is the one it was created as is not known: not taken as this account's.)
    assertNotOwn(42);
    assert.ok(shown().some((t) => /agent task #42 was created, but a sign-in was reported or the organization or base URL changed meanwhile, and the sign-in of now could not be read, so it is not followed in Agent Tasks for now: it is if the sign-in still being read turns out to be the one of before, in the same organization\./.test(t)), JSON.stringify(shown()));
    assert.ok(!shown().some((t) => /signed in before/.test(t)), JSON.stringify(shown()));
  });

  it('a creation answered after the organization id was set to another and back, the sign-in of now unread: says the organization may have changed', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    listedOrg = 2;
    tasks.onEndpointChanged();
    listedOrg = 1;
    // (The read of the sign-in the change back starts never ends.)
    signInGate = new Promise(() => undefined);
    tasks.onEndpointChanged();
    creation.resolve(activeRun(42));
    await clock.advance(SIGN_IN_READ_WAIT_MS);
    assert.equal((await task)?.id, 42);
    await flushPromises();
    assertNotOwn(42);
    assert.ok(shown().some((t) => /agent task #42 was created, but a sign-in was reported or the organization or base URL changed meanwhile/.test(t)), JSON.stringify(shown()));
  });

  it('a creation answered after a sign-out and a sign-in as token B (same base URL and organization id): not this window\'s run', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    token = undefined;
    tasks.onAuthChanged('signedOut');
    await signInAs('token-b');
    creation.resolve(activeRun(42));
    assert.equal((await task)?.id, 42);
    await flushPromises();
    assertNotOwn(42);
    assert.ok(shown().some((t) => /agent task #42 was created as the account signed in before/.test(t)), JSON.stringify(shown()));
    assert.ok(!shown().some((t) => t.includes('#42 started')), 'not announced as started for this account');
  });

  // Signed in as another token without a sign-out, the sign-in of now never read: its base URL is the one the request
  // was sent to, but the token may be another — the answer is not taken as this window's (a refresh shows it if it is).
  for (const again of ['token-b', 'token-a']) {
    it(`a creation answered after a sign-in as ${again} (no sign-out) whose read never ends: not this window's run, and said so`, async () => {
      await flushPromises();
      const task = tasks.newTask('Add a greeting to the README');
      await flushPromises();
      token = again;
      await signInReadNeverEnds();
      creation.resolve(activeRun(42));
      await flushPromises();
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      assert.equal((await task)?.id, 42);
      await flushPromises();
      assertNotOwn(42);
      assert.ok(!shown().some((t) => t.includes('#42 started')), JSON.stringify(shown()));
      assert.ok(shown().some((t) => /agent task #42 was created, but a sign-in was reported or the organization or base URL changed meanwhile, and the sign-in of now could not be read/.test(t)), JSON.stringify(shown()));
    });
  }

  // The same for a resume and a stop: each is sent with the sign-in read in the same turn as its request.
  const resumeAndStop: { what: string; send: () => Promise<AgentRun | undefined>; answer: () => void; says: RegExp }[] = [
    {
      what: 'a resume',
      send: () => tasks.resume({ kind: 'run', run: completeRun(42) }, 'Also add tests'),
      answer: () => resumption.resolve(activeRun(42)),
      says: /run #42 was resumed, but a sign-in was reported or the organization or base URL changed meanwhile, and the sign-in of now could not be read/,
    },
    {
      what: 'a stop that did not stop the run',
      send: () => tasks.stop({ kind: 'run', run: activeRun(42) }),
      answer: () => stopping.resolve(activeRun(42)),
      says: /the stop of run #42 was sent \(Codegen did not stop it: status active\), but a sign-in was reported or the organization or base URL changed meanwhile, and the sign-in of now could not be read/,
    },
  ];
  for (const request of resumeAndStop) {
    for (const again of ['token-b', 'token-a']) {
      it(`${request.what} answered after a sign-in as ${again} (no sign-out) whose read never ends: not this window's run, and said so`, async () => {
        await flushPromises();
        const answered = request.send();
        await flushPromises();
        token = again;
        await signInReadNeverEnds();
        request.answer();
        await flushPromises();
        await clock.advance(SIGN_IN_READ_WAIT_MS);
        assert.equal((await answered)?.id, 42);
        await flushPromises();
        assertNotOwn(42);
        assert.ok(shown().some((t) => request.says.test(t)), JSON.stringify(shown()));
      });
    }
  }

  // Said to be not followed as the sign-in of now could not be read in time (a locked keyring), the run is followed once
  // it is read, when it is the sign-in the request was sent as.
  const answeredUnread: { what: string; send: () => Promise<AgentRun | undefined>; answer: () => void; afterAll: RegExp }[] = [
    { what: 'a creation', send: () => tasks.newTask('Add a greeting to the README'), answer: () => creation.resolve(activeRun(42)), afterAll: /agent task #42 was created; the sign-in, read now, is the one it was sent as, so it is in Agent Tasks after all/ },
    { what: 'a resume', send: () => tasks.resume({ kind: 'run', run: completeRun(42) }, 'Also add tests'), answer: () => resumption.resolve(activeRun(42)), afterAll: /run #42 was resumed; the sign-in, read now, is the one it was sent as/ },
    {
      what: 'a stop that did not stop the run',
      send: () => tasks.stop({ kind: 'run', run: activeRun(42) }),
      answer: () => stopping.resolve(activeRun(42)),
      afterAll: /the stop of run #42 was sent \(Codegen did not stop it: status active\); the sign-in, read now, is the one it was sent as/,
    },
  ];
  for (const request of answeredUnread) {
    it(`${request.what} answered after the same token's sign-in whose read takes longer than the wait: this window's run once it is read, and said so`, async () => {
      await flushPromises();
      const answered = request.send();
      await flushPromises();
      const gate = deferred<undefined>();
      signInGate = gate.promise;
      tasks.onAuthChanged('signedIn');
      request.answer();
      await flushPromises();
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      assert.equal((await answered)?.id, 42);
      await flushPromises();
      assertNotOwn(42);
      assert.ok(shown().some((t) => /the sign-in of now could not be read/.test(t)), JSON.stringify(shown()));
      gate.resolve(undefined);
      await flushPromises();
      assert.ok(poller.isFollowing(42), 'followed as this window\'s run');
      assert.deepEqual(keptIds(), [42], 'kept for a reload');
      assert.ok(tasks.tree.getRun(42), 'listed');
      assert.ok(shown().some((t) => request.afterAll.test(t)), JSON.stringify(shown()));
    });
  }

  /** A sign-in (as the token of now) whose read fails once it is let go (the token store refusing), begun now. */
  function signInReadFailsWhenLetGo(): () => Promise<void> {
    let fail: (err: Error) => void = () => undefined;
    signInGate = new Promise<void>((_resolve, reject) => (fail = reject));
    // (Not an unhandled rejection before the read awaits it.)
    signInGate.catch(() => undefined);
    tasks.onAuthChanged('signedIn');
    return async () => {
      fail(new Error('The keyring is locked.'));
      await flushPromises();
      signInGate = undefined;
    };
  }
  const stoppedRun = (id: number): AgentRun => ({ ...activeRun(id), status: 'STOPPED', state: 'failed' });

  // Refused until the sign-in is read, a run is not followed again with that old state once the user stopped it since
  // (or resumed it, or the list shows it ended), nor once the read failed: the promise is that read's, no later one's.
  it('a creation refused as the same token\'s sign-in read failed, then stopped: not in Agent Tasks "after all" at the next sign-in, nor followed again', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    const failRead = signInReadFailsWhenLetGo();
    await failRead();
    creation.resolve(activeRun(42));
    assert.equal((await task)?.id, 42);
    await flushPromises();
    assertNotOwn(42);
    const stop = tasks.stop(42);
    stopping.resolve(stoppedRun(42));
    await stop;
    await flushPromises();
    assert.ok(shown().some((t) => /run #42 stopped/.test(t)), JSON.stringify(shown()));
    assert.equal(tasks.tree.getRun(42)?.status, 'STOPPED');
    // (As the server has it now: the sign-in's list load shows it so.)
    client.listRuns = (): Promise<Page<AgentRun>> => Promise.resolve({ items: [stoppedRun(42)], total: 1, page: 1, size: 25, pages: 1 });
    tasks.onAuthChanged('signedIn');
    await flushPromises();
    assert.ok(!shown().some((t) => /after all/.test(t)), JSON.stringify(shown()));
    assert.equal(tasks.tree.getRun(42)?.status, 'STOPPED');
    assert.equal(poller.isFollowing(42), false);
    assert.deepEqual(keptIds(), []);
    const said = shown().find((t) => /agent task #42 was created, but/.test(t)) ?? '';
    assert.match(said, /could not be read, so it is not followed in Agent Tasks\.$/, 'no promise a failed read cannot keep');
  });

  it('a creation refused while the same token\'s sign-in is read, then resumed: followed as the resume\'s, not taken back "after all" with the state from before', async () => {
    const gate = await createdWhileSignInRead();
    await flushPromises();
    assert.ok(shown().some((t) => /agent task #42 was created, but .* for now: it is if the sign-in still being read turns out to be the one of before/.test(t)), JSON.stringify(shown()));
    const resumed: AgentRun = { ...activeRun(42), summary: 'Resumed with tests' };
    // (The resume's own read of the token answers; the sign-in's read above is still under way.)
    signInGate = undefined;
    const resume = tasks.resume(42, 'Also add tests');
    resumption.resolve(resumed);
    await resume;
    await flushPromises();
    assert.equal(tasks.tree.getRun(42), resumed);
    gate.resolve(undefined);
    await flushPromises();
    assert.ok(!shown().some((t) => /after all/.test(t)), JSON.stringify(shown()));
    assert.equal(tasks.tree.getRun(42), resumed, 'the resume\'s state, not the creation\'s');
    assert.ok(poller.isFollowing(42));
  });

  it('a creation refused while the same token\'s sign-in is read, listed ended since: left as the list has it once the read is over', async () => {
    const gate = await createdWhileSignInRead();
    await flushPromises();
    client.listRuns = (): Promise<Page<AgentRun>> => Promise.resolve({ items: [completeRun(42)], total: 1, page: 1, size: 25, pages: 1 });
    await tasks.refresh();
    assert.equal(tasks.tree.getRun(42)?.status, 'COMPLETE');
    gate.resolve(undefined);
    await flushPromises();
    assert.ok(!shown().some((t) => /after all/.test(t)), JSON.stringify(shown()));
    assert.equal(tasks.tree.getRun(42)?.status, 'COMPLETE', 'not put back as active');
    assert.equal(poller.isFollowing(42), false);
    assert.deepEqual(keptIds(), []);
  });

  it('a creation refused while the same token\'s sign-in is read, that read failing: not followed at a later sign-in as the same token', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    await flushPromises();
    const failRead = signInReadFailsWhenLetGo();
    creation.resolve(activeRun(42));
    await flushPromises();
    await clock.advance(SIGN_IN_READ_WAIT_MS);
    assert.equal((await task)?.id, 42);
    await failRead();
    tasks.onAuthChanged('signedIn');
    await flushPromises();
    assert.ok(!shown().some((t) => /after all/.test(t)), JSON.stringify(shown()));
    assertNotOwn(42);
    assert.match(log.text('info'), /the sign-in could not be read: run #42, said to be not in Agent Tasks until it is, is not followed/);
  });

  it('a creation followed "after all" once the sign-in is read: onDidChangeTask tells it, as for any creation', async () => {
    const changed: AgentRun[] = [];
    tasks.onDidChangeTask((run) => changed.push(run));
    const gate = await createdWhileSignInRead();
    await flushPromises();
    assert.equal(changed.length, 0, 'not before the read');
    gate.resolve(undefined);
    await flushPromises();
    assert.deepEqual(changed.map((r) => r.id), [42]);
  });

  // A run this window follows (polled, kept, its end to be told), resumed or stopped: its answer after a sign-in whose
  // read never ends leaves it this window's — the sign-in was not read, nothing forgot it.
  const ofOwnRun: { what: string; send: () => Promise<AgentRun | undefined>; answer: () => void; says?: RegExp; followed: boolean }[] = [
    { what: 'a resume', send: () => tasks.resume({ kind: 'run', run: activeRun(42) }, 'Also add tests'), answer: () => resumption.resolve(activeRun(42)), followed: true },
    { what: 'a stop that did not stop it', send: () => tasks.stop({ kind: 'run', run: activeRun(42) }), answer: () => stopping.resolve(activeRun(42)), says: /Codegen did not stop run #42/, followed: true },
    { what: 'a stop that stopped it', send: () => tasks.stop({ kind: 'run', run: activeRun(42) }), answer: () => stopping.resolve({ ...activeRun(42), status: 'STOPPED', state: 'failed' }), says: /run #42 stopped\./, followed: false },
  ];
  for (const request of ofOwnRun) {
    it(`${request.what}, of a run this window follows, answered after the same token's sign-in whose read never ends: still this window's, and what it did is told`, async () => {
      await flushPromises();
      tasks.takeOver(activeRun(42), signInOf('token-a'));
      await flushPromises();
      assert.deepEqual(keptIds(), [42], 'this window\'s run');
      const answered = request.send();
      await flushPromises();
      await signInReadNeverEnds();
      request.answer();
      await flushPromises();
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      assert.equal((await answered)?.id, 42);
      await flushPromises();
      assert.ok(!shown().some((t) => /could not be read/.test(t)), JSON.stringify(shown()));
      assert.ok(tasks.tree.getRun(42), 'listed');
      assert.equal(poller.isFollowing(42), request.followed);
      assert.deepEqual(keptIds(), request.followed ? [42] : []);
      if (request.says) assert.ok(shown().some((t) => request.says?.test(t)), JSON.stringify(shown()));
    });
  }

  // A run a generation or runAgentTask followed and hands over before it ended (its follow ended first: an error other
  // than a sign-in change, lost contact, or a cancel whose stop did not end the run: TaskController.takeOver) is polled as this window's only while the sign-in it
  // was created as is the one of now, as adoptFollowed shows one.
  it('a run created as account A, handed over after a sign-in as token B (or a sign-out): not followed as the account of now\'s', async () => {
    await flushPromises();
    await signInAs('token-b');
    tasks.takeOver(activeRun(42), signInOf('token-a'));
    await flushPromises();
    assertNotOwn(42);
    // (Its own sign-in's run is taken over.)
    tasks.takeOver(activeRun(43), signInOf('token-b'));
    await flushPromises();
    assert.ok(poller.isFollowing(43), 'B\'s run handed over is followed as B\'s');
    assert.deepEqual(keptIds(), [43]);
    token = undefined;
    tasks.onAuthChanged('signedOut');
    tasks.takeOver(activeRun(44), signInOf('token-b'));
    await flushPromises();
    assert.equal(poller.isTracking(44), false, 'signed out: not polled');
    assert.equal(tasks.tree.getRun(44), undefined, 'nor listed for whoever signs in next');
  });

  it('a run created as account A, handed over while the sign-in as token B is still being read: waits for it, then is not followed', async () => {
    await flushPromises();
    const gate = deferred<undefined>();
    signInGate = gate.promise;
    token = 'token-b';
    tasks.onAuthChanged('signedIn');
    tasks.takeOver(activeRun(42), signInOf('token-a'));
    tasks.takeOver(activeRun(43), signInOf('token-b'));
    await flushPromises();
    assert.equal(poller.isTracking(42), false, 'not polled before the sign-in is read');
    gate.resolve(undefined);
    await flushPromises();
    assert.equal(poller.isTracking(42), false, 'A\'s run is not polled as B\'s');
    assert.equal(tasks.tree.getRun(42), undefined, 'nor listed');
    assert.ok(poller.isFollowing(43), 'B\'s run, held as well, is followed once the read is over');
    assert.deepEqual(keptIds(), [43]);
  });

  it('a run handed over while the sign-in is being read, then seen again (a newer state): polled once the read is over, the newer state shown', async () => {
    await flushPromises();
    const gate = deferred<undefined>();
    signInGate = gate.promise;
    tasks.onAuthChanged('signedIn');
    tasks.takeOver(activeRun(42), signInOf('token-a'));
    tasks.adoptFollowed({ ...activeRun(42), summary: 'Newer' }, signInOf('token-a'));
    await flushPromises();
    gate.resolve(undefined);
    await flushPromises();
    // (As when nothing is held: taken over, then a state seen after only shows it.)
    assert.ok(poller.isFollowing(42), 'still taken over');
    assert.deepEqual(keptIds(), [42]);
    assert.equal(tasks.tree.getRun(42)?.summary, 'Newer');
  });

  it('a run handed over after Agent Tasks was disposed (the window closing): neither polled nor kept, and the log says why', async () => {
    await flushPromises();
    tasks.dispose();
    tasks.takeOver(activeRun(42), signInOf('token-a'));
    await flushPromises();
    assert.equal(poller.isTracking(42), false);
    assert.deepEqual(keptIds(), []);
    assert.match(log.text('debug'), /run #42 was handed over after Agent Tasks was closed/);
  });

  // A run runAgentTask or a generation created (followed there, TaskController.adoptFollowed) is shown in the list only
  // while the sign-in it was created as is the one of now.
  it('a run runAgentTask created as account A, seen after a sign-in as token B: not shown in B\'s list', async () => {
    await flushPromises();
    tasks.adoptFollowed(activeRun(41), signInOf('token-a'));
    assert.ok(tasks.tree.getRun(41), 'shown while A is signed in');
    await signInAs('token-b');
    tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
    await flushPromises();
    assert.equal(tasks.tree.getRun(42), undefined);
    assert.equal(poller.isFollowing(42), false);
  });

  it('a run runAgentTask created as account A, seen while the sign-in as token B is still being read: not shown once it is read', async () => {
    await flushPromises();
    const gate = deferred<undefined>();
    signInGate = gate.promise;
    token = 'token-b';
    tasks.onAuthChanged('signedIn');
    // (B's list is loaded; its sign-in is still being read.)
    await flushPromises();
    tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
    await flushPromises();
    gate.resolve(undefined);
    await flushPromises();
    assert.equal(tasks.tree.getRun(42), undefined);
    // (Its own sign-in's run, seen then, is shown.)
    tasks.adoptFollowed(activeRun(43), signInOf('token-b'));
    assert.ok(tasks.tree.getRun(43));
  });

  it('a run runAgentTask created before a sign-out or a change of base URL: not shown in the list of after', async () => {
    await flushPromises();
    baseUrl = 'https://other.codegen.test';
    // (A token sent to any base URL: CODEGEN_API_TOKEN.)
    tokenOrigin = baseUrl;
    tasks.onEndpointChanged();
    await flushPromises();
    tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
    await flushPromises();
    assert.equal(tasks.tree.getRun(42), undefined, 'created at the base URL before');
    tasks.adoptFollowed(activeRun(43), signInOf('token-a', baseUrl));
    assert.ok(tasks.tree.getRun(43), 'created at the base URL of now');
    token = undefined;
    tasks.onAuthChanged('signedOut');
    tasks.adoptFollowed(activeRun(44), signInOf('token-a', baseUrl));
    await flushPromises();
    assert.equal(tasks.tree.getRun(44), undefined, 'signed out');
  });

  it('a run runAgentTask created at the base URL before, seen after a change of base URL whose sign-in cannot be read: not shown', async () => {
    await flushPromises();
    // (The token stored was signed in to the base URL before: it is not sent to the new one, the sign-in read fails.)
    baseUrl = 'https://other.codegen.test';
    tasks.onEndpointChanged();
    await flushPromises();
    tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
    await flushPromises();
    assert.equal(tasks.tree.getRun(42), undefined, 'created at the base URL before');
    // (The sign-in of now is not known: a run of the base URL of now is shown, as before.)
    tasks.adoptFollowed(activeRun(43), signInOf('token-a', baseUrl));
    assert.ok(tasks.tree.getRun(43), 'created at the base URL of now');
  });

  it('states of a run runAgentTask follows, seen while two sign-in reads overlap: the list ends with the newest', async () => {
    await flushPromises();
    const first = deferred<undefined>();
    signInGate = first.promise;
    tasks.onAuthChanged('signedIn');
    tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
    // (Signed in again, here or in another window, while the first read is under way.)
    const second = deferred<undefined>();
    signInGate = second.promise;
    tasks.onAuthChanged('signedIn');
    tasks.adoptFollowed(completeRun(42), signInOf('token-a'));
    first.resolve(undefined);
    await flushPromises();
    second.resolve(undefined);
    await flushPromises();
    assert.equal(tasks.tree.getRun(42)?.status, 'COMPLETE');
  });

  // A sign-in read that never ends (a token store that does not answer) holds a request's answer a few seconds only.
  const requests: { what: string; send: () => Promise<AgentRun | undefined>; answer: (id: number) => void }[] = [
    { what: 'a creation', send: () => tasks.newTask('Add a greeting to the README'), answer: (id) => creation.resolve(activeRun(id)) },
    { what: 'a resume', send: () => tasks.resume({ kind: 'run', run: completeRun(42) }, 'Also add tests'), answer: (id) => resumption.resolve(activeRun(id)) },
    { what: 'a stop', send: () => tasks.stop({ kind: 'run', run: activeRun(42) }), answer: (id) => stopping.resolve(activeRun(id)) },
  ];
  /** A sign-in whose read never ends (signInReadNeverEnds), a request's own read of the token answered all the same. */
  async function sidebarSignInReadNeverEnds(): Promise<void> {
    await signInReadNeverEnds();
    signInGate = undefined;
  }

  for (const request of requests) {
    it(`${request.what} sent while a sign-in read never ends, answered: done after a few seconds, as the sign-in of now's`, async () => {
      await flushPromises();
      const answered: { run?: AgentRun | undefined } = {};
      // (Sent once the read started: the account is as it was when it was sent, whose token the request read.)
      await sidebarSignInReadNeverEnds();
      void request.send().then((run) => (answered.run = run));
      await flushPromises();
      request.answer(42);
      await flushPromises();
      assert.ok(!('run' in answered), 'waits for the sign-in read a while');
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      await flushPromises();
      assert.equal(answered.run?.id, 42, 'done once the wait is over');
      assert.ok(poller.isFollowing(42), 'followed as this window\'s run (the sign-in of now is not known)');
      assert.ok(!shown().some((t) => /signed in before/.test(t)), JSON.stringify(shown()));
    });
  }

  it('a run runAgentTask created, seen while a sign-in read never ends: shown after a few seconds', async () => {
    await signInReadNeverEnds();
    tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
    await flushPromises();
    assert.equal(tasks.tree.getRun(42), undefined, 'waits for the sign-in read a while');
    await clock.advance(SIGN_IN_READ_WAIT_MS);
    await flushPromises();
    assert.ok(tasks.tree.getRun(42));
  });

  it('states of a run runAgentTask follows, seen while a sign-in read never ends: once waited for, each is shown as it comes', async () => {
    await signInReadNeverEnds();
    tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
    await clock.advance(SIGN_IN_READ_WAIT_MS);
    await flushPromises();
    assert.equal(tasks.tree.getRun(42)?.status, 'ACTIVE', 'shown once waited for');
    // (The read is still under way: it was waited for, and is not again.)
    tasks.adoptFollowed(completeRun(42), signInOf('token-a'));
    await flushPromises();
    assert.equal(tasks.tree.getRun(42)?.status, 'COMPLETE', 'a later state shown at once');
    assert.equal(clock.pending(), 0, 'no second wait');
  });

  for (const request of requests) {
    it(`${request.what} answered after a sign-in read that never ends was waited for: done at once, until another read starts`, async () => {
      await flushPromises();
      const answered: { run?: AgentRun | undefined } = {};
      await sidebarSignInReadNeverEnds();
      void request.send().then((run) => (answered.run = run));
      // (Something waited for the read: a state of a run runAgentTask follows.)
      tasks.adoptFollowed(activeRun(41), signInOf('token-a'));
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      await flushPromises();
      request.answer(42);
      await flushPromises();
      assert.equal(answered.run?.id, 42, 'not waited for again');
      assert.ok(poller.isFollowing(42), 'this window\'s run (the sign-in of now is not known)');
      // (Signed in again: that read, which never ends either, is waited for.)
      signInGate = new Promise(() => undefined);
      tasks.onAuthChanged('signedIn');
      tasks.adoptFollowed(activeRun(43), signInOf('token-a'));
      await flushPromises();
      assert.equal(tasks.tree.getRun(43), undefined, 'another read is waited for');
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      await flushPromises();
      assert.ok(tasks.tree.getRun(43));
    });
  }

  it('disposed while a state of a run runAgentTask follows waits for a sign-in read that never ends: no timer left, nothing shown', async () => {
    await signInReadNeverEnds();
    tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
    await flushPromises();
    dispose();
    assert.equal(clock.pending(), 0, 'the wait\'s timer is gone with the controller');
    await clock.advance(SIGN_IN_READ_WAIT_MS);
    await flushPromises();
    assert.equal(tasks.tree.getRun(42), undefined, 'not shown by the disposed controller');
  });

  for (const request of requests) {
    it(`${request.what} answered while a sign-in read never ends, then disposed: done at once, no timer left, nothing shown nor followed`, async () => {
      await flushPromises();
      const answered: { run?: AgentRun | undefined } = {};
      void request.send().then((run) => (answered.run = run));
      await signInReadNeverEnds();
      request.answer(42);
      await flushPromises();
      const shownAtAnswer = shown().length;
      dispose();
      assert.equal(clock.pending(), 0, 'the wait\'s timer is gone with the controller');
      await flushPromises();
      assert.equal(answered.run?.id, 42, 'its caller is not held');
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      await flushPromises();
      assert.deepEqual(shown().slice(shownAtAnswer), [], 'no message after dispose');
      assert.equal(tasks.tree.getRun(42), undefined, 'not listed');
      assert.equal(poller.isFollowing(42), false, 'not followed');
      assert.deepEqual(keptIds(), [], 'not kept for a reload');
    });
  }

  it('a creation sent as account A, answered as the wait for a read that never ends times out, a read as token B started just before: waits for B\'s read, not A\'s run', async () => {
    await flushPromises();
    const task = tasks.newTask('Add a greeting to the README');
    // (A's read never ends; a state of a run runAgentTask follows starts the wait for it.)
    await signInReadNeverEnds();
    tasks.adoptFollowed(activeRun(41), signInOf('token-a'));
    await clock.advance(SIGN_IN_READ_WAIT_MS - 100);
    // (Signed in as B a moment before the wait for A's read is over; B's read answers later.)
    const second = deferred<undefined>();
    signInGate = second.promise;
    token = 'token-b';
    tasks.onAuthChanged('signedIn');
    await clock.advance(100);
    creation.resolve(activeRun(42));
    await flushPromises();
    assert.equal(tasks.tree.getRun(42), undefined, 'B\'s read, just started, is waited for');
    assert.ok(!shown().some((t) => t.includes('#42')), JSON.stringify(shown()));
    second.resolve(undefined);
    assert.equal((await task)?.id, 42);
    await flushPromises();
    assertNotOwn(42);
    assert.ok(shown().some((t) => /agent task #42 was created as the account signed in before/.test(t)), JSON.stringify(shown()));
    assert.ok(!shown().some((t) => t.includes('#42 started')), 'not announced as started for this account');
    assert.equal(tasks.tree.getRun(41), undefined, 'A\'s run runAgentTask follows is not shown in B\'s list either');
    assert.equal(clock.pending(), 0, 'no timer left');
  });

  it('a read that never ends, started as the wait before was over, is waited for its own few seconds', async () => {
    await signInReadNeverEnds();
    tasks.adoptFollowed(activeRun(41), signInOf('token-a'));
    await clock.advance(SIGN_IN_READ_WAIT_MS - 100);
    tasks.onAuthChanged('signedIn');
    await clock.advance(100);
    assert.equal(tasks.tree.getRun(41), undefined, 'the second read is waited for');
    await clock.advance(SIGN_IN_READ_WAIT_MS - 200);
    assert.equal(tasks.tree.getRun(41), undefined, 'its own few seconds');
    await clock.advance(100);
    assert.ok(tasks.tree.getRun(41), 'shown once the second read was waited for that long');
    assert.equal(clock.pending(), 0, 'no timer left');
  });

  // The wait for a read ends a few turns before what waited for it goes on: a read started in between is waited for too.
  for (let turns = 0; turns <= 12; turns++) {
    it(`a run runAgentTask created as account A, seen as a sign-in as token B is read ${turns} turns after the read before ended: not shown once it is read`, async () => {
      await flushPromises();
      const first = deferred<undefined>();
      signInGate = first.promise;
      tasks.onAuthChanged('signedIn');
      tasks.adoptFollowed(activeRun(41), signInOf('token-a'));
      first.resolve(undefined);
      for (let i = 0; i < turns; i++) await Promise.resolve();
      const second = deferred<undefined>();
      signInGate = second.promise;
      token = 'token-b';
      tasks.onAuthChanged('signedIn');
      tasks.adoptFollowed(activeRun(50), signInOf('token-a'));
      await flushPromises();
      assert.equal(tasks.tree.getRun(50), undefined, 'B\'s read is waited for');
      second.resolve(undefined);
      await flushPromises();
      assert.equal(tasks.tree.getRun(50), undefined, 'A\'s run, not shown in B\'s list');
    });
  }

  // "Run Agent Task with Context" creates its run through runAgentTask (followed there; the list shows it through
  // adoptFollowed): its message says what the list shows — a run created as the account before is not "started" there.
  describe('Run Agent Task with Context (a real AgentTaskRunner and GenerationController, wired as the extension does)', () => {
    let runner: AgentTaskRunner;
    let controller: GenerationController;
    /** Called as the context is ranked, before the creation is sent. */
    let duringRanking: (() => void) | undefined;

    beforeEach(() => {
      duringRanking = undefined;
      const ranked = new FakeContextSource();
      const rank = ranked.getRelevantContext.bind(ranked);
      ranked.getRelevantContext = (q) => {
        duringRanking?.();
        return rank(q);
      };
      runner = new AgentTaskRunner({ client, context: ranked, settings: () => generationSettings(), clock, logger: new RecordingLogger() });
      runner.onDidSeeFollowedRun(({ run, signIn }) => tasks.adoptFollowed(run, signIn));
      const panel = { onDidRequestAction: () => ({ dispose: () => undefined }) } as unknown as ResultsPanel;
      const context = { relativePath: () => undefined, editorHints: () => ({ openFiles: [], recentFiles: [] }) } as unknown as ContextService;
      const memento = { get: <T>(_key: string, fallback: T): T => fallback } as unknown as vscode.Memento;
      controller = new GenerationController({ agentTasks: runner } as unknown as GenerationServices, panel, context, {} as ConfigService, memento, {} as OpenAiKeyStore, new RecordingLogger(), tasks);
    });
    afterEach(() => {
      controller.dispose();
      runner.dispose();
    });

    /** The command, its prompt typed; the run is created when the test resolves `creation`. */
    function runWithContext(): Promise<void> {
      fakeVscode.inputAnswers.push('Add a greeting to the README');
      return controller.runAgentTaskWithContext();
    }
    const startedMessages = (id: number): string[] => shown().filter((t) => t.includes(`agent task #${id} started`));

    it('created as account A, answered after a sign-in as token B: says it was created as the account before, not "started" with a link to a list without it', async () => {
      await flushPromises();
      const command = runWithContext();
      await flushPromises();
      await signInAs('token-b');
      creation.resolve(activeRun(42));
      await command;
      await flushPromises();
      assert.equal(tasks.tree.getRun(42), undefined, 'not in B\'s list');
      assert.deepEqual(startedMessages(42), [], JSON.stringify(shown()));
      assert.ok(shown().some((t) => /agent task #42 was created with 1 context items as the account signed in before/.test(t)), JSON.stringify(shown()));
      const said = fakeVscode.messages.slice(shownBefore).find((m) => m.text.includes('#42'));
      assert.deepEqual(said?.actions, [], 'no Show Tasks: the list does not show it');
    });

    it('answered after a sign-out: says it was created as the account before', async () => {
      await flushPromises();
      const command = runWithContext();
      await flushPromises();
      token = undefined;
      tasks.onAuthChanged('signedOut');
      creation.resolve(activeRun(42));
      await command;
      await flushPromises();
      assert.equal(tasks.tree.getRun(42), undefined);
      assert.deepEqual(startedMessages(42), [], JSON.stringify(shown()));
      assert.ok(shown().some((t) => /agent task #42 was created with 1 context items as the account signed in before/.test(t)), JSON.stringify(shown()));
    });

    it('created as account A, answered after a sign-in as token B (no sign-out) whose read never ends: not "started", says the sign-in of now could not be read', async () => {
      await flushPromises();
      const command = runWithContext();
      await flushPromises();
      token = 'token-b';
      signInGate = new Promise(() => undefined);
      tasks.onAuthChanged('signedIn');
      creation.resolve(activeRun(42));
      await flushPromises();
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      await command;
      await flushPromises();
      assert.deepEqual(startedMessages(42), [], JSON.stringify(shown()));
      const said = fakeVscode.messages.slice(shownBefore).find((m) => m.text.includes('#42'));
      assert.match(said?.text ?? '', /agent task #42 was created with 1 context items, but a sign-in was reported or the organization or base URL changed meanwhile, and the sign-in of now could not be read/);
      assert.deepEqual(said?.actions, [], 'no Show Tasks');
      // (As the message says: the list leaves it out, the states the runner follows and a hand-over too, until a sign-in
      // is read.)
      assert.equal(tasks.tree.getRun(42), undefined, 'not in the list, as said');
      tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
      tasks.takeOver(activeRun(42), signInOf('token-a'));
      await flushPromises();
      assert.equal(tasks.tree.getRun(42), undefined, 'a later state is not shown either');
      assert.equal(poller.isTracking(42), false, 'nor is it taken over');
      // (Signed in again as A, read: A's run is shown as the runner sees it.)
      signInGate = undefined;
      token = 'token-a';
      tasks.onAuthChanged('signedIn');
      await flushPromises();
      tasks.adoptFollowed(activeRun(42), signInOf('token-a'));
      await flushPromises();
      assert.ok(tasks.tree.getRun(42), 'A\'s run, the sign-in of A read: shown');
    });

    it('created as account A, handed over while a sign-in as token B (no sign-out) whose read never ends is waited for: not followed nor kept once said not to be; taken over once A is read', async () => {
      await flushPromises();
      const command = runWithContext();
      await flushPromises();
      token = 'token-b';
      signInGate = new Promise(() => undefined);
      tasks.onAuthChanged('signedIn');
      creation.resolve(activeRun(42));
      await flushPromises();
      // (Handed over before the creation's answer is told: held with the runner's first state until the read is given up.)
      tasks.takeOver(activeRun(42), signInOf('token-a'));
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      await command;
      await flushPromises();
      assert.match(shown().find((t) => t.includes('#42')) ?? '', /the sign-in of now could not be read/);
      assert.equal(poller.isTracking(42), false, 'not polled, as said');
      assert.deepEqual(keptIds(), [], 'not kept, its end not told');
      assert.equal(tasks.tree.getRun(42), undefined);
      // (A's sign-in read: A's run, handed over, is polled as this window's.)
      signInGate = undefined;
      token = 'token-a';
      tasks.onAuthChanged('signedIn');
      await flushPromises();
      assert.ok(poller.isFollowing(42), 'taken over once the sign-in it was created as is read');
      assert.deepEqual(keptIds(), [42]);
      assert.ok(shown().some((t) => /agent task #42 was created with 1 context items; .*in Agent Tasks after all/.test(t)), JSON.stringify(shown()));
    });

    it('answered while the sign-in as token B is still being read: says nothing until it is read, then that it was created as the account before', async () => {
      await flushPromises();
      const command = runWithContext();
      await flushPromises();
      const gate = deferred<undefined>();
      signInGate = gate.promise;
      token = 'token-b';
      tasks.onAuthChanged('signedIn');
      creation.resolve(activeRun(42));
      await flushPromises();
      assert.deepEqual(shown().filter((t) => t.includes('#42')), [], 'nothing said while the sign-in of now is not known');
      gate.resolve(undefined);
      await command;
      await flushPromises();
      assert.equal(tasks.tree.getRun(42), undefined);
      assert.deepEqual(startedMessages(42), [], JSON.stringify(shown()));
      assert.ok(shown().some((t) => /agent task #42 was created with 1 context items as the account signed in before/.test(t)), JSON.stringify(shown()));
    });

    it('created as the same sign-in, answered after the organization id changed: says which organization it is in, not "started"', async () => {
      await flushPromises();
      const command = runWithContext();
      await flushPromises();
      listedOrg = 2;
      tasks.onEndpointChanged();
      creation.resolve(activeRun(42, 1));
      await command;
      await flushPromises();
      assert.equal(tasks.tree.getRun(42), undefined, 'not in the list of organization 2');
      assert.deepEqual(startedMessages(42), [], JSON.stringify(shown()));
      const said = fakeVscode.messages.slice(shownBefore).find((m) => m.text.includes('#42'));
      assert.match(said?.text ?? '', /agent task #42 was created with 1 context items in organization 1; .*Set it back to 1 to see it there/);
      assert.deepEqual(said?.actions, [], 'no Show Tasks: the list does not show it');
      // (Changed before the creation was sent: the run is the new organization's, listed and started there.)
      creation = deferred();
      const next = runWithContext();
      await flushPromises();
      creation.resolve(activeRun(43, 2));
      await next;
      await flushPromises();
      assert.ok(tasks.tree.getRun(43));
      assert.deepEqual(startedMessages(43), ['Contexten: agent task #43 started with 1 context items.']);
    });

    it('the same token signed in again while the context is ranked, its read never ending: sent as the sign-in of now, so started and listed', async () => {
      await flushPromises();
      // (Ranking a big workspace takes seconds; the creation reads the token after it.)
      duringRanking = (): void => {
        signInGate = new Promise(() => undefined);
        tasks.onAuthChanged('signedIn');
        signInGate = undefined;
      };
      const command = runWithContext();
      await flushPromises();
      creation.resolve(activeRun(42));
      await flushPromises();
      await clock.advance(SIGN_IN_READ_WAIT_MS);
      await command;
      await flushPromises();
      assert.ok(!shown().some((t) => /could not be read/.test(t)), JSON.stringify(shown()));
      assert.deepEqual(startedMessages(42), ['Contexten: agent task #42 started with 1 context items.']);
      assert.ok(tasks.tree.getRun(42), 'in the list');
    });

    it('answered as the same sign-in: started, listed, and Show Tasks offered', async () => {
      await flushPromises();
      const command = runWithContext();
      await flushPromises();
      creation.resolve(activeRun(42));
      await command;
      await flushPromises();
      assert.ok(tasks.tree.getRun(42), 'in the list');
      assert.deepEqual(startedMessages(42), ['Contexten: agent task #42 started with 1 context items.']);
      const said = fakeVscode.messages.slice(shownBefore).find((m) => m.text.includes('#42'));
      assert.deepEqual(said?.actions, ['Show Tasks']);
    });
  });
});
