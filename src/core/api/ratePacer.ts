// Client-side pacing under published rate limits, so bursts queue instead of collecting 429s.
// One sliding window per class ("at most `limit` requests in any `windowMs`"), a FIFO queue per class
// (first come, first served; an aborted waiter leaves the queue without disturbing the others),
// timers from the injected Clock. Generic: the class names and limits are the caller's. A request is the user's (a Stop,
// a list load, a new task, a poll of the window's own run: someone waits for it) or `background` (a poll of a run someone
// else started, a restored run's first): a user's request goes before every background one queued, and background
// requests leave BACKGROUND_RESERVE of each window to the user's — polls of many runs (those followed again after a
// window reload) never keep a click waiting behind them. A background request queued
// for a whole window may use the user's room too (still after the user's own queued requests): steady user traffic above
// the background share (55 requests per 31 s in a standard window whose share is 50) would otherwise starve it forever.
import { CancellationError } from '../errors';
import type { Clock, Disposable } from '../ports';

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/** Codegen's published limits (docs/codegen-api.md). */
export const CODEGEN_RATE_LIMITS = {
  /** POST /v1/organizations/{org_id}/agent/run */
  creation: { limit: 10, windowMs: 60_000 },
  /** every other endpoint */
  standard: { limit: 60, windowMs: 30_000 },
  /** GET …/agent/run/{id}/logs */
  logs: { limit: 60, windowMs: 60_000 },
} as const satisfies Record<string, RateLimit>;

export type CodegenRateClass = keyof typeof CODEGEN_RATE_LIMITS;

/** Whether someone waits for a request (`user`), or it only keeps something up to date (`background`: a poll of another's run, a restored run's first). */
export type RequestPriority = 'user' | 'background';

/** The share of a class's window that background requests leave to the user's (at least one request). */
export const BACKGROUND_RESERVE = 1 / 6;

export interface RatePacerOptions<C extends string> {
  clock: Clock;
  limits: Record<C, RateLimit>;
  /**
   * Added to every window: the server counts arrivals, we count departures, and network latency
   * varies between requests. Default 1000 ms.
   */
  marginMs?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  background: boolean;
  /** When it was queued: a background waiter queued for a window (Lane.windowMs) or longer may use the user's room. */
  queuedAt: number;
}

class Lane {
  /** Departure times still inside the window, oldest first. */
  readonly sent: number[] = [];
  readonly queue: Waiter[] = [];
  timer: Disposable | undefined;
  /** No request leaves before this time (the server asked to wait: see RatePacer.holdUntil). */
  heldUntil = 0;
  /** Most background requests in a window: the rest is left to the user's (BACKGROUND_RESERVE). */
  readonly backgroundLimit: number;
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.backgroundLimit = Math.max(1, limit - Math.max(1, Math.ceil(limit * BACKGROUND_RESERVE)));
  }
}

export class RatePacer<C extends string> {
  private readonly lanes = new Map<C, Lane>();
  private disposed = false;

  constructor(private readonly options: RatePacerOptions<C>) {
    const margin = options.marginMs ?? 1000;
    for (const cls of Object.keys(options.limits) as C[]) {
      const l = options.limits[cls];
      this.lanes.set(cls, new Lane(Math.max(1, Math.floor(l.limit)), l.windowMs + margin));
    }
  }

  /**
   * Resolves when a request of class `cls` may be sent now (and counts it): a `user` request after the user's queued
   * before it, a `background` one after every request queued before it and only while the window has room beyond the
   * user's reserve. Rejects with CancellationError on abort or dispose.
   */
  acquire(cls: C, signal?: AbortSignal, priority: RequestPriority = 'user'): Promise<void> {
    const lane = this.lane(cls);
    if (this.disposed || signal?.aborted) return Promise.reject(new CancellationError());
    const now = this.options.clock.now();
    this.prune(lane, now);
    const background = priority === 'background';
    const ahead = background ? lane.queue.length > 0 : lane.queue.some((w) => !w.background);
    if (!ahead && lane.sent.length < (background ? lane.backgroundLimit : lane.limit) && now >= lane.heldUntil) {
      lane.sent.push(now);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        background,
        queuedAt: now,
        onAbort: () => {
          const i = lane.queue.indexOf(waiter);
          if (i >= 0) lane.queue.splice(i, 1);
          reject(new CancellationError());
          this.drain(lane);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      lane.queue.push(waiter);
      this.drain(lane);
    });
  }

