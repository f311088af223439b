import assert from 'node:assert/strict';
import { OpenAiClient } from '../../../src/core/api/openAiClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { LEGACY_OPENAI_API_KEY_SECRET, OPENAI_API_KEYS_SECRET, OpenAiKeyStore } from '../../../src/core/auth/openAiKeyStore';
import { originOf } from '../../../src/core/auth/originBoundSecret';
import { adviseError } from '../../../src/core/errorAdvice';
import { AuthenticationError } from '../../../src/core/errors';
import { systemClock, type SecretStore } from '../../../src/core/ports';
import { type OpenAiServer, startOpenAiServer } from '../../servers/openai/openAiServer';
import { RecordingLogger } from '../fakes/recordingLogger';
import { MemorySecrets } from '../fakes/memorySecrets';


const KEY = 'sk-proj-OLDSERVERKEY-123456';
const OTHER_KEY = 'sk-proj-OTHERSERVERKEY-7890';

describe('OpenAiKeyStore: an OpenAI-compatible key is sent only to the origin it was stored for (two contract servers)', () => {
  let a: OpenAiServer;
  let b: OpenAiServer;
  let transport: UndiciTransport;
  let secrets: MemorySecrets;
  let keys: OpenAiKeyStore;
  let baseUrl: string;
  let client: OpenAiClient;
  const seen: string[] = [];
  const chat = (): Promise<unknown> => client.streamChat({ messages: [{ role: 'user', content: 'Write function slugify' }] }, { signal: new AbortController().signal });

  beforeEach(async () => {
    // (Both take the key, and a request without one: what reaches either, and with which key, is in its log.)
    a = await startOpenAiServer({ apiKey: KEY, keyOptional: true });
    b = await startOpenAiServer({ apiKey: OTHER_KEY, keyOptional: true });
    transport = new UndiciTransport({ maxConnections: 2 });
    secrets = new MemorySecrets();
    seen.length = 0;
    keys = new OpenAiKeyStore(secrets, (s) => seen.push(s));
    baseUrl = a.baseUrl;
    client = new OpenAiClient({
      transport,
      clock: systemClock,
      random: () => 0.5,
      logger: new RecordingLogger(),
      settings: () => ({ baseUrl, model: 'test-model', timeoutMs: 10_000, maxRetries: 0 }),
      apiKey: (url) => keys.keyFor(url),
    });
  });

  afterEach(async () => {
    await transport.close();
    await a.close();
    await b.close();
  });

  it('a key stored for one server is not sent to another: that one gets no key, and one that needs a key says so with its next step', async () => {
    await keys.store(a.baseUrl, KEY);
    await chat();
    assert.deepEqual(a.requests().map((r) => r.authorization), ['valid']);

    baseUrl = b.baseUrl;
    await chat();
    assert.deepEqual(b.requests().map((r) => r.authorization), ['absent'], 'sent without the key (a local Ollama needs none)');

    const strict = await startOpenAiServer({ apiKey: KEY });
    try {
      baseUrl = strict.baseUrl;
      const err = await chat().catch((e: unknown) => e);
      assert.ok(err instanceof AuthenticationError, String(err));
      assert.equal(err.unsent, true, 'no key was sent: none is stored for that server');
      assert.equal(err.message.includes(KEY), false);
      assert.deepEqual(adviseError(err).steps[0], { kind: 'setOpenAiKey' });
      assert.deepEqual(strict.requests().map((r) => r.authorization), ['absent']);
    } finally {
      await strict.close();
    }

    // The same server under another path is the same origin: the key goes.
    assert.equal(await keys.keyFor(`${a.origin}/other/v1`), KEY);
  });

  it('each server keeps its own key: switching between them and back needs no key entered again; removing one keeps the others', async () => {
    await keys.store(a.baseUrl, KEY);
    await keys.store(b.baseUrl, OTHER_KEY);
    for (const url of [a.baseUrl, b.baseUrl, a.baseUrl, b.baseUrl]) {
      baseUrl = url;
      await chat();
    }
    assert.deepEqual(a.requests().map((r) => r.authorization), ['valid', 'valid']);
    assert.deepEqual(b.requests().map((r) => r.authorization), ['valid', 'valid']);

    await keys.remove(b.baseUrl);
    assert.equal(await keys.keyFor(b.baseUrl), undefined);
    assert.equal(await keys.keyFor(a.baseUrl), KEY);
    await keys.remove(a.baseUrl);
    assert.deepEqual([...secrets.data.keys()], [], 'no key left: the secret is deleted');
  });

  it('the keys and their origins are one secret (one write per store), read with its shape checked', async () => {
    await keys.store(a.baseUrl, KEY);
    await keys.store(b.baseUrl, OTHER_KEY);
    assert.deepEqual([...secrets.data.keys()], [OPENAI_API_KEYS_SECRET]);
    assert.deepEqual(JSON.parse(secrets.data.get(OPENAI_API_KEYS_SECRET) ?? ''), { [originOf(a.baseUrl)]: KEY, [originOf(b.baseUrl)]: OTHER_KEY });
    for (const broken of ['not json', '["sk-x"]', '{"http://localhost:1": 5}']) {
      secrets.data.set(OPENAI_API_KEYS_SECRET, broken);
      assert.equal(await keys.keyFor(a.baseUrl), undefined, broken);
    }
  });

  it('a key stored by an earlier version (no origin recorded) is adopted for the server configured at its first use, its secret deleted', async () => {
    secrets.data.set(LEGACY_OPENAI_API_KEY_SECRET, ` ${KEY} `);
    await chat();
    assert.deepEqual(a.requests().map((r) => r.authorization), ['valid']);
    assert.deepEqual(JSON.parse(secrets.data.get(OPENAI_API_KEYS_SECRET) ?? ''), { [originOf(a.baseUrl)]: KEY });
    assert.equal(secrets.data.has(LEGACY_OPENAI_API_KEY_SECRET), false);
    assert.ok(seen.includes(KEY), 'the key is registered for redaction');

    baseUrl = b.baseUrl;
    await chat();
    assert.deepEqual(b.requests().map((r) => r.authorization), ['absent']);
  });

  it('a store the keychain refuses leaves the keys stored as they were', async () => {
    await keys.store(a.baseUrl, KEY);
    const failing: SecretStore = {
      get: (k) => secrets.get(k),
      delete: (k) => secrets.delete(k),
      store: async () => {
        throw new Error('keychain refused');
      },
    };
    await assert.rejects(new OpenAiKeyStore(failing).store(b.baseUrl, OTHER_KEY), /keychain refused/);
    assert.equal(await keys.keyFor(a.baseUrl), KEY, 'the old key is still there');
    assert.equal(await keys.keyFor(b.baseUrl), undefined, 'and not paired with the new origin');
  });

  it('a key stored in one window while another adopts the old version’s key is never paired with another origin', async () => {
    // (The interleaving D4 found: window B reads the old key for its server z; window A stores a new key for x; B
    // goes on. Whatever B's writes do to A's, each key is sent only to the origin it was stored or adopted for.)
    for (const pause of [1, 2, 3, 4]) {
      secrets.data.clear();
      secrets.data.set(LEGACY_OPENAI_API_KEY_SECRET, KEY);
      let gets = 0;
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let reached: () => void = () => undefined;
      const atPause = new Promise<void>((resolve) => (reached = resolve));
      const pausing: SecretStore = {
        get: async (k) => {
          if (++gets === pause) {
            reached();
            await held;
          }
          return secrets.get(k);
        },
        store: (k, v) => secrets.store(k, v),
        delete: (k) => secrets.delete(k),
      };
      const windowB = new OpenAiKeyStore(pausing).keyFor('https://z.example.com/v1');
      await Promise.race([atPause, windowB]);
      await new OpenAiKeyStore(secrets).store('https://x.example.com/v1', OTHER_KEY);
      release();
      const sentByB = await windowB;
      assert.notEqual(sentByB, OTHER_KEY, `pause ${pause}`);
      const fresh = new OpenAiKeyStore(secrets);
      assert.ok([KEY, undefined].includes(await fresh.keyFor('https://z.example.com/v1')), `pause ${pause}: z`);
      assert.ok([OTHER_KEY, undefined].includes(await fresh.keyFor('https://x.example.com/v1')), `pause ${pause}: x`);
    }
  });

  it('an origin is scheme, host and port (the default port left out); localhost, 127.0.0.1 and [::1] are one', async () => {
    assert.equal(originOf('https://api.openai.com:443/v1'), 'https://api.openai.com');
    assert.equal(originOf('http://LOCALHOST:11434/v1'), originOf('http://127.0.0.1:11434/api'));
    assert.equal(originOf('http://[::1]:11434/v1'), originOf('http://localhost:11434/v1'));
    assert.notEqual(originOf('http://localhost:11434/v1'), originOf('http://localhost:8080/v1'));
    assert.notEqual(originOf('http://localhost:11434/v1'), originOf('https://localhost:11434/v1'));
    assert.notEqual(originOf('http://127.0.0.2:11434/v1'), originOf('http://localhost:11434/v1'));
    await keys.store('http://127.0.0.1:11434/v1', KEY);
    for (const url of ['http://localhost:11434/v1/', 'http://LOCALHOST:11434/api/v1', 'http://[::1]:11434/v1']) assert.equal(await keys.keyFor(url), KEY, url);
    assert.equal(await keys.keyFor('http://localhost:11435/v1'), undefined);
  });
});
