import assert from 'node:assert/strict';
import { tokenFingerprint } from '../../../src/core/auth/tokenFingerprint';
import { TOKEN_SECRET_KEY, TokenManager, type AuthState, type CredentialValidator } from '../../../src/core/auth/tokenManager';
import { AuthenticationError, ConfigurationError, NotFoundError } from '../../../src/core/errors';
import { CodegenClient, type AgentRun, type CodegenSettings } from '../../../src/core/api/codegenClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { followRun } from '../../../src/core/generation/runFollower';
import { nullLogger, type SecretStore } from '../../../src/core/ports';
import { RunPoller } from '../../../src/core/tasks/runPoller';
import { startCodegenServer, type CodegenServer } from '../../servers/codegen/codegenServer';
import { settle } from '../fakes/driveClock';
import { FakeClock } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';
import { TrackingTransport } from '../fakes/trackingTransport';

class MemorySecrets implements SecretStore {
  readonly data = new Map<string, string>();
  async get(k: string) {
    return this.data.get(k);
  }
  async store(k: string, v: string) {
    this.data.set(k, v);
  }
  async delete(k: string) {
    this.data.delete(k);
  }
}

const GOOD = 'tok-good-123456';
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
    await assert.rejects(tm.signIn('7', 'wrong-token'), AuthenticationError);
    assert.equal(secrets.data.size, 0);
    assert.equal(tm.current.kind, 'signedOut');
    assert.equal(states.length, 0);
    assert.equal(await tm.getToken(), undefined);
  });

  it('stores nothing when the organization is not the user’s', async () => {
    const { tm, secrets } = make();
    await assert.rejects(tm.signIn('8', GOOD), NotFoundError);
    assert.equal(secrets.data.size, 0);
  });

  it('rejects a non-numeric org id before calling the API', async () => {
    const { tm, secrets } = make();
    await assert.rejects(tm.signIn('acme', GOOD), (e: unknown) => e instanceof ConfigurationError && e.setting === 'contexten.codegen.orgId');
    assert.deepEqual(validator.calls, []);
    assert.equal(secrets.data.size, 0);
  });

  it('takes invisible characters out of a pasted token, and refuses one HTTP cannot carry before calling the API', async () => {
    const { tm, secrets } = make();
    await tm.signIn('7', `\uFEFF${GOOD}\u200b `);
    assert.equal(secrets.data.get(TOKEN_SECRET_KEY), GOOD);
    const other = make();
    await assert.rejects(other.tm.signIn('7', `\u201c${GOOD}\u201d`), (e: unknown) => e instanceof AuthenticationError && /typographic quote \(U\+201C\) at character 1/.test(e.message) && !e.message.includes(GOOD));
    assert.deepEqual(validator.calls, []);
    assert.equal(other.secrets.data.size, 0);
  });

  it('validates, stores and reports who signed in; sign-out deletes the token', async () => {
    const { tm, secrets, seen, states } = make();
    const id = await tm.signIn(' 7 ', `  ${GOOD}  `);
    assert.deepEqual(id, { userName: 'octo', organizationId: 7, organizationName: 'Acme' });
    assert.equal(secrets.data.get(TOKEN_SECRET_KEY), GOOD);
    assert.equal(await tm.getToken(), GOOD);
    assert.ok(seen.includes(GOOD), 'the token is registered for redaction');
    assert.equal(states.at(-1)?.kind, 'signedIn');
    await tm.signOut();
    assert.equal(secrets.data.has(TOKEN_SECRET_KEY), false);
    assert.equal(await tm.getToken(), undefined);
    assert.equal(states.at(-1)?.kind, 'signedOut');
  });

  it('runs beforeStore after validation and before the token is stored or the state changes', async () => {
    const { tm, secrets, states } = make();
    const seenByHook: { stored: boolean; states: number; orgId: number }[] = [];
    await tm.signIn('7', GOOD, undefined, async (identity) => {
      seenByHook.push({ stored: secrets.data.has(TOKEN_SECRET_KEY), states: states.length, orgId: identity.organizationId });
    });
    assert.deepEqual(seenByHook, [{ stored: false, states: 0, orgId: 7 }]);
    assert.equal(secrets.data.get(TOKEN_SECRET_KEY), GOOD);
    assert.equal(states.at(-1)?.kind, 'signedIn');
  });

  it('stores nothing when beforeStore fails, and never calls it for a wrong token', async () => {
    const { tm, secrets, states } = make();
    let calls = 0;
    const failing = async (): Promise<void> => {
      calls++;
      throw new ConfigurationError('cannot write the setting', 'contexten.codegen.orgId');
    };
    await assert.rejects(tm.signIn('7', 'wrong-token', undefined, failing), AuthenticationError);
    assert.equal(calls, 0);
    await assert.rejects(tm.signIn('7', GOOD, undefined, failing), ConfigurationError);
    assert.equal(calls, 1);
    assert.equal(secrets.data.size, 0);
    assert.equal(tm.current.kind, 'signedOut');
    assert.equal(states.length, 0);
  });

  it('falls back to the environment token when nothing is stored, and prefers the stored one', async () => {
    const { tm, secrets } = make('env-token-999');
    assert.equal(await tm.getToken(), 'env-token-999');
    assert.deepEqual(await tm.reload(), { kind: 'signedIn', source: 'environment' });
    secrets.data.set(TOKEN_SECRET_KEY, 'stored-token-1');
    await tm.reload();
    assert.equal(await tm.getToken(), 'stored-token-1');
    assert.equal(tm.current.kind === 'signedIn' && tm.current.source, 'secretStorage');
  });

  it('reload() picks up a token stored or deleted by another window', async () => {
    const { tm, secrets, states } = make();
    secrets.data.set(TOKEN_SECRET_KEY, 'from-other-window');
    await tm.reload();
    assert.equal(await tm.getToken(), 'from-other-window');
    secrets.data.delete(TOKEN_SECRET_KEY);
    await tm.reload();
    assert.equal(await tm.getToken(), undefined);
    assert.deepEqual(states.map((s) => s.kind), ['signedIn', 'signedOut']);
  });

  it('markInvalid returns true once, so re-sign-in is offered only once', async () => {
    const { tm } = make();
    await tm.signIn('7', GOOD);
    assert.equal(tm.markInvalid(rejected(GOOD)), true);
    assert.equal(tm.markInvalid(rejected(GOOD)), false);
    assert.equal(tm.current.kind, 'invalid');
    await tm.signIn('7', GOOD);
    assert.equal(tm.current.kind, 'signedIn');
    assert.equal(tm.markInvalid(rejected(GOOD)), true);
  });

  it('markInvalid ignores the rejection of a token replaced since (a retry sent before the new sign-in)', async () => {
    const { tm, secrets, states } = make();
    secrets.data.set(TOKEN_SECRET_KEY, 'old-token-1234');
    await tm.reload();
    assert.equal(await tm.getToken(), 'old-token-1234');
    await tm.signIn('7', GOOD);
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
    await tm.signIn('7', GOOD);
    await tm.signOut();
    states.length = 0;
    assert.equal(tm.markInvalid(rejected(GOOD)), false);
    assert.equal(tm.markInvalid(new AuthenticationError('Not signed in to Codegen.')), false);
    assert.deepEqual(tm.current, { kind: 'signedOut' });
    assert.deepEqual(states, []);
  });

  it('markAccepted: a token marked invalid that then works is signed in again, with its identity', async () => {
    const { tm, states } = make();
    await tm.signIn('7', GOOD);
    const signedIn = tm.current;
    tm.markInvalid(rejected(GOOD, 403));
    tm.markAccepted(tokenFingerprint('some-other-token'));
    assert.equal(tm.current.kind, 'invalid');
    tm.markAccepted(tokenFingerprint(GOOD));
    assert.deepEqual(tm.current, signedIn);
    assert.deepEqual(states.map((s) => s.kind), ['signedIn', 'invalid', 'signedIn']);
    // Once more the same: no event.
    tm.markAccepted(tokenFingerprint(GOOD));
    assert.equal(states.length, 3);
  });

  it('reload() after another window signed in with another token drops the identity shown (another user\'s, maybe)', async () => {
    const { tm, secrets, states } = make();
    await tm.signIn('7', GOOD);
    assert.equal(tm.current.kind === 'signedIn' && tm.current.identity?.userName, 'octo');
    // The same token stored again (another window signed in with it): who it is stays known.
    await tm.reload();
    assert.equal(tm.current.kind === 'signedIn' && tm.current.identity?.userName, 'octo');
    states.length = 0;
    secrets.data.set(TOKEN_SECRET_KEY, 'someone-elses-token');
    await tm.reload();
    assert.deepEqual(tm.current, { kind: 'signedIn', source: 'secretStorage' });
    assert.deepEqual(states, [{ kind: 'signedIn', source: 'secretStorage' }]);
    assert.equal(await tm.getToken(), 'someone-elses-token');
  });

  it('refuses an organization id too long to be exact as a number, before calling the API', async () => {
    const { tm, secrets } = make();
    await assert.rejects(tm.signIn('12345678901234567890123', GOOD), (e: unknown) => e instanceof ConfigurationError && e.setting === 'contexten.codegen.orgId' && /too long/.test(e.message));
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
    client = new CodegenClient({ transport, clock, random: () => 0.5, logger, settings: () => settings, token: () => tm.getToken(), onTokenAccepted: (f) => tm.markAccepted(f) });
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
    await settle(tm.signIn('1', OLD), clock, transport);
    server.addFault({ path: '/agent/run/101$', kind: '503', times: 1 });
    const got = client.getRun(101).catch((e: unknown) => {
      if (e instanceof AuthenticationError) offer(e);
      return e;
    });
    await clock.whenTimerPending(); // the wait before the retry
    server.revokeToken(OLD);
    await settle(tm.signIn('1', NEW), clock, transport);
    const run = await settle(got, clock, transport);
    assert.ok(!(run instanceof Error) && (run as AgentRun).id === 101, String(run));
    assert.deepEqual(offers, []);
    assert.equal(tm.current.kind, 'signedIn');
  });

  it('signing out while a run is followed in the background stays signed out: the follow\'s "not signed in" offers no re-sign-in', async () => {
    await settle(tm.signIn('1', OLD), clock, transport);
    const poller = new RunPoller({ client, clock, logger: nullLogger });
    poller.onDidFailAuthentication(offer);
    const run = await settle(client.createRun({ prompt: 'x' }), clock, transport);
    const followed = followRun(client, run, { clock, signal: new AbortController().signal, logger: nullLogger, onUnfinished: (r) => poller.track(r) }).catch((e: unknown) => e);
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

  it('a 403 for an organization the user is not in leaves the token signed in; "token rejected" clears at the next answered request', async () => {
    await settle(tm.signIn('1', OLD), clock, transport);
    settings.orgId = '555';
    const denied = await settle(client.listRuns().catch((e: unknown) => e), clock, transport);
    assert.ok(denied instanceof AuthenticationError && denied.status === 403, String(denied));
    offer(denied);
    assert.deepEqual(offers, []);
    assert.equal(tm.current.kind, 'signedIn');
    // A token marked rejected (say by a 403 that was about something else) that then works is signed in again.
    server.addFault({ path: 'users/me', kind: '403', times: 1 });
    const revoked = await settle(client.getMe().catch((e: unknown) => e), clock, transport);
    assert.ok(revoked instanceof AuthenticationError, String(revoked));
    offer(revoked);
    assert.equal(tm.current.kind, 'invalid');
    settings.orgId = '1';
    await settle(client.listRuns(), clock, transport);
    // (Read through a function: assert.equal above narrowed tm.current to 'invalid'.)
    const state = (): AuthState => tm.current;
    const now = state();
    assert.equal(now.kind === 'signedIn' && now.identity?.organizationId, 1);
  });
});
