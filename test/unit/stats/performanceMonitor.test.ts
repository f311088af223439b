import assert from 'node:assert/strict';
import type { RequestSample } from '../../../src/core/generation/generationPipeline';
import type { DocumentUpdateStats } from '../../../src/core/context/contextHost';
import type { RankingState } from '../../../src/core/context/rankingReadiness';
import { percentile } from '../../../src/core/stats/numberRing';
import { PerformanceMonitor } from '../../../src/core/stats/performanceMonitor';
import { performanceReportSchema } from '../../../src/shared/performanceReport';
import { FakeClock } from '../fakes/fakeClock';

const ok = (totalMs: number, firstTokenMs?: number): RequestSample => ({ provider: 'openai', outcome: 'ok', cached: false, totalMs, ...(firstTokenMs !== undefined ? { firstTokenMs } : {}) });

function monitor(clock = new FakeClock(), windowSize?: number) {
  return new PerformanceMonitor({
    clock,
    generationCacheStats: () => ({ hits: 8, misses: 2, hitRate: 0.8, size: 2 }),
    contextCacheStats: () => ({ hits: 1, misses: 3, hitRate: 0.25, size: 3 }),
    memory: () => ({ heapUsed: 1_000_000.4, rss: 5_000_000 }),
    index: () => ({ files: 120, definitions: 900, updatedAt: clock.now() - 5_000, pendingFiles: 2 }),
    ...(windowSize !== undefined ? { windowSize } : {}),
  });
}

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 50), 50);
    assert.equal(percentile(xs, 95), 95);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 50), undefined);
  });
});

