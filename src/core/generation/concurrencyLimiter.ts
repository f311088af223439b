// Bounds how many generations run at once (the connection pool size). Waiters are served first in,
// first out; an aborted waiter leaves the queue without taking a slot.
import { CancellationError } from '../errors';

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiters: { grant: () => void; onAbort: () => void }[] = [];

  /**
   * @param limit current maximum, read on every acquire and release; a raise lets waiters in at once when the owner
   *   calls limitChanged (or at the next acquire or release).
   */
  constructor(private readonly limit: () => number) {}

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free. Rejects with CancellationError when aborted first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new CancellationError());
    this.drain();
    if (this.active < this.limit() && this.waiters.length === 0) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', waiter.onAbort);
          this.active += 1;
          resolve(this.releaser());
        },
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new CancellationError());
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Runs `task` inside a slot. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** Lets waiters in up to the current limit (call it when the limit was raised: nothing else may end for minutes). */
  limitChanged(): void {
    this.drain();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.drain();
    };
  }

  private drain(): void {
    while (this.active < this.limit() && this.waiters.length > 0) this.waiters.shift()?.grant();
  }
}
