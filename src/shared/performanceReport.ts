// The performance report: produced by the PerformanceMonitor (src/core/stats), returned by the public
// API's getPerformanceReport() and posted to the results panel's Performance tab. Plain JSON; no Node
// or vscode imports so the webview bundle can validate it too.
import { z } from 'zod';

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();

const cacheStatsSchema = z.object({
  hits: count,
  misses: count,
  /** 0..1 */
  hitRate: z.number().min(0).max(1),
  size: count,
});

export const performanceReportSchema = z.object({
  /** Epoch ms when the report was made. */
  generatedAt: z.number(),
  uptimeMs: ms,
  requests: z.object({
    total: count,
    ok: count,
    errors: count,
    cancelled: count,
    /** errors / (ok + errors), 0..1; cancellations are not errors. */
    errorRate: z.number().min(0).max(1),
    cached: count,
    errorsByCode: z.record(z.string(), count),
  }),
  /** Over the most recent `samples` finished requests (a fixed-size window). */
  latencyMs: z.object({ samples: count, avg: ms, p50: ms, p95: ms }),
  /** Time to the first piece of an answer, for answers that came from a provider (not the cache). */
  firstTokenMs: z.object({ samples: count, p50: ms, p95: ms }),
  throughput: z.object({
    /** Requests finished in the last 60 seconds. */
    perMinute: count,
    /** Requests finished per second over the last 60 seconds, oldest first (for the chart). */
    perSecond: z.array(count),
  }),
  cache: z.object({ generation: cacheStatsSchema, context: cacheStatsSchema.nullable() }),
  memory: z.object({ heapUsedBytes: count, rssBytes: count }).nullable(),
  index: z
    .object({
      files: count,
      definitions: count,
      /** Epoch ms of the last index update, null before the first. */
      updatedAt: z.number().nullable(),
      /** Milliseconds since the last update, null before the first. */
      ageMs: ms.nullable(),
      /** Files changed on disk but not yet re-indexed. */
      pendingFiles: count,
    })
    .nullable(),
  /** The latest latencies (ms), oldest first, for the chart. */
  recentLatenciesMs: z.array(ms),
});

export type PerformanceReport = z.infer<typeof performanceReportSchema>;
export type CacheStatsReport = z.infer<typeof cacheStatsSchema>;
