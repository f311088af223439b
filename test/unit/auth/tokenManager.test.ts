import assert from 'node:assert/strict';
import { tokenFingerprint } from '../../../src/core/auth/tokenFingerprint';
import { TOKEN_SECRET_KEY, TokenManager, type AuthState, type CredentialValidator, type RejectionVerdict } from '../../../src/core/auth/tokenManager';
import { adviseError } from '../../../src/core/errorAdvice';
import { AuthenticationError, ConfigurationError, NotFoundError } from '../../../src/core/errors';
import { CodegenClient, type AgentRun, type CodegenSettings } from '../../../src/core/api/codegenClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { followRun } from '../../../src/core/generation/runFollower';
import { nullLogger, type SecretStore } from '../../../src/core/ports';
import { RunPoller } from '../../../src/core/tasks/runPoller';
import { startCodegenServer, type CodegenServer } from '../../servers/codegen/codegenServer';
import { driveUntil, settle } from '../fakes/driveClock';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';
import { TrackingTransport } from '../fakes/trackingTransport';
import { MemorySecrets } from '../fakes/memorySecrets';


const GOOD = 'tok-good-123456';
/** The base URL tokens are signed in with here. */
const BASE = 'https://api.codegen.com';

/** The secret of a token signed in to BASE (one JSON value: the token and its origin). */
function storedAs(token: string): string {
  return JSON.stringify({ origin: BASE, token });
}

/** The token stored (the JSON secret's), undefined when none is. */
function tokenIn(secrets: MemorySecrets): string | undefined {
  const json = secrets.data.get(TOKEN_SECRET_KEY);
  return json === undefined ? undefined : (JSON.parse(json) as { token?: string }).token;
}
const validator: CredentialValidator & { calls: string[] } = {
  calls: [],
  async validateCredentials(token, orgId) {
    this.calls.push(orgId);
    if (token !== GOOD) throw new AuthenticationError('The API token was rejected (401).', 401);
    if (orgId !== '7') throw new NotFoundError(`Organization ${orgId} is not one of yours.`);
    return { user: { id: 1, githubUsername: 'octo' }, organization: { id: 7, name: 'Acme' } };
  },
};

/** The error of a request whose token the server rejected. */
function rejected(token: string, status = 401, organization = false): AuthenticationError {
  return new AuthenticationError(`Codegen rejected the API token (HTTP ${status}).`, status, 'codegen', { tokenFingerprint: tokenFingerprint(token), organization });
}

function make(env?: string) {
  const secrets = new MemorySecrets();
  const seen: string[] = [];
  validator.calls = [];
  const tm = new TokenManager(secrets, validator, () => env, nullLogger, (s) => seen.push(s));
  const states: AuthState[] = [];
  tm.onDidChange((s) => states.push(s));
  return { tm, secrets, seen, states };
}

