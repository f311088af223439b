import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CancellationError, NetworkError, TimeoutError } from '../../../src/core/errors';
import { authSecrets, toTransportError, UndiciTransport } from '../../../src/core/api/undiciTransport';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';

/** A scriptable HTTP server: each test sets `handler`; it records sockets and concurrency. */
class ScriptServer {
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void = (_q, res) => res.end('ok');
  readonly sockets = new Set<Socket>();
  active = 0;
  maxActive = 0;
  private arrivals: ((req: http.IncomingMessage) => void)[] = [];
  private server = http.createServer((req, res) => {
    this.sockets.add(req.socket);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    res.on('close', () => this.active--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      for (const a of this.arrivals.splice(0)) a(req);
      this.handler(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  nextArrival(): Promise<http.IncomingMessage> {
    return new Promise((r) => this.arrivals.push(r));
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const SECRET = 'Bearer very-secret-token-value';

describe('UndiciTransport', () => {
  let srv: ScriptServer;
  let transport: UndiciTransport;
  let clock: FakeClock;
  let logger: RecordingLogger;

  beforeEach(async () => {
    srv = new ScriptServer();
    await srv.start();
    clock = new FakeClock();
    logger = new RecordingLogger();
    transport = new UndiciTransport({ maxConnections: 2, clock, logger });
  });
  afterEach(async () => {
    await transport.close();
    await srv.stop();
    assert.ok(!logger.text().includes('very-secret-token-value'), 'a log line contains the token');
  });

  it('sends method, headers and body; returns status, lower-cased headers and text', async () => {
    srv.handler = (req, res, body) => {
      res.setHeader('X-Echo-Method', req.method ?? '');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.statusCode = 201;
      res.end(JSON.stringify({ auth: req.headers['authorization'] === SECRET, body }));
    };
    const res = await transport.request({ method: 'POST', url: `${srv.url}/x?y=1`, headers: { Authorization: SECRET, 'content-type': 'application/json' }, body: '{"a":1}', timeoutMs: 5000 });
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-echo-method'], 'POST');
    assert.equal(res.headers['set-cookie'], 'a=1, b=2');
    assert.deepEqual(JSON.parse(await res.text()), { auth: true, body: '{"a":1}' });
  });

  it('streams the body as chunks and decodes UTF-8 split across network reads', async () => {
    let write: (b: Buffer) => void = () => undefined;
    let end: () => void = () => undefined;
    srv.handler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      write = (b) => res.write(b);
      end = () => res.end();
    };
    const res = await transport.request({ method: 'GET', url: srv.url, timeoutMs: 5000 });
    const euro = Buffer.from('€', 'utf8'); // 3 bytes
    const it = res.chunks()[Symbol.asyncIterator]();
    write(Buffer.concat([Buffer.from('data: 1\n\n'), euro.subarray(0, 1)]));
    const first = await it.next();
    write(euro.subarray(1));
    const second = await it.next();
    end();
    const done = await it.next();
    assert.equal(first.value, 'data: 1\n\n');
    assert.equal(second.value, '€');
    assert.equal(done.done, true);
  });

  it('times out when no answer comes within timeoutMs (TimeoutError)', async () => {
    srv.handler = () => undefined; // never answers
    const arrived = srv.nextArrival();
    const p = transport.request({ method: 'GET', url: srv.url, timeoutMs: 3000, headers: { authorization: SECRET } });
    await arrived;
    await clock.advance(2999);
    let settled = false;
    p.then(
      () => (settled = true),
      () => (settled = true),
    );
    await flushPromises();
    assert.equal(settled, false, 'timed out too early');
    await clock.advance(1);
    await assert.rejects(p, (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 3000 && !e.message.includes('very-secret'));
  });

  it('times out on a silent gap while streaming, but not on a slow steady stream', async () => {
    let write: (s: string) => void = () => undefined;
    srv.handler = (_q, res) => {
      res.writeHead(200);
      res.flushHeaders();
      write = (s) => res.write(s);
    };
    const res = await transport.request({ method: 'GET', url: srv.url, timeoutMs: 1000 });
    const it = res.chunks()[Symbol.asyncIterator]();
    for (let i = 0; i < 3; i++) {
      const next = it.next();
      await clock.advance(900);
      write(`c${i}`);
      assert.equal((await next).value, `c${i}`);
    }
    // (Not "without an answer": part of it came.)
    const stalled = assert.rejects(it.next(), (e: unknown) => e instanceof TimeoutError && /went silent for 1000 ms while sending its response/.test(e.message) && !/without an answer/.test(e.message));
    await clock.advance(1000);
    await stalled;
  });

  it("leaves timing out to timeoutMs alone: undici's own header and body limits (300 s) are turned off on every request", async () => {
    // undici times a request out by the request's own headersTimeout and bodyTimeout, else by its pool's default of
    // 300 s (a fast timer of 1 s resolution, so no test can show it cheaply): a timeoutMs above 300 s would not hold.
    const seen: { headersTimeout?: number | null; bodyTimeout?: number | null }[] = [];
    const record = (message: unknown): void => {
      seen.push({ ...(message as { request: { headersTimeout?: number | null; bodyTimeout?: number | null } }).request });
    };
    diagnosticsChannel.subscribe('undici:request:create', record);
    try {
      for (const timeoutMs of [600_000, undefined]) {
        const res = await transport.request({ method: 'GET', url: srv.url, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
        assert.equal(await res.text(), 'ok');
      }
    } finally {
      diagnosticsChannel.unsubscribe('undici:request:create', record);
    }
    assert.deepEqual(
      seen.map((r) => [r.headersTimeout, r.bodyTimeout]),
      [
        [0, 0],
        [0, 0],
      ],
    );
  });

  it('cancels with the AbortSignal before and during the response (CancellationError)', async () => {
    await assert.rejects(transport.request({ method: 'GET', url: srv.url, signal: AbortSignal.abort() }), CancellationError);
    srv.handler = () => undefined;
    const ac = new AbortController();
    const arrived = srv.nextArrival();
    const p = transport.request({ method: 'GET', url: srv.url, signal: ac.signal, timeoutMs: 60_000 });
    await arrived;
    ac.abort();
    await assert.rejects(p, CancellationError);

    let write: (s: string) => void = () => undefined;
    srv.handler = (_q, res) => {
      res.writeHead(200);
      res.flushHeaders();
      write = (s) => res.write(s);
    };
    const ac2 = new AbortController();
    const res = await transport.request({ method: 'GET', url: srv.url, signal: ac2.signal });
    const it = res.chunks()[Symbol.asyncIterator]();
    write('x');
    assert.equal((await it.next()).value, 'x');
    const pending = it.next();
    ac2.abort();
    await assert.rejects(pending, CancellationError);
  });

  it('maps a connection reset and a refused connection to NetworkError', async () => {
    srv.handler = (req) => req.socket.resetAndDestroy();
    await assert.rejects(transport.request({ method: 'GET', url: srv.url, headers: { authorization: SECRET } }), (e: unknown) => e instanceof NetworkError && !e.message.includes('very-secret'));
    const closed = new ScriptServer();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    await assert.rejects(transport.request({ method: 'GET', url, headers: { authorization: SECRET } }), (e: unknown) => e instanceof NetworkError && /ECONNREFUSED/.test(e.message) && !e.message.includes('very-secret'));
  });

  it('redacts every credential header — whole and after its scheme — from a failure that quotes the request headers', () => {
    const headers = { accept: 'application/json', authorization: 'Token tok-AAAA1111', 'Api-Key': 'azure-KEY-2222', 'x-api-key': 'anthropic-KEY-3333' };
    const leaked = ['tok-AAAA1111', 'azure-KEY-2222', 'anthropic-KEY-3333'];
    const dump = `headers {"accept":"application/json","authorization":"Token tok-AAAA1111","api-key":"azure-KEY-2222","x-api-key":"anthropic-KEY-3333"}; bare tok-AAAA1111`;
    const secrets = authSecrets(headers);
    const failed = toTransportError(Object.assign(new Error('request failed', { cause: new Error(dump) }), { code: 'ECONNRESET' }), 'GET http://h/x', secrets);
    const timedOut = toTransportError(Object.assign(new Error(dump), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'GET http://h/x', secrets);
    assert.ok(failed instanceof NetworkError, String(failed));
    assert.ok(timedOut instanceof TimeoutError, String(timedOut));
    for (const e of [failed, timedOut]) {
      assert.match(e.message, /"authorization":"«redacted»","api-key":"«redacted»","x-api-key":"«redacted»"\}; bare «redacted»/);
      for (const s of leaked) assert.ok(!e.message.includes(s), `${s} leaked: ${e.message}`);
    }
  });

  it('keeps at most maxConnections keep-alive connections per origin and reuses them', async () => {
    srv.handler = (_q, res) => setImmediate(() => res.end('ok'));
    const results = await Promise.all(Array.from({ length: 6 }, () => transport.request({ method: 'GET', url: srv.url }).then((r) => r.text())));
    assert.deepEqual(results, Array(6).fill('ok'));
    assert.ok(srv.maxActive <= 2, `max concurrent ${srv.maxActive}`);
    assert.ok(srv.sockets.size <= 2, `sockets ${srv.sockets.size}`);
    await (await transport.request({ method: 'GET', url: srv.url })).text();
    assert.ok(srv.sockets.size <= 2, 'a new connection was opened instead of reusing one');
  });

  it('reconfigures the pool: in-flight requests finish on the old pool, new ones use a new pool', async () => {
    let release: () => void = () => undefined;
    srv.handler = (_q, res) => {
      release = () => res.end('slow done');
    };
    const arrived = srv.nextArrival();
    const slow = transport.request({ method: 'GET', url: srv.url });
    await arrived;
    transport.configure({ maxConnections: 5 });
    // Answer only once all 5 are in: that can happen only if the new pool has more than 2 connections.
    const held: http.ServerResponse[] = [];
    srv.handler = (_q, res) => {
      held.push(res);
      if (held.length === 5) for (const r of held) r.end('ok');
    };
    const fast = await Promise.all(Array.from({ length: 5 }, () => transport.request({ method: 'GET', url: srv.url }).then((r) => r.text())));
    assert.deepEqual(fast, Array(5).fill('ok'));
    release();
    assert.equal(await (await slow).text(), 'slow done');
  });

  it('refuses requests after close', async () => {
    await transport.close();
    await assert.rejects(transport.request({ method: 'GET', url: srv.url }), NetworkError);
  });
});
