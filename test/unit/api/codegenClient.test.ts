import assert from 'node:assert/strict';
import { isTerminal, RUN_REQUEST_ID_KEY, type AgentRun } from '../../../src/core/api/codegenClient';
import { tokenFingerprint } from '../../../src/core/auth/tokenFingerprint';
import {
  AuthenticationError,
  CancellationError,
  ConfigurationError,
  NetworkError,
  NotFoundError,
  PlanLimitError,
  ProtocolError,
  RateLimitError,
  ServerError,
  ServerTimeoutError,
  SignInChangedError,
  TimeoutError,
  ValidationError,
} from '../../../src/core/errors';
import { adviseError } from '../../../src/core/errorAdvice';
import { SANDBOX_TOKEN } from '../../servers/codegen/codegenServer';
import type { FaultSpec } from '../../servers/codegen/serverFaults';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { startHarness, type Harness } from './codegenHarness';

const CODE_FENCE = /```[a-z]*\n[\s\S]+?\n```/;

describe('CodegenClient against the contract server (real HTTP)', () => {
  let h: Harness;
  const thrown: Error[] = [];
  const capture = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      if (e instanceof Error) thrown.push(e);
      throw e;
    }
  };

  beforeEach(async () => {
    thrown.length = 0;
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
    const everything = [h.logger.text(), ...thrown.map((e) => `${e.name}: ${e.message}`), JSON.stringify(h.server.requests())].join('\n');
    assert.ok(!everything.includes(SANDBOX_TOKEN), 'the token leaked into a log line, an error or the server log');
  });
  const calls = (path: string | RegExp) => h.server.requests().filter((e) => (typeof path === 'string' ? e.path === path : path.test(e.path)));

  describe('endpoints', () => {
    it('getMe returns the signed-in user', async () => {
      const me = await h.client.getMe();
      assert.deepEqual(me, { id: 1, email: 'sandbox@example.com', githubUsername: 'sandbox-user', fullName: 'Sandbox User' });
      assert.equal(calls('/v1/users/me')[0]?.auth, 'valid');
    });

    it('listOrganizations pages with skip/limit', async () => {
      const first = await h.client.listOrganizations({ skip: 0, limit: 1 });
      assert.deepEqual(first, { items: [{ id: 1001, name: 'Team 1' }], total: 2, page: 1, size: 1, pages: 2, received: 1 });
      const second = await h.client.listOrganizations({ skip: 1, limit: 1 });
      assert.deepEqual(second.items, [{ id: 1, name: 'Sandbox Org' }]);
      assert.equal(second.page, 2);
      assert.deepEqual(calls('/v1/organizations')[1]?.query, { skip: '1', limit: '1' });
    });

    it('createRun sends the snake_case body and the run moves PENDING → RUNNING → COMPLETE on the clock', async () => {
      const created = await h.client.createRun({ prompt: 'Add greet() and open a PR', metadata: { from: 'test' }, repoId: 11, model: 'claude-sonnet', agentType: 'claude_code', images: ['data:image/png;base64,AAAA'] });
      const body = calls('/v1/organizations/1/agent/run')[0]?.body as { metadata?: Record<string, unknown> } | undefined;
      const requestId = body?.metadata?.[RUN_REQUEST_ID_KEY];
      assert.match(String(requestId), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'no request id in the metadata');
      assert.deepEqual(body, {
        prompt: 'Add greet() and open a PR',
        images: ['data:image/png;base64,AAAA'],
        metadata: { from: 'test', [RUN_REQUEST_ID_KEY]: requestId },
        repo_id: 11,
        model: 'claude-sonnet',
        agent_type: 'claude_code',
      });
      assert.equal(created.status, 'PENDING');
      assert.equal(created.state, 'active');
      assert.equal(created.createdAt?.getTime(), h.clock.now());
      assert.equal(created.webUrl, `https://codegen.sh/agent/trace/${created.id}`);
      assert.deepEqual(created.metadata, { from: 'test', [RUN_REQUEST_ID_KEY]: requestId });
      assert.equal(isTerminal(created), false);

      await h.clock.advance(3_000);
      assert.equal((await h.client.getRun(created.id)).status, 'RUNNING');
      await h.clock.advance(20_000);
      const done = await h.client.getRun(created.id);
      assert.equal(done.status, 'COMPLETE');
      assert.equal(done.state, 'complete');
      assert.ok(isTerminal(done));
      assert.match(done.result ?? '', CODE_FENCE);
      assert.match(done.summary ?? '', /Add greet\(\) and open a PR/);
      assert.equal(done.pullRequests.length, 1);
      assert.match(done.pullRequests[0]?.url ?? '', /^https:\/\/github\.com\/.+\/pull\/\d+$/);
      assert.equal(done.pullRequests[0]?.headBranchName, `codegen-bot/run-${created.id}`);
    });

    it('listRuns pages, filters and reads the live service quirks (naive dates, lower-case, unknown, nulls)', async () => {
      const all = await h.client.listRuns();
      assert.deepEqual(
        all.items.map((r) => [r.id, r.status, r.state]),
        [
          [104, 'AWAITING_REVIEW', 'unknown'],
          [103, 'FAILED', 'failed'],
          [102, 'COMPLETED', 'complete'],
          [101, 'COMPLETE', 'complete'],
          [105, 'STOPPED', 'failed'],
        ],
      );
      const r101 = all.items.find((r) => r.id === 101);
      // (Meaningful only away from UTC: the unit tests' root hook pins the zone.)
      assert.notEqual(new Date(0).getTimezoneOffset(), 0, 'the tests run in a zone other than UTC');
      assert.equal(r101?.createdAt?.getTime(), h.clock.now() - 3 * 3_600_000, 'a timezone-less created_at is UTC');
      assert.equal(r101?.pullRequests.length, 1);
      const r105 = all.items.find((r) => r.id === 105);
      assert.equal(r105?.createdAt, undefined);
      assert.equal(r105?.webUrl, undefined);
      assert.deepEqual(r105?.pullRequests, []);

      const page = await h.client.listRuns({ skip: 2, limit: 2 });
      assert.deepEqual([page.items.map((r) => r.id), page.total, page.page, page.size, page.pages], [[102, 101], 5, 2, 2, 3]);
      assert.deepEqual((await h.client.listRuns({ userId: 2 })).items.map((r) => r.id), [103]);
      assert.deepEqual((await h.client.listRuns({ sourceType: 'SLACK' })).items.map((r) => r.id), [105]);
    });

    it('refuses a run id that is no positive whole number before any request (ids come from command arguments too)', async () => {
      const before = h.server.requests().length;
      for (const id of [1.5, Number.NaN, -3, 0, '7/../../../../users/me?x=' as unknown as number, '7#frag' as unknown as number]) {
        await assert.rejects(h.client.getRun(id), ValidationError, String(id));
        await assert.rejects(h.client.getRunLogs(id), ValidationError, String(id));
        await assert.rejects(h.client.stopRun(id), ValidationError, String(id));
        await assert.rejects(h.client.resumeRun(id, 'go on'), ValidationError, String(id));
      }
      assert.equal(h.server.requests().length, before, 'nothing was sent');
    });

    it('resumeRun starts a new RUNNING period; stopRun stops a running run and leaves a finished one alone', async () => {
      const run = await h.client.createRun({ prompt: 'Write docs' });
      await h.clock.advance(30_000);
      const resumed = await h.client.resumeRun(run.id, 'Also add an example');
      assert.equal(resumed.status, 'RUNNING');
      assert.deepEqual(calls('/v1/organizations/1/agent/run/resume')[0]?.body, { agent_run_id: run.id, prompt: 'Also add an example' });
      await h.clock.advance(20_000);
      const again = await h.client.getRun(run.id);
      assert.equal(again.status, 'COMPLETE');
      assert.match(again.result ?? '', /Also add an example/);

      const other = await h.client.createRun({ prompt: 'Long job' });
      await h.clock.advance(5_000);
      const stopped = await h.client.stopRun(other.id);
      assert.equal(stopped.status, 'STOPPED');
      assert.ok(isTerminal(stopped));
      assert.deepEqual(calls('/v1/beta/organizations/1/agent/run/stop')[0]?.body, { agent_run_id: other.id });
      assert.equal((await h.client.stopRun(run.id)).status, 'COMPLETE');
    });

    it('getRunLogs pages through the logs, oldest or newest first', async () => {
      const run = await h.client.createRun({ prompt: 'Refactor' });
      await h.clock.advance(30_000);
      const p1 = await h.client.getRunLogs(run.id, { skip: 0, limit: 10 });
      assert.equal(p1.run.id, run.id);
      assert.equal(p1.run.status, 'COMPLETE');
      assert.equal(p1.logs.length, 10);
      assert.ok((p1.totalLogs ?? 0) > 20);
      assert.equal(p1.pages, Math.ceil((p1.totalLogs ?? 0) / 10));
      assert.equal(p1.logs[0]?.messageType, 'USER_MESSAGE');
      assert.equal(p1.logs[0]?.observation, 'Refactor');
      const action = p1.logs.find((l) => l.messageType === 'ACTION');
      assert.ok(action?.toolName && action.thought && action.toolInput);
      const last = await h.client.getRunLogs(run.id, { skip: 0, limit: 1, reverse: true });
      assert.equal(last.logs[0]?.messageType, 'FINAL_ANSWER');
      assert.deepEqual(calls(/\/logs$/)[1]?.query, { skip: '0', limit: '1', reverse: 'true' });
      assert.equal(calls(/\/logs$/)[0]?.rateClass, 'logs');
    });

    it('listRepos returns the org repositories', async () => {
      const repos = await h.client.listRepos({ limit: 10 });
      assert.deepEqual(repos.items, [
        { id: 11, name: 'web-app', fullName: 'sandbox-org/web-app', language: 'TypeScript' },
        { id: 12, name: 'api', fullName: 'sandbox-org/api', language: 'Python' },
        { id: 13, name: 'legacy', fullName: 'sandbox-org/legacy' },
      ]);
      assert.equal(repos.total, 3);
    });
  });

  describe('settings, token and server-side errors', () => {
    it('reads settings on every call (org change applies at once)', async () => {
      await h.client.listRuns();
      h.settings.orgId = '1001';
      const other = await h.client.listRuns();
      assert.equal(other.total, 0);
      assert.deepEqual(
        calls(/\/agent\/runs$/).map((e) => e.path),
        ['/v1/organizations/1/agent/runs', '/v1/organizations/1001/agent/runs'],
      );
    });

    it('without a token: AuthenticationError "Not signed in", nothing sent', async () => {
      h.token.value = undefined;
      await assert.rejects(capture(h.client.listRuns()), (e: unknown) => e instanceof AuthenticationError && /Not signed in/.test(e.message));
      assert.equal(h.server.requests().length, 0);
    });

    it('without a valid org id: ConfigurationError naming contexten.codegen.orgId, nothing sent', async () => {
      h.settings.orgId = '';
      await assert.rejects(capture(h.client.getRun(1)), (e: unknown) => e instanceof ConfigurationError && e.setting === 'contexten.codegen.orgId');
      h.settings.orgId = 'acme';
      await assert.rejects(capture(h.client.listRuns()), (e: unknown) => e instanceof ConfigurationError && e.setting === 'contexten.codegen.orgId' && !e.message.includes('acme'));
      assert.equal(h.server.requests().length, 0);
    });

    it('a real 422 from the server carries loc/msg and is not retried', async () => {
      await assert.rejects(
        capture(h.client.createRun({ prompt: 'x', repoId: 1.5 })),
        (e: unknown) => e instanceof ValidationError && e.issues[0]?.loc.join('.') === 'body.repo_id' && e.issues[0].msg === 'Input should be a valid integer',
      );
      assert.equal(calls('/v1/organizations/1/agent/run').length, 1);
    });

    it('an unknown run is NotFoundError; a foreign org is AuthenticationError 403; neither retried', async () => {
      await assert.rejects(capture(h.client.getRun(424242)), NotFoundError);
      h.settings.orgId = '999';
      await assert.rejects(capture(h.client.listRuns()), (e: unknown) => e instanceof AuthenticationError && e.status === 403);
      assert.equal(h.server.requests().length, 2);
    });

    it('a retry reads the token again: one entered while it waited is sent, not the one revoked meanwhile', async () => {
      h.server.addToken('new-token-5678');
      h.server.addFault({ path: '/agent/run/101$', kind: '503', times: 1 });
      const p = h.client.getRun(101);
      await h.clock.whenTimerPending(); // the wait before the retry
      h.server.revokeToken(SANDBOX_TOKEN);
      h.token.value = 'new-token-5678';
      const got = await h.run(p);
      assert.equal(got.id, 101);
      assert.deepEqual(calls(/\/agent\/run\/101$/).map((e) => `${e.status ?? ''} ${e.auth}`), ['503 valid', '200 valid']);
    });

    it('a retry after the user signed in again elsewhere creates no run: not as the new user in the old organization, nor in the new one', async () => {
      h.server.addToken('user-b-token');
      h.server.addFault({ path: 'agent/run$', kind: '429', retryAfter: '1', times: 1 });
      const p = h.client.createRun({ prompt: 'x' }).catch((e: unknown) => e);
      await h.clock.whenTimerPending(); // the wait before the retry
      // Sign-in as user B, whose organization is another (the glue saves the org id, then stores the token).
      h.settings.orgId = '1001';
      h.token.value = 'user-b-token';
      const err = await h.run(p);
      assert.ok(err instanceof SignInChangedError && /the sign-in \(token or base URL\) or the organization changed/.test(err.message) && !/may have gone through/.test(err.message), String(err));
      assert.deepEqual(calls(/agent\/run$/).map((e) => `${e.path} ${e.status ?? ''}`), ['/v1/organizations/1/agent/run 429']);
      // Only the token changed (the same organization): not sent with it either.
      h.server.addFault({ path: 'agent/run$', kind: '429', retryAfter: '1', times: 1 });
      h.settings.orgId = '1';
      const q = h.client.createRun({ prompt: 'y' }).catch((e: unknown) => e);
      await h.clock.whenTimerPending();
      h.token.value = SANDBOX_TOKEN;
      assert.ok((await h.run(q)) instanceof SignInChangedError);
      assert.equal(calls(/agent\/run$/).length, 2);
    });

    it('a read retried after the organization changed goes to the new organization with the new token', async () => {
      h.server.addToken('user-b-token');
      h.server.addFault({ path: 'agent/runs$', kind: '503', times: 1 });
      const p = h.client.listRuns();
      await h.clock.whenTimerPending();
      h.settings.orgId = '1001';
      h.token.value = 'user-b-token';
      await h.run(p);
      assert.deepEqual(calls(/agent\/runs$/).map((e) => `${e.path} ${e.status ?? ''} ${e.auth}`), ['/v1/organizations/1/agent/runs 503 valid', '/v1/organizations/1001/agent/runs 200 valid']);
    });

    it('a 401/403 names the token it rejected; a 403 on an organization\'s path is about the organization, not the token', async () => {
      h.token.value = 'not-the-token';
      const rejected = await h.client.getMe().catch((e: unknown) => e);
      assert.ok(rejected instanceof AuthenticationError && rejected.status === 401, String(rejected));
      assert.equal(rejected.tokenFingerprint, tokenFingerprint('not-the-token'));
      assert.equal(rejected.rejectsToken, true);
      assert.equal(rejected.organization, false);
      h.token.value = SANDBOX_TOKEN;
      h.settings.orgId = '999';
      const foreign = await h.client.listRuns().catch((e: unknown) => e);
      assert.ok(foreign instanceof AuthenticationError && foreign.status === 403, String(foreign));
      assert.equal(foreign.organization, true);
      assert.equal(foreign.rejectsToken, false);
      assert.match(foreign.message, /denied access to GET \/v1\/organizations\/999\/agent\/runs/);
      // A 403 elsewhere (not an organization's path) is about the token.
      h.server.addFault({ path: 'users/me', kind: '403', times: 1 });
      const denied = await h.client.getMe().catch((e: unknown) => e);
      assert.ok(denied instanceof AuthenticationError && denied.rejectsToken && !denied.organization, String(denied));
      // The client's own "not signed in" rejects no token.
      h.token.value = undefined;
      const none = await h.client.getMe().catch((e: unknown) => e);
      assert.ok(none instanceof AuthenticationError && !none.rejectsToken && none.tokenFingerprint === undefined, String(none));
    });

    it('isCurrentEndpoint: a sign-in is of the base URL of now whatever its token, not after the base URL changed', async () => {
      const before = await h.client.signIn();
      assert.equal(h.client.isCurrentEndpoint(before), true);
      h.token.value = `${SANDBOX_TOKEN}-other`;
      assert.equal(h.client.isCurrentEndpoint(before), true, 'another token, same base URL');
      h.settings.baseUrl = `${h.server.url}/`;
      assert.equal(h.client.isCurrentEndpoint(before), true, 'a trailing slash names the same base URL');
      h.settings.baseUrl = 'https://other.codegen.test';
      assert.equal(h.client.isCurrentEndpoint(before), false);
      assert.equal(h.client.isCurrentEndpoint(await h.client.signIn()), true);
    });

    it("a 403 on a run followed in its own organization, not the one in the settings, names the run's organization, not contexten.codegen.orgId", async () => {
      // (A run created before the org id setting changed is read in its own organization: a 403 there says nothing of the setting.)
      const owner = { organizationId: 999, signIn: await h.client.signIn() };
      const denied = await capture(h.client.getRun(101, undefined, owner)).catch((e: unknown) => e);
      assert.ok(denied instanceof AuthenticationError && denied.status === 403 && denied.organization, String(denied));
      assert.equal(denied.rejectsToken, false);
      assert.equal(denied.runOrganizationId, 999);
      const advice = adviseError(denied);
      assert.match(advice.message, /denied access to GET \/v1\/organizations\/999\/agent\/run\/101 \(HTTP 403: You do not have access to this organization\.\)\. The run belongs to organization 999, not the one in contexten\.codegen\.orgId/);
      assert.doesNotMatch(advice.message, /Check contexten\.codegen\.orgId/);
      assert.ok(!advice.steps.some((s) => s.kind === 'openSettings'), JSON.stringify(advice.steps));
      // The run of the organization in the settings: a 403 there is still about the setting.
      h.settings.orgId = '999';
      const setting = await capture(h.client.getRun(101, undefined, owner)).catch((e: unknown) => e);
      assert.ok(setting instanceof AuthenticationError && setting.organization && setting.runOrganizationId === undefined, String(setting));
      assert.match(adviseError(setting).message, /Check contexten\.codegen\.orgId/);
    });

    it("a 404 on a run followed in its own organization, not the one in the settings, names the run's organization, not contexten.codegen.orgId", async () => {
      // (As a 403 there: the run may be gone, or the user's access to its organization, but the setting is not at fault.)
      const owner = { organizationId: 1001, signIn: await h.client.signIn() };
      const missing = await capture(h.client.getRun(101, undefined, owner)).catch((e: unknown) => e);
      assert.ok(missing instanceof NotFoundError && missing.runOrganizationId === 1001, String(missing));
      const advice = adviseError(missing);
      assert.match(advice.message, /not found for GET \/v1\/organizations\/1001\/agent\/run\/101 \(HTTP 404[^)]*\)\. The run belongs to organization 1001, not the one in contexten\.codegen\.orgId: it may no longer exist there/);
      assert.doesNotMatch(advice.message, /Check the organization id/);
      assert.deepEqual(advice.steps, []);
      // The run of the organization in the settings: a 404 there still points at the setting.
      h.settings.orgId = '1001';
      const setting = await capture(h.client.getRun(101, undefined, owner)).catch((e: unknown) => e);
      assert.ok(setting instanceof NotFoundError && setting.runOrganizationId === undefined, String(setting));
      assert.match(adviseError(setting).message, /Check the organization id/);
      assert.deepEqual(adviseError(setting).steps, [{ kind: 'openSettings', setting: 'contexten.codegen.orgId' }]);
    });

    it('refuses an organization id too long to be exact as a number (it would go into the path as 1.2345678901234568e+22): nothing sent', async () => {
      h.settings.orgId = '12345678901234567890123';
      await assert.rejects(h.client.listRuns(), (e: unknown) => e instanceof ConfigurationError && e.setting === 'contexten.codegen.orgId' && /too long/.test(e.message));
      assert.equal(h.server.requests().length, 0);
    });

    it('a token pasted with invisible characters is sent without them; one HTTP cannot carry is refused, nothing sent', async () => {
      h.token.value = `\u200b${SANDBOX_TOKEN}\uFEFF`;
      await capture(h.client.getMe());
      assert.equal(h.server.requests().length, 1);
      h.token.value = `${SANDBOX_TOKEN}\u201d`;
      await assert.rejects(capture(h.client.getMe()), (e: unknown) => e instanceof AuthenticationError && e.credential === 'codegen' && /^The Codegen API token has a typographic quote/.test(e.message) && !e.message.includes(SANDBOX_TOKEN));
      assert.equal(h.server.requests().length, 1);
    });

    it('a wrong stored token is AuthenticationError 401, not retried', async () => {
      h.token.value = 'not-the-token';
      await assert.rejects(capture(h.client.getMe()), (e: unknown) => e instanceof AuthenticationError && e.status === 401 && !e.message.includes('not-the-token'));
      assert.equal(h.server.requests().length, 1);
    });
  });

  describe('faults, retries and backoff', () => {
    const fault = (spec: FaultSpec) => h.server.addFault(spec);
    /** A createRun whose answer is lost after the run was created (processed 502), cancelled in the wait before its retry. */
    const cancelAfterLostAnswer = async (prompt: string): Promise<void> => {
      fault({ path: 'agent/run$', kind: 'processed-502' });
      const ac = new AbortController();
      const p = h.client.createRun({ prompt }, ac.signal);
      await h.clock.whenTimerPending(); // the wait before the retry
      ac.abort();
      await assert.rejects(p, CancellationError);
    };
    /** The requests about runs so far: `POST /agent/run 502`, `GET /agent/runs 200`, … */
    const runSteps = () => h.server.requests().filter((r) => /agent\/run/.test(r.path)).map((r) => `${r.method} ${r.path.replace(/\/v1(\/beta)?\/organizations\/1/, '')} ${r.status ?? ''}`);
    const gaps = (path: string) => {
      const at = calls(path).map((e) => e.at);
      return at.slice(1).map((t, i) => t - (at[i] ?? 0));
    };

    const neverRetried: { kind: FaultSpec['kind']; path: string; call: () => Promise<unknown>; check: (e: unknown) => boolean }[] = [
      { kind: '401', path: 'users/me', call: () => h.client.getMe(), check: (e) => e instanceof AuthenticationError && e.status === 401 },
      { kind: '402', path: 'agent/run$', call: () => h.client.createRun({ prompt: 'x' }), check: (e) => e instanceof PlanLimitError && /Alloted agent runs/.test(e.message) },
      { kind: '403', path: 'users/me', call: () => h.client.getMe(), check: (e) => e instanceof AuthenticationError && e.status === 403 },
      { kind: '404', path: 'agent/run/101$', call: () => h.client.getRun(101), check: (e) => e instanceof NotFoundError },
      { kind: '422', path: 'agent/run$', call: () => h.client.createRun({ prompt: 'x' }), check: (e) => e instanceof ValidationError && e.issues[0]?.loc.join('.') === 'body.prompt' },
      { kind: 'malformed-json', path: 'users/me', call: () => h.client.getMe(), check: (e) => e instanceof ProtocolError && /malformed JSON/.test(e.message) },
    ];
    for (const { kind, path, call, check } of neverRetried) {
      it(`${kind}: the right error class, never retried`, async () => {
        fault({ path, kind, times: 5 });
        await assert.rejects(capture(h.run(call())), check);
        assert.equal(h.server.requests().length, 1);
      });
    }

    it('a server that echoes the Authorization value and the bare token in a 401 or a 5xx body: neither reaches an error or a log line', async () => {
      fault({ path: 'users/me', kind: '401-echo-auth' });
      const rejected = await capture(h.run(h.client.getMe())).catch((e: unknown) => e);
      assert.ok(rejected instanceof AuthenticationError && rejected.status === 401, String(rejected));
      // The echoed body is in the message — redacted: the check below is about the message's real content.
      assert.match(rejected.message, /Invalid or expired API token «redacted» \(Authorization: Bearer «redacted»\)/);
      assert.ok(!rejected.message.includes(SANDBOX_TOKEN), rejected.message);
      h.settings.maxRetries = 1;
      fault({ path: 'users/me', kind: '500-echo-auth', times: 2 });
      const failed = await capture(h.run(h.client.getMe())).catch((e: unknown) => e);
      assert.ok(failed instanceof ServerError && failed.status === 500, String(failed));
      assert.match(failed.message, /token=«redacted»/);
      assert.ok(!failed.message.includes(SANDBOX_TOKEN), failed.message);
      // The retry after the first 500 was logged with its reason; the token is in no log line (afterEach checks all).
      assert.match(h.logger.text(), /token=«redacted»/);
      assert.ok(!h.logger.text().includes(SANDBOX_TOKEN));
    });

    it('a web page answered with 200 (a login portal, a website at the base URL): not malformed JSON but a wrong contexten.codegen.baseUrl, never retried', async () => {
      fault({ path: 'users/me', kind: '200-html', times: 5 });
      const err = await capture(h.run(h.client.getMe())).catch((e: unknown) => e);
      assert.ok(err instanceof ProtocolError, String(err));
      assert.equal(h.server.requests().length, 1);
      assert.equal(err.hint, 'webPage');
      assert.equal(err.setting, 'contexten.codegen.baseUrl');
      assert.equal(
        err.message,
        'Codegen answered GET /v1/users/me with a web page ("Sign in – Corporate SSO") instead of JSON. The base URL is probably wrong: check contexten.codegen.baseUrl; it should point at the Codegen API itself (by default https://api.codegen.com), not at a web page or app in front of it.',
      );
      const advice = adviseError(err);
      assert.equal(advice.message, `Contexten: ${err.message}`);
      assert.doesNotMatch(advice.message, /openai/);
      assert.deepEqual(advice.steps, [{ kind: 'openSettings', setting: 'contexten.codegen.baseUrl' }, { kind: 'showLogs' }]);
    });

    it("408 (the server or a proxy gave up waiting): retried as a timeout, then advice to try again — not to raise contexten.http.timeoutMs", async () => {
      h.settings.maxRetries = 2;
      fault({ path: 'users/me', kind: '408', times: 3 });
      const err = await capture(h.run(h.client.getMe())).catch((e: unknown) => e);
      assert.ok(err instanceof ServerTimeoutError, String(err));
      assert.equal(calls('/v1/users/me').length, 3);
      assert.equal(err.message, 'Codegen (or a proxy in front of it) gave up waiting for GET /v1/users/me (HTTP 408).');
      const advice = adviseError(err);
      assert.doesNotMatch(advice.message, /timeoutMs/);
      // (Not "the server's log": a hosted service's log is not the user's to read.)
      assert.match(advice.message, /Try again later; if it keeps happening, check Codegen's service status/);
      assert.deepEqual(advice.steps, [{ kind: 'showLogs' }]);
      // Once, then an answer: the retry gets it.
      fault({ path: 'users/me', kind: '408' });
      assert.equal((await h.run(h.client.getMe())).id, 1);
    });

    it('500 twice, then success: retried with exponential backoff and jitter', async () => {
      fault({ path: 'users/me', kind: '500', times: 2 });
      assert.equal((await h.run(h.client.getMe())).id, 1);
      assert.deepEqual(gaps('/v1/users/me'), [250, 500]);
    });

    it('backoff uses the injected Random (full jitter)', async () => {
      await h.close();
      const draws = [0.1, 0.9, 0.5];
      h = await startHarness({ random: () => draws.shift() ?? 0 });
      fault({ path: 'users/me', kind: '503', times: 3 });
      await h.run(h.client.getMe());
      assert.deepEqual(gaps('/v1/users/me'), [50, 900, 1000]);
    });

    it('502 with an HTML body: retried up to maxRetries, then ServerError summarising the page', async () => {
      h.settings.maxRetries = 2;
      fault({ path: 'agent/runs', kind: '502-html', times: 10 });
      await assert.rejects(capture(h.run(h.client.listRuns())), (e: unknown) => e instanceof ServerError && e.status === 502 && /502 Bad Gateway/.test(e.message) && !e.message.includes('<'));
      assert.equal(calls('/v1/organizations/1/agent/runs').length, 3);
    });

    it('createRun whose answer is lost after the run was created (502): the retry finds that run and creates no second one', async () => {
      fault({ path: 'agent/run$', kind: 'processed-502' });
      const run = await h.run(h.client.createRun({ prompt: 'Add a health-check endpoint' }));
      assert.deepEqual(
        h.server.requests().filter((r) => /agent\/runs?$/.test(r.path)).map((r) => `${r.method} ${r.path.replace('/v1/organizations/1', '')} ${r.status ?? ''}`),
        ['POST /agent/run 502', 'GET /agent/runs 200'],
        'expected one creation, then a lookup instead of a second creation',
      );
      const posted = calls('/v1/organizations/1/agent/run')[0]?.body as { metadata?: Record<string, unknown> } | undefined;
      assert.equal(run.metadata?.[RUN_REQUEST_ID_KEY], posted?.metadata?.[RUN_REQUEST_ID_KEY]);
      const listed = (await h.client.listRuns({ limit: 100 })).items.filter((r) => r.metadata?.[RUN_REQUEST_ID_KEY] === run.metadata?.[RUN_REQUEST_ID_KEY]);
      assert.deepEqual(listed.map((r) => r.id), [run.id], 'the server holds exactly one run for the request');
      assert.match(h.logger.text(), new RegExp(`run the failed attempt created \\(#${run.id}\\) was found`));
    });

    it('createRun cancelled after its answer was lost (502, the run created): finds that run and stops it, leaving none running', async () => {
      await cancelAfterLostAnswer('Add a health-check endpoint');
      await h.client.whenCleanedUp(); // (the stop runs after the cancellation is answered)
      assert.deepEqual(runSteps(), ['POST /agent/run 502', 'GET /agent/runs 200', 'POST /agent/run/stop 200']);
      const posted = calls('/v1/organizations/1/agent/run')[0]?.body as { metadata?: Record<string, unknown> } | undefined;
      const left = (await h.client.listRuns({ limit: 100 })).items.filter((r) => r.metadata?.[RUN_REQUEST_ID_KEY] === posted?.metadata?.[RUN_REQUEST_ID_KEY]);
      assert.equal(left.length, 1);
      assert.equal(left[0]?.state, 'failed', `stopped, not ${left[0]?.status ?? 'missing'}`);
      assert.match(h.logger.text(), /stopped run #\d+, which a cancelled request had created/);
    });

    it('a cancelled createRun is answered at once; its clean-up runs behind it and gives up at its deadline', async () => {
      fault({ path: 'agent/run$', kind: 'processed-502' });
      fault({ path: 'agent/runs', kind: 'hang' }); // the lookup for the run never answers
      const ac = new AbortController();
      const p = h.client.createRun({ prompt: 'Rename the module' }, ac.signal);
      await h.clock.whenTimerPending(); // the wait before the retry
      ac.abort();
      await assert.rejects(p, CancellationError); // while the lookup hangs
      await h.server.waitForRequest((e) => e.fault === 'hang');
      let cleaned = false;
      const done = h.client.whenCleanedUp().then(() => {
        cleaned = true;
      });
      await h.clock.advance(14_000);
      assert.equal(cleaned, false, 'still looking before its deadline');
      await h.clock.advance(1_000);
      await done;
      assert.match(h.logger.text(), /cleaning up after the cancelled POST \S+ failed/);
    });

    it('shutting down waits for a cancelled createRun\'s clean-up (the run it created is stopped), but not past its bound', async () => {
      // A clean-up that ends: the run the cancelled request created is stopped before the shutdown resolves.
      await cancelAfterLostAnswer('Add a health-check endpoint');
      await h.client.shutdown(4_000);
      assert.deepEqual(runSteps(), ['POST /agent/run 502', 'GET /agent/runs 200', 'POST /agent/run/stop 200'], 'the run was looked up and stopped before the shutdown resolved');
      assert.doesNotMatch(h.logger.text(), /shutting down with/);
      assert.equal(h.client.shutdown(4_000), h.client.shutdown(1), 'one shutdown');
    });

    it('shutting down gives up on a clean-up that hangs after its bound, says so, and ends it: the connections close at once', async () => {
      fault({ path: 'agent/run$', kind: 'processed-502' });
      fault({ path: 'agent/runs', kind: 'hang' }); // the lookup for the run never answers
      const ac = new AbortController();
      const p = h.client.createRun({ prompt: 'Rename the module' }, ac.signal);
      await h.clock.whenTimerPending();
      ac.abort();
      await assert.rejects(p, CancellationError);
      await h.server.waitForRequest((e) => e.fault === 'hang');
      let ended = false;
      const shutdown = h.client.shutdown(4_000).then(() => {
        ended = true;
      });
      await h.clock.advance(3_900);
      assert.equal(ended, false, 'still waiting within its bound');
      await h.clock.advance(100);
      await shutdown;
      assert.match(h.logger.text(), /shutting down with 1 clean-up\(s\) of cancelled requests unfinished after 4000 ms/);
      // The clean-up was ended with the wait, not at its own deadline (11 s later): its hung request is aborted, so
      // closing the transport (which waits for requests in flight) does not wait for it.
      let cleaned = false;
      void h.client.whenCleanedUp().then(() => (cleaned = true));
      await flushPromises();
      assert.equal(cleaned, true, 'a clean-up still running after the shutdown');
      await h.transport.close();
      assert.equal(h.transport.inFlight, 0);
    });

    /** Moves the clock through a cancelled createRun's clean-up: each wait before it looks for the run again. */
    async function throughLookups(): Promise<void> {
      const cleaned = h.client.whenCleanedUp();
      let done = false;
      void cleaned.then(() => (done = true));
      // (Its deadline's timer is pending throughout; a second is a wait between lookups.)
      while (!done) {
        if (h.clock.pending() >= 2) await h.clock.advance((h.clock.nextAt() ?? h.clock.now()) - h.clock.now());
        else await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await cleaned;
    }

    /** A createRun cancelled while its request is out, the request held by `spec` (a fault of kind hang or processed-late). */
    async function cancelWhileOut(spec: FaultSpec): Promise<void> {
      fault(spec);
      const ac = new AbortController();
      const p = h.client.createRun({ prompt: 'Tidy the imports' }, ac.signal);
      await h.server.waitForRequest((e) => e.fault === spec.kind);
      ac.abort();
      await assert.rejects(p, CancellationError);
    }

    it('createRun cancelled while its request is out looks for the run it may have created, a few times (here none: nothing to stop)', async () => {
      await cancelWhileOut({ path: 'agent/run$', kind: 'hang' });
      const cancelledAt = h.clock.now();
      await throughLookups();
      assert.deepEqual(
        h.server.requests().filter((r) => /agent\/run/.test(r.path)).map((r) => `${r.method} ${r.path.replace(/\/v1(\/beta)?\/organizations\/1/, '')} +${r.at - cancelledAt}`),
        ['POST /agent/run +0', 'GET /agent/runs +0', 'GET /agent/runs +1000', 'GET /agent/runs +4000', 'GET /agent/runs +10000'],
      );
    });

    it('a cancelled createRun\'s lookup that fails (a 5xx) is tried again at the next wait: the run is still found and stopped', async () => {
      fault({ path: 'agent/runs$', kind: '500' });
      await cancelWhileOut({ path: 'agent/run$', method: 'POST', kind: 'processed-late', delayMs: 0 });
      await throughLookups();
      assert.deepEqual(runSteps(), ['POST /agent/run ', 'GET /agent/runs 500', 'GET /agent/runs 200', 'POST /agent/run/stop 200']);
    });

    it('createRun cancelled while its request is out: a run the service records only after the first lookups is found and stopped', async () => {
      // The request is taken when the client goes away, and the run shows in reads only 2 s after.
      await cancelWhileOut({ path: 'agent/run$', method: 'POST', kind: 'processed-late', delayMs: 2_000 });
      await throughLookups();
      assert.deepEqual(runSteps(), ['POST /agent/run ', 'GET /agent/runs 200', 'GET /agent/runs 200', 'GET /agent/runs 200', 'POST /agent/run/stop 200']);
      const runs = (await h.client.listRuns({ limit: 100 })).items;
      assert.equal(runs[0]?.state, 'failed', `the late run was stopped, not ${runs[0]?.status ?? 'missing'}`);
      assert.match(h.logger.text(), /stopped run #\d+, which a cancelled request had created/);
    });

    it('createRun refused with a 500 before any run existed: the lookup finds nothing and the run is created by the retry', async () => {
      fault({ path: 'agent/run$', kind: '500' });
      const run = await h.run(h.client.createRun({ prompt: 'Write the changelog' }));
      const steps = h.server.requests().filter((r) => /agent\/runs?$/.test(r.path)).map((r) => `${r.method} ${r.status ?? ''}`);
      assert.deepEqual(steps, ['POST 500', 'GET 200', 'POST 200']);
      assert.equal((await h.client.getRun(run.id)).id, run.id);
    });

    describe('resumeRun after an answer that never arrived', () => {
      /** The requests about run `id` after its creation: `GET logs 200`, `POST resume 502`, … */
      const resumeSteps = (id: number) =>
        h.server
          .requests()
          .filter((r) => r.path.includes(`/agent/run/${id}`) || r.path.endsWith('/agent/run/resume'))
          .map((r) => `${r.method} ${r.path.endsWith('/logs') ? 'logs' : r.path.endsWith('/resume') ? 'resume' : 'run'} ${r.status ?? ''}`);
      const followUps = async (id: number) => ((await h.run(h.client.getRun(id))).result ?? '').split('Follow-up done').length - 1;
      /** A run created, `afterMs` on the clock, then resumed with the fault `spec` on the way: the run, the answer. */
      const resumeWith = async (afterMs: number, spec: FaultSpec): Promise<{ run: AgentRun; resumed: AgentRun }> => {
        const run = await h.run(h.client.createRun({ prompt: 'Write docs' }));
        await h.clock.advance(afterMs);
        fault(spec);
        return { run, resumed: await h.run(h.client.resumeRun(run.id, 'Also add an example')) };
      };

      it('a finished run that took the follow-up (processed 502) is found active again: the follow-up is not sent twice', async () => {
        const { run, resumed } = await resumeWith(30_000, { path: 'agent/run/resume$', kind: 'processed-502' });
        assert.equal(resumed.id, run.id);
        assert.equal(resumed.state, 'active');
        assert.deepEqual(resumeSteps(run.id), ['GET logs 200', 'POST resume 502', 'GET run 200']);
        await h.clock.advance(30_000);
        assert.equal(await followUps(run.id), 1);
        assert.equal((await h.client.getRun(run.id)).summary, 'Implemented: Write docs (+1 follow-up)');
        assert.match(h.logger.text(), new RegExp(`run #${run.id} took the follow-up the failed attempt sent \\(now RUNNING\\)`));
      });

      it('a run still active when resumed shows the follow-up in its logs (a user message since): not sent twice', async () => {
        const { run, resumed } = await resumeWith(10_000, { path: 'agent/run/resume$', kind: 'processed-502' });
        assert.equal(resumed.state, 'active');
        assert.deepEqual(resumeSteps(run.id), ['GET logs 200', 'POST resume 502', 'GET run 200', 'GET logs 200']);
        await h.clock.advance(30_000);
        assert.equal(await followUps(run.id), 1);
      });

      it('a 502 before the follow-up was taken: the checks find nothing new (the earlier user message is not counted) and it is sent again, once', async () => {
        const { run, resumed } = await resumeWith(30_000, { path: 'agent/run/resume$', kind: '502-html' });
        assert.equal(resumed.status, 'RUNNING');
        assert.deepEqual(resumeSteps(run.id), ['GET logs 200', 'POST resume 502', 'GET run 200', 'GET logs 200', 'POST resume 200']);
        await h.clock.advance(30_000);
        assert.equal(await followUps(run.id), 1);
      });

      it('when the run cannot be read first, the follow-up is still sent (retried as before), with a warning', async () => {
        const { run, resumed } = await resumeWith(30_000, { path: '/logs$', kind: '404' });
        assert.equal(resumed.status, 'RUNNING');
        assert.deepEqual(resumeSteps(run.id), ['GET logs 404', 'POST resume 200']);
        assert.match(h.logger.text('warn'), new RegExp(`could not read run #${run.id} before resuming it`));
      });

      it('a rejected token on that first read ends the resume there: nothing is sent', async () => {
        const run = await h.run(h.client.createRun({ prompt: 'Write docs' }));
        fault({ path: '/logs$', kind: '401' });
        await assert.rejects(capture(h.run(h.client.resumeRun(run.id, 'Also add an example'))), AuthenticationError);
        assert.deepEqual(resumeSteps(run.id), ['GET logs 401']);
      });

      it('another follow-up logged meanwhile (sent from elsewhere) is no proof: only a user message with this text is', async () => {
        const run = await h.run(h.client.createRun({ prompt: 'Write docs' }));
        await h.clock.advance(10_000);
        fault({ path: 'agent/run/resume$', kind: '502-html' });
        const mine = capture(h.client.resumeRun(run.id, 'Also add an example'));
        await h.server.waitForRequest((e) => e.fault === '502-html' && e.status !== undefined);
        // While the failed attempt waits to try again, another window sends a follow-up of its own.
        await h.run(h.client.resumeRun(run.id, 'Rename the module'));
        const resumed = await h.run(mine);
        assert.equal(resumed.status, 'RUNNING');
        assert.deepEqual(resumeSteps(run.id).slice(1), ['POST resume 502', 'GET logs 200', 'POST resume 200', 'GET run 200', 'GET logs 200', 'POST resume 200']);
        const told = (await h.run(h.client.getRunLogs(run.id, { limit: 100 }))).logs.filter((l) => l.messageType === 'USER_MESSAGE').map((l) => l.observation);
        assert.deepEqual(told, ['Write docs', 'Rename the module', 'Also add an example'], 'this follow-up was sent, once');
      });

      describe('when the server sends no log count (total_logs: null)', () => {
        beforeEach(async () => {
          await h.close();
          h = await startHarness({ server: { nullLogTotals: true } });
        });
        /** The user messages run `id` logged: its task and the follow-ups it took. */
        const userMessages = async (id: number) => (await h.run(h.client.getRunLogs(id, { limit: 100 }))).logs.filter((l) => l.messageType === 'USER_MESSAGE').map((l) => l.observation);

        it('a 500 that never reached the run is given back, not passed off as taken by an earlier follow-up’s message', async () => {
          const run = await h.run(h.client.createRun({ prompt: 'Write docs' }));
          await h.clock.advance(30_000);
          await h.run(h.client.resumeRun(run.id, 'first follow-up'));
          await h.clock.advance(30_000);
          h.server.clearRequests();
          fault({ path: 'agent/run/resume$', kind: '500' });
          await assert.rejects(capture(h.run(h.client.resumeRun(run.id, 'second follow-up'))), ServerError);
          assert.deepEqual(resumeSteps(run.id), ['GET logs 200', 'POST resume 500'], 'no look at the logs from a guessed count, and not sent again');
          assert.deepEqual(await userMessages(run.id), ['Write docs', 'first follow-up'], 'the second follow-up never reached the run: the user is told so');
          assert.match(h.logger.text('warn'), new RegExp(`follow-up to run #${run.id} failed .* was not sent again`));
        });

        it('a follow-up the server took before its 502 is not sent a second time (the error is given back instead)', async () => {
          const run = await h.run(h.client.createRun({ prompt: 'Write docs' }));
          await h.clock.advance(30_000);
          fault({ path: 'agent/run/resume$', kind: 'processed-502' });
          await assert.rejects(capture(h.run(h.client.resumeRun(run.id, 'Also add an example'))), ServerError);
          assert.deepEqual(resumeSteps(run.id), ['GET logs 200', 'POST resume 502']);
          await h.clock.advance(30_000);
          assert.equal(await followUps(run.id), 1);
        });

        it('a 429 (refused before anything happened) is still retried, and the follow-up goes through', async () => {
          const { run, resumed } = await resumeWith(30_000, { path: 'agent/run/resume$', kind: '429', retryAfter: '1' });
          assert.equal(resumed.status, 'RUNNING');
          assert.deepEqual(resumeSteps(run.id), ['GET logs 200', 'POST resume 429', 'POST resume 200']);
        });
      });
    });

    it('createRun after a 429 sends again without a lookup (a 429 is refused before anything happens)', async () => {
      fault({ path: 'agent/run$', kind: '429', retryAfter: '1' });
      await h.run(h.client.createRun({ prompt: 'Bump the version' }));
      assert.deepEqual(h.server.requests().filter((r) => /agent\/runs?$/.test(r.path)).map((r) => `${r.method} ${r.status ?? ''}`), ['POST 429', 'POST 200']);
    });

    it('429 with Retry-After in seconds waits exactly that long', async () => {
      fault({ path: 'users/me', kind: '429', retryAfter: '7' });
      await h.run(h.client.getMe());
      assert.deepEqual(gaps('/v1/users/me'), [7000]);
    });

    it('429 with Retry-After as an HTTP date waits until that date', async () => {
      fault({ path: 'users/me', kind: '429', retryAfter: new Date(h.clock.now() + 9000).toUTCString() });
      await h.run(h.client.getMe());
      assert.deepEqual(gaps('/v1/users/me'), [9000]);
    });

    it('a 429 asking for longer than the client waits is given back at once, and holds its rate class until then', async () => {
      const run = await h.run(h.client.createRun({ prompt: 'Bump the version' }));
      fault({ path: `agent/run/${run.id}$`, kind: '429', retryAfter: '120' });
      const t1 = h.clock.now();
      await assert.rejects(capture(h.run(h.client.getRun(run.id))), (e: unknown) => e instanceof RateLimitError && e.retryAfterMs === 120_000);
      assert.equal(h.clock.now(), t1, 'no wait for a Retry-After over the limit');
      await h.run(h.client.listRuns({ limit: 10 }));
      const list = h.server.requests().filter((r) => r.path.endsWith('/agent/runs'));
      // The class is held as long as a retry would wait (60 s), not for the 120 s: a request past that gets its own answer.
      assert.deepEqual(
        list.map((r) => r.at - t1),
        [60_000],
        'the list (the same class) waited for the Retry-After, up to 60 s',
      );
    });

    it('429 without Retry-After (old {detail} body) backs off and retries', async () => {
      fault({ path: 'users/me', kind: '429-no-retry-after', times: 2 });
      await h.run(h.client.getMe());
      assert.deepEqual(gaps('/v1/users/me'), [250, 500]);
    });

    it('a 429 storm longer than maxRetries ends in RateLimitError', async () => {
      h.settings.maxRetries = 1;
      fault({ path: 'users/me', kind: '429-no-retry-after', times: 5 });
      await assert.rejects(capture(h.run(h.client.getMe())), (e: unknown) => e instanceof RateLimitError && /Rate limit exceeded/.test(e.message));
      assert.equal(calls('/v1/users/me').length, 2);
    });

    it('a connection reset is a NetworkError, retried', async () => {
      fault({ path: 'users/me', kind: 'reset' });
      assert.equal((await h.run(h.client.getMe())).id, 1);
      assert.equal(calls('/v1/users/me').length, 2);
      h.settings.maxRetries = 0;
      fault({ path: 'users/me', kind: 'reset' });
      await assert.rejects(capture(h.run(h.client.getMe())), NetworkError);
    });

    it('a hang past the timeout is a TimeoutError (retried when retries are left)', async () => {
      await h.close();
      const transportClock = new FakeClock();
      h = await startHarness({ transportClock, settings: { maxRetries: 0, timeoutMs: 5_000 } });
      fault({ path: 'users/me', kind: 'hang' });
      const timedOut = assert.rejects(capture(h.client.getMe()), (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 5_000);
      await h.server.waitForRequest((e) => e.fault === 'hang');
      await transportClock.advance(5_000);
      await timedOut;

      h.settings.maxRetries = 1;
      fault({ path: 'users/me', kind: 'hang' });
      const retried = h.client.getMe();
      await h.server.waitForRequest((e) => e.fault === 'hang' && e.seq > 1);
      await transportClock.advance(5_000);
      assert.equal((await h.run(retried)).id, 1);
      assert.equal(calls('/v1/users/me').length, 3);
    });
  });

  describe('cancellation', () => {
    it('aborting mid-request ends in CancellationError', async () => {
      h.server.addFault({ path: 'agent/runs', kind: 'hang' });
      const ac = new AbortController();
      const p = h.client.listRuns(undefined, ac.signal);
      await h.server.waitForRequest((e) => e.fault === 'hang');
      ac.abort();
      await assert.rejects(p, CancellationError);
    });

    it('aborting during a backoff wait ends in CancellationError without another request', async () => {
      h.server.addFault({ path: 'users/me', kind: '500', times: 5 });
      const ac = new AbortController();
      const p = h.client.getMe(ac.signal);
      await h.server.waitForRequest((e) => e.status === 500);
      await h.clock.whenTimerPending();
      ac.abort();
      await assert.rejects(p, CancellationError);
      assert.equal(h.server.requests().length, 1);
    });

    it('aborting while queued behind the rate limit ends in CancellationError and sends nothing', async () => {
      const first = Array.from({ length: 10 }, (_, i) => h.client.createRun({ prompt: `run ${i}` }));
      await Promise.all(first);
      const ac = new AbortController();
      const queued = h.client.createRun({ prompt: 'one too many' }, ac.signal);
      await h.clock.whenTimerPending();
      ac.abort();
      await assert.rejects(queued, CancellationError);
      assert.equal(calls('/v1/organizations/1/agent/run').length, 10);
      // (Nothing was sent for it, so nothing is looked up to be stopped.)
      assert.equal(calls('/v1/organizations/1/agent/runs').length, 0);
    });
  });

  describe('pacing under the published limits', () => {
    it('the server really enforces 10 creations per minute (429 with Retry-After) for an unpaced client', async () => {
      const post = () =>
        fetch(`${h.server.url}/v1/organizations/1/agent/run`, { method: 'POST', headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' }, body: '{"prompt":"raw"}' });
      for (let i = 0; i < 10; i++) assert.equal((await post()).status, 200);
      const limited = await post();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '60');
      assert.deepEqual(await limited.json(), { message: 'Rate limit exceeded. Please try again later.', status_code: 429 });
    });

    it('a burst of 30 createRun calls queues and completes with zero 429s', async () => {
      h.settings.maxRetries = 0; // a single 429 would fail the burst
      const t0 = h.clock.now();
      const runs = await h.run(Promise.all(Array.from({ length: 30 }, (_, i) => h.client.createRun({ prompt: `task ${i}` }))));
      assert.equal(new Set(runs.map((r) => r.id)).size, 30);
      const creations = calls('/v1/organizations/1/agent/run');
      assert.equal(creations.length, 30);
      assert.equal(creations.filter((e) => e.status === 429).length, 0);
      assert.deepEqual([...new Set(creations.map((e) => e.at - t0))], [0, 61_000, 122_000]);
    });
  });

  describe('validateCredentials', () => {
    it('accepts a good token and org, using the given token rather than the stored one', async () => {
      h.token.value = undefined;
      const { user, organization } = await h.client.validateCredentials(SANDBOX_TOKEN, ' 1 ');
      assert.equal(user.githubUsername, 'sandbox-user');
      assert.deepEqual(organization, { id: 1, name: 'Sandbox Org' });
      assert.deepEqual(
        h.server.requests().map((e) => e.path),
        ['/v1/users/me', '/v1/organizations'],
      );
    });

    it('a wrong token: AuthenticationError and nothing else is called', async () => {
      await assert.rejects(capture(h.client.validateCredentials('wrong-token', '1')), (e: unknown) => e instanceof AuthenticationError && e.status === 401 && !e.message.includes('wrong-token'));
      assert.deepEqual(
        h.server.requests().map((e) => e.path),
        ['/v1/users/me'],
      );
    });

    it('an org the token cannot access: NotFoundError listing what it can access', async () => {
      await assert.rejects(capture(h.client.validateCredentials(SANDBOX_TOKEN, '999')), (e: unknown) => e instanceof NotFoundError && /Organization 999/.test(e.message) && /Sandbox Org \(1\)/.test(e.message));
    });

    it('a non-numeric org: ConfigurationError before any request, not echoing the value', async () => {
      await assert.rejects(capture(h.client.validateCredentials(SANDBOX_TOKEN, SANDBOX_TOKEN)), (e: unknown) => e instanceof ConfigurationError && e.setting === 'contexten.codegen.orgId');
      assert.equal(h.server.requests().length, 0);
    });

    it('pages through the organizations until it finds the org', async () => {
      await h.close();
      h = await startHarness({ server: { extraOrganizations: 150 } });
      const { organization } = await h.client.validateCredentials(SANDBOX_TOKEN, '1');
      assert.equal(organization.id, 1);
      assert.deepEqual(
        calls('/v1/organizations').map((e) => e.query),
        [
          { skip: '0', limit: '100' },
          { skip: '100', limit: '100' },
        ],
      );
    });
  });
});
