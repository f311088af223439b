import assert from 'node:assert/strict';
import { type AgentRun, CodegenClient, codegenSettingsOf } from '../../../src/core/api/codegenClient';
import { resolveConfig } from '../../../src/core/config/configSchema';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { adviseError } from '../../../src/core/errorAdvice';
import { AuthenticationError, CancellationError, ConfigurationError, GenerationError, ProtocolError, SignInChangedError } from '../../../src/core/errors';
import { AgentTaskRunner } from '../../../src/core/generation/agentTaskRunner';
import { CODEGEN_AGENT_MODEL, CodegenProvider } from '../../../src/core/generation/codegenProvider';
import { GenerationCache } from '../../../src/core/generation/generationCache';
import { GenerationPipeline } from '../../../src/core/generation/generationPipeline';
import { FOLLOW_GIVE_UP_MS, MAX_UNREADABLE_POLLS } from '../../../src/core/generation/runFollower';
import { type CodegenServer, SANDBOX_TOKEN, startCodegenServer } from '../../servers/codegen/codegenServer';
import { driveUntil, settle } from '../fakes/driveClock';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';
import { TrackingTransport } from '../fakes/trackingTransport';
import { FakeContextSource, generationSettings } from './builders';

const RUN_PATH = '/v1/organizations/1/agent/run';
const STOP_PATH = '/v1/beta/organizations/1/agent/run/stop';

