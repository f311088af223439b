// The Performance tab: the PerformanceMonitor's numbers and two small live line charts drawn as inline
// SVG from the series the report carries (latest request latencies; requests per second over the last
// minute). Sections the monitor cannot fill (no index yet, no memory figures) say so.
import type { PerformanceReport } from '../shared/performanceReport';
import { chartGeometry } from './chartScale';
import { h, replaceChildren, svg } from './dom';
import { formatAge, formatBytes, formatCount, formatMs, formatPercent } from './format';

const CHART_WIDTH = 300;
const CHART_HEIGHT = 60;

type CacheStats = PerformanceReport['cache']['generation'];

export class PerformanceTab {
  readonly element = h('div', { class: 'performance-tab' });
  private rendered: PerformanceReport | null | undefined;

  update(report: PerformanceReport | null): void {
    if (report === this.rendered) return;
    this.rendered = report;
    if (!report) return replaceChildren(this.element, h('p', { class: 'empty' }, 'Performance figures appear here once the extension reports them.'));
    const r = report;
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'stats-grid' },
        card('Requests', [
          stat('requests.total', formatCount(r.requests.total), 'total'),
          stat('requests.errors', formatCount(r.requests.errors), `errors (${formatPercent(r.requests.errorRate)})`),
          stat('requests.cancelled', formatCount(r.requests.cancelled), 'cancelled'),
        ]),
        card('Latency', [stat('latency.avg', formatMs(r.latencyMs.avg), 'avg'), stat('latency.p50', formatMs(r.latencyMs.p50), 'p50'), stat('latency.p95', formatMs(r.latencyMs.p95), 'p95')]),
        card('First token', [stat('firstToken.p50', formatMs(r.firstTokenMs.p50), 'p50'), stat('firstToken.p95', formatMs(r.firstTokenMs.p95), 'p95')]),
        card('Throughput', [stat('throughput', formatCount(r.throughput.perMinute), 'requests / min')]),
        card('Cache hit rate', [cacheStat('cache.generation', 'generation', r.cache.generation), cacheStat('cache.context', 'context', r.cache.context)]),
        card(
          'Memory',
          r.memory ? [stat('memory.heap', formatBytes(r.memory.heapUsedBytes), 'heap used'), stat('memory.rss', formatBytes(r.memory.rssBytes), 'RSS')] : [note('Not measured.')],
        ),
        card(
          'Index',
          r.index
            ? [
                stat('index.files', formatCount(r.index.files), 'files'),
                stat('index.definitions', formatCount(r.index.definitions), 'definitions'),
                stat('index.updated', formatAge(r.index.lastUpdatedAt, r.generatedAt), 'updated'),
                stat('index.ranking', rankingState(r.index.ranking, r.index.rankingReadyMs), 'ranking index'),
                r.index.pendingFiles > 0 && stat('index.pending', formatCount(r.index.pendingFiles), 'files pending'),
                r.index.editsMs !== undefined &&
                  stat(
                    'index.edits',
                    formatMs(r.index.editsMs.p95),
                    `p95 to re-index an edit (p50 ${formatMs(r.index.editsMs.p50)}; p95 on the engine thread ${formatMs(r.index.editsMs.engineP95)}; ${formatCount(r.index.editsMs.samples)} edits)`,
                  ),
              ]
            : [note('The workspace is not indexed yet.')],
        ),
      ),
      h(
        'div',
        { class: 'charts' },
        chart('Latency of recent requests (ms)', 'latency', r.recentLatenciesMs),
        chart('Requests per second (last minute)', 'throughput', r.throughput.perSecond),
      ),
      h('p', { class: 'updated' }, `Updated ${new Date(r.generatedAt).toLocaleTimeString()}`),
    );
  }
}

function card(title: string, stats: (HTMLElement | false)[]): HTMLElement {
  return h('section', { class: 'stat-card' }, h('h3', {}, title), ...stats);
}

/** The ranking index's state (PerformanceReport index.ranking); a report from an older version has none. */
function rankingState(state: NonNullable<PerformanceReport['index']>['ranking'], readyMs: number | null | undefined): string {
  if (state === 'ready' && readyMs !== undefined && readyMs !== null) return `ready in ${formatMs(readyMs)}`;
  if (state === 'building') return 'building…';
  if (state === 'onFirstPrompt') return 'on the first prompt';
  if (state === 'builtByPrompt') return 'built by the first prompt';
  return '—';
}

function stat(key: string, value: string, label: string): HTMLElement {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-value', attrs: { 'data-stat': key } }, value), h('span', { class: 'stat-label' }, label));
}

/** A cache's hit rate; a cache not in use, or one no lookup reached yet (or turned off), has none — not 0 %. */
function cacheStat(key: string, label: string, stats: CacheStats | null): HTMLElement {
  if (!stats) return stat(key, '—', `${label} (not in use)`);
  const lookups = stats.hits + stats.misses;
  if (lookups === 0) return stat(key, '—', `${label} (no lookups)`);
  return stat(key, formatPercent(stats.hitRate), `${label} (${stats.hits}/${lookups})`);
}

function note(text: string): HTMLElement {
  return h('p', { class: 'stat-note' }, text);
}

function chart(title: string, kind: string, values: readonly number[]): HTMLElement {
  const g = chartGeometry(values, CHART_WIDTH, CHART_HEIGHT);
  const plot = svg(
    'svg',
    { class: `chart chart-${kind}`, viewBox: `0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `${title}: ${values.length} points` },
    svg('line', { class: 'chart-axis', x1: '0', y1: String(CHART_HEIGHT), x2: String(CHART_WIDTH), y2: String(CHART_HEIGHT) }),
    svg('polyline', { class: 'chart-line', points: g.points }),
  );
  if (g.last) plot.appendChild(svg('circle', { class: 'chart-dot', cx: String(g.last.x), cy: String(g.last.y), r: '2.5' }));
  const last = values.at(-1);
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, h('span', {}, title), h('span', { class: 'chart-scale' }, `now ${last === undefined ? '—' : formatCount(Math.round(last))} · max ${formatCount(g.max)}`)),
    plot,
  );
}
