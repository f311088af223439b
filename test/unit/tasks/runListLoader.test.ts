import assert from 'node:assert/strict';
import { type AgentRun, type CodegenClient, isTerminal } from '../../../src/core/api/codegenClient';
import { PAGE_SIZE, RunListLoader } from '../../../src/core/tasks/runListLoader';
import { RunPoller } from '../../../src/core/tasks/runPoller';
import { driveUntil } from '../fakes/driveClock';
import { type Harness, slowList, startHarness } from '../api/codegenHarness';

describe('RunListLoader (the Agent Tasks list loads, with the real client and contract server)', () => {
  let h: Harness;
  let poller: RunPoller;
  let finishes: string[];
  afterEach(async () => {
    poller.dispose();
    await h.close();
  });

  /** The sidebar's wiring: loaded runs that are not over are followed; a poll's news goes into the list. */
  function wire(client: Pick<CodegenClient, 'listRuns'>): RunListLoader {
    poller = new RunPoller({ client: h.client, clock: h.clock, logger: h.logger });
    const loader = new RunListLoader({ client, clock: h.clock, onRuns: (runs, readAt) => runs.filter((r) => !isTerminal(r)).forEach((r) => poller.track(r, { readAt })) });
    finishes = [];
    poller.onDidChange((r) => loader.list.upsert(r));
    poller.onDidFinish((r) => finishes.push(`#${r.id} ${r.status}`));
    return loader;
  }

  it('a refresh whose answer arrives after a poll saw the run end: the run stays ended, its end is reported once', async () => {
    h = await startHarness({ server: { timings: { pendingMs: 0, runningMs: 5_000 } } });
    const { client, slow } = slowList(h, 3_000);
    const loader = wire(client);
    const run = await h.run(h.client.createRun({ prompt: 'x' }));
    loader.list.upsert(run);
    poller.track(run);
    await h.clock.advance(3_500);
    slow.on = true;
    const refreshing = loader.refresh(); // the server reads the run RUNNING now
    await driveUntil(() => finishes.length > 0, h.clock, h.transport);
    await h.run(refreshing);
    slow.on = false;
    assert.equal(loader.list.get(run.id)?.status, 'COMPLETE');
    await h.clock.advance(60_000);
    await driveUntil(() => h.transport.inFlight === 0, h.clock, h.transport);
    assert.deepEqual(finishes, [`#${run.id} COMPLETE`]);
    assert.equal(loader.list.get(run.id)?.status, 'COMPLETE');
  });

  it('a run resumed while a refresh is out is shown running when the refresh lands, and followed to its new end', async () => {
    h = await startHarness({ server: { timings: { pendingMs: 0, runningMs: 20_000 } } });
    const { client, slow } = slowList(h, 1_000);
    const loader = wire(client);
    const run = await h.run(h.client.createRun({ prompt: 'x' }));
    await h.clock.advance(30_000);
    await h.run(loader.refresh());
    assert.equal(loader.list.get(run.id)?.status, 'COMPLETE');
    slow.on = true;
    const refreshing = loader.refresh(); // the server reads the run COMPLETE now
    await driveUntil(() => h.transport.inFlight === 0 && h.clock.pending() > 0, h.clock, h.transport);
    const resumed = await h.run(h.client.resumeRun(run.id, 'one more thing'));
    // (TaskController.adopt(resumed, true))
    loader.list.upsert(resumed);
    poller.track(resumed, { resumed: true });
    await h.run(refreshing);
    slow.on = false;
    assert.equal(loader.list.get(run.id)?.state, 'active');
    await driveUntil(() => finishes.length > 0, h.clock, h.transport);
    assert.equal(loader.list.get(run.id)?.status, 'COMPLETE');
  });

  it('"Load more" clicked twice before the page came loads one page; a refresh and "Load more" wait for each other: no run is lost', async () => {
    h = await startHarness({ server: { rateLimits: false } });
    const loader = wire(h.client);
    // (The server starts with 5 runs: 75 in all, three pages.)
    for (let i = 0; i < 70; i++) {
      await h.run(h.client.createRun({ prompt: `task ${i}` }));
      await h.clock.advance(10);
    }
    await h.run(loader.refresh());
    await h.run(Promise.all([loader.loadMore(), loader.loadMore()]));
    assert.equal(loader.list.runs.length, 2 * PAGE_SIZE);
    await h.run(Promise.all([loader.loadMore(), loader.refresh(), loader.loadMore()]));
    const all = (await h.run(h.client.listRuns({ skip: 0, limit: 100 }))).items.map((r: AgentRun) => r.id);
    assert.deepEqual(
      loader.list.runs.map((r) => r.id),
      all,
    );
    assert.ok(!loader.list.hasMore);
    // Signed out just after "Load more" and a refresh: neither is sent (nor would fill the list again).
    const more = loader.loadMore();
    const again = loader.refresh();
    loader.clear();
    await h.run(Promise.all([more, again]));
    assert.deepEqual(loader.list.runs, []);
    const listed = h.server.requests().filter((r) => r.path.endsWith('/agent/runs') && r.query['limit'] !== '100');
    assert.deepEqual(
      listed.map((r) => `${r.query['skip']}+${r.query['limit']}`),
      ['0+25', '25+25', '50+25', '0+75'],
      'one page at a time, each where the last ended; the refresh after the page it waited for',
    );
  });

  it('New Agent Task between the two requests of a refresh: the run that comes twice is shown once, and Load more skips none', async () => {
    h = await startHarness({ server: { rateLimits: false } });
    let between: (() => Promise<void>) | undefined;
    const loader = wire({
      listRuns: async (page, signal) => {
        const answer = await h.client.listRuns(page, signal);
        const hook = between;
        between = undefined;
        await hook?.();
        return answer;
      },
    });
    // (The server starts with 5 runs: 140 in all.)
    for (let i = 0; i < 135; i++) {
      await h.run(h.client.createRun({ prompt: `task ${i}` }));
      await h.clock.advance(10);
    }
    await h.run(loader.refresh());
    for (let i = 0; i < 4; i++) await h.run(loader.loadMore());
    assert.equal(loader.list.runs.length, 125);
    between = async () => {
      // (TaskController.create: the run is created, and shown, after the server read the first 100.)
      loader.list.upsert(await h.client.createRun({ prompt: 'new task' }));
    };
    await h.run(loader.refresh());
    assert.equal(loader.list.runs.length, 125, 'the new run, and 124 of the runs shown before (one came twice)');
    assert.equal(loader.list.total, 141);
    while (loader.list.hasMore) await h.run(loader.loadMore());
    const all = (await h.run(Promise.all([h.client.listRuns({ skip: 0, limit: 100 }), h.client.listRuns({ skip: 100, limit: 100 })]))).flatMap((p) => p.items.map((r: AgentRun) => r.id));
    assert.equal(all.length, 141);
    assert.deepEqual(
      loader.list.runs.map((r) => r.id),
      all,
    );
  });

  it('"Load more" after the list was cleared (the endpoint changed) does not join the one out before: it loads from the new endpoint', async () => {
    h = await startHarness({ server: { rateLimits: false } });
    h.settings.orgId = '1001';
    const theirs = await h.run(h.client.createRun({ prompt: 'Team task' }));
    h.settings.orgId = '1';
    const { client, slow } = slowList(h, 60_000);
    const loader = wire(client);
    await h.run(loader.refresh());
    slow.on = true;
    const old = loader.loadMore().then(
      () => 'resolved',
      (e: unknown) => (e instanceof Error ? e.name : String(e)),
    );
    await driveUntil(() => h.transport.inFlight === 0 && h.clock.pending() > 0, h.clock, h.transport);
    h.settings.orgId = '1001';
    loader.clear();
    slow.on = false;
    await h.run(loader.loadMore());
    assert.deepEqual(loader.list.runs.map((r) => `#${r.id}/org${r.organizationId}`), [`#${theirs.id}/org1001`]);
    assert.deepEqual(
      h.server
        .requests()
        .filter((r) => r.path.endsWith('/agent/runs'))
        .map((r) => `${r.path} skip=${r.query['skip']}`)
        .slice(-2),
      ['/v1/organizations/1/agent/runs skip=5', '/v1/organizations/1001/agent/runs skip=0'],
    );
    assert.match(await old, /^(CancellationError|AbortError)$/);
  });
});

