// Groups generation requests into batches: a batch goes out when it holds `contexten.batch.size`
// requests or when `contexten.batch.timeoutMs` has passed since its first request. Every request in a
// dispatched batch runs at once; the pipeline's connection-pool limiter bounds how many really run,
// and an optional pacer keeps the send rate under the API's limits. Each request gets its own
// outcome: one failure never fails the others, and results keep the order of the requests.
import { CancellationError, ContextenError, errorMessage } from '../errors';
import type { Clock, Disposable } from '../ports';
import type { GenerateOptions, GenerationResult } from './model';

export interface BatchRequest {
  readonly prompt: string;
  readonly codebaseContext?: string;
  readonly options?: GenerateOptions;
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
  readonly resolve: (r: BatchItemResult) => void;
  readonly onAbort: () => void;
}

export class Batcher {
  private queue: Pending[] = [];
  private timer: Disposable | undefined;
  private batchesSent = 0;

  constructor(private readonly deps: BatcherDeps) {}

  /** How many batches have been dispatched so far. */
  get dispatched(): number {
    return this.batchesSent;
  }

  /** Queues one request; it goes out with the next batch (when full or when the batch timeout passes). */
  submit(req: BatchRequest, signal: AbortSignal): Promise<BatchItemResult> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve(failure(new CancellationError()));
        return;
      }
      const item: Pending = {
        req,
        signal,
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
      const { size, timeoutMs } = this.deps.settings();
      if (this.queue.length >= size || timeoutMs === 0) this.flush();
      else this.timer ??= this.deps.clock.setTimeout(() => this.flush(), timeoutMs);
    });
  }

  /**
   * Runs all `requests` in batches and resolves with one outcome per request, in order. The caller has
   * handed over everything, so the last partial batch goes out at once instead of waiting to fill.
   * Rejects with CancellationError when `signal` is aborted.
   */
  async batchGenerate(requests: readonly BatchRequest[], signal: AbortSignal): Promise<BatchItemResult[]> {
    const outcomes = requests.map((r) => this.submit(r, signal));
    this.flush();
    const results = await Promise.all(outcomes);
    if (signal.aborted) throw new CancellationError();
    return results;
  }

  /** Sends everything queued now, in batches of at most `size`. */
  flush(): void {
    this.stopTimer();
    const { size } = this.deps.settings();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, size);
      this.batchesSent += 1;
      for (const item of batch) {
        item.signal.removeEventListener('abort', item.onAbort);
        void this.run(item).then(item.resolve);
      }
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

  private async run(item: Pending): Promise<BatchItemResult> {
    try {
      await this.deps.pace?.(item.signal);
      return { ok: true, result: await this.deps.generate(item.req, item.signal) };
    } catch (err) {
      return failure(err);
    }
  }

  private stopTimer(): void {
    this.timer?.dispose();
    this.timer = undefined;
  }
}

function failure(err: unknown): BatchItemResult {
  const code = CancellationError.is(err) ? 'cancelled' : err instanceof ContextenError ? err.code : 'unknown';
  return { ok: false, error: { code, message: errorMessage(err) } };
}