  /**
   * No request of class `cls` leaves before `at` (clock time): the server answered a 429 with a Retry-After, which holds
   * for the whole class, not just for the request that got it. Requests already waiting wait until then too.
   */
  holdUntil(cls: C, at: number): void {
    const lane = this.lane(cls);
    if (at <= lane.heldUntil) return;
    lane.heldUntil = at;
    if (lane.queue.length > 0) this.drain(lane);
  }

  /** Requests waiting in class `cls`. */
  queued(cls: C): number {
    return this.lane(cls).queue.length;
  }

  /** Rejects every waiter with CancellationError and stops all timers. */
  dispose(): void {
    this.disposed = true;
    for (const lane of this.lanes.values()) {
      lane.timer?.dispose();
      lane.timer = undefined;
      for (const w of lane.queue.splice(0)) {
        w.signal?.removeEventListener('abort', w.onAbort);
        w.reject(new CancellationError());
      }
    }
  }

  private lane(cls: C): Lane {
    const lane = this.lanes.get(cls);
    if (!lane) throw new Error(`Unknown rate class ${cls}`);
    return lane;
  }

  /** Whether a background waiter has waited a whole window, so may use the user's room (ageing). */
  private aged(lane: Lane, w: Waiter, now: number): boolean {
    return w.background && now - w.queuedAt >= lane.windowMs;
  }

  private prune(lane: Lane, now: number): void {
    while (lane.sent.length > 0 && (lane.sent[0] ?? 0) + lane.windowMs <= now) lane.sent.shift();
  }

  /**
   * Lets queued waiters go while the window has room (and no hold) — the user's first, then aged background ones in the
   * user's room, then background ones within their share — then sleeps until a departure leaves the window room for the
   * next, or the oldest background waiter ages (or the hold ends).
   */
  private drain(lane: Lane): void {
    lane.timer?.dispose();
    lane.timer = undefined;
    if (this.disposed) return;
    const now = this.options.clock.now();
    this.prune(lane, now);
    while (now >= lane.heldUntil) {
      const userAt = lane.sent.length < lane.limit ? lane.queue.findIndex((w) => !w.background) : -1;
      const agedAt = userAt < 0 && lane.sent.length < lane.limit ? lane.queue.findIndex((w) => this.aged(lane, w, now)) : -1;
      const at = userAt >= 0 ? userAt : agedAt >= 0 ? agedAt : lane.sent.length < lane.backgroundLimit && lane.queue.length > 0 ? 0 : -1;
      if (at < 0) break;
      const [w] = lane.queue.splice(at, 1);
      if (!w) break;
      w.signal?.removeEventListener('abort', w.onAbort);
      lane.sent.push(now);
      w.resolve();
    }
    if (lane.queue.length === 0) return;
    // (The oldest departure that must leave the window for the first waiter of each kind to fit.)
    const roomFor = (cap: number): number => (lane.sent.length < cap ? now : (lane.sent[lane.sent.length - cap] ?? now - lane.windowMs) + lane.windowMs);
    // (With only background waiters queued, the first is the oldest: once it has aged it goes in the user's room.)
    const first = lane.queue[0];
    const roomAt = lane.queue.some((w) => !w.background || this.aged(lane, w, now))
      ? roomFor(lane.limit)
      : Math.min(roomFor(lane.backgroundLimit), first === undefined ? Number.POSITIVE_INFINITY : first.queuedAt + lane.windowMs);
    lane.timer = this.options.clock.setTimeout(() => {
      lane.timer = undefined;
      this.drain(lane);
    }, Math.max(0, roomAt - now, lane.heldUntil - now));
  }
}