describe('TokenManager', () => {
  it('stores nothing when the token is wrong', async () => {
    const { tm, secrets, states } = make();
    await assert.rejects(tm.signIn('7', 'wrong-token', BASE), AuthenticationError);
    assert.equal(secrets.data.size, 0);
    assert.equal(tm.current.kind, 'signedOut');
    assert.equal(states.length, 0);
    assert.equal(await tm.getToken(), undefined);
  });

  it('stores nothing when the organization is not the user’s', async () => {
    const { tm, secrets } = make();
    await assert.rejects(tm.signIn('8', GOOD, BASE), NotFoundError);
    assert.equal(secrets.data.size, 0);
  });

  it('rejects a non-numeric org id before calling the API', async () => {
    const { tm, secrets } = make();
    await assert.rejects(tm.signIn('acme', GOOD, BASE), (e: unknown) => e instanceof ConfigurationError && e.setting === 'contexten.codegen.orgId');
    assert.deepEqual(validator.calls, []);
    assert.equal(secrets.data.size, 0);
  });

  it('takes invisible characters out of a pasted token, and refuses one HTTP cannot carry before calling the API', async () => {
    const { tm, secrets } = make();
    await tm.signIn('7', `\uFEFF${GOOD}\u200b `, BASE);
    assert.equal(tokenIn(secrets), GOOD);
    const other = make();
    await assert.rejects(other.tm.signIn('7', `\u201c${GOOD}\u201d`, BASE), (e: unknown) => e instanceof AuthenticationError && /typographic quote \(U\+201C\) at character 1/.test(e.message) && !e.message.includes(GOOD));
    assert.deepEqual(validator.calls, []);
    assert.equal(other.secrets.data.size, 0);
  });

  it('validates, stores and reports who signed in; sign-out deletes the token', async () => {
    const { tm, secrets, seen, states } = make();
    const id = await tm.signIn(' 7 ', `  ${GOOD}  `, BASE);
    assert.deepEqual(id, { userName: 'octo', organizationId: 7, organizationName: 'Acme' });
    assert.equal(tokenIn(secrets), GOOD);
    assert.equal(await tm.getToken(), GOOD);
    assert.ok(seen.includes(GOOD), 'the token is registered for redaction');
    assert.equal(states.at(-1)?.kind, 'signedIn');
    await tm.signOut();
    assert.equal(secrets.data.has(TOKEN_SECRET_KEY), false);
    assert.equal(await tm.getToken(), undefined);
    assert.equal(states.at(-1)?.kind, 'signedOut');
  });

  it('runs afterStore after validation and the store, before the state changes', async () => {
    const { tm, secrets, states } = make();
    const seenByHook: { stored: string | undefined; states: number; orgId: number }[] = [];
    await tm.signIn('7', GOOD, BASE, undefined, async (identity) => {
      seenByHook.push({ stored: tokenIn(secrets), states: states.length, orgId: identity.organizationId });
    });
    assert.deepEqual(seenByHook, [{ stored: GOOD, states: 0, orgId: 7 }]);
    assert.equal(tokenIn(secrets), GOOD);
    assert.equal(states.at(-1)?.kind, 'signedIn');
  });

  it('stores nothing when afterStore fails (the token it stored is deleted), and never calls it for a wrong token', async () => {
    const { tm, secrets, states } = make();
    let calls = 0;
    const failing = async (): Promise<void> => {
      calls++;
      throw new ConfigurationError('cannot write the setting', 'contexten.codegen.orgId');
    };
    await assert.rejects(tm.signIn('7', 'wrong-token', BASE, undefined, failing), AuthenticationError);
    assert.equal(calls, 0);
    await assert.rejects(tm.signIn('7', GOOD, BASE, undefined, failing), ConfigurationError);
    assert.equal(calls, 1);
    assert.equal(secrets.data.size, 0);
    assert.equal(tm.current.kind, 'signedOut');
    assert.equal(await tm.getToken(), undefined);
    assert.equal(states.length, 0);
  });

  it('a sign-in the keychain refuses changes nothing: the org id is not saved, the old token and who it is stay', async () => {
    const secrets = new MemorySecrets();
    const tm = new TokenManager(secrets, { validateCredentials: async (t, o) => ({ user: { id: 1, githubUsername: t }, organization: { id: Number(o), name: `org ${o}` } }) }, () => undefined, nullLogger);
    await tm.signIn('111', 'tok-alice', BASE);
    const before = tm.current;
    const states: AuthState[] = [];
    tm.onDidChange((s) => states.push(s));
    secrets.store = async () => {
      throw new Error('Cannot create an item in a locked collection');
    };
    let saved = 0;
    await assert.rejects(tm.signIn('222', 'tok-bob', BASE, undefined, async () => void saved++), /locked collection/);
    assert.equal(saved, 0, 'the org id is saved only once the token is stored');
    assert.equal(tokenIn(secrets), 'tok-alice');
    assert.equal(await tm.getToken(), 'tok-alice');
    // (Who the old token is stays known: a reload, after another window's change, still shows it.)
    await tm.reload();
    assert.deepEqual(tm.current, before);
    assert.deepEqual(states, []);
  });

  it('when the org id cannot be saved, the token stored before is put back with who it is, and no sign-in is announced', async () => {
    const secrets = new MemorySecrets();
    const users: Record<string, { id: number; githubUsername: string }> = { 'tok-alice': { id: 1, githubUsername: 'alice' }, 'tok-bob': { id: 2, githubUsername: 'bob' } };
    const tm = new TokenManager(secrets, { validateCredentials: async (t, o) => ({ user: users[t] ?? { id: 0, githubUsername: '?' }, organization: { id: Number(o), name: `org ${o}` } }) }, () => undefined, nullLogger);
    await tm.signIn('111', 'tok-alice', BASE);
    const before = tm.current;
    const states: AuthState[] = [];
    tm.onDidChange((s) => states.push(s));
    // VS Code reports the store (and AuthController reloads) before the org id is saved.
    const reloads: Promise<AuthState>[] = [];
    const store = secrets.store.bind(secrets);
    secrets.store = async (k, v) => {
      await store(k, v);
      reloads.push(tm.reload());
    };
    const sentWith: (string | undefined)[] = [];
    await assert.rejects(
      tm.signIn('222', 'tok-bob', BASE, undefined, async () => {
        await Promise.all(reloads);
        sentWith.push(await tm.getToken());
        throw new Error('Unable to write into user settings');
      }),
      /user settings/,
    );
    await Promise.all(reloads);
    assert.deepEqual(sentWith, ['tok-bob'], 'requests made while the org id is saved carry the new token');
    assert.equal(tokenIn(secrets), 'tok-alice');
    assert.equal(await tm.getToken(), 'tok-alice');
    assert.deepEqual(tm.current, before);
    assert.deepEqual(states, [], 'bob was never announced');
  });

  it('falls back to the environment token when nothing is stored, and prefers the stored one', async () => {
    const { tm, secrets } = make('env-token-999');
    assert.equal(await tm.getToken(), 'env-token-999');
    assert.deepEqual(await tm.reload(), { kind: 'signedIn', source: 'environment' });
    secrets.data.set(TOKEN_SECRET_KEY, storedAs('stored-token-1'));
    await tm.reload();
    assert.equal(await tm.getToken(), 'stored-token-1');
    assert.equal(tm.current.kind === 'signedIn' && tm.current.source, 'secretStorage');
  });

  it('reload() picks up a token stored or deleted by another window', async () => {
    const { tm, secrets, states } = make();
    secrets.data.set(TOKEN_SECRET_KEY, storedAs('from-other-window'));
    await tm.reload();
    assert.equal(await tm.getToken(), 'from-other-window');
    secrets.data.delete(TOKEN_SECRET_KEY);
    await tm.reload();
    assert.equal(await tm.getToken(), undefined);
    assert.deepEqual(states.map((s) => s.kind), ['signedIn', 'signedOut']);
  });

  it('markInvalid returns true once, so re-sign-in is offered only once', async () => {
    const { tm } = make();
    await tm.signIn('7', GOOD, BASE);
    assert.equal(tm.markInvalid(rejected(GOOD)), true);
    assert.equal(tm.markInvalid(rejected(GOOD)), false);
    assert.equal(tm.current.kind, 'invalid');
    await tm.signIn('7', GOOD, BASE);
    assert.equal(tm.current.kind, 'signedIn');
    assert.equal(tm.markInvalid(rejected(GOOD)), true);
  });

  it('markInvalid knows its token in a rejection when the token holds an invisible character the client leaves out when it sends it', async () => {
    // (The client sends the token cleaned, cleanCredential; an environment token or one stored by another window is kept as it was.)
    const { tm } = make('env-token-999\u200B');
    await tm.reload();
    assert.equal(tm.markInvalid(rejected('env-token-999')), true);
    assert.equal(tm.current.kind, 'invalid');
  });

  it('markInvalid ignores the rejection of a token replaced since (a retry sent before the new sign-in)', async () => {
    const { tm, secrets, states } = make();
    secrets.data.set(TOKEN_SECRET_KEY, storedAs('old-token-1234'));
    await tm.reload();
    assert.equal(await tm.getToken(), 'old-token-1234');
    await tm.signIn('7', GOOD, BASE);
    states.length = 0;
    assert.equal(tm.markInvalid(rejected('old-token-1234')), false);
    assert.equal(tm.current.kind, 'signedIn');
    assert.deepEqual(states, []);
    // (A rejection that names no token — the client's own "not signed in" — is no rejection of the current one either.)
    assert.equal(tm.markInvalid(new AuthenticationError('Not signed in to Codegen.')), false);
    // (Nor is a 403 about an organization the user is not a member of: the org id is wrong, not the token.)
    assert.equal(tm.markInvalid(rejected(GOOD, 403, true)), false);
    assert.equal(tm.current.kind, 'signedIn');
    assert.equal(tm.markInvalid(rejected(GOOD)), true);
  });

  it('markInvalid after sign-out changes nothing: signed out stays signed out, never "token rejected"', async () => {
    const { tm, states } = make();
    await tm.signIn('7', GOOD, BASE);
    await tm.signOut();
    states.length = 0;
    assert.equal(tm.markInvalid(rejected(GOOD)), false);
    assert.equal(tm.markInvalid(new AuthenticationError('Not signed in to Codegen.')), false);
    assert.deepEqual(tm.current, { kind: 'signedOut' });
    assert.deepEqual(states, []);
  });

  it('reload() after another window signed in with another token drops the identity shown (another user\'s, maybe)', async () => {
    const { tm, secrets, states } = make();
    await tm.signIn('7', GOOD, BASE);
    assert.equal(tm.current.kind === 'signedIn' && tm.current.identity?.userName, 'octo');
    // The same token stored again (another window signed in with it): who it is stays known.
    await tm.reload();
    assert.equal(tm.current.kind === 'signedIn' && tm.current.identity?.userName, 'octo');
    states.length = 0;
    secrets.data.set(TOKEN_SECRET_KEY, storedAs('someone-elses-token'));
    await tm.reload();
    assert.deepEqual(tm.current, { kind: 'signedIn', source: 'secretStorage' });
    assert.deepEqual(states, [{ kind: 'signedIn', source: 'secretStorage' }]);
    assert.equal(await tm.getToken(), 'someone-elses-token');
  });

  it('reload() announces another token stored by another window though the state reads the same (the sidebar\'s runs are the account\'s)', async () => {
    const { tm, secrets, states } = make();
    secrets.data.set(TOKEN_SECRET_KEY, storedAs('first-token-1234'));
    await tm.reload();
    // The same token read again: nothing to announce.
    await tm.reload();
    assert.deepEqual(states, [{ kind: 'signedIn', source: 'secretStorage' }]);
    states.length = 0;
    secrets.data.set(TOKEN_SECRET_KEY, storedAs('second-token-5678'));
    await tm.reload();
    assert.deepEqual(states, [{ kind: 'signedIn', source: 'secretStorage' }]);
    assert.equal(await tm.getToken(), 'second-token-5678');
  });

  it('signing in keeps who signed in though VS Code reports the change (and reload() runs) before store() resolves', async () => {
    // SecretStorage as VS Code's: the change event arrives before store()'s own answer; get() answers after both.
    const data = new Map<string, string>();
    const listeners: ((key: string) => void)[] = [];
    let storeDone: () => void = () => undefined;
    // (Every get waiting for the store is answered at once: a read may ask for several secrets.)
    const waitingGets: (() => void)[] = [];
    const getDone = (): void => waitingGets.splice(0).forEach((answer) => answer());
    let storing = false;
    const secrets: SecretStore = {
      // (A get while a store is under way — the reload the change event started — answers after both; signIn's own
      // read of the token stored before, ahead of its store, at once.)
      get: async (k) => {
        if (storing) await new Promise<void>((resolve) => waitingGets.push(resolve));
        return data.get(k);
      },
      store: async (k, v) => {
        storing = true;
        data.set(k, v);
        for (const l of listeners) l(k);
        await new Promise<void>((resolve) => (storeDone = resolve));
        storing = false;
      },
      delete: async (k) => void data.delete(k),
    };
    const tm = new TokenManager(secrets, validator, () => undefined, nullLogger);
    const reloads: Promise<AuthState>[] = [];
    listeners.push((k) => k === TOKEN_SECRET_KEY && reloads.push(tm.reload())); // AuthController's wiring
    const signedIn = tm.signIn('7', GOOD, BASE);
    await flushPromises();
    assert.equal(reloads.length, 1, 'the change was reported while store() was under way');
    storeDone();
    await signedIn;
    getDone();
    await Promise.all(reloads);
    assert.deepEqual(tm.current, { kind: 'signedIn', source: 'secretStorage', identity: { userName: 'octo', organizationId: 7, organizationName: 'Acme' } });
    // The other order too: reload() reads the new token before signIn's store() resolved.
    const again = tm.signIn('7', GOOD, BASE);
    await flushPromises();
    getDone();
    await Promise.all(reloads);
    storeDone();
    await again;
    assert.equal(tm.current.kind === 'signedIn' && tm.current.identity?.userName, 'octo');
  });

  it('refuses an organization id too long to be exact as a number, before calling the API', async () => {
    const { tm, secrets } = make();
    await assert.rejects(tm.signIn('12345678901234567890123', GOOD, BASE), (e: unknown) => e instanceof ConfigurationError && e.setting === 'contexten.codegen.orgId' && /too long/.test(e.message));
    assert.deepEqual(validator.calls, []);
    assert.equal(secrets.data.size, 0);
  });
});

