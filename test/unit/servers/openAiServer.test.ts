import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { HOSTILE_ANSWER, HOSTILE_MARKER } from '../../servers/openai/answers';
import { type OpenAiServer, startOpenAiServer } from '../../servers/openai/openAiServer';

const KEY = 'sk-contract-ADMIN-5555';

describe('OpenAI-compatible contract server: admin endpoints and CLI', () => {
  let server: OpenAiServer;

  beforeEach(async () => {
    server = await startOpenAiServer({ apiKey: KEY });
  });

  afterEach(async () => {
    await server.close();
  });

  const chat = (body: Record<string, unknown>): Promise<Response> =>
    fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'test-model', messages: [{ role: 'user', content: 'hi' }], ...body }),
    });

  it('injects a fault for a number of requests through POST /__admin/fault', async () => {
    const set = await fetch(`${server.origin}/__admin/fault`, { method: 'POST', body: JSON.stringify({ fault: { kind: 'rate_limit', retryAfterSeconds: 3 }, times: 1 }) });
    assert.equal(set.status, 200);
    const limited = await chat({});
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    assert.deepEqual(await limited.json(), {
      error: { message: 'Rate limit reached for requests. Please try again later.', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    assert.equal((await chat({})).status, 200);
  });

  it('rejects unknown request fields and a missing key the way api.openai.com does', async () => {
    const unknown = await chat({ frequency_penalty_x: 1 });
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /Unrecognized request argument supplied: frequency_penalty_x/);
    const noKey = await fetch(`${server.baseUrl}/models`);
    assert.equal(noKey.status, 401);
    assert.equal(((await noKey.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
  });

  it('logs requests without keys (GET /__admin/requests) and releases held first tokens (POST /__admin/release)', async () => {
    await fetch(`${server.origin}/__admin/fault`, { method: 'POST', body: JSON.stringify({ fault: { kind: 'slow_first_token' } }) });
    const held = chat({ stream: true });
    await server.waitFor((rs) => rs.length === 1);
    await fetch(`${server.origin}/__admin/release`, { method: 'POST' });
    const res = await held;
    assert.match(await res.text(), /data: \[DONE\]\n\n$/);
    const log = await (await fetch(`${server.origin}/__admin/requests`)).text();
    assert.doesNotMatch(log, /ADMIN-5555/);
    assert.equal((JSON.parse(log) as { authorization: string }[])[0]?.authorization, 'valid');
  });

  it('runs on its own and prints where it listens', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../servers/openai/main.ts'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.trim());
        });
        child.once('exit', (code) => reject(new Error(`exited with ${String(code)}`)));
      });
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      assert.ok(m?.[1], line);
      const models = (await (await fetch(`${m[1]}/v1/models`)).json()) as { data: { id: string }[] };
      assert.deepEqual(
        models.data.map((x) => x.id),
        ['test-model', 'gpt-4o-mini'],
      );
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('answers a task carrying the hostile marker with the hostile answer, whole', async () => {
    const res = await chat({ messages: [{ role: 'user', content: `## Relevant code\n\n## Task\n\nExplain ${HOSTILE_MARKER} please` }] });
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    assert.equal(body.choices[0]?.message.content, HOSTILE_ANSWER);
    assert.match(HOSTILE_ANSWER, /<script>/);
  });
});

describe('OpenAI-compatible contract server: optional key', () => {
  let server: OpenAiServer;

  beforeEach(async () => {
    server = await startOpenAiServer({ apiKey: KEY, keyOptional: true });
  });

  afterEach(async () => {
    await server.close();
  });

  const models = (authorization?: string): Promise<Response> =>
    fetch(`${server.baseUrl}/models`, authorization === undefined ? {} : { headers: { authorization } });

  it('accepts the right key and no key at all, and logs which one came', async () => {
    assert.equal((await models(`Bearer ${KEY}`)).status, 200);
    assert.equal((await models()).status, 200);
    assert.deepEqual(
      server.requests().map((r) => r.authorization),
      ['valid', 'absent'],
    );
  });

  it('still rejects a wrong key', async () => {
    const res = await models('Bearer sk-wrong');
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
  });
});
