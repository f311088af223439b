import assert from 'node:assert/strict';
import { OpenAiClient } from '../../../src/core/api/openAiClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { OPENAI_API_KEY_SECRET, OPENAI_KEY_ORIGIN_SECRET, OpenAiKeyStore, originOf } from '../../../src/core/auth/openAiKeyStore';
import { adviseError } from '../../../src/core/errorAdvice';
import { AuthenticationError } from '../../../src/core/errors';
import { systemClock, type SecretStore } from '../../../src/core/ports';
import { type OpenAiServer, startOpenAiServer } from '../../servers/openai/openAiServer';
import { RecordingLogger } from '../fakes/recordingLogger';

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

const KEY = 'sk-proj-OLDSERVERKEY-123456';

describe('OpenAiKeyStore: the OpenAI-compatible key is sent only to the origin it was entered for (two contract servers)', () => {
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
    b = await startOpenAiServer({ apiKey: KEY, keyOptional: true });
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

  it('a key stored for one server is not sent to another: no request at all, an error saying why and what to do', async () => {
    await keys.store(a.baseUrl, KEY);
    await chat();
    assert.deepEqual(a.requests().map((r) => r.authorization), ['valid']);

    baseUrl = b.baseUrl;
    const err = await chat().catch((e: unknown) => e);
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.equal(err.credential, 'openai');
    assert.equal(err.unsent, true);
    assert.equal(err.message.includes(KEY), false);
    assert.match(err.message, new RegExp(`stored for ${a.origin}, and contexten\\.openai\\.baseUrl now points to ${b.origin}: .*no request was made \\(if that server needs no key, such as a local Ollama, store an empty one\\)\\.$`));
    assert.deepEqual(adviseError(err).steps, [{ kind: 'setOpenAiKey' }, { kind: 'openSettings', setting: 'contexten.openai.baseUrl' }]);
    assert.deepEqual(b.requests(), [], 'nothing reached the new server');

    // The same server under another path is the same origin: the key goes.
    baseUrl = `${a.origin}/other/v1`;
    assert.equal(await keys.keyFor(baseUrl), KEY);
  });

  it('a key stored for the new server goes there (and no longer to the old one); an empty one (removed) means requests without a key', async () => {
    await keys.store(a.baseUrl, KEY);
    baseUrl = b.baseUrl;
    await keys.store(b.baseUrl, KEY);
    await chat();
    assert.deepEqual(b.requests().map((r) => r.authorization), ['valid']);
    baseUrl = a.baseUrl;
    await assert.rejects(chat(), AuthenticationError);
    assert.deepEqual(a.requests(), []);

    await keys.remove();
    await chat();
    assert.deepEqual(a.requests().map((r) => r.authorization), ['absent'], 'no key stored: sent without one (a local Ollama needs none)');
    assert.deepEqual([...secrets.data.keys()], []);
  });

  it('a key stored by an earlier version (no origin recorded) is adopted for the server configured at its first use', async () => {
    secrets.data.set(OPENAI_API_KEY_SECRET, ` ${KEY} `);
    await chat();
    assert.deepEqual(a.requests().map((r) => r.authorization), ['valid']);
    assert.equal(secrets.data.get(OPENAI_KEY_ORIGIN_SECRET), a.origin);
    assert.ok(seen.includes(KEY), 'the key is registered for redaction');

    baseUrl = b.baseUrl;
    await assert.rejects(chat(), AuthenticationError);
    assert.deepEqual(b.requests(), []);
  });

  it('storing a key replaces the old one before recording the new origin: no step pairs the old key with the new origin', async () => {
    await keys.store(a.baseUrl, KEY);
    const writes: string[] = [];
    const failing: SecretStore = {
      get: (k) => secrets.get(k),
      delete: async (k) => {
        writes.push(`delete ${k}`);
        await secrets.delete(k);
      },
      store: async (k, v) => {
        writes.push(`store ${k}`);
        if (k === OPENAI_API_KEY_SECRET) throw new Error('keychain refused');
        await secrets.store(k, v);
      },
    };
    await assert.rejects(new OpenAiKeyStore(failing).store(b.baseUrl, 'sk-new-key-7890'), /keychain refused/);
    assert.deepEqual(writes, [`delete ${OPENAI_API_KEY_SECRET}`, `store ${OPENAI_KEY_ORIGIN_SECRET}`, `store ${OPENAI_API_KEY_SECRET}`]);
    baseUrl = b.baseUrl;
    await chat();
    assert.deepEqual(b.requests().map((r) => r.authorization), ['absent'], 'the old key is gone, not sent to the new origin');
  });

  it('an origin is scheme, host and port (the default port left out)', () => {
    assert.equal(originOf('https://api.openai.com:443/v1'), 'https://api.openai.com');
    assert.notEqual(originOf('http://localhost:11434/v1'), originOf('http://localhost:8080/v1'));
    assert.notEqual(originOf('http://localhost:11434/v1'), originOf('http://127.0.0.1:11434/v1'));
  });
});