describe('PerformanceMonitor', () => {
  it('reports counts, error rate, latency and first-token percentiles', () => {
    const m = monitor();
    for (let i = 1; i <= 20; i++) m.recordRequest(ok(i * 10, i));
    m.recordRequest({ provider: 'openai', outcome: 'error', errorCode: 'rate_limit', cached: false, totalMs: 5 });
    m.recordRequest({ provider: 'openai', outcome: 'error', errorCode: 'rate_limit', cached: false, totalMs: 5 });
    m.recordRequest({ provider: 'codegen', outcome: 'cancelled', cached: false, totalMs: 5 });
    m.recordRequest({ provider: 'openai', outcome: 'ok', cached: true, totalMs: 1 });
    const r = m.getPerformanceReport();
    assert.deepEqual(r.requests, { total: 24, ok: 21, errors: 2, cancelled: 1, errorRate: 2 / 23, cached: 1, errorsByCode: { rate_limit: 2 } });
    assert.equal(r.latencyMs.samples, 21);
    assert.equal(r.latencyMs.p50, 100);
    assert.equal(r.latencyMs.p95, 190);
    assert.equal(r.latencyMs.avg, (2100 + 1) / 21);
    assert.deepEqual(r.firstTokenMs, { samples: 20, p50: 10, p95: 19 });
    assert.doesNotThrow(() => performanceReportSchema.parse(r));
  });

  it('includes cache hit rates, memory and index freshness from its getters', () => {
    const r = monitor().getPerformanceReport();
    assert.deepEqual(r.cache, { generation: { hits: 8, misses: 2, hitRate: 0.8, size: 2 }, context: { hits: 1, misses: 3, hitRate: 0.25, size: 3 } });
    assert.deepEqual(r.memory, { heapUsedBytes: 1_000_000, rssBytes: 5_000_000 });
    assert.equal(r.index?.ageMs, 5_000);
    assert.equal(r.index?.pendingFiles, 2);
    assert.equal(r.index?.ranking, 'onFirstPrompt', 'no build ahead of the first prompt reported');
    assert.equal(r.index?.rankingReadyMs, null);
  });

  it('reports the ranking index building, then ready and when, as the index says', () => {
    const clock = new FakeClock();
    let ranking: RankingState = 'building';
    const m = new PerformanceMonitor({
      clock,
      generationCacheStats: () => ({ hits: 0, misses: 0, hitRate: 0, size: 0 }),
      index: () => ({ files: 3, definitions: 9, updatedAt: clock.now(), pendingFiles: 0, ranking }),
    });
    const building = m.getPerformanceReport();
    assert.equal(building.index?.ranking, 'building');
    assert.equal(building.index?.rankingReadyMs, null);
    ranking = { readyMs: 37 };
    const ready = m.getPerformanceReport();
    assert.equal(ready.index?.ranking, 'ready');
    assert.equal(ready.index?.rankingReadyMs, 37);
    assert.doesNotThrow(() => performanceReportSchema.parse(ready));
    ranking = 'builtByPrompt';
    const byPrompt = m.getPerformanceReport();
    assert.equal(byPrompt.index?.ranking, 'builtByPrompt');
    assert.equal(byPrompt.index?.rankingReadyMs, null);
    assert.doesNotThrow(() => performanceReportSchema.parse(byPrompt));
  });

  it('reports the edits re-indexed once the index has timed any, as the index says', () => {
    const clock = new FakeClock();
    const timed: { edits?: DocumentUpdateStats } = {};
    const m = new PerformanceMonitor({
      clock,
      generationCacheStats: () => ({ hits: 0, misses: 0, hitRate: 0, size: 0 }),
      index: () => ({ files: 3, definitions: 9, pendingFiles: 0, ...timed }),
    });
    assert.equal(m.getPerformanceReport().index?.editsMs, undefined, 'no edit yet: no figures');
    timed.edits = { samples: 12, p50: 0.6, p95: 2.1, engineP95: 1.1 };
    const r = m.getPerformanceReport();
    assert.deepEqual(r.index?.editsMs, { samples: 12, p50: 0.6, p95: 2.1, engineP95: 1.1 });
    assert.doesNotThrow(() => performanceReportSchema.parse(r));
  });

  it('counts throughput over a sliding 60-second window on the clock', async () => {
    const clock = new FakeClock(1_000_000);
    const m = monitor(clock);
    for (let i = 0; i < 30; i++) m.recordRequest(ok(1));
    await clock.advance(30_000);
    for (let i = 0; i < 10; i++) m.recordRequest(ok(1));
    let r = m.getPerformanceReport();
    assert.equal(r.throughput.perMinute, 40);
    assert.equal(r.throughput.perSecond.length, 60);
    assert.equal(r.throughput.perSecond[59], 10);
    assert.equal(r.throughput.perSecond[29], 30);
    await clock.advance(30_000);
    r = m.getPerformanceReport();
    assert.equal(r.throughput.perMinute, 10, 'the first 30 left the window');
    await clock.advance(60_000);
    assert.equal(m.getPerformanceReport().throughput.perMinute, 0);
    assert.equal(m.getPerformanceReport().requests.total, 40);
  });

  it('keeps fixed-size windows: 10,000 requests hold no more samples than 1,000', () => {
    const m = monitor(new FakeClock(), 1000);
    for (let i = 0; i < 1000; i++) m.recordRequest(ok(1000));
    const after1k = m.getPerformanceReport();
    for (let i = 0; i < 9000; i++) m.recordRequest(ok(i < 8000 ? 1000 : 5));
    const after10k = m.getPerformanceReport();
    assert.equal(after1k.latencyMs.samples, 1000);
    assert.equal(after10k.latencyMs.samples, 1000);
    assert.equal(after10k.latencyMs.p50, 5, 'percentiles cover the latest requests only');
    assert.equal(after10k.recentLatenciesMs.length, 50);
    assert.equal(after10k.requests.total, 10_000);
  });

  it('reports zeros and nulls before any request or getter data', () => {
    const m = new PerformanceMonitor({ clock: new FakeClock(), generationCacheStats: () => ({ hits: 0, misses: 0, hitRate: 0, size: 0 }) });
    const r = m.getPerformanceReport();
    assert.equal(r.requests.errorRate, 0);
    assert.deepEqual(r.latencyMs, { samples: 0, avg: null, p50: null, p95: null });
    assert.deepEqual(r.firstTokenMs, { samples: 0, p50: null, p95: null });
    assert.equal(r.cache.context, null);
    assert.equal(r.memory, null);
    assert.equal(r.index, null);
    assert.doesNotThrow(() => performanceReportSchema.parse(r));
  });
});
