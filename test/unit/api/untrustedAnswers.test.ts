import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readErrorBody } from '../../../src/core/api/httpErrors';
import { CodegenClient } from '../../../src/core/api/codegenClient';
import { OpenAiClient } from '../../../src/core/api/openAiClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { ConfigurationError, ValidationError } from '../../../src/core/errors';
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

  beforeEach(async () => {
    handler = (_req, res) => res.end('{}');
    srv = http.createServer((req, res) => {
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
  });

});
