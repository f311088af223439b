import assert from 'node:assert/strict';
import { CodegenClient, type CodegenSettings } from '../../../src/core/api/codegenClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { LEGACY_TOKEN_SECRET_KEY, TOKEN_SECRET_KEY, TokenManager } from '../../../src/core/auth/tokenManager';
import { originOf } from '../../../src/core/auth/originBoundSecret';
import { adviseError } from '../../../src/core/errorAdvice';
import { AuthenticationError } from '../../../src/core/errors';
import { nullLogger, systemClock } from '../../../src/core/ports';
import { SANDBOX_TOKEN, startCodegenServer, type CodegenServer } from '../../servers/codegen/codegenServer';
import { RecordingLogger } from '../fakes/recordingLogger';
import { MemorySecrets } from '../fakes/memorySecrets';


describe('the stored Codegen token is sent only to the origin it was signed in to (two Codegen contract servers)', () => {
  let a: CodegenServer;
  let b: CodegenServer;
  let transport: UndiciTransport;
  let secrets: MemorySecrets;
  let env: string | undefined;
  let tokens: TokenManager;
  let client: CodegenClient;
  let settings: CodegenSettings;
  const origin = (s: CodegenServer): string => originOf(s.url);

  beforeEach(async () => {
    // (Both accept the token: what reaches either, and with it, is in its request log.)
    a = await startCodegenServer();
    b = await startCodegenServer();
    transport = new UndiciTransport({ maxConnections: 2 });
    secrets = new MemorySecrets();
    env = undefined;
    settings = { baseUrl: a.url, orgId: '1', timeoutMs: 10_000, maxRetries: 0 };
    client = new CodegenClient({
      transport,
      clock: systemClock,
      random: () => 0.5,
      logger: new RecordingLogger(),
      settings: () => settings,
      token: (baseUrl) => tokens.tokenFor(baseUrl),
      tokenOrigin: () => tokens.tokenOrigin(),
    });
    tokens = new TokenManager(secrets, { validateCredentials: (t, o, s) => client.validateCredentials(t, o, s) }, () => env, nullLogger);
  });

  afterEach(async () => {
    client.dispose();
    tokens.dispose();
    await transport.close();
    await a.close();
    await b.close();
  });

  it('after the base URL moves to another origin, no request is made with it: an error saying to sign in again', async () => {
    await tokens.signIn('1', SANDBOX_TOKEN, settings.baseUrl);
    assert.deepEqual(JSON.parse(secrets.data.get(TOKEN_SECRET_KEY) ?? ''), { origin: origin(a), token: SANDBOX_TOKEN }, 'the token and its origin: one secret');
    await client.listRuns();
    assert.ok(a.requests().length > 0 && a.requests().every((r) => r.auth === 'valid'));

    settings = { ...settings, baseUrl: b.url };
    for (const call of [() => client.listRuns(), () => client.getRun(1), () => client.getMe(), () => client.signIn()]) {
      const err = await call().catch((e: unknown) => e);
      assert.ok(err instanceof AuthenticationError, String(err));
      assert.equal(err.status, undefined, 'not a rejection by a server: the token is not marked invalid');
      assert.equal(err.rejectsToken, false);
      assert.match(err.message, new RegExp(`^Your Codegen token was stored at sign-in to ${origin(a)}, and contexten\\.codegen\\.baseUrl now points to ${origin(b)}: .*no request was made\\. Sign in again to use ${origin(b)}, or set the base URL back\\.$`));
      assert.deepEqual(adviseError(err).steps, [{ kind: 'signIn' }]);
    }
    assert.deepEqual(b.requests(), [], 'nothing reached the new server');

    // Signing in there (the token checked against it) moves the token to it, and away from the old one.
    await tokens.signIn('1', SANDBOX_TOKEN, settings.baseUrl);
    await client.listRuns();
    assert.ok(b.requests().length > 0);
    const atA = a.requests().length;
    settings = { ...settings, baseUrl: a.url };
    await assert.rejects(client.listRuns(), AuthenticationError);
    assert.equal(a.requests().length, atA);
  });

  it('a token stored by an earlier version (no origin recorded) is adopted for the base URL of its first use', async () => {
    secrets.data.set(LEGACY_TOKEN_SECRET_KEY, SANDBOX_TOKEN);
    await tokens.reload();
    await client.listRuns();
    assert.deepEqual(JSON.parse(secrets.data.get(TOKEN_SECRET_KEY) ?? ''), { origin: origin(a), token: SANDBOX_TOKEN });
    assert.equal(secrets.data.has(LEGACY_TOKEN_SECRET_KEY), false, 'the old version’s secret is deleted once adopted');
    settings = { ...settings, baseUrl: b.url };
    await assert.rejects(client.listRuns(), AuthenticationError);
    assert.deepEqual(b.requests(), []);
  });

  it('CODEGEN_API_TOKEN (the user’s explicit choice) goes wherever the base URL points; signing out forgets the origin', async () => {
    await tokens.signIn('1', SANDBOX_TOKEN, settings.baseUrl);
    env = SANDBOX_TOKEN;
    await tokens.signOut();
    assert.deepEqual([...secrets.data.keys()], []);
    settings = { ...settings, baseUrl: b.url };
    await client.listRuns();
    assert.ok(b.requests().length > 0 && b.requests().every((r) => r.auth === 'valid'));
  });

  it('a sign-in the keychain refuses leaves the token stored before with its origin: nothing goes to the new server', async () => {
    await tokens.signIn('1', SANDBOX_TOKEN, settings.baseUrl);
    const before = secrets.data.get(TOKEN_SECRET_KEY);
    const refusing = new TokenManager(
      { get: (k) => secrets.get(k), delete: (k) => secrets.delete(k), store: async () => Promise.reject(new Error('keychain refused')) },
      { validateCredentials: (t, o, s) => client.validateCredentials(t, o, s) },
      () => undefined,
      nullLogger,
    );
    await assert.rejects(refusing.signIn('1', SANDBOX_TOKEN, b.url), /keychain refused/);
    refusing.dispose();
    assert.equal(secrets.data.get(TOKEN_SECRET_KEY), before);
    settings = { ...settings, baseUrl: b.url };
    const atB = b.requests().length;
    await assert.rejects(client.listRuns(), AuthenticationError);
    assert.equal(b.requests().length, atB, 'only the sign-in check reached the new server');
  });

  it('localhost, 127.0.0.1 and [::1] with the same scheme and port are one origin', async () => {
    await tokens.signIn('1', SANDBOX_TOKEN, settings.baseUrl);
    const port = new URL(a.url).port;
    for (const host of ['localhost', '[::1]', '127.0.0.1']) assert.equal(await tokens.tokenFor(`http://${host}:${port}/v1`), SANDBOX_TOKEN, host);
    await assert.rejects(tokens.tokenFor(`https://localhost:${port}/v1`), AuthenticationError);
  });
});
