// A local OpenAI-compatible contract server (Node http on 127.0.0.1) for unit tests, benchmarks and e2e.
// It speaks the surface described in docs/openai-compatible.md: streamed and plain chat completions,
// the models list, Bearer key checks and the documented error bodies, plus injectable faults. Admin
// endpoints under /__admin/ let an out-of-process test drive it. Keys are never logged, and echoed only by
// the echo_auth fault.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cannedAnswer, splitIntoPieces } from './answers';

export type OpenAiFault =
  | { kind: 'unauthorized' }
  | { kind: 'model_not_found' }
  | { kind: 'rate_limit'; retryAfterSeconds?: number }
  | { kind: 'insufficient_quota' }
  /** HTTP 402, as OpenRouter answers an account without credits. */
  | { kind: 'payment_required' }
  | { kind: 'server_error' }
  | { kind: 'unavailable_html' }
  /** HTTP 408 with an empty body: a proxy in front of the server stopped waiting for the request. */
  | { kind: 'request_timeout' }
  /** Headers go out at once, the first token waits `delayMs` (real time) or, without it, until `releaseFirstTokens()`. */
  | { kind: 'slow_first_token'; delayMs?: number }
  /** The socket is destroyed after `afterChunks` content chunks. */
  | { kind: 'disconnect'; afterChunks: number }
  /** The response ends cleanly after `afterChunks` content chunks, with neither finish_reason nor [DONE]. */
  | { kind: 'truncate'; afterChunks: number }
  /**
   * The answer is cut after `afterChunks` content chunks with finish_reason `reason` (default "length"; Azure ends a
   * filtered answer with "content_filter", vLLM an aborted one with "abort"); a negative `afterChunks` counts from the
   * end (-2: all but the last two chunks — past a code block, in the closing sentence).
   */
  | { kind: 'length'; afterChunks: number; reason?: string }
  /** A `data:` line that is not JSON follows `afterChunks` content chunks. */
  | { kind: 'malformed'; afterChunks: number }
  /** A streamed request answered as if `stream` were false: the whole completion as JSON (servers that ignore it). */
  | { kind: 'json_instead_of_stream' }
  /** A chat request answered with HTTP `status` and the JSON error body `{"error": error}`: a provider's own wording (OpenRouter's, DeepSeek's 400). */
  | { kind: 'http_error'; status: number; error: unknown }
  /** HTTP 200 with a JSON error body (`{"error": error}`) and no stream, as some local servers answer a model not loaded. */
  | { kind: 'json_error'; error: unknown }
  /**
   * An event stream whose first event reports an error: `data: {"error": error}` (vLLM, gateways), or with `asEvent`
   * an `event: error` whose data is `error` as JSON.
   */
  | { kind: 'error_in_stream'; error: unknown; asEvent?: boolean }
  /**
   * HTTP 200 with this body and content type instead of a stream or JSON (a proxy's page, a server echoing the
   * request); the one fault the models list (GET /v1/models) takes too.
   */
  | { kind: 'plain_body'; contentType: string; body: string }
  /**
   * Any /v1 request (the models list too), whatever its key: an OpenAI-style error with `status` (default 401; 500 for
   * a server error) whose message repeats the Authorization value and the bare key, as some servers and proxies do.
   */
  | { kind: 'echo_auth'; status?: 401 | 500 };

export interface OpenAiServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** When set, every /v1 request needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /**
   * With `apiKey`: a request without any Authorization header is accepted too (as local servers that
   * need no key do), while a wrong key is still rejected. Lets one server serve clients with and without a key.
   */
  keyOptional?: boolean;
  models?: readonly string[];
  /** Characters per streamed content chunk. */
  pieceSize?: number;
  /** The request log keeps the latest this many entries (default 1000), so long benchmarks stay flat. */
  maxLog?: number;
}

export interface LoggedRequest {
  readonly id: number;
  readonly method: string;
  readonly path: string;
  /** Whether an Authorization header came, and whether it matched — never the key itself. */
  readonly authorization: 'absent' | 'valid' | 'invalid' | 'present';
  body?: unknown;
  status?: number;
  /** `client-aborted` = the client closed the connection before the response finished. */
  outcome: 'pending' | 'completed' | 'client-aborted' | 'server-disconnected';
}

