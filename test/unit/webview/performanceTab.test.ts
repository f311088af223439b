import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { PerformanceReport } from '../../../src/shared/performanceReport';
import { PerformanceTab } from '../../../src/webview/performanceTab';
import { aReport } from '../shared/protocolFixtures';

// The tab builds its elements with the page's `document`: here a jsdom one, set while these tests run.
describe('performance tab', () => {
  const globals = globalThis as { document?: unknown };
  const before_ = globals.document;

  before(() => {
    globals.document = new JSDOM('<!DOCTYPE html><body></body>').window.document;
  });
  after(() => {
    if (before_ === undefined) delete globals.document;
    else globals.document = before_;
  });

  const statOf = (tab: PerformanceTab, key: string): { value: string; label: string } | undefined => {
    const value = tab.element.querySelector(`[data-stat="${key}"]`);
    if (!value) return undefined;
    return { value: value.textContent ?? '', label: value.nextElementSibling?.textContent ?? '' };
  };

  it('shows the p95 to re-index an edit, with the p50, the p95 on the engine thread and how many edits', () => {
    const tab = new PerformanceTab();
    tab.update(aReport());
    assert.deepEqual(statOf(tab, 'index.edits'), { value: '2.4 ms', label: 'p95 to re-index an edit (p50 0.7 ms; p95 on the engine thread 1.2 ms; 40 edits)' });
    assert.equal(statOf(tab, 'index.ranking')?.value, 'ready in 420 ms');
  });

  it('says the first prompt built the ranking index when no build ran ahead of it', () => {
    const tab = new PerformanceTab();
    const report = aReport();
    assert.ok(report.index);
    tab.update({ ...report, index: { ...report.index, ranking: 'onFirstPrompt', rankingReadyMs: null } });
    assert.equal(statOf(tab, 'index.ranking')?.value, 'on the first prompt');
    tab.update({ ...report, index: { ...report.index, ranking: 'builtByPrompt', rankingReadyMs: null } });
    assert.equal(statOf(tab, 'index.ranking')?.value, 'built by the first prompt');
  });

  it('shows no hit rate for a cache no lookup reached, and says so for a cache not in use', () => {
    const tab = new PerformanceTab();
    const none = { hits: 0, misses: 0, hitRate: 0, size: 0 };
    tab.update({ ...aReport(), cache: { generation: none, context: null } });
    assert.deepEqual(statOf(tab, 'cache.generation'), { value: '—', label: 'generation (no lookups)' });
    assert.deepEqual(statOf(tab, 'cache.context'), { value: '—', label: 'context (not in use)' });
    tab.update({ ...aReport(), cache: { generation: { hits: 0, misses: 3, hitRate: 0, size: 3 }, context: { hits: 9, misses: 1, hitRate: 0.9, size: 4 } } });
    assert.deepEqual(statOf(tab, 'cache.generation'), { value: '0%', label: 'generation (0/3)' });
    assert.deepEqual(statOf(tab, 'cache.context'), { value: '90%', label: 'context (9/10)' });
  });

    it('shows no edit figure before any edit, nor for a report saved by an older version', () => {
    const tab = new PerformanceTab();
    const report = aReport();
    assert.ok(report.index);
    const { editsMs: _editsMs, ...index }: NonNullable<PerformanceReport['index']> = report.index;
    tab.update({ ...report, index });
    assert.equal(statOf(tab, 'index.edits'), undefined);
    assert.equal(statOf(tab, 'index.files')?.value, '120');
  });
});