describe('TokenManager with the Codegen client and the contract server', () => {
  const OLD = 'old-token-1234';
  const NEW = 'new-token-5678';
  let clock: FakeClock;
  let server: CodegenServer;
  let transport: TrackingTransport;
  let client: CodegenClient;
  let tm: TokenManager;
  let secrets: MemorySecrets;
  let settings: CodegenSettings;
  /** What the glue does with a poll's AuthenticationError (AuthController.handleRejectedToken): the offers made. */
  let offers: string[];

  beforeEach(async () => {
    clock = new FakeClock();
    server = await startCodegenServer({ clock, tokens: [OLD, NEW] });
    const logger = new RecordingLogger();
    transport = new TrackingTransport(new UndiciTransport({ maxConnections: 4, logger }));
    settings = { baseUrl: server.url, orgId: '1', timeoutMs: 10_000, maxRetries: 3 };
    secrets = new MemorySecrets();
    client = new CodegenClient({ transport, clock, random: () => 0.5, logger, settings: () => settings, token: () => tm.getToken() });
    tm = new TokenManager(secrets, client, () => undefined, nullLogger);
    offers = [];
  });
  afterEach(async () => {
    client.dispose();
    await transport.close();
    await server.close();
  });

  const offer = (err: AuthenticationError): void => {
    if (tm.markInvalid(err)) offers.push(err.message);
  };

  it('a retry waiting while the user signs in again (the old token revoked) carries the new token: no "token rejected"', async () => {
    await settle(tm.signIn('1', OLD, BASE), clock, transport);
    server.addFault({ path: '/agent/run/101$', kind: '503', times: 1 });
    const got = client.getRun(101).catch((e: unknown) => {
      if (e instanceof AuthenticationError) offer(e);
      return e;
    });
    await clock.whenTimerPending(); // the wait before the retry
    server.revokeToken(OLD);
    await settle(tm.signIn('1', NEW, BASE), clock, transport);
    const run = await settle(got, clock, transport);
    assert.ok(!(run instanceof Error) && (run as AgentRun).id === 101, String(run));
    assert.deepEqual(offers, []);
    assert.equal(tm.current.kind, 'signedIn');
  });

  it('signing out while a run is followed in the background stays signed out: the follow\'s "not signed in" offers no re-sign-in', async () => {
    await settle(tm.signIn('1', OLD, BASE), clock, transport);
    const poller = new RunPoller({ client, clock, logger: nullLogger });
    poller.onDidFailAuthentication(offer);
    const run = await settle(client.createRun({ prompt: 'x' }), clock, transport);
    const followed = followRun(client, run, { clock, signal: new AbortController().signal, logger: nullLogger, signIn: await client.signIn(), onUnfinished: (r) => poller.track(r) }).catch((e: unknown) => e);
    await tm.signOut();
    poller.clear();
    const ended = await settle(followed, clock, transport);
    assert.ok(ended instanceof AuthenticationError && /Not signed in/.test(ended.message), String(ended));
    offer(ended);
    await clock.advance(60_000);
    await transport.whenIdle();
    assert.deepEqual(offers, []);
    assert.deepEqual(tm.current, { kind: 'signedOut' });
    poller.dispose();
  });

  /** A poller wired as the glue wires it: its auth failures judged (AuthController), a sign-in restarts it (TaskController). */
  const pollerAsWired = (): { poller: RunPoller; verdicts: RejectionVerdict[]; finished: AgentRun[] } => {
    const poller = new RunPoller({ client, clock, logger: nullLogger });
    const verdicts: RejectionVerdict[] = [];
    const finished: AgentRun[] = [];
    poller.onDidFailAuthentication((err) => void tm.judgeRejection(err, () => client.getMe()).then((v) => verdicts.push(v)));
    poller.onDidFinish((r) => finished.push(r));
    tm.onDidChange((s) => s.kind === 'signedIn' && poller.restart());
    return { poller, verdicts, finished };
  };
  const pollPath = (id: number): string => `/organizations/1/agent/run/${id}$`;

  it('a 403 of the organization while polling (the token works): the org is wrong, still signed in; signing in again with the same token and org polls again', async () => {
    await settle(tm.signIn('1', OLD, BASE), clock, transport);
    const { poller, verdicts, finished } = pollerAsWired();
    const run = await settle(client.createRun({ prompt: 'x' }), clock, transport);
    server.addFault({ path: pollPath(run.id), kind: '403', times: 1 });
    poller.track(run);
    await driveUntil(() => verdicts.length > 0, clock, transport);
    assert.deepEqual(verdicts, ['organization']);
    assert.equal(tm.current.kind, 'signedIn');
    assert.equal(clock.pending(), 0, 'polling stopped');
    // (The user was added to the organization meanwhile.) The same token and org again: the same state, yet polling restarts.
    await settle(tm.signIn('1', OLD, BASE), clock, transport);
    assert.ok(clock.pending() > 0, 'polling starts again after the sign-in');
    await driveUntil(() => finished.length > 0, clock, transport);
    assert.equal(finished[0]?.id, run.id);
    assert.deepEqual(verdicts, ['organization']);
    poller.dispose();
  });

  it('a revoked token answered with 403 on an organization\'s path is rejected (GET /v1/users/me says so): re-sign-in offered once', async () => {
    await settle(tm.signIn('1', OLD, BASE), clock, transport);
    const { poller, verdicts, finished } = pollerAsWired();
    const run = await settle(client.createRun({ prompt: 'x' }), clock, transport);
    server.revokeToken(OLD);
    server.addFault({ path: pollPath(run.id), kind: '403', times: 1 });
    poller.track(run);
    await driveUntil(() => verdicts.length > 0, clock, transport);
    assert.deepEqual(verdicts, ['token']);
    assert.equal(tm.current.kind, 'invalid');
    assert.deepEqual(server.requests().filter((r) => r.path === '/v1/users/me').map((r) => `${r.status ?? ''} ${r.auth}`).slice(-1), ['401 invalid']);
    // The same token rejected again (a list load) offers nothing more.
    server.addFault({ path: '/organizations/1/agent/runs$', kind: '403', times: 1 });
    const again = await settle(client.listRuns().catch((e: unknown) => e), clock, transport);
    assert.ok(again instanceof AuthenticationError && again.organization, String(again));
    assert.equal(await settle(tm.judgeRejection(again, () => client.getMe()), clock, transport), 'ignored');
    await settle(tm.signIn('1', NEW, BASE), clock, transport);
    await driveUntil(() => finished.length > 0, clock, transport);
    assert.deepEqual(verdicts, ['token']);
    poller.dispose();
  });

  it('a 200 to a request sent before the token was rejected does not undo the rejection: "Sign in again?" is offered once', async () => {
    await settle(tm.signIn('1', OLD, BASE), clock, transport);
    // A list load the server answers (200) while the token still works, its answer arriving late.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = transport.request.bind(transport);
    transport.request = async (req) => {
      const res = await inner(req);
      if (!req.url.includes('/agent/runs')) return res;
      const text = await res.text();
      await gate;
      return { status: res.status, headers: res.headers, text: async () => text, chunks: async function* () { yield text; } };
    };
    const list = client.listRuns();
    await server.waitForRequest((e) => e.path.endsWith('/agent/runs') && e.status === 200);
    server.revokeToken(OLD);
    const verdicts: RejectionVerdict[] = [];
    const poll = async (): Promise<void> => {
      const err = await settle(client.getRun(101).catch((e: unknown) => e), clock, transport);
      assert.ok(err instanceof AuthenticationError, String(err));
      verdicts.push(await settle(tm.judgeRejection(err, () => client.getMe()), clock, transport));
    };
    await poll();
    release();
    await settle(list, clock, transport);
    assert.equal(tm.current.kind, 'invalid');
    await poll();
    assert.deepEqual(verdicts, ['token', 'ignored']);
  });
});