export interface OpenAiServer {
  /** e.g. http://127.0.0.1:43123 */
  readonly origin: string;
  /** origin + /v1, what a client uses as its base URL. */
  readonly baseUrl: string;
  readonly port: number;
  /** Applies `fault` to the next `times` chat completion requests (default: until cleared). */
  setFault(fault: OpenAiFault, times?: number): void;
  clearFault(): void;
  /** Lets every held first token (slow_first_token without delayMs) go out. */
  releaseFirstTokens(): void;
  requests(): readonly LoggedRequest[];
  reset(): void;
  /** Resolves once `predicate` holds for the request log (checked on every log change). */
  waitFor(predicate: (requests: readonly LoggedRequest[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_MODELS = ['test-model', 'gpt-4o-mini'];
const KNOWN_FIELDS = new Set(['model', 'messages', 'stream', 'stream_options', 'temperature', 'max_tokens', 'top_p', 'stop', 'n', 'user', 'seed']);
const MAX_BODY = 5 * 1024 * 1024;

interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  stream: boolean;
  maxTokens?: number;
  includeUsage: boolean;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly errCode: string | null,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export async function startOpenAiServer(opts: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const models = opts.models ?? DEFAULT_MODELS;
  const pieceSize = opts.pieceSize ?? 12;
  const maxLog = opts.maxLog ?? 1000;
  const events = new EventEmitter();
  let log: LoggedRequest[] = [];
  let nextId = 1;
  let fault: { fault: OpenAiFault; remaining: number } | undefined;
  let held: (() => void)[] = [];

  const changed = (): void => {
    events.emit('change');
  };

  const takeFault = (): OpenAiFault | undefined => {
    if (!fault) return undefined;
    const f = fault.fault;
    fault.remaining -= 1;
    if (fault.remaining <= 0) fault = undefined;
    return f;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/__admin/')) {
      await handleAdmin(req, res, url.pathname);
      return;
    }
    const authHeader = req.headers.authorization;
    const authorization: LoggedRequest['authorization'] =
      authHeader === undefined ? 'absent' : opts.apiKey === undefined ? 'present' : authHeader === `Bearer ${opts.apiKey}` ? 'valid' : 'invalid';
    const entry: LoggedRequest = { id: nextId++, method: req.method ?? '', path: url.pathname, authorization, outcome: 'pending' };
    log.push(entry);
    if (log.length > maxLog) log.splice(0, log.length - maxLog);
    res.on('close', () => {
      if (entry.outcome === 'pending') entry.outcome = res.writableFinished ? 'completed' : 'client-aborted';
      changed();
    });
    changed();
    try {
      const raw = await readBody(req);
      if (raw.length > 0) entry.body = safeJson(raw);
      if (fault?.fault.kind === 'echo_auth') {
        const f = takeFault();
        const status = f?.kind === 'echo_auth' ? (f.status ?? 401) : 401;
        const header = authHeader ?? '';
        const bare = /^\s*\S+\s+(.+)$/.exec(header)?.[1] ?? header;
        throw status === 401
          ? new HttpFailure(401, 'invalid_request_error', 'invalid_api_key', `Incorrect API key provided: ${bare} (Authorization: ${header}).`)
          : new HttpFailure(500, 'server_error', null, `The server had an error with key=${bare}; request headers: authorization: ${header}`);
      }
      const keyAccepted = authorization === 'valid' || (opts.keyOptional === true && authorization === 'absent');
      if (opts.apiKey !== undefined && !keyAccepted) {
        throw new HttpFailure(
          401,
          'invalid_request_error',
          'invalid_api_key',
          authorization === 'absent' ? "You didn't provide an API key." : 'Incorrect API key provided.',
        );
      }
      if (req.method === 'GET' && url.pathname === '/v1/models') {
        if (fault?.fault.kind === 'plain_body') {
          const f = fault.fault;
          takeFault();
          entry.status = 200;
          res.writeHead(200, { 'content-type': f.contentType });
          res.end(f.body);
          return;
        }
        sendJson(res, entry, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'contract-server' })) });
        return;
      }
      if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
        const body = parseChatBody(entry.body);
        const f = takeFault();
        await handleChat(res, entry, body, f);
        return;
      }
      throw new HttpFailure(404, 'invalid_request_error', null, `Unknown request URL: ${req.method ?? ''} ${url.pathname}`);
    } catch (err) {
      if (err instanceof HttpFailure) {
        sendJson(res, entry, err.status, { error: { message: err.message, type: err.type, param: err.param, code: err.errCode } });
      } else if (!res.headersSent) {
        sendJson(res, entry, 500, { error: { message: 'contract server failure', type: 'server_error', param: null, code: null } });
      } else {
        res.destroy();
      }
    }
  };

  const parseChatBody = (body: unknown): ChatBody => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpFailure(400, 'invalid_request_error', null, 'We could not parse the JSON body of your request.');
    }
    const b = body as Record<string, unknown>;
    for (const k of Object.keys(b)) {
      if (!KNOWN_FIELDS.has(k)) throw new HttpFailure(400, 'invalid_request_error', 'unknown_parameter', `Unrecognized request argument supplied: ${k}`, k);
    }
    if (typeof b['model'] !== 'string') throw new HttpFailure(400, 'invalid_request_error', null, 'you must provide a model parameter', 'model');
    const messages = b['messages'];
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new HttpFailure(400, 'invalid_request_error', null, "'messages' must be a non-empty array", 'messages');
    }
    const parsed = messages.map((m: unknown) => {
      const mm = m as { role?: unknown; content?: unknown };
      if (typeof mm.role !== 'string' || typeof mm.content !== 'string') {
        throw new HttpFailure(400, 'invalid_request_error', null, 'each message needs a string role and content', 'messages');
      }
      return { role: mm.role, content: mm.content };
    });
    if (!models.includes(b['model'])) {
      throw new HttpFailure(404, 'invalid_request_error', 'model_not_found', `The model \`${b['model']}\` does not exist or you do not have access to it.`, 'model');
    }
    const streamOptions = b['stream_options'] as { include_usage?: unknown } | undefined;
    const out: ChatBody = { model: b['model'], messages: parsed, stream: b['stream'] === true, includeUsage: streamOptions?.include_usage === true };
    if (typeof b['max_tokens'] === 'number') out.maxTokens = b['max_tokens'];
    return out;
  };

  const handleChat = async (res: http.ServerResponse, entry: LoggedRequest, body: ChatBody, f: OpenAiFault | undefined): Promise<void> => {
    switch (f?.kind) {
      case 'unauthorized':
        throw new HttpFailure(401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.');
      case 'model_not_found':
        throw new HttpFailure(404, 'invalid_request_error', 'model_not_found', `The model \`${body.model}\` does not exist or you do not have access to it.`, 'model');
      case 'rate_limit':
        res.setHeader('retry-after', String(f.retryAfterSeconds ?? 1));
        res.setHeader('x-ratelimit-remaining-requests', '0');
        throw new HttpFailure(429, 'requests', 'rate_limit_exceeded', 'Rate limit reached for requests. Please try again later.');
      case 'insufficient_quota':
        throw new HttpFailure(429, 'insufficient_quota', 'insufficient_quota', 'You exceeded your current quota, please check your plan and billing details.');
      case 'payment_required':
        throw new HttpFailure(402, 'payment_required', null, 'Insufficient credits. Add more using https://openrouter.ai/settings/credits');
      case 'server_error':
        throw new HttpFailure(500, 'server_error', null, 'The server had an error while processing your request.');
      case 'http_error':
        sendJson(res, entry, f.status, { error: f.error });
        return;
      case 'request_timeout':
        entry.status = 408;
        res.writeHead(408, { 'content-type': 'text/plain', connection: 'close' });
        res.end();
        return;
      case 'unavailable_html':
        entry.status = 503;
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
        return;
      default:
        break;
    }
    const user = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const answer = cannedAnswer(user, body.model);
    let pieces = splitIntoPieces(answer.text, pieceSize);
    let finish = 'stop';
    const cutAt = f?.kind === 'length' ? (f.afterChunks < 0 ? Math.max(0, pieces.length + f.afterChunks) : f.afterChunks) : body.maxTokens;
    if (cutAt !== undefined && cutAt < pieces.length) {
      pieces = pieces.slice(0, cutAt);
      finish = (f?.kind === 'length' ? f.reason : undefined) ?? 'length';
    }
    const id = `chatcmpl-${entry.id}`;
    const created = 1_700_000_000 + entry.id;
    const usage = { prompt_tokens: Math.ceil(user.length / 4), completion_tokens: pieces.length, total_tokens: Math.ceil(user.length / 4) + pieces.length };

    if (f?.kind === 'plain_body') {
      entry.status = 200;
      res.writeHead(200, { 'content-type': f.contentType });
      res.end(f.body);
      return;
    }
    if (f?.kind === 'json_error') {
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: f.error }));
      return;
    }
    if (!body.stream || f?.kind === 'json_instead_of_stream') {
      await waitFirstToken(res, f);
      if (res.destroyed) return;
      if (f?.kind === 'disconnect') {
        entry.outcome = 'server-disconnected';
        res.socket?.destroy();
        return;
      }
      const payload = JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: finish }],
        usage,
      });
      entry.status = 200;
      if (f?.kind === 'malformed' || f?.kind === 'truncate') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(payload.slice(0, Math.floor(payload.length / 2)));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(payload);
      return;
    }

    entry.status = 200;
    res.socket?.setNoDelay(true);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    await waitFirstToken(res, f);
    if (res.destroyed) return;
    await writeSplit(res, ': ping\n\n');
    if (f?.kind === 'error_in_stream') {
      await writeSplit(res, f.asEvent === true ? `event: error\ndata: ${JSON.stringify(f.error)}\n\n` : `data: ${JSON.stringify({ error: f.error })}\n\n`);
      res.end();
      return;
    }
    const chunk = (delta: Record<string, string>, finishReason: string | null): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    await writeSplit(res, chunk({ role: 'assistant', content: '' }, null));
    for (let i = 0; i < pieces.length; i++) {
      if (res.destroyed) return;
      if (f?.kind === 'disconnect' && i === f.afterChunks) {
        entry.outcome = 'server-disconnected';
        res.socket?.destroy();
        return;
      }
      if (f?.kind === 'truncate' && i === f.afterChunks) {
        res.end();
        return;
      }
      if (f?.kind === 'malformed' && i === f.afterChunks) await writeSplit(res, 'data: {"object":"chat.completion.chunk","choices":[{"delta":\n\n');
      await writeSplit(res, chunk({ content: pieces[i] ?? '' }, null));
      if (i === 1) await writeSplit(res, ': ping\n\n');
    }
    if (f?.kind === 'disconnect' || f?.kind === 'truncate') {
      // afterChunks at or beyond the end: fault right before the final chunk.
      if (f.kind === 'disconnect') {
        entry.outcome = 'server-disconnected';
        res.socket?.destroy();
      } else res.end();
      return;
    }
    await writeSplit(res, chunk({}, finish));
    if (body.includeUsage) {
      await writeSplit(res, `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
    }
    await writeSplit(res, 'data: [DONE]\n\n');
    res.end();
  };

  const waitFirstToken = async (res: http.ServerResponse, f: OpenAiFault | undefined): Promise<void> => {
    if (f?.kind !== 'slow_first_token') return;
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        held = held.filter((h) => h !== done);
        resolve();
      };
      res.once('close', done);
      if (f.delayMs !== undefined) timer = setTimeout(done, f.delayMs);
      else held.push(done);
    });
  };

  const handleAdmin = async (req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> => {
    const send = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const raw = await readBody(req);
    if (req.method === 'GET' && path === '/__admin/requests') return send(200, log);
    if (req.method === 'POST' && path === '/__admin/fault') {
      const body = safeJson(raw) as { fault?: OpenAiFault; times?: number } | undefined;
      if (!body?.fault || typeof body.fault.kind !== 'string') return send(400, { error: 'expected {fault:{kind,...}, times?}' });
      server.setFault(body.fault, body.times);
      return send(200, { ok: true });
    }
    if (req.method === 'DELETE' && path === '/__admin/fault') {
      server.clearFault();
      return send(200, { ok: true });
    }
    if (req.method === 'POST' && path === '/__admin/release') {
      server.releaseFirstTokens();
      return send(200, { ok: true });
    }
    if (req.method === 'POST' && path === '/__admin/reset') {
      server.reset();
      return send(200, { ok: true });
    }
    return send(404, { error: 'unknown admin endpoint' });
  };

  const httpServer = http.createServer((req, res) => {
    void handle(req, res);
  });
  httpServer.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  const server: OpenAiServer = {
    origin,
    baseUrl: `${origin}/v1`,
    port,
    setFault: (f, times = Number.POSITIVE_INFINITY) => {
      fault = { fault: f, remaining: times };
    },
    clearFault: () => {
      fault = undefined;
    },
    releaseFirstTokens: () => {
      for (const h of [...held]) h();
    },
    requests: () => log,
    reset: () => {
      log = [];
      fault = undefined;
      server.releaseFirstTokens();
      changed();
    },
    waitFor: (predicate) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (predicate(log)) {
            events.off('change', check);
            resolve();
          }
        };
        events.on('change', check);
        check();
      }),
    close: async () => {
      server.releaseFirstTokens();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
  return server;
}

function sendJson(res: http.ServerResponse, entry: LoggedRequest, status: number, value: unknown): void {
  entry.status = status;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** Writes `text` in two network writes split at its middle byte (possibly inside a UTF-8 sequence). */
async function writeSplit(res: http.ServerResponse, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const mid = Math.max(1, Math.floor(bytes.length / 2));
  for (const part of [bytes.subarray(0, mid), bytes.subarray(mid)]) {
    if (res.destroyed || res.writableEnded) return;
    res.write(part);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpFailure(413, 'invalid_request_error', null, 'request body too large'));
        req.destroy();
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
