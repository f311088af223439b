// One run of some work shared by every caller that asks for it while it is out, each waiting through its own signal.
import { CancellationError, untilAborted } from './errors';

interface Run<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  /** Callers still waiting that may leave (those with a signal); see `keep`. */
  waiting: number;
  /** A caller without a signal joined: it waits to the end, so the work is never aborted. */
  keep: boolean;
}

/**
 * Shares one run of `work` among the callers that ask while it is out (a refresh started by the view, joined by the
 * Refresh command). Each caller waits through its own signal: when it aborts, that caller gets a CancellationError at
 * once, whatever the others do. The work's own signal is aborted only when no caller wants the result any more (every
 * caller had a signal, and all of them aborted); a caller without a signal wants it to the end. A caller arriving after
 * the work was aborted starts a new run instead of joining one that is ending.
 */
export class SharedWork<T> {
  private current: Run<T> | undefined;

  constructor(private readonly work: (signal: AbortSignal) => Promise<T>) {}

  /** Whether a run is out (started and not yet settled or aborted). */
  get running(): boolean {
    return this.current !== undefined;
  }

  /**
   * Ends the run out, if any, whatever its callers want: its signal aborts (its callers get what the work then gives,
   * usually a CancellationError), and the next caller starts a new run instead of joining it (what it would bring is out
   * of date: the endpoint it was asked of changed, say).
   */
  abort(): void {
    const run = this.current;
    if (!run) return;
    this.current = undefined;
    run.controller.abort();
  }

  run(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new CancellationError());
    const run = this.current ?? this.start();
    if (!signal) {
      run.keep = true;
      return run.promise;
    }
    run.waiting++;
    const onAbort = (): void => {
      run.waiting--;
      if (run.waiting > 0 || run.keep) return;
      if (this.current === run) this.current = undefined;
      run.controller.abort();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal.removeEventListener('abort', onAbort);
    run.promise.then(done, done);
    return untilAborted(run.promise, signal);
  }

  private start(): Run<T> {
    const controller = new AbortController();
    const settled = (): void => {
      if (this.current === run) this.current = undefined;
    };
    let started: Promise<T>;
    try {
      // (Started at once, as a direct call would be: what the work reads before its first wait is read now.)
      started = this.work(controller.signal);
    } catch (err) {
      started = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    // (`run` is set before this runs: a settled promise's callbacks never run synchronously.)
    const promise = started.finally(settled);
    const run: Run<T> = { promise, controller, waiting: 0, keep: false };
    this.current = run;
    return run;
  }
}
