// The performance report: produced by the PerformanceMonitor (src/core/stats), returned by the public
// API's getPerformanceReport() and posted to the results panel's Performance tab. Plain JSON; no Node or
// vscode imports, and zod/mini (like src/shared/protocol.ts) so the webview bundle can validate it cheaply.
import * as z from 'zod/mini';

const count = z.int().check(z.minimum(0));
const ms = z.number().check(z.minimum(0));
const ratio = z.number().check(z.minimum(0), z.maximum(1));

const cacheStatsSchema = z.object({ hits: count, misses: count, hitRate: ratio, size: count });

export const performanceReportSchema = z.object({
  /** Epoch ms when the report was made. */
  generatedAt: z.number(),
  uptimeMs: ms,
  requests: z.object({
    total: count,
    ok: count,
    errors: count,
    cancelled: count,
    /** errors / (ok + errors); cancellations are not errors. */
    errorRate: ratio,
    /** Answered from the generation cache. */
    cached: count,
    errorsByCode: z.record(z.string(), count),
  }),
  /** Over the most recent `samples` successful requests (a fixed-size window); null before the first. */
  latencyMs: z.object({ samples: count, avg: z.nullable(ms), p50: z.nullable(ms), p95: z.nullable(ms) }),
  /** Time to the first piece of an answer, for answers that came from a provider (not the cache). */
  firstTokenMs: z.object({ samples: count, p50: z.nullable(ms), p95: z.nullable(ms) }),
  throughput: z.object({
    /** Requests finished in the last 60 seconds. */
    perMinute: count,
    /** Requests finished per second over the last 60 seconds, oldest first (for the chart). */
    perSecond: z.array(count),
  }),
  cache: z.object({ generation: cacheStatsSchema, context: z.nullable(cacheStatsSchema) }),
  memory: z.nullable(z.object({ heapUsedBytes: count, rssBytes: count })),
  index: z.nullable(
    z.object({
      files: count,
      definitions: count,
      /** Epoch ms of the last index update, null before the first. */
      lastUpdatedAt: z.nullable(z.number()),
      /** Milliseconds since the last update, null before the first. */
      ageMs: z.nullable(ms),
      /** Files changed on disk but not yet re-indexed. */
      pendingFiles: count,
      /**
       * The ranking index, which the engine builds once indexing is done, ahead of the first prompt: 'building',
       * 'ready', or 'onFirstPrompt' (no build ahead: indexing is not done, was cancelled, or the build failed — the
       * first prompt builds it), then 'builtByPrompt' once a prompt has. Optional: a report saved by an older version
       * (a restored panel) has neither field.
       */
      ranking: z.optional(z.enum(['onFirstPrompt', 'building', 'ready', 'builtByPrompt'])),
      /** How long after indexing finished the ranking index was ready; null unless it is 'ready'. */
      rankingReadyMs: z.optional(z.nullable(ms)),
      /**
       * Edits of open documents re-indexed, over the latest ones (up to 256): p50 / p95 milliseconds from the edit
       * reaching the engine's proxy (after the editor's debounce) until the proxy had the engine's answer (the index
       * holding it), and the p95 of the time each elapsed on the engine thread. Absent before the first edit (and in
       * a report saved by an older version).
       */
      editsMs: z.optional(z.object({ samples: count, p50: ms, p95: ms, engineP95: ms })),
    }),
  ),
  /** The latest latencies (ms), oldest first, for the chart. */
  recentLatenciesMs: z.array(ms),
});

export type PerformanceReport = z.infer<typeof performanceReportSchema>;
export type CacheStatsReport = z.infer<typeof cacheStatsSchema>;
