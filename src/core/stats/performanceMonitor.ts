// Counts requests and keeps latency statistics in fixed-size structures (ring buffers and a 60-slot
// per-second window), so memory stays flat however many requests go through. Everything else in the
// report (cache stats, memory, index) is read through getters when a report is made.
import type { DocumentUpdateStats } from '../context/contextHost';
import type { ContextCacheStats } from '../context/model';
import type { RankingState } from '../context/rankingReadiness';
import type { RequestRecorder, RequestSample } from '../generation/generationPipeline';
import type { GenerationCacheStats } from '../generation/generationCache';
import type { Clock } from '../ports';
import type { PerformanceReport } from '../../shared/performanceReport';
import { NumberRing, percentile } from './numberRing';

export interface MemorySample {
  readonly heapUsed: number;
  readonly rss: number;
}

export interface IndexStats {
  readonly files: number;
  readonly definitions: number;
  /** Epoch ms of the last completed index update. */
  readonly updatedAt?: number;
  readonly pendingFiles: number;
  /**
   * The ranking index: being built ahead of the first prompt, built ahead (how long after indexing finished it was
   * ready), or built by a prompt when no build ahead ran (indexing cancelled, the build ahead failed); absent until one
   * of these.
   */
  readonly ranking?: RankingState;
  /** The latest edits of open documents the index took (see ContextHost.documentUpdateStats); absent before the first. */
  readonly edits?: DocumentUpdateStats;
}

export interface PerformanceMonitorDeps {
  readonly clock: Clock;
  readonly generationCacheStats: () => GenerationCacheStats;
  readonly contextCacheStats?: () => ContextCacheStats | undefined;
  readonly memory?: () => MemorySample;
  readonly index?: () => IndexStats | undefined;
  /** How many recent requests the latency percentiles cover (default 1024). */
  readonly windowSize?: number;
}

const THROUGHPUT_SECONDS = 60;
const RECENT_FOR_CHART = 50;

export class PerformanceMonitor implements RequestRecorder {
  private readonly startedAt: number;
  private total = 0;
  private ok = 0;
  private errors = 0;
  private cancelled = 0;
  private cachedCount = 0;
  private readonly errorsByCode = new Map<string, number>();
  private readonly latencies: NumberRing;
  private readonly firstTokens: NumberRing;
  /** Per-second counts; slot i holds the count for second `secondOf[i]`. */
  private readonly perSecond = new Uint32Array(THROUGHPUT_SECONDS);
  private readonly secondOf = new Float64Array(THROUGHPUT_SECONDS).fill(-1);

  constructor(private readonly deps: PerformanceMonitorDeps) {
    this.startedAt = deps.clock.now();
    const size = deps.windowSize ?? 1024;
    this.latencies = new NumberRing(size);
    this.firstTokens = new NumberRing(size);
  }

  recordRequest(sample: RequestSample): void {
    this.total += 1;
    if (sample.outcome === 'ok') this.ok += 1;
    else if (sample.outcome === 'cancelled') this.cancelled += 1;
    else {
      this.errors += 1;
      const code = sample.errorCode ?? 'unknown';
      this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
    }
    if (sample.cached) this.cachedCount += 1;
    if (sample.outcome === 'ok') {
      this.latencies.push(Math.max(0, sample.totalMs));
      if (sample.firstTokenMs !== undefined) this.firstTokens.push(Math.max(0, sample.firstTokenMs));
    }
    const second = Math.floor(this.deps.clock.now() / 1000);
    const slot = second % THROUGHPUT_SECONDS;
    if (this.secondOf[slot] !== second) {
      this.secondOf[slot] = second;
      this.perSecond[slot] = 0;
    }
    this.perSecond[slot] = (this.perSecond[slot] ?? 0) + 1;
  }

  getPerformanceReport(): PerformanceReport {
    const now = this.deps.clock.now();
    const latencies = this.latencies.latest();
    const sortedLatencies = [...latencies].sort((a, b) => a - b);
    const sortedFirst = this.firstTokens.sorted();
    const perSecond = this.throughputSeries(now);
    const finished = this.ok + this.errors;
    const mem = this.deps.memory?.();
    const index = this.deps.index?.();
    const ctx = this.deps.contextCacheStats?.();
    return {
      generatedAt: now,
      uptimeMs: Math.max(0, now - this.startedAt),
      requests: {
        total: this.total,
        ok: this.ok,
        errors: this.errors,
        cancelled: this.cancelled,
        errorRate: finished === 0 ? 0 : this.errors / finished,
        cached: this.cachedCount,
        errorsByCode: Object.fromEntries(this.errorsByCode),
      },
      latencyMs: {
        samples: latencies.length,
        avg: latencies.length === 0 ? null : latencies.reduce((a, b) => a + b, 0) / latencies.length,
        p50: percentile(sortedLatencies, 50) ?? null,
        p95: percentile(sortedLatencies, 95) ?? null,
      },
      firstTokenMs: { samples: sortedFirst.length, p50: percentile(sortedFirst, 50) ?? null, p95: percentile(sortedFirst, 95) ?? null },
      throughput: { perMinute: perSecond.reduce((a, b) => a + b, 0), perSecond },
      cache: {
        generation: cacheReport(this.deps.generationCacheStats()),
        context: ctx ? cacheReport(ctx) : null,
      },
      memory: mem ? { heapUsedBytes: Math.round(mem.heapUsed), rssBytes: Math.round(mem.rss) } : null,
      index: index
        ? {
            files: index.files,
            definitions: index.definitions,
            lastUpdatedAt: index.updatedAt ?? null,
            ageMs: index.updatedAt === undefined ? null : Math.max(0, now - index.updatedAt),
            pendingFiles: index.pendingFiles,
            ranking: index.ranking === undefined ? 'onFirstPrompt' : typeof index.ranking === 'object' ? 'ready' : index.ranking,
            rankingReadyMs: typeof index.ranking === 'object' ? index.ranking.readyMs : null,
            ...(index.edits ? { editsMs: index.edits } : {}),
          }
        : null,
      recentLatenciesMs: this.latencies.latest(RECENT_FOR_CHART),
    };
  }

  /** Counts for the last 60 whole seconds including the current one, oldest first. */
  private throughputSeries(now: number): number[] {
    const current = Math.floor(now / 1000);
    const out: number[] = [];
    for (let s = current - THROUGHPUT_SECONDS + 1; s <= current; s++) {
      const slot = ((s % THROUGHPUT_SECONDS) + THROUGHPUT_SECONDS) % THROUGHPUT_SECONDS;
      out.push(this.secondOf[slot] === s ? (this.perSecond[slot] ?? 0) : 0);
    }
    return out;
  }
}

function cacheReport(s: { hits: number; misses: number; hitRate: number; size: number }): PerformanceReport['cache']['generation'] {
  return { hits: s.hits, misses: s.misses, hitRate: s.hitRate, size: s.size };
}
