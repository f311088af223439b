import type { Clock, Disposable } from '../../../src/core/ports';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** Lets pending promise callbacks (and ready I/O callbacks) run. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A Clock whose time moves only when a test says so. Timers fire in time order (ties in scheduling
 * order) during `advance`/`next`, with promise callbacks flushed after each, so code awaiting a
 * sleep continues before the next timer fires. Reusable by every core unit test.
 */
export class FakeClock implements Clock {
  private nowMs: number;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduledWaiters: (() => void)[] = [];

  /** Starts at 2025-06-21T12:00:00Z unless told otherwise (a real epoch, so Date-based code behaves). */
  constructor(startMs: number = Date.UTC(2025, 5, 21, 12, 0, 0)) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, ms: number): Disposable {
    const timer: Timer = { id: ++this.seq, at: this.nowMs + Math.max(0, ms), fn };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    for (const w of this.scheduledWaiters.splice(0)) w();
    return { dispose: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const reason = (): Error => (signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      if (signal?.aborted) {
        reject(reason());
        return;
      }
      const onAbort = (): void => {
        t.dispose();
        reject(reason());
      };
      const t = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Number of timers waiting to fire. */
  pending(): number {
    return this.timers.length;
  }

  /** When the next timer fires, if any. */
  nextAt(): number | undefined {
    return this.timers[0]?.at;
  }

  /** Moves time forward by `ms`, firing every timer that falls due (including ones scheduled meanwhile). */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    await flushPromises();
    for (;;) {
      const t = this.timers[0];
      if (!t || t.at > target) break;
      await this.fire(t);
    }
    this.nowMs = target;
    await flushPromises();
  }

  /** Jumps to the next timer and fires it. False when none is pending. */
  async next(): Promise<boolean> {
    const t = this.timers[0];
    if (!t) return false;
    await this.fire(t);
    return true;
  }

  /** Resolves as soon as a timer is pending (at once if one already is). */
  whenTimerPending(): Promise<void> {
    if (this.timers.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.scheduledWaiters.push(resolve));
  }

  private async fire(t: Timer): Promise<void> {
    this.timers = this.timers.filter((x) => x !== t);
    this.nowMs = Math.max(this.nowMs, t.at);
    t.fn();
    await flushPromises();
  }
}

/** Watches `p` from now on; the returned function says, once the callbacks queued so far ran, how it settled (or 'pending'). */
export function watchSettling(p: Promise<unknown>): () => Promise<string> {
  let state = 'pending';
  p.then(
    () => (state = 'resolved'),
    (e: unknown) => (state = `rejected ${e instanceof Error ? e.name : String(e)}`),
  );
  return async () => {
    await flushPromises();
    return state;
  };
}
