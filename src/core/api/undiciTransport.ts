// The product's HttpTransport: undici 6 with one keep-alive pool per origin (an undici Agent keeps one
// Pool per origin; `connections` bounds each). Per-request timeouts are idle timeouts: the timer runs
// while waiting for the response headers and while waiting for each body chunk, so a slow but steady
// stream never times out and a silent one does. Errors are mapped to the core error classes; request
// headers never reach an error message or a log line.
import { Agent, errors as undiciErrors, request as undiciRequest } from 'undici';
import { CancellationError, NetworkError, TimeoutError } from '../errors';
import { systemClock, type Clock, type Disposable, type HttpRequest, type HttpResponse, type HttpTransport, type Logger, nullLogger } from '../ports';
import { redactSecrets, redactUrlPath } from '../redact';

export interface UndiciTransportOptions {
  /** Connections per origin (contexten.http.maxConnections); also bounds concurrent requests per origin. */
  maxConnections: number;
  logger?: Logger;
  /** Timers for per-request timeouts. Tests pass a fake clock; production uses the system clock. */
  clock?: Clock;
  /** How long an idle keep-alive socket stays open (default 30 s; servers may close sooner). */
  keepAliveTimeoutMs?: number;
}

/**
 * undici's own header and body timeouts (300 s each by default) turned off, on the pool and on each request (a
 * request's own value wins over the pool's): the per-request idle timer below is the only timeout, so
 * contexten.http.timeoutMs holds above 300 s too (a local model can take minutes to its first token).
 */
const NO_UNDICI_TIMEOUTS = { headersTimeout: 0, bodyTimeout: 0 } as const;