describe('Codegen provider and agent tasks (real HTTP to the Codegen contract server)', () => {
  let clock: FakeClock;
  let server: CodegenServer;
  let transport: TrackingTransport;
  let client: CodegenClient;
  let logger: RecordingLogger;

  beforeEach(async () => {
    clock = new FakeClock();
    // Runs move on the test's clock: PENDING 3 s, RUNNING 20 s, then COMPLETE.
    server = await startCodegenServer({ clock, rateLimits: false });
    logger = new RecordingLogger();
    transport = new TrackingTransport(new UndiciTransport({ maxConnections: 4, logger }));
    client = new CodegenClient({
      transport,
      clock,
      random: () => 0.5,
      logger,
      settings: () => ({ baseUrl: server.url, orgId: '1', timeoutMs: 30_000, maxRetries: 0 }),
      token: () => Promise.resolve(SANDBOX_TOKEN),
    });
  });

  /** A second transport a test opened: closed after the server (which ends requests it holds). */
  let extraTransport: TrackingTransport | undefined;

  afterEach(async () => {
    await transport.close();
    await server.close();
    await extraTransport?.close();
    extraTransport = undefined;
  });

  const createdRuns = (): number => server.requests().filter((r) => r.method === 'POST' && r.path === RUN_PATH && r.status === 200).length;

  it('creates a run with the context-enhanced prompt, follows it to COMPLETE and takes the code from its result', async () => {
    const updates: AgentRun[] = [];
    const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1', onRunUpdate: (r) => updates.push(r) });
    const pipeline = new GenerationPipeline({
      settings: () => generationSettings({ 'generation.provider': 'codegen' }),
      context: new FakeContextSource(),
      providers: { codegen: provider },
      cache: new GenerationCache(clock, () => ({ enabled: true, ttlSeconds: 3600 })),
      maxConcurrent: () => 10,
      clock,
      logger,
    });
    const started = clock.now();
    const r = await settle(pipeline.generateWithContext('Write function greet', { signal: new AbortController().signal }), clock, transport);
    assert.equal(r.provider, 'codegen');
    assert.equal(r.model, CODEGEN_AGENT_MODEL);
    assert.equal(r.codeBlocks[0]?.language, 'typescript');
    assert.match(r.codeBlocks[0]?.code ?? '', /export function greet\(name: string\): string \{/);
    assert.match(r.explanation, /I made the change you asked for/);
    assert.match(r.run?.webUrl ?? '', /^https:\/\/codegen\.sh\/agent\/trace\/\d+$/);
    assert.ok(clock.now() - started >= 23_000, 'followed until the run completed');

    const create = server.requests().find((q) => q.method === 'POST' && q.path === RUN_PATH);
    const prompt = (create?.body as { prompt?: string }).prompt ?? '';
    assert.match(prompt, /^Advanced code generation with codebase context/);
    assert.match(prompt, /## Relevant code from the workspace/);
    assert.match(prompt, /## Task\n\nWrite function greet$/);
    assert.deepEqual(updates.at(-1)?.state, 'complete');
    assert.ok(updates.some((u) => u.state === 'active'));
  });

  it('says which endpoint gave the answer, and names none when the organization changed while the run was followed', async () => {
    let endpoint = 'https://api.codegen.com#1';
    const provider = new CodegenProvider({ client, clock, logger, endpoint: () => endpoint });
    const same = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport);
    assert.equal(same.endpoint, 'https://api.codegen.com#1');

    const moved = new CodegenProvider({ client, clock, logger, endpoint: () => endpoint, onRunUpdate: () => (endpoint = 'https://api.codegen.com#2') });
    endpoint = 'https://api.codegen.com#1';
    const answer = await settle(moved.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport);
    assert.match(answer.text, /\S/);
    assert.equal(answer.endpoint, undefined);
  });

  it('reports a failed run as a GenerationError with its status', async () => {
    let id: number | undefined;
    const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1', onRunUpdate: (r) => (id ??= r.id) });
    const p = provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal });
    let done = false;
    void p.catch(() => undefined).finally(() => (done = true));
    await driveUntil(() => id !== undefined, clock, transport);
    const forced = await fetch(`${server.url}/__admin/runs/${id ?? 0}`, { method: 'POST', body: JSON.stringify({ status: 'MAX_ITERATIONS_REACHED' }) });
    assert.equal(forced.status, 200);
    await driveUntil(() => done, clock, transport);
    const err = await p.catch((e: unknown) => e);
    assert.ok(err instanceof GenerationError, String(err));
    assert.match(err.message, new RegExp(`run ${id ?? '?'} ended with status MAX_ITERATIONS_REACHED`));
  });

  it('cancelling stops the run on the server', async () => {
    const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1' });
    const ac = new AbortController();
    const p = provider.generate({ system: 's', user: 'u' }, { signal: ac.signal });
    await driveUntil(() => createdRuns() === 1, clock, transport);
    await clock.advance(2_000); // one poll while PENDING
    ac.abort();
    await assert.rejects(p, CancellationError);
    await client.whenCleanedUp(); // (the stop is sent in the background)
    const stop = server.requests().find((q) => q.method === 'POST' && q.path === STOP_PATH);
    const created = server.requests().find((q) => q.method === 'POST' && q.path === RUN_PATH);
    assert.ok(stop, 'a stop request was sent');
    assert.equal(stop.status, 200);
    assert.ok(typeof (stop.body as { agent_run_id?: unknown }).agent_run_id === 'number');
    assert.ok(created);
    const run = await client.getRun((stop.body as { agent_run_id: number }).agent_run_id);
    assert.equal(run.status, 'STOPPED');
  });

  it('settles at once on Cancel while the stop is out; the stop goes on in the background and, when it fails, the run is handed over', async () => {
    // The stop hangs. Its client's timeouts run on the test's clock, so the test says when the stop gives up.
    server.addFault({ path: STOP_PATH, method: 'POST', kind: 'hang', times: 1 });
    const stalling = new TrackingTransport(new UndiciTransport({ maxConnections: 4, logger, clock }));
    extraTransport = stalling;
    const stallingClient = new CodegenClient({
      transport: stalling,
      clock,
      random: () => 0.5,
      logger,
      settings: () => ({ baseUrl: server.url, orgId: '1', timeoutMs: 30_000, maxRetries: 2 }),
      token: () => Promise.resolve(SANDBOX_TOKEN),
    });
    const updates: AgentRun[] = [];
    const unfinished: AgentRun[] = [];
    const provider = new CodegenProvider({ client: stallingClient, clock, logger, endpoint: () => 'e', onRunUpdate: (r) => updates.push(r), onRunUnfinished: (r) => unfinished.push(r) });
    const ac = new AbortController();
    const p = provider.generate({ system: 's', user: 'u' }, { signal: ac.signal });
    await driveUntil(() => createdRuns() === 1, clock, stalling);
    await clock.advance(2_000);
    const stopHung = server.waitForRequest((q) => q.path === STOP_PATH && q.outcome === 'hung');
    ac.abort();
    const first = await Promise.race([p.then(() => 'resolved', (err: unknown) => err), stopHung.then(() => 'the stop hung first')]);
    assert.ok(first instanceof CancellationError, `settled on Cancel: ${String(first)}`);
    await stopHung;
    assert.equal(unfinished.length, 0, 'not handed over while the stop is out');
    let cleanedUp = false;
    const cleaned = stallingClient.whenCleanedUp().then(() => (cleanedUp = true));
    await flushPromises();
    assert.equal(cleanedUp, false, 'the stop is tracked by the client (shutdown waits for it)');
    await settle(cleaned, clock);
    assert.deepEqual(
      unfinished.map((r) => r.state),
      ['active'],
      'the stop failed: the run, still active, is handed over',
    );
    assert.match(logger.text(), /stopping run #\d+ after a cancel failed/);
    assert.ok(updates.every((r) => r.state === 'active'));
  });

  describe('when polls of the run fail', () => {
    const POLL_PATH = '/agent/run/\\d+$';
    const polls = (): { status: number | undefined; fault?: string }[] =>
      server.requests().filter((r) => r.method === 'GET' && /\/agent\/run\/\d+$/.test(r.path)).map((r) => ({ status: r.status, ...(r.fault ? { fault: r.fault } : {}) }));

    it('keeps following through 5xx answers and a dropped connection, waiting longer each time, and returns the result', async () => {
      server.addFault({ path: POLL_PATH, method: 'GET', kind: '503', times: 3 });
      server.addFault({ path: POLL_PATH, method: 'GET', kind: 'reset', times: 1 });
      const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1' });
      const answer = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport);
      assert.match(answer.text, /export function greet/);
      const seen = polls();
      assert.deepEqual(seen.slice(0, 4).map((p) => p.fault), ['503', '503', '503', 'reset']);
      assert.ok(seen.length > 4 && seen.at(-1)?.status === 200, 'polled again after the failures until the run ended');
      assert.equal(logger.text('warn').match(/a poll failed/g)?.length, 4);
      assert.match(logger.text('info'), /reachable again after 4 failed poll\(s\)/);
      const stop = server.requests().find((q) => q.path === STOP_PATH);
      assert.equal(stop, undefined, 'the run was not stopped');
    });

    it('gives up after the run has been out of reach for FOLLOW_GIVE_UP_MS, naming it, and leaves it running', async () => {
      server.addFault({ path: POLL_PATH, method: 'GET', kind: '503', times: 10_000 });
      let id: number | undefined;
      const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1', onRunUpdate: (r) => (id ??= r.id) });
      const started = clock.now();
      const err = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport).catch((e: unknown) => e);
      assert.ok(err instanceof GenerationError, String(err));
      assert.match(err.message, new RegExp(`Lost contact with Codegen agent run ${id ?? '?'} for 5 min`));
      assert.match(err.message, /keeps going on the server: follow it in the Agent Tasks view/);
      assert.ok(clock.now() - started >= FOLLOW_GIVE_UP_MS, 'kept trying for the whole give-up period');
      const gaps = polls().length;
      assert.ok(gaps >= 10 && gaps <= 20, `backed off between failed polls (${gaps} polls in ${FOLLOW_GIVE_UP_MS / 60_000} min)`);
      assert.equal(server.requests().find((q) => q.path === STOP_PATH), undefined, 'the run was not stopped');
      server.clearFaults();
      assert.notEqual((await client.getRun(id ?? 0)).status, 'STOPPED');
    });

    it('a 429 asking for a longer wait than the client retries for: no poll before it, and the waits are not lost contact', async () => {
      // 3 × 120 s asked for: more than FOLLOW_GIVE_UP_MS, though the server answered every time.
      server.addFault({ path: POLL_PATH, method: 'GET', kind: '429', retryAfter: '120', times: 3 });
      const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1' });
      const answer = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport);
      assert.match(answer.text, /export function greet/);
      const times = server
        .requests()
        .filter((r) => r.method === 'GET' && /\/agent\/run\/\d+$/.test(r.path))
        .map((r) => r.at);
      const gaps = times.slice(1, 4).map((t, i) => t - (times[i] ?? 0));
      assert.ok(
        gaps.every((g) => g >= 120_000),
        `polled again before the 120 s asked for: ${gaps.join(', ')} ms`,
      );
      assert.match(logger.text('warn'), /trying again in 120 s, as the server asked/);
    });

    it('keeps following through a one-off unreadable answer (malformed JSON)', async () => {
      server.addFault({ path: POLL_PATH, method: 'GET', kind: 'malformed-json', times: MAX_UNREADABLE_POLLS - 1 });
      const unfinished: AgentRun[] = [];
      const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1', onRunUnfinished: (r) => unfinished.push(r) });
      const answer = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport);
      assert.match(answer.text, /export function greet/);
      assert.deepEqual(
        polls()
          .slice(0, MAX_UNREADABLE_POLLS - 1)
          .map((p) => p.fault),
        Array<string>(MAX_UNREADABLE_POLLS - 1).fill('malformed-json'),
      );
      assert.deepEqual(unfinished, []);
    });

    it('ends after MAX_UNREADABLE_POLLS unreadable answers in a row and hands the run, still active, to onRunUnfinished', async () => {
      server.addFault({ path: POLL_PATH, method: 'GET', kind: 'malformed-json', times: 100 });
      const unfinished: AgentRun[] = [];
      let id: number | undefined;
      const provider = new CodegenProvider({
        client,
        clock,
        logger,
        endpoint: () => 'https://api.codegen.com#1',
        onRunUpdate: (r) => (id ??= r.id),
        onRunUnfinished: (r) => unfinished.push(r),
      });
      const err = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport).catch((e: unknown) => e);
      assert.ok(err instanceof ProtocolError, String(err));
      assert.equal(polls().length, MAX_UNREADABLE_POLLS);
      assert.deepEqual(
        unfinished.map((r) => [r.id, r.state]),
        [[id, 'active']],
      );
      assert.equal(server.requests().find((q) => q.path === STOP_PATH), undefined, 'the run was not stopped');
    });

    it('hands the run over when it gives up after FOLLOW_GIVE_UP_MS', async () => {
      server.addFault({ path: POLL_PATH, method: 'GET', kind: '503', times: 10_000 });
      const unfinished: AgentRun[] = [];
      const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1', onRunUnfinished: (r) => unfinished.push(r) });
      await assert.rejects(settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport), GenerationError);
      assert.deepEqual(
        unfinished.map((r) => r.state),
        ['active'],
      );
    });

    it('hands the run over when a cancel could not stop it, not when the stop took', async () => {
      const unfinished: AgentRun[] = [];
      const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1', onRunUnfinished: (r) => unfinished.push(r) });
      const cancelAfterOnePoll = async (): Promise<void> => {
        const ac = new AbortController();
        const before = createdRuns();
        const p = provider.generate({ system: 's', user: 'u' }, { signal: ac.signal });
        await driveUntil(() => createdRuns() === before + 1, clock, transport);
        await clock.advance(2_000);
        ac.abort();
        await assert.rejects(p, CancellationError);
        await client.whenCleanedUp();
      };
      await cancelAfterOnePoll();
      assert.equal(unfinished.length, 0, 'stopped: nothing to hand over');
      server.addFault({ path: STOP_PATH, method: 'POST', kind: '422', times: 1 });
      await cancelAfterOnePoll();
      assert.deepEqual(
        unfinished.map((r) => r.state),
        ['active'],
      );
    });

    it('ends at once on a poll the token no longer passes (401)', async () => {
      server.addFault({ path: POLL_PATH, method: 'GET', kind: '401', times: 1 });
      const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1' });
      const err = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport).catch((e: unknown) => e);
      assert.ok(err instanceof AuthenticationError, String(err));
      assert.equal(polls().length, 1);
    });
  });

  describe('when the organization, the token or the base URL changes while a run is followed', () => {
    /** The settings and token the client reads, changed by the test. */
    let now: { baseUrl: string; orgId: string; token: string };
    let moving: CodegenClient;
    beforeEach(() => {
      now = { baseUrl: server.url, orgId: '1', token: SANDBOX_TOKEN };
      moving = new CodegenClient({
        transport,
        clock,
        random: () => 0.5,
        logger,
        settings: () => ({ baseUrl: now.baseUrl, orgId: now.orgId, timeoutMs: 30_000, maxRetries: 0 }),
        token: () => Promise.resolve(now.token),
      });
    });
    const runRequests = (): string[] => server.requests().filter((q) => q.path.includes('/agent/run')).map((q) => `${q.method} ${q.path}`);

    it('keeps reading the run in its own organization after the organization setting changed, and gives its result', async () => {
      const unfinished: AgentRun[] = [];
      const provider = new CodegenProvider({ client: moving, clock, logger, endpoint: () => now.orgId, onRunUpdate: () => (now.orgId = '1001'), onRunUnfinished: (r) => unfinished.push(r) });
      const answer = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport);
      assert.match(answer.text, /\S/);
      assert.deepEqual(unfinished, []);
      const reads = runRequests().filter((r) => r.startsWith('GET'));
      assert.ok(reads.length > 1);
      assert.ok(reads.every((r) => r.startsWith(`GET ${RUN_PATH}/`)), reads.join('\n'));
    });

    it('a cancel after the organization setting changed stops the run in its own organization', async () => {
      const provider = new CodegenProvider({ client: moving, clock, logger, endpoint: () => now.orgId });
      const ac = new AbortController();
      const p = provider.generate({ system: 's', user: 'u' }, { signal: ac.signal });
      await driveUntil(() => createdRuns() === 1, clock, transport);
      now.orgId = '1001';
      await clock.advance(2_000);
      ac.abort();
      await assert.rejects(p, CancellationError);
      await moving.whenCleanedUp();
      const stop = server.requests().find((q) => q.method === 'POST' && q.path.endsWith('/agent/run/stop'));
      assert.equal(stop?.path, STOP_PATH);
      assert.equal(stop.status, 200);
    });

    it('ends the follow after a sign-in with another token, saying the run goes on: the new token is not sent for it, nor is it handed over', async () => {
      server.addToken('another-token');
      const unfinished: AgentRun[] = [];
      let sent = 0;
      const provider = new CodegenProvider({
        client: moving,
        clock,
        logger,
        endpoint: () => now.orgId,
        onRunUpdate: () => {
          now.token = 'another-token';
          sent = runRequests().length;
        },
        onRunUnfinished: (r) => unfinished.push(r),
      });
      const err = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport).catch((e: unknown) => e);
      assert.ok(err instanceof SignInChangedError, String(err));
      assert.match(err.message, /^Stopped following Codegen agent run \d+: the sign-in changed since it was created \(another token — signed in again, or signed out while CODEGEN_API_TOKEN is set.* The run keeps going on the server: https:\/\//);
      assert.match(adviseError(err).message, /Stopped following Codegen agent run/);
      assert.equal(runRequests().length, sent, 'no request about the run after the change');
      assert.deepEqual(unfinished, []);
    });

    it('a poll answered after a sign-in with another token is not given back: the follow ends there', async () => {
      server.addToken('another-token');
      const seen: AgentRun[] = [];
      let armed = false;
      // (The sign-in changes while the poll's answer is on its way.)
      const switching = new CodegenClient({
        transport: {
          request: async (req) => {
            const res = await transport.request(req);
            if (armed && req.method === 'GET') now.token = 'another-token';
            return res;
          },
          close: () => Promise.resolve(),
        },
        clock,
        random: () => 0.5,
        logger,
        settings: () => ({ baseUrl: now.baseUrl, orgId: now.orgId, timeoutMs: 30_000, maxRetries: 0 }),
        token: () => Promise.resolve(now.token),
      });
      const provider = new CodegenProvider({ client: switching, clock, logger, endpoint: () => now.orgId, onRunUpdate: (r) => ((armed = true), seen.push(r)) });
      const err = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport).catch((e: unknown) => e);
      assert.ok(err instanceof SignInChangedError, String(err));
      assert.equal(runRequests().filter((r) => r.startsWith('GET')).length, 1, 'one poll was answered');
      assert.equal(seen.length, 1, 'only the created run was published, not the answer read as the old sign-in');
    });

    it('ends the follow after the base URL changed: the run is not looked for on the other server', async () => {
      const elsewhere = await startCodegenServer({ clock, rateLimits: false });
      try {
        const provider = new CodegenProvider({ client: moving, clock, logger, endpoint: () => now.baseUrl, onRunUpdate: () => (now.baseUrl = elsewhere.url) });
        const err = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport).catch((e: unknown) => e);
        assert.ok(err instanceof SignInChangedError, String(err));
        assert.deepEqual(elsewhere.requests(), []);
      } finally {
        await elsewhere.close();
      }
    });
  });

  describe('when contexten.codegen.baseUrl is invalid for a while as a run is followed (the Settings UI saves as the user types)', () => {
    /** The setting as saved: the server's URL, or a half-edited one. */
    let baseUrl: string;
    let editing: CodegenClient;
    /** "https://api.codegen.com" with its "s" deleted: http is taken only for a loopback host. */
    const HALF_EDITED = 'http://api.codegen.com';
    beforeEach(() => {
      baseUrl = server.url;
      editing = new CodegenClient({
        transport,
        clock,
        random: () => 0.5,
        logger,
        // (As the extension reads it: a ConfigurationError while the setting is invalid, and no request made.)
        settings: () => codegenSettingsOf(resolveConfig({ 'codegen.baseUrl': baseUrl, 'codegen.orgId': '1', 'http.maxRetries': 0, 'http.timeoutMs': 30_000 }, {}).snapshot),
        token: () => Promise.resolve(SANDBOX_TOKEN),
      });
    });
    const failedPolls = (): number => logger.text('warn').match(/a poll failed \(.*contexten\.codegen\.baseUrl/g)?.length ?? 0;
    /**
     * A run update hook: right after the run is created the user starts editing the base URL (half edited: invalid), and
     * saves `savedAs()` 20 s later.
     */
    const editedOnce = (savedAs: () => string): (() => void) => {
      let edited = false;
      return () => {
        if (edited) return;
        edited = true;
        baseUrl = HALF_EDITED;
        clock.setTimeout(() => (baseUrl = savedAs()), 20_000);
      };
    };

    it('keeps following while the setting is invalid and gives the result once it is valid again', async () => {
      const unfinished: AgentRun[] = [];
      const onRunUpdate = editedOnce(() => server.url);
      const provider = new CodegenProvider({ client: editing, clock, logger, endpoint: () => baseUrl, onRunUpdate, onRunUnfinished: (r) => unfinished.push(r) });
      const answer = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport);
      assert.match(answer.text, /export function greet/);
      assert.ok(failedPolls() >= 2, `polls failed while the setting was invalid, and were tried again (${failedPolls()})`);
      assert.match(logger.text('info'), /reachable again after \d+ failed poll\(s\)/);
      assert.deepEqual(unfinished, []);
      assert.equal(server.requests().find((q) => q.path === STOP_PATH), undefined, 'the run was not stopped');
    });

    it('ends with the ConfigurationError and its advice when the setting stays invalid for FOLLOW_GIVE_UP_MS, handing the run over', async () => {
      const unfinished: AgentRun[] = [];
      const provider = new CodegenProvider({ client: editing, clock, logger, endpoint: () => baseUrl, onRunUpdate: () => (baseUrl = HALF_EDITED), onRunUnfinished: (r) => unfinished.push(r) });
      const started = clock.now();
      const err = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport).catch((e: unknown) => e);
      assert.ok(err instanceof ConfigurationError, String(err));
      assert.equal(err.setting, 'contexten.codegen.baseUrl');
      assert.deepEqual(adviseError(err).steps, [{ kind: 'openSettings', setting: 'contexten.codegen.baseUrl' }]);
      assert.ok(clock.now() - started >= FOLLOW_GIVE_UP_MS, 'kept trying for the whole give-up period');
      assert.ok(failedPolls() >= 5 && failedPolls() <= 20, `backed off between failed polls (${failedPolls()})`);
      assert.equal(unfinished.length, 1, 'the run, still going, is handed to the sidebar');
      assert.equal(server.requests().find((q) => q.path === STOP_PATH), undefined, 'the run was not stopped');
    });

    it('a cancel while the setting is invalid ends the follow at once', async () => {
      const provider = new CodegenProvider({ client: editing, clock, logger, endpoint: () => baseUrl, onRunUpdate: () => (baseUrl = HALF_EDITED) });
      const ac = new AbortController();
      let settled = false;
      const p = provider.generate({ system: 's', user: 'u' }, { signal: ac.signal });
      p.then(() => (settled = true), () => (settled = true));
      await driveUntil(() => failedPolls() === 2 || settled, clock, transport);
      assert.equal(settled, false, 'still following after two failed polls');
      const at = clock.now();
      ac.abort();
      await assert.rejects(p, CancellationError);
      assert.equal(clock.now(), at);
    });

    it('ends the follow as SignInChangedError when the setting, once valid again, names another server', async () => {
      const unfinished: AgentRun[] = [];
      const onRunUpdate = editedOnce(() => 'http://127.0.0.1:9/v1');
      const provider = new CodegenProvider({ client: editing, clock, logger, endpoint: () => baseUrl, onRunUpdate, onRunUnfinished: (r) => unfinished.push(r) });
      const err = await settle(provider.generate({ system: 's', user: 'u' }, { signal: new AbortController().signal }), clock, transport).catch((e: unknown) => e);
      assert.ok(err instanceof SignInChangedError, String(err));
      assert.ok(failedPolls() >= 2);
      assert.deepEqual(unfinished, []);
    });
  });

  describe('runAgentTask', () => {
    it('with asyncExecution false resolves when the run ends, with context attached and every state published', async () => {
      const context = new FakeContextSource();
      const runner = new AgentTaskRunner({ client, context, settings: () => generationSettings(), clock, logger });
      const seen: string[] = [];
      runner.onDidChangeTask((r) => seen.push(r.state));
      const r = await settle(runner.runAgentTask('Add input validation', { signal: new AbortController().signal }), clock, transport);
      assert.equal(r.run.state, 'complete');
      assert.equal(r.context.length, 1);
      assert.equal(context.queries[0]?.query, 'Add input validation');
      assert.equal(seen[0], 'active');
      assert.equal(seen.at(-1), 'complete');
      // (The public API's answer: nothing of the sign-in, whose fingerprint is the token's.)
      assert.deepEqual(Object.keys(r).sort(), ['context', 'run', 'warnings']);
      runner.dispose();
    });

    it('starts the task without context when the ranking fails, saying so in its warnings (as a generation does)', async () => {
      const context = new FakeContextSource();
      context.failWith = new Error('engine thread exited');
      const runner = new AgentTaskRunner({ client, context, settings: () => generationSettings(), clock, logger });
      const r = await settle(runner.runAgentTask('Write docs', { asyncExecution: true, signal: new AbortController().signal }), clock, transport);
      assert.equal(r.run.state, 'active');
      assert.deepEqual(r.context, []);
      assert.deepEqual(r.warnings, ['Codebase context was not attached: engine thread exited']);
      const prompt = (server.requests().find((q) => q.path === RUN_PATH)?.body as { prompt?: string }).prompt ?? '';
      assert.match(prompt, /Write docs/);
      assert.doesNotMatch(prompt, /Relevant code/);
      runner.dispose();
    });

    it("warns that the task's context may miss code when the workspace was not indexed to the end", async () => {
      const context = new FakeContextSource();
      context.partial = { filesDone: 3, filesFound: 10 };
      const runner = new AgentTaskRunner({ client, context, settings: () => generationSettings(), clock, logger });
      const r = await settle(runner.runAgentTask('Write docs', { asyncExecution: true, signal: new AbortController().signal }), clock, transport);
      assert.equal(r.context.length, 1);
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0] ?? '', /not fully indexed \(3 of 10 files/);
      runner.dispose();
    });

    it('a cancelled ranking cancels the task (no run is created)', async () => {
      const context = new FakeContextSource();
      context.failWith = new CancellationError();
      const runner = new AgentTaskRunner({ client, context, settings: () => generationSettings(), clock, logger });
      const abort = new AbortController();
      abort.abort();
      const err = await settle(runner.runAgentTask('Write docs', { asyncExecution: true, signal: abort.signal }), clock, transport).catch((e: unknown) => e);
      assert.ok(err instanceof CancellationError, String(err));
      assert.equal(createdRuns(), 0);
      runner.dispose();
    });

    it('with asyncExecution true resolves once the run exists, then keeps publishing its states; no context when disabled', async () => {
      const context = new FakeContextSource();
      const runner = new AgentTaskRunner({ client, context, settings: () => generationSettings(), clock, logger });
      const seen: string[] = [];
      runner.onDidChangeTask((r) => seen.push(r.state));
      const r = await settle(runner.runAgentTask('Write docs', { asyncExecution: true, contextEnhancement: false, signal: new AbortController().signal }), clock, transport);
      assert.equal(r.run.state, 'active');
      assert.deepEqual(r.context, []);
      assert.equal(context.queries.length, 0);
      const prompt = (server.requests().find((q) => q.path === RUN_PATH)?.body as { prompt?: string }).prompt ?? '';
      assert.doesNotMatch(prompt, /Relevant code/);
      await driveUntil(() => seen.at(-1) === 'complete', clock, transport);
      const polls = server.requests().length;
      await clock.advance(60_000);
      assert.equal(server.requests().length, polls, 'a terminal run is never polled again');
      runner.dispose();
    });

    it('publishes every state of its runs, and the codegen provider of its own, with the sign-in each was created as (for the sidebar)', async () => {
      const signIn = await client.signIn();
      const runner = new AgentTaskRunner({ client, context: new FakeContextSource(), settings: () => generationSettings(), clock, logger });
      const seen: [string, string][] = [];
      runner.onDidSeeFollowedRun(({ run, signIn: s }) => seen.push([run.state, s]));
      await settle(runner.runAgentTask('Add input validation', { contextEnhancement: false, signal: new AbortController().signal }), clock, transport);
      assert.equal(seen[0]?.[0], 'active');
      assert.equal(seen.at(-1)?.[0], 'complete');
      assert.ok(seen.every(([, s]) => s === signIn), 'each with the sign-in it was created as');
      runner.dispose();

      const provided: [string, string][] = [];
      const provider = new CodegenProvider({ client, clock, logger, endpoint: () => 'https://api.codegen.com#1', onRunUpdate: (r, s) => provided.push([r.state, s]) });
      const pipeline = new GenerationPipeline({
        settings: () => generationSettings({ 'generation.provider': 'codegen' }),
        context: new FakeContextSource(),
        providers: { codegen: provider },
        cache: new GenerationCache(clock, () => ({ enabled: false, ttlSeconds: 3600 })),
        maxConcurrent: () => 10,
        clock,
        logger,
      });
      await settle(pipeline.generateWithContext('Write function greet', { signal: new AbortController().signal }), clock, transport);
      assert.equal(provided[0]?.[0], 'active');
      assert.equal(provided.at(-1)?.[0], 'complete');
      assert.ok(provided.every(([, s]) => s === signIn), 'each with the sign-in it was created as');
    });

    it('with asyncExecution true, a background follow that ends before the run does reports the run on onDidStopFollowing, with the sign-in it was created as', async () => {
      const signIn = await client.signIn();
      const runner = new AgentTaskRunner({ client, context: new FakeContextSource(), settings: () => generationSettings(), clock, logger });
      const stopped: AgentRun[] = [];
      runner.onDidStopFollowing(({ run, signIn: s }) => {
        assert.equal(s, signIn);
        stopped.push(run);
      });
      server.addFault({ path: '/agent/run/\\d+$', method: 'GET', kind: '422', times: 1 });
      const r = await settle(runner.runAgentTask('Write docs', { asyncExecution: true, contextEnhancement: false, signal: new AbortController().signal }), clock, transport);
      await driveUntil(() => stopped.length > 0, clock, transport);
      assert.deepEqual(
        stopped.map((s) => [s.id, s.state]),
        [[r.run.id, 'active']],
      );
      runner.dispose();
    });
  });
});