describe('TokenManager and CodegenClient with a token from CODEGEN_API_TOKEN', () => {
  let server: CodegenServer;
  let transport: TrackingTransport;
  const clients: CodegenClient[] = [];

  beforeEach(async () => {
    server = await startCodegenServer({ clock: new FakeClock(), tokens: [GOOD] });
    transport = new TrackingTransport(new UndiciTransport({ maxConnections: 4, logger: nullLogger }));
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.dispose();
    await transport.close();
    await server.close();
  });

  function wire(env: string | undefined, secrets = new MemorySecrets()): { tm: TokenManager; client: CodegenClient; logger: RecordingLogger } {
    const logger = new RecordingLogger();
    const settings: CodegenSettings = { baseUrl: server.url, orgId: '1', timeoutMs: 10_000, maxRetries: 0 };
    const tm: TokenManager = new TokenManager(secrets, { validateCredentials: (t, o, s) => client.validateCredentials(t, o, s) }, () => env, logger);
    const client = new CodegenClient({ transport, clock: new FakeClock(), random: () => 0.5, logger, settings: () => settings, token: () => tm.getToken(), tokenOrigin: () => tm.tokenOrigin() });
    clients.push(client);
    return { tm, client, logger };
  }

  it('sends a token given as "Bearer <token>" (any case) without the scheme, and a rejection of it still marks it rejected', async () => {
    for (const env of [`Bearer ${GOOD}`, `bearer  ${GOOD}`, `BEARER\t${GOOD}`]) {
      const { tm, client } = wire(env);
      assert.equal((await tm.reload()).kind, 'signedIn', env);
      assert.equal((await client.getMe()).id, 1, env);
    }
    // (The rejection names the token as sent; the manager holds it as given: the same token, so it is marked rejected.)
    const { tm, client } = wire(`Bearer ${GOOD}`);
    await tm.reload();
    server.revokeToken(GOOD);
    const err = await client.getMe().catch((e: unknown) => e);
    assert.ok(err instanceof AuthenticationError && err.rejectsToken, String(err));
    assert.equal(await tm.judgeRejection(err, () => client.getMe()), 'token');
    assert.equal(tm.current.kind, 'invalid');
  });

  it('signs in with a pasted "Bearer <token>", storing the token alone', async () => {
    const secrets = new MemorySecrets();
    const { tm } = wire(undefined, secrets);
    await tm.signIn('1', `Bearer ${GOOD}`, BASE);
    assert.equal(tokenIn(secrets), GOOD);
  });

  it('a token that cannot be sent shows as unusable, and every message about it names where it came from (never the token)', async () => {
    const { tm, client, logger } = wire('Bearer abc 12345');
    const state = await tm.reload();
    assert.equal(state.kind, 'invalid');
    assert.ok(state.kind === 'invalid' && state.source === 'environment' && state.unsendable === true);
    assert.match(state.reason, /^The Codegen API token in the environment variable CODEGEN_API_TOKEN has white space \(U\+0020\) at character 11, which cannot be sent in an HTTP header\. Correct the variable, or run "Contexten: Sign In to Codegen"/);
    const err = await client.getMe().catch((e: unknown) => e);
    assert.ok(err instanceof AuthenticationError && !err.rejectsToken, String(err));
    const advice = adviseError(err);
    assert.match(advice.message, /CODEGEN_API_TOKEN has white space/);
    assert.doesNotMatch(advice.message, /again with a valid token/);
    for (const text of [state.reason, advice.message, logger.text()]) assert.ok(!text.includes('12345') && !text.includes('abc'), text);
    assert.equal(server.requests().length, 0, 'nothing sent');
    // A stored token is named as the stored one; signing out leaves the variable's token, still unusable.
    const secrets = new MemorySecrets();
    secrets.data.set(TOKEN_SECRET_KEY, storedAs('abc\u201d12345'));
    const stored = wire('Bearer abc 12345', secrets);
    const storedState = await stored.tm.reload();
    assert.ok(storedState.kind === 'invalid' && /^The stored Codegen API token has a typographic quote/.test(storedState.reason), JSON.stringify(storedState));
    assert.match(adviseError(await stored.client.getMe().catch((e: unknown) => e)).message, /The stored Codegen API token has a typographic quote/);
    await stored.tm.signOut();
    assert.ok(stored.tm.current.kind === 'invalid' && stored.tm.current.source === 'environment');
  });
});
