// THE retry policy of the product, for every HTTP client (Codegen, OpenAI-compatible, …).
// Retries only errors whose class says so (`retryable`): RateLimitError (unless it is a quota error),
// ServerError, NetworkError, TimeoutError. Never 401/402/403/404/422, protocol errors or cancellation.
// Waits: Retry-After when the server sent one, otherwise exponential backoff with full jitter
// (delay = random × min(cap, base × 2^attempt)). Time and randomness are injected.
import { CancellationError, ContextenError, RateLimitError, errorMessage } from '../errors';
import type { Clock, Logger, Random } from '../ports';

export interface RetryOptions {
  /** Retries after the first attempt (contexten.http.maxRetries). 0 = a single attempt. */
  maxRetries: number;
  clock: Clock;
  random: Random;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  /** Names the operation in log lines, e.g. `GET /v1/users/me`. */
  label?: string | undefined;
  /** First backoff ceiling; doubles per attempt. Default 500 ms. */
  baseDelayMs?: number | undefined;
  /** Cap of the exponential backoff. Default 30 s. */
  maxDelayMs?: number | undefined;
  /** Longest Retry-After we wait for; a server asking for more gets its error passed through at once. Default 60 s. */
  maxRetryAfterMs?: number | undefined;
  /** Narrows which retryable errors are tried again: false gives the error back at once (a call that must not go twice). */
  retryIf?: ((err: ContextenError) => boolean) | undefined;
  /** Called before each wait, e.g. to show "retrying in 4 s". */
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

export interface RetryInfo {
  /** The attempt that failed (0 = the first). */
  attempt: number;
  delayMs: number;
  error: ContextenError;
}

export const RETRY_DEFAULTS = { baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 } as const;

/** Whether the policy may try again after this error. */
export function isRetryable(err: unknown): err is ContextenError {
  return err instanceof ContextenError && err.retryable && !CancellationError.is(err);
}

/** Full-jitter exponential backoff for the given (0-based) failed attempt. */
export function backoffDelayMs(attempt: number, random: Random, baseDelayMs: number = RETRY_DEFAULTS.baseDelayMs, maxDelayMs: number = RETRY_DEFAULTS.maxDelayMs): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(r * ceiling);
}

/**
 * Reads a Retry-After header: delay-seconds (`"7"`, `"1.5"`) or an HTTP date. Returns milliseconds
 * from `nowMs` (0 for a date in the past), or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined | null, nowMs: number): number | undefined {
  if (header === undefined || header === null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // Only the HTTP date forms: Date.parse reads almost anything ("+5", "1.", "1,2" as dates in 2001), and a value it
  // took for a past date meant "retry now" instead of the backoff an unreadable value falls back to.
  let date: string | undefined;
  if (IMF_FIXDATE.test(value) || RFC850_DATE.test(value)) date = value;
  else if (ASCTIME_DATE.test(value)) date = `${value} GMT`; // (no zone: GMT by definition; Date.parse would take local time)
  const at = date === undefined ? Number.NaN : Date.parse(date);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110's preferred form). */
const IMF_FIXDATE = new RegExp(`^(?:mon|tue|wed|thu|fri|sat|sun), \\d{1,2} ${MONTH} \\d{4} ${TIME} GMT$`, 'i');
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete, still accepted). */
const RFC850_DATE = new RegExp(`^(?:mon|tues|wednes|thurs|fri|satur|sun)day, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`, 'i');
/** `Sun Nov  6 08:49:37 1994` (C's asctime, obsolete). */
const ASCTIME_DATE = new RegExp(`^(?:mon|tue|wed|thu|fri|sat|sun) ${MONTH} (?: \\d|\\d{2}) ${TIME} \\d{4}$`, 'i');

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error, or `maxRetries` retries are spent.
 * `fn` receives the 0-based attempt number. Waits are abortable: an abort ends in CancellationError.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const base = opts.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs;
  const cap = opts.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  const maxRetryAfter = opts.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs;
  const label = opts.label ?? 'request';
  for (let attempt = 0; ; attempt++) {
    if (opts.signal?.aborted) throw new CancellationError();
    try {
      return await fn(attempt);
    } catch (err) {
      if (CancellationError.is(err)) throw err instanceof CancellationError ? err : new CancellationError();
      if (opts.signal?.aborted) throw new CancellationError();
      if (!isRetryable(err) || attempt >= opts.maxRetries || opts.retryIf?.(err) === false) throw err;
      let delayMs: number;
      if (err instanceof RateLimitError && err.retryAfterMs !== undefined) {
        if (err.retryAfterMs > maxRetryAfter) {
          opts.logger?.warn(`${label}: the server asks to wait ${Math.ceil(err.retryAfterMs / 1000)} s before retrying; giving up instead.`);
          throw err;
        }
        delayMs = err.retryAfterMs;
      } else {
        delayMs = backoffDelayMs(attempt, opts.random, base, cap);
      }
      opts.logger?.warn(`${label}: ${errorMessage(err)} Retry ${attempt + 1} of ${opts.maxRetries} in ${delayMs} ms.`);
      opts.onRetry?.({ attempt, delayMs, error: err });
      try {
        await opts.clock.sleep(delayMs, opts.signal);
      } catch {
        throw new CancellationError();
      }
    }
  }
}