export class UndiciTransport implements HttpTransport {
  private agent: Agent;
  private maxConnections: number;
  private closed = false;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: UndiciTransportOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? nullLogger;
    this.maxConnections = options.maxConnections;
    this.agent = this.createAgent(options.maxConnections);
  }

  /** Applies a new pool size: requests from now on use a new pool; the old one finishes its in-flight requests, then closes. */
  configure(settings: { maxConnections: number }): void {
    if (this.closed || settings.maxConnections === this.maxConnections) return;
    const old = this.agent;
    this.maxConnections = settings.maxConnections;
    this.agent = this.createAgent(settings.maxConnections);
    this.logger.debug(`http: connection pool resized to ${settings.maxConnections} per server`);
    old.close().catch((err: unknown) => this.logger.warn(`http: closing the previous connection pool failed: ${describeCause(err)}`));
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    if (this.closed) throw new NetworkError('The HTTP transport is closed.');
    if (req.signal?.aborted) throw new CancellationError();
    const secrets = authSecrets(req.headers);
    const what = describeRequest(req, secrets);
    const controller = new AbortController();
    let timedOut = false;
    let timer: Disposable | undefined;
    const arm = (): void => {
      timer?.dispose();
      const ms = req.timeoutMs;
      if (ms === undefined || ms <= 0) return;
      timer = this.clock.setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, ms);
    };
    const disarm = (): void => {
      timer?.dispose();
      timer = undefined;
    };
    const onCallerAbort = (): void => controller.abort();
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const cleanup = (): void => {
      disarm();
      req.signal?.removeEventListener('abort', onCallerAbort);
    };
    const mapError = (err: unknown, reading: 'headers' | 'body'): Error => {
      if (timedOut) {
        const ms = req.timeoutMs ?? 0;
        return new TimeoutError(
          reading === 'headers' ? `${what} timed out after ${ms} ms without an answer.` : `${what} timed out: the server went silent for ${ms} ms while sending its response.`,
          req.timeoutMs,
        );
      }
      if (req.signal?.aborted) return new CancellationError();
      return toTransportError(err, what, secrets);
    };

    const started = this.clock.now();
    arm();
    let res: Awaited<ReturnType<typeof undiciRequest>>;
    try {
      res = await undiciRequest(req.url, {
        method: req.method,
        headers: req.headers ?? {},
        body: req.body ?? null,
        signal: controller.signal,
        dispatcher: this.agent,
        ...NO_UNDICI_TIMEOUTS,
      });
    } catch (err) {
      cleanup();
      const mapped = mapError(err, 'headers');
      this.logger.debug(`http: ${what} failed: ${mapped.message}`);
      throw mapped;
    }
    this.logger.trace(`http: ${what} -> ${res.statusCode} (${this.clock.now() - started} ms)`);

    const body = res.body;
    let consumed = false;
    const iterate = async function* (): AsyncGenerator<string> {
      if (consumed) throw new Error('The response body was already read.');
      consumed = true;
      const decoder = new TextDecoder('utf-8');
      const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      let finished = false;
      try {
        for (;;) {
          arm();
          let step: IteratorResult<Buffer>;
          try {
            step = await it.next();
          } catch (err) {
            throw mapError(err, 'body');
          } finally {
            disarm();
          }
          if (step.done) {
            finished = true;
            const tail = decoder.decode();
            if (tail) yield tail;
            return;
          }
          const text = decoder.decode(step.value, { stream: true });
          if (text) yield text;
        }
      } finally {
        cleanup();
        if (!finished) body.destroy();
      }
    };
    // The idle timer stays armed until the caller starts reading, so an unread body cannot hold a connection forever.
    arm();
    return {
      status: res.statusCode,
      headers: flattenHeaders(res.headers),
      chunks: iterate,
      text: async () => {
        let out = '';
        for await (const chunk of iterate()) out += chunk;
        return out;
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.agent.close();
  }

  private createAgent(connections: number): Agent {
    return new Agent({
      connections,
      pipelining: 1,
      keepAliveTimeout: this.options.keepAliveTimeoutMs ?? 30_000,
      keepAliveMaxTimeout: 10 * 60_000,
      ...NO_UNDICI_TIMEOUTS,
    });
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** `GET https://host/path` — no query string, no headers. */
function describeRequest(req: HttpRequest, secrets: readonly string[]): string {
  try {
    const u = new URL(req.url);
    // (The origin's host is lower-cased by parsing: redacted with the case folded, as only a host is.)
    return `${req.method} ${redactSecrets(u.origin, secrets, { caseFolded: true })}${redactUrlPath(u.pathname, secrets)}`;
  } catch {
    return `${req.method} (invalid URL)`;
  }
}

/** The credentials among request headers (Authorization, api-key, x-api-key): each whole value and its part after the scheme. Exported for tests. */
export function authSecrets(headers: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() !== 'authorization' && k.toLowerCase() !== 'api-key' && k.toLowerCase() !== 'x-api-key') continue;
    out.push(v);
    const m = /^\s*\S+\s+(.+)$/.exec(v);
    if (m?.[1]) out.push(m[1]);
  }
  return out;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** A transport failure as TimeoutError or NetworkError, its reason with `secrets` redacted. Exported for tests. */
export function toTransportError(err: unknown, what: string, secrets: readonly string[]): Error {
  if (err instanceof CancellationError || err instanceof TimeoutError || err instanceof NetworkError) return err;
  const code = errorCode(err);
  const reason = redactSecrets(describeCause(err), secrets);
  if (code !== undefined && TIMEOUT_CODES.has(code)) return new TimeoutError(`${what} timed out (${reason}).`);
  if (err instanceof undiciErrors.InvalidArgumentError) return new NetworkError(`${what} could not be sent: ${reason}`);
  return new NetworkError(`${what} failed: ${reason}`);
}

function errorCode(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e instanceof Error && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    e = e.cause;
  }
  const top = (err as { code?: unknown } | undefined)?.code;
  return typeof top === 'string' ? top : undefined;
}

/** A short reason such as `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9` or `UND_ERR_SOCKET: other side closed`. */
function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const inner = err.cause instanceof Error && err.cause.message && err.cause.message !== err.message ? ` (${err.cause.message})` : '';
  return `${typeof code === 'string' ? `${code}: ` : ''}${err.message}${inner}`;
}
