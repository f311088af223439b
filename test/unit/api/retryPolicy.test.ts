import assert from 'node:assert/strict';
import {
  AuthenticationError,
  CancellationError,
  NetworkError,
  NotFoundError,
  PlanLimitError,
  ProtocolError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../../src/core/errors';
import { backoffDelayMs, parseRetryAfter, withRetry, type RetryInfo } from '../../../src/core/api/retryPolicy';
import { FakeClock } from '../fakes/fakeClock';
import { settle } from '../fakes/driveClock';
import { RecordingLogger } from '../fakes/recordingLogger';

describe('retry policy', () => {
  describe('parseRetryAfter', () => {
    const now = Date.UTC(2025, 5, 21, 12, 0, 0);
    it('reads delay-seconds, including fractions', () => {
      assert.equal(parseRetryAfter('7', now), 7000);
      assert.equal(parseRetryAfter(' 0 ', now), 0);
      assert.equal(parseRetryAfter('1.5', now), 1500);
    });
    it('reads an HTTP date relative to now, and a past date as 0', () => {
      assert.equal(parseRetryAfter('Sat, 21 Jun 2025 12:00:09 GMT', now), 9000);
      assert.equal(parseRetryAfter('Sat, 21 Jun 2025 11:59:00 GMT', now), 0);
      // The obsolete forms too: RFC 850's, and asctime's (GMT, though it names no zone).
      assert.equal(parseRetryAfter('Saturday, 21-Jun-25 12:00:09 GMT', now), 9000);
      assert.equal(parseRetryAfter('Sat Jun 21 12:00:09 2025', now), 9000);
    });
    it('ignores absent, negative and unreadable values', () => {
      assert.equal(parseRetryAfter(undefined, now), undefined);
      assert.equal(parseRetryAfter('', now), undefined);
      assert.equal(parseRetryAfter('-3', now), undefined);
      assert.equal(parseRetryAfter('soon', now), undefined);
      // Neither seconds nor an HTTP date, though Date.parse reads each as a date in 2001 ("retry now").
      for (const v of ['+5', '1.', '1,2', '2025-06-21', '5 s']) assert.equal(parseRetryAfter(v, now), undefined, v);
    });
  });

  describe('backoffDelayMs', () => {
    it('is random × min(cap, base × 2^attempt)', () => {
      assert.equal(backoffDelayMs(0, () => 0.5, 500, 30_000), 250);
      assert.equal(backoffDelayMs(3, () => 0.5, 500, 30_000), 2000);
      assert.equal(backoffDelayMs(10, () => 0.999, 500, 30_000), 29_970);
      assert.equal(backoffDelayMs(2, () => 0, 500, 30_000), 0);
    });
  });

  describe('withRetry', () => {
    let clock: FakeClock;
    beforeEach(() => {
      clock = new FakeClock();
    });
    const base = () => ({ clock, random: () => 0.5, maxRetries: 3 });

    it('retries retryable errors with jittered exponential backoff and returns the success', async () => {
      const started: number[] = [];
      const errors = [new ServerError('boom', 500), new NetworkError('reset'), new TimeoutError('slow')];
      const result = await settle(
        withRetry(async (attempt) => {
          started.push(clock.now());
          const e = errors[attempt];
          if (e) throw e;
          return attempt;
        }, base()),
        clock,
      );
      assert.equal(result, 3);
      const gaps = started.slice(1).map((t, i) => t - (started[i] ?? 0));
      assert.deepEqual(gaps, [250, 500, 1000]);
    });

    it('gives up after maxRetries with the last error', async () => {
      let calls = 0;
      const p = withRetry(async () => {
        calls++;
        throw new ServerError(`fail ${calls}`, 503);
      }, { ...base(), maxRetries: 2 });
      await assert.rejects(settle(p, clock), (e: unknown) => e instanceof ServerError && e.message === 'fail 3');
      assert.equal(calls, 3);
    });

    for (const [name, err] of [
      ['401', new AuthenticationError('no', 401)],
      ['402', new PlanLimitError('plan')],
      ['403', new AuthenticationError('no', 403)],
      ['404', new NotFoundError('gone')],
      ['422', new ValidationError('bad')],
      ['malformed answer', new ProtocolError('garbage')],
      ['quota 429', new RateLimitError('quota', undefined, true)],
    ] as const) {
      it(`never retries ${name}`, async () => {
        let calls = 0;
        await assert.rejects(
          withRetry(async () => {
            calls++;
            throw err;
          }, base()),
          (e: unknown) => e === err,
        );
        assert.equal(calls, 1);
        assert.equal(clock.pending(), 0);
      });
    }

    it('waits exactly Retry-After when the 429 carries it', async () => {
      const started: number[] = [];
      const retries: RetryInfo[] = [];
      await settle(
        withRetry(
          async (attempt) => {
            started.push(clock.now());
            if (attempt === 0) throw new RateLimitError('slow down', 7000);
          },
          { ...base(), onRetry: (i) => retries.push(i) },
        ),
        clock,
      );
      assert.equal((started[1] ?? 0) - (started[0] ?? 0), 7000);
      assert.equal(retries.length, 1);
      assert.equal(retries[0]?.delayMs, 7000);
      assert.equal(retries[0]?.attempt, 0);
    });

    it('passes a 429 through at once when Retry-After exceeds the cap', async () => {
      const logger = new RecordingLogger();
      let calls = 0;
      await assert.rejects(
        withRetry(async () => {
          calls++;
          throw new RateLimitError('later', 3_600_000);
        }, { ...base(), logger, maxRetryAfterMs: 60_000 }),
        RateLimitError,
      );
      assert.equal(calls, 1);
      assert.match(logger.text('warn'), /wait 3600 s/);
    });

    it('an abort during the wait ends in CancellationError without another attempt', async () => {
      const ac = new AbortController();
      let calls = 0;
      const p = withRetry(async () => {
        calls++;
        throw new ServerError('boom', 500);
      }, { ...base(), signal: ac.signal });
      await clock.whenTimerPending();
      ac.abort();
      await assert.rejects(p, CancellationError);
      assert.equal(calls, 1);
    });

    it('turns an AbortError thrown by the attempt into CancellationError and does not retry', async () => {
      let calls = 0;
      const abortError = Object.assign(new Error('aborted'), { name: 'AbortError' });
      await assert.rejects(
        withRetry(async () => {
          calls++;
          throw abortError;
        }, base()),
        CancellationError,
      );
      assert.equal(calls, 1);
    });

    it('does not start when the signal is already aborted', async () => {
      let calls = 0;
      await assert.rejects(
        withRetry(async () => {
          calls++;
        }, { ...base(), signal: AbortSignal.abort() }),
        CancellationError,
      );
      assert.equal(calls, 0);
    });

    it('logs each retry without the error stack', async () => {
      const logger = new RecordingLogger();
      await settle(
        withRetry(async (a) => {
          if (a < 2) throw new NetworkError('socket closed');
        }, { ...base(), logger, label: 'GET /x' }),
        clock,
      );
      const warns = logger.lines.filter((l) => l.level === 'warn').map((l) => l.text);
      assert.deepEqual(warns, ['GET /x: socket closed Retry 1 of 3 in 250 ms.', 'GET /x: socket closed Retry 2 of 3 in 500 ms.']);
    });
  });
});
