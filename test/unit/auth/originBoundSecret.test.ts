import assert from 'node:assert/strict';
import { LEGACY_OPENAI_API_KEY_SECRET, OPENAI_API_KEYS_SECRET, OpenAiKeyStore } from '../../../src/core/auth/openAiKeyStore';
import { LEGACY_TOKEN_SECRET_KEY, TOKEN_SECRET_KEY, TokenManager } from '../../../src/core/auth/tokenManager';
import { MemorySecrets } from '../fakes/memorySecrets';
import { RecordingLogger } from '../fakes/recordingLogger';

const A = 'https://a.example.com/v1';
const B = 'https://b.example.com/v1';
const KEY_A = 'sk-test-AAAA-1111';
const KEY_B = 'sk-test-BBBB-2222';
const OLD = 'sk-test-OLDWINDOW-3333';
const keysIn = (secrets: MemorySecrets): unknown => JSON.parse(secrets.data.get(OPENAI_API_KEYS_SECRET) ?? 'null');

describe('OriginBoundSecret: legacy credentials, damaged values, reads', () => {
  it('a key an older version stores while the new map exists is neither deleted nor adopted for another origin (a remote window still uses it)', async () => {
    const secrets = new MemorySecrets({ changes: true });
    const keys = new OpenAiKeyStore(secrets);
    await keys.store(A, KEY_A);
    // (The older extension in a remote window sharing this storage stores its key.)
    secrets.setElsewhere(LEGACY_OPENAI_API_KEY_SECRET, OLD);
    assert.equal(await keys.keyFor(A), KEY_A);
    assert.equal(await keys.keyFor(B), undefined, 'not sent to a server it may not have been entered for');
    await keys.store(B, KEY_B);
    await keys.remove(B);
    assert.equal(secrets.data.get(LEGACY_OPENAI_API_KEY_SECRET), OLD, 'the older window keeps its key');
    assert.deepEqual(keysIn(secrets), { 'https://a.example.com': KEY_A });
    keys.dispose();
  });

  it('a legacy key that is a copy of one the map holds is deleted; with no map it is adopted (and deleted)', async () => {
    const secrets = new MemorySecrets({ changes: true });
    const keys = new OpenAiKeyStore(secrets);
    await keys.store(A, KEY_A);
    secrets.setElsewhere(LEGACY_OPENAI_API_KEY_SECRET, KEY_A);
    assert.equal(await keys.keyFor(B), undefined);
    assert.equal(secrets.data.has(LEGACY_OPENAI_API_KEY_SECRET), false);

    const fresh = new MemorySecrets({ changes: true });
    fresh.data.set(LEGACY_OPENAI_API_KEY_SECRET, OLD);
    const adopting = new OpenAiKeyStore(fresh);
    assert.equal(await adopting.keyFor(B), OLD);
    assert.deepEqual([...fresh.data.keys()], [OPENAI_API_KEYS_SECRET]);

    const tokens = new MemorySecrets({ changes: true });
    tokens.data.set(LEGACY_TOKEN_SECRET_KEY, 'tok-legacy-4444');
    const tm = new TokenManager(tokens, { validateCredentials: () => Promise.reject(new Error('not asked')) }, () => undefined, new RecordingLogger());
    assert.equal(await tm.tokenFor('https://api.codegen.com'), 'tok-legacy-4444');
    assert.deepEqual([...tokens.data.keys()], [TOKEN_SECRET_KEY]);
    tm.dispose();
    keys.dispose();
    adopting.dispose();
  });

  it('a map with a damaged entry keeps the others, a store keeps them too, and a warning says so without a key', async () => {
    const secrets = new MemorySecrets({ changes: true });
    const log = new RecordingLogger();
    const keys = new OpenAiKeyStore(secrets, undefined, (m) => log.warn(m));
    secrets.data.set(OPENAI_API_KEYS_SECRET, JSON.stringify({ 'https://a.example.com': KEY_A, 'https://c.example.com': 5 }));
    assert.equal(await keys.keyFor(A), KEY_A);
    await keys.store(B, KEY_B);
    assert.deepEqual(keysIn(secrets), { 'https://a.example.com': KEY_A, 'https://b.example.com': KEY_B });
    assert.match(log.text('warn'), /contexten\.openai\.apiKeys is damaged: 1 of its 2 entries/);
    assert.equal(log.lines.filter((l) => l.level === 'warn').length, 1, 'warned once');
    for (const k of [KEY_A, KEY_B]) assert.ok(!log.text().includes(k), 'no key in the log');

    secrets.data.set(OPENAI_API_KEYS_SECRET, 'not json {');
    secrets.setElsewhere(LEGACY_OPENAI_API_KEY_SECRET, undefined);
    assert.equal(await keys.keyFor(A), undefined);
    assert.match(log.text('warn'), /is damaged: it is not JSON/);
    keys.dispose();
  });

  it('a damaged token reads as signed out with a warning (no token in it)', async () => {
    const secrets = new MemorySecrets({ changes: true });
    const log = new RecordingLogger();
    secrets.data.set(TOKEN_SECRET_KEY, '{"origin": "https://api.codegen.com", "token": 12345678}');
    const tm = new TokenManager(secrets, { validateCredentials: () => Promise.reject(new Error('not asked')) }, () => undefined, log);
    assert.equal((await tm.reload()).kind, 'signedOut');
    assert.match(log.text('warn'), /contexten\.codegen\.signedInToken is damaged: it is not an origin with a token\. It reads as signed out/);
    assert.ok(!log.text().includes('12345678'));
    tm.dispose();
  });

  it('what was read is kept until a secret changes: a request asking for its token three times reads the keychain once', async () => {
    const secrets = new MemorySecrets({ changes: true });
    secrets.data.set(TOKEN_SECRET_KEY, JSON.stringify({ origin: 'https://api.codegen.com', token: 'tok-one-5555' }));
    const tm = new TokenManager(secrets, { validateCredentials: () => Promise.reject(new Error('not asked')) }, () => undefined, new RecordingLogger());
    await tm.reload();
    const before = secrets.gets;
    for (let i = 0; i < 3; i++) assert.equal(await tm.tokenFor('https://api.codegen.com/v1'), 'tok-one-5555');
    assert.equal(secrets.gets - before, 0, 'read at reload, kept since');
    // Another window signs in with another token: read again.
    secrets.setElsewhere(TOKEN_SECRET_KEY, JSON.stringify({ origin: 'https://api.codegen.com', token: 'tok-two-6666' }));
    await tm.reload();
    assert.equal(await tm.tokenFor('https://api.codegen.com/v1'), 'tok-two-6666');
    const keys = new OpenAiKeyStore(secrets);
    await keys.store(A, KEY_A);
    const then = secrets.gets;
    for (let i = 0; i < 3; i++) assert.equal(await keys.keyFor(A), KEY_A);
    assert.equal(secrets.gets - then, 2, 'the map and the legacy secret, once');
    secrets.setElsewhere(OPENAI_API_KEYS_SECRET, JSON.stringify({ 'https://a.example.com': KEY_B }));
    assert.equal(await keys.keyFor(A), KEY_B);
    tm.dispose();
    keys.dispose();
  });
});
