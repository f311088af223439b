import assert from 'node:assert/strict';
import type { AgentRun, CodegenClient, Page } from '../../../src/core/api/codegenClient';
import { runStateOf } from '../../../src/core/api/codegenSchemas';
import { AuthenticationError, CancellationError, NetworkError } from '../../../src/core/errors';
import { TaskListModel } from '../../../src/core/tasks/taskListModel';
import { type Harness, slowList, startHarness } from '../api/codegenHarness';
import { driveUntil } from '../fakes/driveClock';
import { FakeClock, flushPromises, watchSettling } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';

function run(id: number, status = 'COMPLETE'): AgentRun {
  return { id, organizationId: 1, status, state: runStateOf(status), pullRequests: [] };
}

/** A listRuns whose answers the test gives (or fails) one by one; each request is aborted with its signal. */
function slowServer(): {
  client: Pick<CodegenClient, 'listRuns'>;
  requests: { signal: AbortSignal | undefined; answer: (runs: AgentRun[]) => void; fail: (err: Error) => void }[];
} {
  const requests: ReturnType<typeof slowServer>['requests'] = [];
  return {
    requests,
    client: {
      listRuns: (_page, signal) =>
        new Promise<Page<AgentRun>>((resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new CancellationError()), { once: true });
          requests.push({
            signal,
            answer: (runs) => resolve({ items: runs, total: runs.length, page: 1, size: 25, pages: 1, received: runs.length }),
            fail: reject,
          });
        }),
    },
  };
}

const outcome = (p: Promise<unknown>): Promise<string> => watchSettling(p)();

const texts = (model: TaskListModel): string[] => model.rootNodes().map((n) => (n.kind === 'message' ? n.text : n.kind === 'run' ? `#${n.run.id}` : n.kind));

describe('TaskListModel (what the Agent Tasks view shows, and its refreshes)', () => {
  function model(client: Pick<CodegenClient, 'listRuns'>, authFailures: AuthenticationError[] = []): { model: TaskListModel; log: RecordingLogger } {
    const log = new RecordingLogger();
    const m = new TaskListModel({ client, clock: new FakeClock(), log, onRuns: () => undefined, onAuthFailure: (e) => authFailures.push(e), onChange: () => undefined });
    m.setSignedIn(true);
    return { model: m, log };
  }

  it('a followed run dropped as gone is said in the list (one line naming the runs), until the next load', async () => {
    const server = slowServer();
    const { model: m } = model(server.client);
    const first = m.refresh();
    await flushPromises();
    server.requests[0]?.answer([run(3, 'RUNNING'), run(2, 'RUNNING'), run(1)]);
    await first;
    m.remove(3, true);
    assert.deepEqual(texts(m), ['Run #3 no longer exists on Codegen: removed from the list.', '#2', '#1']);
    m.remove(2, true);
    m.remove(2, true);
    assert.deepEqual(texts(m), ['Runs #3, #2 no longer exist on Codegen: removed from the list.', '#1']);
    // (A removal the list does not say: as before.)
    m.remove(1);
    assert.deepEqual(texts(m), ['Runs #3, #2 no longer exist on Codegen: removed from the list.', 'No agent runs yet. Use "New Task" to start one.']);
    const second = m.refresh();
    await flushPromises();
    server.requests[1]?.answer([run(1)]);
    await second;
    assert.deepEqual(texts(m), ['#1']);
  });

  it("Refresh's Cancel ends the command at once while the view's own load goes on, and that load still lands", async () => {
    const server = slowServer();
    const { model: m } = model(server.client);
    const background = m.refresh(); // the view became visible
    const ac = new AbortController();
    const user = m.refresh(ac.signal); // "Refresh Agent Tasks", joins it
    await flushPromises();
    assert.equal(server.requests.length, 1, 'one load for both');
    ac.abort();
    assert.equal(await outcome(user), 'rejected CancellationError');
    assert.equal(server.requests[0]?.signal?.aborted, false, 'the view still wants the list');
    server.requests[0]?.answer([run(2), run(1)]);
    assert.equal(await outcome(background), 'resolved');
    assert.deepEqual(texts(m), ['#2', '#1']);
  });

  it('a refresh cancelled on its own aborts its request and shows no "Refresh failed"; the list stays as it was', async () => {
    const server = slowServer();
    const { model: m, log } = model(server.client);
    const first = m.refresh();
    await flushPromises();
    server.requests[0]?.answer([run(1)]);
    await first;
    const ac = new AbortController();
    const user = m.refresh(ac.signal);
    await flushPromises();
    ac.abort();
    assert.equal(await outcome(user), 'rejected CancellationError');
    assert.equal(server.requests[1]?.signal?.aborted, true, 'nobody else wanted it: the request is aborted');
    assert.deepEqual(texts(m), ['#1']);
    assert.equal(log.text('warn'), '');
  });

  it('a cancelled refresh keeps the message of an earlier failure; a failure is shown, an auth failure handed on once', async () => {
    const server = slowServer();
    const failures: AuthenticationError[] = [];
    const { model: m } = model(server.client, failures);
    const a = watchSettling(m.refresh());
    const b = watchSettling(m.refresh(new AbortController().signal));
    await flushPromises();
    server.requests[0]?.fail(new AuthenticationError('Codegen rejected the API token (HTTP 401).', 401, 'codegen'));
    assert.equal(await a(), 'rejected AuthenticationError');
    assert.equal(await b(), 'rejected AuthenticationError');
    assert.equal(failures.length, 1, 'one load, one failure');
    assert.deepEqual(texts(m), ['Refresh failed: Codegen rejected the API token (HTTP 401).']);
    const ac = new AbortController();
    const c = m.refresh(ac.signal);
    await flushPromises();
    ac.abort();
    assert.equal(await outcome(c), 'rejected CancellationError');
    assert.deepEqual(texts(m), ['Refresh failed: Codegen rejected the API token (HTTP 401).']);
    const d = watchSettling(m.refresh());
    await flushPromises();
    server.requests.at(-1)?.fail(new NetworkError('connect ECONNREFUSED'));
    assert.equal(await d(), 'rejected NetworkError');
    assert.deepEqual(texts(m), ['Refresh failed: connect ECONNREFUSED']);
  });
});

