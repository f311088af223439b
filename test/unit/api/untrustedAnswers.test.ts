import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_ANSWER_CHARS, MAX_ERROR_BODY_CHARS } from '../../../src/core/api/boundedBody';
import { readErrorBody } from '../../../src/core/api/httpErrors';
import { CodegenClient, MAX_ORGANIZATION_PAGES, MAX_ORGANIZATIONS_CHECKED } from '../../../src/core/api/codegenClient';
import { OpenAiClient } from '../../../src/core/api/openAiClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { ConfigurationError, NotFoundError, ProtocolError, ServerError, ValidationError } from '../../../src/core/errors';
import { systemClock } from '../../../src/core/ports';
import { RecordingLogger } from '../fakes/recordingLogger';

// A server that is not to be trusted (or whatever answers at the base URL): it echoes the token where no redaction looked,
// sends bodies without end, pages without end. Real HTTP on 127.0.0.1. No assertion prints a text that may hold the key.
const KEY = 'sk-proj-SECRETKEY0123456789';

/** Fails (without quoting the text) when it holds the key, in any case. */
function assertNoKey(text: string, where: string): void {
  assert.ok(!text.toLowerCase().includes(KEY.toLowerCase()), `${where} holds the key`);
}

/** The error a promise rejects with (fails when it resolves). */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Error, 'an Error');
    return err;
  }
  assert.fail('expected a failure');
}

