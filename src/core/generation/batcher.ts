// Groups generation requests into batches of at most `contexten.batch.size` and sends them one at a time:
// the next batch goes out only when every generation of the one before it has settled, so no more than
// `size` generations from the batcher run at once (whoever asked for them). A batch of requests queued one
// by one (`submit`) waits to fill for up to `contexten.batch.timeoutMs` after its first request;
// `batchGenerate` hands over all its requests at once, so its batches never wait to fill. Inside a batch,
// the pipeline's connection-pool limiter bounds how many really run, and an optional pacer keeps the send
// rate under the API's limits. Each request gets its own outcome: one failure never fails the others, and
// results keep the order of the requests.
import { setMaxListeners } from 'node:events';
import { CancellationError, ContextenError, errorMessage } from '../errors';
import type { Clock, Disposable } from '../ports';
import type { GenerateOptions, GenerationResult } from './model';

export interface BatchRequest {
  readonly prompt: string;
  readonly codebaseContext?: string;
  readonly options?: GenerateOptions;
  /** This request's answer as it streams (a cached one in one piece), as generateWithContext's onToken. */
  readonly onToken?: (text: string) => void;
  /** This request's reasoning model's thinking as it streams, apart from its answer, as generateWithContext's onReasoning. */
  readonly onReasoning?: (text: string) => void;
}

export interface BatchItemError {
  /** An ErrorCode from src/core/errors.ts, or "unknown". */
  readonly code: string;
  readonly message: string;
}

export type BatchItemResult = { readonly ok: true; readonly result: GenerationResult } | { readonly ok: false; readonly error: BatchItemError };

export interface BatchSettings {
  readonly size: number;
  readonly timeoutMs: number;
}

/** Waits until one more request may be sent (the shared rate pacer). */
export type Pace = (signal: AbortSignal) => Promise<void>;

export interface BatcherDeps {
  readonly generate: (req: BatchRequest, signal: AbortSignal) => Promise<GenerationResult>;
  readonly settings: () => BatchSettings;
  readonly clock: Clock;
  readonly pace?: Pace;
}

interface Pending {
  readonly req: BatchRequest;
  readonly signal: AbortSignal;
  /** Clock time after which the request stops waiting for its batch to fill. */
  readonly sendBy: number;
  readonly resolve: (r: BatchItemResult) => void;
  readonly onAbort: () => void;
}

export class Batcher {
  private queue: Pending[] = [];
  private timer: { readonly at: number; readonly handle: Disposable } | undefined;
  /** Generations of the batch out now that have not settled yet. */
  private inFlight = 0;
  private batchesSent = 0;

  constructor(private readonly deps: BatcherDeps) {}

  /** How many batches have been dispatched so far. */
  get dispatched(): number {
    return this.batchesSent;
  }

  /**
   * Queues one request; it goes out with the next batch, once the batch before it has settled and this one
   * is full or `timeoutMs` has passed since its first request.
   */
  submit(req: BatchRequest, signal: AbortSignal): Promise<BatchItemResult> {
    const outcome = this.enqueue(req, signal, this.deps.clock.now() + this.deps.settings().timeoutMs);
    this.pump();
    return outcome;
  }

  /**
   * Runs all `requests` in batches and resolves with one outcome per request, in order. The caller has
   * handed over everything, so a partial batch goes out as soon as the batch before it has settled instead
   * of waiting to fill. Rejects with CancellationError when `signal` is aborted.
   */
  async batchGenerate(requests: readonly BatchRequest[], signal: AbortSignal): Promise<BatchItemResult[]> {
    // The requests wait on a signal of the batch's own, which follows the caller's through one listener: a listener per
    // request on the caller's signal was "a possible EventTarget memory leak" to Node 20 (VS Code 1.90's extension
    // host), warned at every batch of more than 10. Ours holds one per request waiting, and what each sent adds, by
    // design: no limit.
    const batch = new AbortController();
    setMaxListeners(0, batch.signal);
    const follow = (): void => batch.abort(signal.reason);
    if (signal.aborted) batch.abort(signal.reason);
    else signal.addEventListener('abort', follow, { once: true });
    try {
      const now = this.deps.clock.now();
      const outcomes = requests.map((r) => this.enqueue(r, batch.signal, now));
      this.pump();
      const results = await Promise.all(outcomes);
      if (signal.aborted) throw new CancellationError();
      return results;
    } finally {
      signal.removeEventListener('abort', follow);
    }
  }

  /** Answers every queued request with a cancellation; nothing queued is sent. */
  dispose(): void {
    this.stopTimer();
    for (const item of this.queue.splice(0)) {
      item.signal.removeEventListener('abort', item.onAbort);
      item.resolve(failure(new CancellationError()));
    }
  }

  private enqueue(req: BatchRequest, signal: AbortSignal, sendBy: number): Promise<BatchItemResult> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve(failure(new CancellationError()));
        return;
      }
      const item: Pending = {
        req,
        signal,
        sendBy,
        resolve,
        onAbort: () => {
          const i = this.queue.indexOf(item);
          if (i < 0) return; // already dispatched: the generation itself sees the abort
          this.queue.splice(i, 1);
          if (this.queue.length === 0) this.stopTimer();
          resolve(failure(new CancellationError()));
        },
      };
      signal.addEventListener('abort', item.onAbort, { once: true });
      this.queue.push(item);
    });
  }

  /** Sends the next batch if none is out and the queue holds one that is full or done waiting to fill. */
  private pump(): void {
    if (this.inFlight > 0) return;
    if (this.queue.length === 0) {
      this.stopTimer();
      return;
    }
    const { size } = this.deps.settings();
    if (this.queue.length < size) {
      let due = Infinity;
      for (const item of this.queue) due = Math.min(due, item.sendBy);
      const now = this.deps.clock.now();
      if (due > now) {
        if (this.timer === undefined || this.timer.at > due) {
          this.stopTimer();
          const handle = this.deps.clock.setTimeout(() => {
            this.timer = undefined;
            this.pump();
          }, due - now);
          this.timer = { at: due, handle };
        }
        return;
      }
    }
    this.stopTimer();
    const batch = this.queue.splice(0, size);
    this.batchesSent += 1;
    this.inFlight = batch.length;
    for (const item of batch) {
      item.signal.removeEventListener('abort', item.onAbort);
      void this.run(item).then((outcome) => {
        item.resolve(outcome);
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(item: Pending): Promise<BatchItemResult> {
    try {
      await this.deps.pace?.(item.signal);
      return { ok: true, result: await this.deps.generate(item.req, item.signal) };
    } catch (err) {
      return failure(err);
    }
  }

  private stopTimer(): void {
    this.timer?.handle.dispose();
    this.timer = undefined;
  }
}

function failure(err: unknown): BatchItemResult {
  const code = CancellationError.is(err) ? 'cancelled' : err instanceof ContextenError ? err.code : 'unknown';
  return { ok: false, error: { code, message: errorMessage(err) } };
}
