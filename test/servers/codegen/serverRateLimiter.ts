// The published Codegen rate limits, enforced per token and class with a sliding window on the server clock.

export type RateClass = 'creation' | 'standard' | 'logs';

export interface ServerRateLimit {
  limit: number;
  windowMs: number;
}

export const PUBLISHED_LIMITS: Record<RateClass, ServerRateLimit> = {
  creation: { limit: 10, windowMs: 60_000 },
  standard: { limit: 60, windowMs: 30_000 },
  logs: { limit: 60, windowMs: 60_000 },
};

export class ServerRateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly limits: Record<RateClass, ServerRateLimit>) {}

  /** Counts the request and returns undefined, or returns the milliseconds until a slot frees (request not counted). */
  take(key: string, cls: RateClass, now: number): number | undefined {
    const { limit, windowMs } = this.limits[cls];
    const id = `${cls}:${key}`;
    const arrivals = (this.windows.get(id) ?? []).filter((t) => t + windowMs > now);
    this.windows.set(id, arrivals);
    if (arrivals.length >= limit) return (arrivals[arrivals.length - limit] ?? now) + windowMs - now;
    arrivals.push(now);
    return undefined;
  }

  reset(): void {
    this.windows.clear();
  }
}