describe('TaskListModel refreshes (with the real client and contract server)', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('a caller that joins a refresh under way and cancels stops waiting at once, the load going on for the other; one alone that cancels aborts it', async () => {
    h = await startHarness({ server: { rateLimits: false } });
    const { client, slow } = slowList(h, 60_000);
    const m = new TaskListModel({ client, clock: h.clock, log: h.logger, onRuns: () => undefined, onAuthFailure: () => undefined, onChange: () => undefined });
    m.setSignedIn(true);
    slow.on = true;
    const background = m.refresh(); // the view's load
    const ac = new AbortController();
    const user = watchSettling(m.refresh(ac.signal)); // "Refresh Agent Tasks" joins it
    await driveUntil(() => h.transport.inFlight === 0 && h.clock.pending() > 0, h.clock, h.transport);
    ac.abort();
    assert.equal(await user(), 'rejected CancellationError', 'at once, not after the load');
    slow.on = false;
    await h.run(background);
    assert.equal(m.list.runs.length, 5, 'the load went on for the view');

    slow.on = true;
    const alone = new AbortController();
    const more = watchSettling(m.refresh(alone.signal));
    await driveUntil(() => h.transport.inFlight === 0 && h.clock.pending() > 0, h.clock, h.transport);
    const timers = h.clock.pending(); // the answer's delay
    alone.abort();
    assert.equal(await more(), 'rejected CancellationError');
    assert.equal(h.clock.pending(), timers - 1, 'nobody wanted it: the load was aborted');
    assert.equal(m.list.runs.length, 5);
  });

  it('the endpoint changed while a refresh is out: the old organization\'s answer is not applied, and the new refresh does not join the old one', async () => {
    h = await startHarness({ server: { rateLimits: false } });
    // A run of the other organization (1001), to tell the lists apart.
    h.settings.orgId = '1001';
    const theirs = await h.run(h.client.createRun({ prompt: 'Team task' }));
    h.settings.orgId = '1';
    const { client, slow } = slowList(h, 60_000);
    const handedOn: string[] = [];
    const m = new TaskListModel({
      client,
      clock: h.clock,
      log: h.logger,
      onRuns: (runs) => handedOn.push(...runs.map((r) => `#${r.id}/org${r.organizationId}`)),
      onAuthFailure: () => undefined,
      onChange: () => undefined,
    });
    m.setSignedIn(true);
    slow.on = true;
    const before = watchSettling(m.refresh()); // the view's load, of organization 1
    await driveUntil(() => h.transport.inFlight === 0 && h.clock.pending() > 0, h.clock, h.transport);
    // The user changes contexten.codegen.orgId (TaskController.onEndpointChanged): the list is cleared, then loaded again.
    h.settings.orgId = '1001';
    m.clear();
    const after = m.refresh();
    const joining = m.refresh(); // the view, asking for what it shows meanwhile
    slow.on = false;
    await h.run(Promise.all([after, joining]));
    assert.deepEqual(
      m.list.runs.map((r) => `#${r.id}/org${r.organizationId}`),
      [`#${theirs.id}/org1001`],
      'the new organization\'s runs only',
    );
    assert.deepEqual(handedOn, [`#${theirs.id}/org1001`], 'no run of the old organization handed on (to be polled)');
    const lists = h.server.requests().filter((r) => r.path.endsWith('/agent/runs'));
    assert.deepEqual(
      lists.map((r) => r.path),
      ['/v1/organizations/1/agent/runs', '/v1/organizations/1001/agent/runs'],
      'one load for each endpoint: the refreshes asked for after the change share the new one',
    );
    assert.match(await before(), /^rejected (CancellationError|AbortError)$/, 'the old load was ended (aborted while its answer was on its way)');
  });
});