describe('Clients against an untrusted server (real HTTP)', () => {
  type Handler = (req: http.IncomingMessage, res: http.ServerResponse, key: string) => void;
  let handler: Handler;
  let srv: http.Server;
  let origin = '';
  let transport: UndiciTransport;
  let logger: RecordingLogger;
  /** Requests the server got: method and path with query. */
  let requests: string[];
  /** Bytes the server managed to send (a body the client cut off stops short). */
  let sentBytes: number;

  beforeEach(async () => {
    requests = [];
    sentBytes = 0;
    handler = (_req, res) => res.end('{}');
    srv = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      req.resume();
      req.on('end', () => handler(req, res, key));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    logger = new RecordingLogger();
    transport = new UndiciTransport({ maxConnections: 4, logger });
  });

  afterEach(async () => {
    srv.closeAllConnections();
    await transport.close();
    await new Promise<void>((r) => srv.close(() => r()));
  });

  function codegen(): CodegenClient {
    return new CodegenClient({ transport, clock: systemClock, random: () => 0.5, logger, settings: () => ({ baseUrl: origin, orgId: '1', timeoutMs: 10_000, maxRetries: 0 }), token: () => Promise.resolve(KEY) });
  }

  function openAi(): OpenAiClient {
    return new OpenAiClient({ transport, clock: systemClock, random: () => 0.5, logger, settings: () => ({ baseUrl: `${origin}/v1`, model: 'm', timeoutMs: 10_000, maxRetries: 0 }), apiKey: () => Promise.resolve(KEY) });
  }

  /** Answers with `status` and a body of `chars` characters of `fill` (JSON's content type), written as fast as read. */
  function endless(status: number, chars: number, type = 'application/json', fill = 'a'): Handler {
    return (_req, res) => {
      res.writeHead(status, { 'content-type': type });
      const chunk = Buffer.alloc(64 * 1024, fill);
      let left = chars;
      const push = (): void => {
        while (left > 0 && !res.destroyed) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          sentBytes += piece.length;
          if (!res.write(piece)) {
            res.once('drain', push);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      push();
    };
  }

  describe('a server that echoes the token back', () => {
    it("redacts the token from a 422's detail[].loc and type, in the message and in the issues kept", async () => {
      handler = (_req, res, key) => {
        res.writeHead(422, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail: [{ loc: ['query', key], msg: `bad ${key}`, type: `value_error.${key}` }] }));
      };
      const err = await failure(codegen().getMe());
      assert.ok(err instanceof ValidationError, err.name);
      assertNoKey(err.message, 'the message');
      assertNoKey(JSON.stringify(err.issues), 'the issues');
      assert.match(err.message, /HTTP 422: query\.«redacted»: bad «redacted»/);
      assert.deepEqual(err.issues, [{ loc: ['query', '«redacted»'], msg: 'bad «redacted»', type: 'value_error.«redacted»' }]);
      assertNoKey(logger.text(), 'the log');
    });

    it("keeps no token in an error body's code, type or param either (readErrorBody: what the error is classed by)", () => {
      const body = readErrorBody(JSON.stringify({ error: { message: 'no', code: `c-${KEY}`, type: `t-${KEY}`, param: `p-${KEY}` } }), 'application/json', [KEY]);
      assertNoKey(JSON.stringify(body), 'the error body read');
      assert.deepEqual([body.code, body.type, body.param], ['c-«redacted»', 't-«redacted»', 'p-«redacted»']);
    });

    it("leaves out a redirect's target whose host holds the token (lower-cased by URL parsing); shows one that holds none", async () => {
      handler = (_req, res, key) => {
        res.writeHead(302, { location: `https://${key}.evil.example/x` });
        res.end();
      };
      for (const call of [(): Promise<unknown> => openAi().streamChat({ messages: [{ role: 'user', content: 'hi' }] }, { signal: new AbortController().signal }), (): Promise<unknown> => codegen().getMe()]) {
        const err = await failure(call());
        assert.ok(err instanceof ConfigurationError, err.name);
        assertNoKey(err.message, 'the message');
        assert.match(err.message, /\(HTTP 302\): the base URL in contexten\.(openai|codegen)\.baseUrl is probably wrong/);
      }
      assertNoKey(logger.text(), 'the log');
      handler = (_req, res) => {
        res.writeHead(302, { location: 'https://login.example.com/sso' });
        res.end();
      };
      const err = await failure(codegen().getMe());
      assert.match(err.message, /\(HTTP 302 to https:\/\/login\.example\.com\/sso\)/);
    });

    it("shows a redirect to localhost although the key is a short placeholder in it ('local'), and hides one whose host holds it", async () => {
      const client = (key: string): OpenAiClient =>
        new OpenAiClient({ transport, clock: systemClock, random: () => 0.5, logger, settings: () => ({ baseUrl: `${origin}/v1`, model: 'm', timeoutMs: 10_000, maxRetries: 0 }), apiKey: () => Promise.resolve(key) });
      const chat = (key: string): Promise<unknown> => client(key).streamChat({ messages: [{ role: 'user', content: 'hi' }] }, { signal: new AbortController().signal });
      let location = 'http://localhost:3000/login';
      handler = (_req, res) => {
        res.writeHead(302, { location });
        res.end();
      };
      assert.match((await failure(chat('local'))).message, /\(HTTP 302 to http:\/\/localhost:3000\/login\)/);
      location = 'http://LOCAL.evil.example/login';
      assert.match((await failure(chat('local'))).message, /\(HTTP 302\): the base URL/);
    });

    it('names the content type of an answer that is no event stream without the token in it (media type only, redacted)', async () => {
      handler = (_req, res, key) => {
        res.writeHead(200, { 'content-type': `text/x-${key}; charset=${key}` });
        res.end('plain text');
      };
      const err = await failure(openAi().streamChat({ messages: [{ role: 'user', content: 'hi' }] }, { signal: new AbortController().signal }));
      assert.ok(err instanceof ProtocolError, err.name);
      assertNoKey(err.message, 'the message');
      assert.match(err.message, /answered POST \/v1\/chat\/completions with text\/x-«redacted» instead of an event stream: plain text\.$/);
      assertNoKey(logger.text(), 'the log');
    });
  });

  describe('a body without end', () => {
    const over = MAX_ANSWER_CHARS + 4 * 1024 * 1024;

    it(`refuses an answer over ${MAX_ANSWER_CHARS.toLocaleString('en-US')} characters (chat, models, Codegen) without reading the rest`, async () => {
      handler = endless(200, over);
      const calls: [string, () => Promise<unknown>][] = [
        ['POST /v1/chat/completions', () => openAi().chat({ messages: [{ role: 'user', content: 'x' }] }, new AbortController().signal)],
        ['GET /v1/models', () => openAi().listModels(new AbortController().signal)],
        ['GET /v1/users/me', () => codegen().getMe()],
      ];
      for (const [what, call] of calls) {
        sentBytes = 0;
        const err = await failure(call());
        assert.ok(err instanceof ProtocolError, `${what}: ${err.name}`);
        assert.ok(err.message.includes(`an answer of over ${MAX_ANSWER_CHARS.toLocaleString('en-US')} characters to ${what}`), err.message);
        assert.ok(sentBytes < over, `${what}: the body was read to its end`);
      }
    });

    it('reads no more than the start of an error body, and reports the error (HTTP 500) as usual', async () => {
      handler = endless(500, over);
      for (const call of [() => openAi().listModels(new AbortController().signal), () => codegen().getMe()]) {
        sentBytes = 0;
        const err = await failure(call());
        assert.ok(err instanceof ServerError, err.name);
        assert.match(err.message, /HTTP 500: a{200}/);
        assert.ok(sentBytes < MAX_ERROR_BODY_CHARS + 8 * 1024 * 1024, 'the error body was read to its end');
      }
    });

    it('refuses an event-stream line that never ends, and one answered instead of a stream', async () => {
      for (const [type, fill] of [
        ['text/event-stream', 'd'],
        ['text/plain', 'a'],
      ] as const) {
        handler = endless(200, over, type, fill);
        sentBytes = 0;
        const err = await failure(openAi().streamChat({ messages: [{ role: 'user', content: 'hi' }] }, { signal: new AbortController().signal }));
        assert.ok(err instanceof ProtocolError, `${type}: ${err.name}`);
        assert.match(err.message, /of over 16,000,000 characters to POST \/v1\/chat\/completions/);
        assert.ok(sentBytes < over, `${type}: the body was read to its end`);
      }
    });
  });

  describe('a streamed answer without end', () => {
    it(`refuses a streamed answer whose events add up to over ${MAX_ANSWER_CHARS.toLocaleString('en-US')} characters, each of them short`, async () => {
      const events = 400;
      const piece = 'x'.repeat(60_000);
      const event = Buffer.from(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece } }] })}\n\n`);
      const total = events * event.length;
      handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let left = events;
        const push = (): void => {
          while (left > 0 && !res.destroyed) {
            left -= 1;
            sentBytes += event.length;
            if (!res.write(event)) {
              res.once('drain', push);
              return;
            }
          }
          res.end('data: [DONE]\n\n');
        };
        res.on('error', () => undefined);
        push();
      };
      let delivered = 0;
      const err = await failure(openAi().streamChat({ messages: [{ role: 'user', content: 'hi' }] }, { signal: new AbortController().signal, onDelta: (d) => (delivered += d.length) }));
      assert.ok(err instanceof ProtocolError, err.name);
      assert.match(err.message, /sent an answer of over 16,000,000 characters to POST \/v1\/chat\/completions/);
      assert.ok(delivered <= MAX_ANSWER_CHARS, `${delivered} characters were passed on`);
      assert.ok(sentBytes < total, 'the stream was read to its end');
    });
  });

  describe('organizations paged without end at sign-in', () => {
    const orgs = (skip: number, n: number): { id: number; name: string }[] => Array.from({ length: n }, (_, i) => ({ id: 1000 + skip + i, name: `Org ${skip + i}` }));
    const me = { id: 1, email: 'a@example.com', github_username: 'a' };

    it('stops at a page that brings nothing new (the same page again, a total of 10^12)', async () => {
      handler = (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url?.startsWith('/v1/users/me')) res.end(JSON.stringify(me));
        else res.end(JSON.stringify({ items: orgs(0, 100), total: 1e12, page: 1, size: 100, pages: 1e10 }));
      };
      const err = await failure(codegen().validateCredentials(KEY, '7', AbortSignal.timeout(10_000)));
      assert.ok(err instanceof NotFoundError, err.name);
      assert.match(err.message, /Organization 7 is not among the organizations this token can access \(Codegen sent the same organizations again; the list was not read further\): Org 0 \(1000\),.*, and 95 more\./);
      assert.equal(requests.filter((r) => r.startsWith('GET /v1/organizations')).length, 2);
    });

    it('pages by the organizations received: a server that sends fewer than the 100 asked for a page skips none', async () => {
      handler = (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const url = new URL(req.url ?? '/', origin);
        const skip = Number(url.searchParams.get('skip') ?? 0);
        // (Its own page size, 30, whatever the limit: the contract's page may hold fewer items than asked for.)
        const n = Math.max(0, Math.min(30, 75 - skip));
        if (req.url?.startsWith('/v1/users/me')) res.end(JSON.stringify(me));
        else res.end(JSON.stringify({ items: orgs(skip, n), total: 75, page: 1 + Math.floor(skip / 30), size: 30, pages: 3 }));
      };
      const { organization } = await codegen().validateCredentials(KEY, '1070', AbortSignal.timeout(10_000));
      assert.equal(organization.name, 'Org 70');
      assert.deepEqual(
        requests.filter((r) => r.startsWith('GET /v1/organizations')).map((r) => new URL(r.slice(4), origin).searchParams.get('skip')),
        ['0', '30', '60'],
      );
    });

    it(`looks through ${MAX_ORGANIZATIONS_CHECKED.toLocaleString('en-US')} organizations at the most`, async () => {
      handler = (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const skip = Number(new URL(req.url ?? '/', origin).searchParams.get('skip') ?? 0);
        if (req.url?.startsWith('/v1/users/me')) res.end(JSON.stringify(me));
        else res.end(JSON.stringify({ items: orgs(skip, 100), total: 1e12, page: 1 + skip / 100, size: 100, pages: 1e10 }));
      };
      const err = await failure(codegen().validateCredentials(KEY, '7', AbortSignal.timeout(10_000)));
      assert.ok(err instanceof NotFoundError, err.name);
      assert.match(err.message, /\(only the first 1,000 were looked through\): Org 0 \(1000\),.*, and 995 more\./);
      assert.equal(requests.filter((r) => r.startsWith('GET /v1/organizations')).length, MAX_ORGANIZATIONS_CHECKED / 100);
    });

    it(`asks for ${MAX_ORGANIZATION_PAGES} pages at the most: a server that sends one organization a page ends the search too`, async () => {
      handler = (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const skip = Number(new URL(req.url ?? '/', origin).searchParams.get('skip') ?? 0);
        if (req.url?.startsWith('/v1/users/me')) res.end(JSON.stringify(me));
        else res.end(JSON.stringify({ items: orgs(skip, 1), total: 1e12, page: 1 + skip, size: 1, pages: 1e12 }));
      };
      const err = await failure(codegen().validateCredentials(KEY, '7', AbortSignal.timeout(10_000)));
      assert.ok(err instanceof NotFoundError, err.name);
      assert.match(err.message, new RegExp(`\\(only the first ${MAX_ORGANIZATION_PAGES} were looked through\\): Org 0 \\(1000\\),`));
      assert.equal(requests.filter((r) => r.startsWith('GET /v1/organizations')).length, MAX_ORGANIZATION_PAGES);
    });
  });
});
