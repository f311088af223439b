// What the pure core needs from the outside world. The VS Code glue, the CLI and the tests each
// provide their own implementations; core code never reaches for globals (Date.now, setTimeout,
// Math.random, fetch, fs) directly where a port exists, so tests can run on a fake clock.

/** Time and timers. `sleep` rejects with the signal's reason when aborted. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  setTimeout(fn: () => void, ms: number): Disposable;
}

export interface Disposable {
  dispose(): void;
}

/** Random numbers in [0, 1) — injected so backoff jitter is deterministic in tests. */
export type Random = () => number;

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * Structured logger. Implementations must never receive secrets: callers pass redacted values. A call never throws
 * (the extension's SinkLogger ignores a closed output channel): a log line is never worth failing the caller — a request,
 * a shutdown's clean-up.
 */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

/** Where secrets live (VS Code SecretStorage in the extension, memory in tests). */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Fires when a secret changes, here or in another window (VS Code's SecretStorage.onDidChange): with it, a reader may
   * keep what it read until the next change (OriginBoundSecret).
   */
  readonly onDidChange?: (listener: (e: { readonly key: string }) => unknown) => { dispose(): unknown };
}

/**
 * Small values kept across window reloads (VS Code's workspaceState Memento in the extension, a map in tests). What is
 * read back is untrusted — an older version's shape, or anything another extension wrote under the key — and is
 * validated by its reader. `update` with undefined deletes the key.
 */
export interface StateStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Per-request timeout; the transport aborts and throws TimeoutError when exceeded. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Reads the whole body as text, however long (the clients read through api/boundedBody.ts, which stops at a limit). */
  text(): Promise<string>;
  /** Streams the body as UTF-8 text chunks (for SSE). */
  chunks(): AsyncIterable<string>;
}

/** A keep-alive HTTP transport. Throws NetworkError / TimeoutError / CancellationError, never raw errors. */
export interface HttpTransport {
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        return;
      }
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return { dispose: () => clearTimeout(t) };
  },
};

export const nullLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
