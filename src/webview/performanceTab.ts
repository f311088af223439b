// The Performance tab: the PerformanceMonitor's numbers and two small live line charts (latency p95 and
// throughput) drawn as inline SVG from the sample history.
import type { PerformanceReportView, PerformanceSample } from '../shared/protocol';
import { chartGeometry } from './chartScale';
import { h, replaceChildren, svg } from './dom';
import { formatAge, formatBytes, formatCount, formatMs, formatPercent } from './format';

const CHART_WIDTH = 300;
const CHART_HEIGHT = 60;

export class PerformanceTab {
  readonly element = h('div', { class: 'performance-tab' });
  private renderedReport: PerformanceReportView | null | undefined;
  private renderedHistory: readonly PerformanceSample[] | undefined;

  update(report: PerformanceReportView | null, history: readonly PerformanceSample[]): void {
    if (report === this.renderedReport && history === this.renderedHistory) return;
    this.renderedReport = report;
    this.renderedHistory = history;
    if (!report) return replaceChildren(this.element, h('p', { class: 'empty' }, 'Performance figures appear here once the extension reports them.'));
    const r = report;
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'stats-grid' },
        card('Requests', [stat('requests.total', formatCount(r.requests.total), 'total'), stat('requests.errors', formatCount(r.requests.errors), `errors (${formatPercent(r.requests.errorRate)})`)]),
        card('Latency', [stat('latency.avg', formatMs(r.latencyMs.avg), 'avg'), stat('latency.p50', formatMs(r.latencyMs.p50), 'p50'), stat('latency.p95', formatMs(r.latencyMs.p95), 'p95')]),
        card('First token', [stat('firstToken.p50', formatMs(r.firstTokenMs.p50), 'p50'), stat('firstToken.p95', formatMs(r.firstTokenMs.p95), 'p95')]),
        card('Throughput', [stat('throughput', formatCount(r.throughputPerMin), 'requests / min')]),
        card('Cache hit rate', [
          stat('cache.generation', formatPercent(r.cache.generation.hitRate), `generation (${r.cache.generation.hits}/${r.cache.generation.hits + r.cache.generation.misses})`),
          stat('cache.context', formatPercent(r.cache.context.hitRate), `context (${r.cache.context.hits}/${r.cache.context.hits + r.cache.context.misses})`),
        ]),
        card('Memory', [stat('memory.heap', formatBytes(r.memory.heapUsedBytes), 'heap used'), stat('memory.rss', formatBytes(r.memory.rssBytes), 'RSS')]),
        card('Index', [
          stat('index.files', formatCount(r.index.files), 'files'),
          stat('index.definitions', formatCount(r.index.definitions), 'definitions'),
          stat('index.updated', formatAge(r.index.lastUpdatedAt, r.generatedAt), 'updated'),
        ]),
      ),
      h(
        'div',
        { class: 'charts' },
        chart('Latency p95 (ms)', 'latency', history.map((s) => s.latencyP95Ms)),
        chart('Throughput (requests / min)', 'throughput', history.map((s) => s.throughputPerMin)),
      ),
      h('p', { class: 'updated' }, `Updated ${new Date(r.generatedAt).toLocaleTimeString()}`),
    );
  }
}

function card(title: string, stats: HTMLElement[]): HTMLElement {
  return h('section', { class: 'stat-card' }, h('h3', {}, title), ...stats);
}

function stat(key: string, value: string, label: string): HTMLElement {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-value', attrs: { 'data-stat': key } }, value), h('span', { class: 'stat-label' }, label));
}

function chart(title: string, kind: string, values: (number | null)[]): HTMLElement {
  const g = chartGeometry(values, CHART_WIDTH, CHART_HEIGHT);
  const plot = svg(
    'svg',
    { class: `chart chart-${kind}`, viewBox: `0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `${title}: ${values.length} samples` },
    svg('line', { class: 'chart-axis', x1: '0', y1: String(CHART_HEIGHT), x2: String(CHART_WIDTH), y2: String(CHART_HEIGHT) }),
    ...g.segments.map((points) => svg('polyline', { class: 'chart-line', points })),
  );
  const [x, y] = g.segments.at(-1)?.split(' ').at(-1)?.split(',') ?? [];
  if (x !== undefined && y !== undefined) plot.appendChild(svg('circle', { class: 'chart-dot', cx: x, cy: y, r: '2.5' }));
  const last = [...values].reverse().find((v): v is number => v !== null);
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, h('span', {}, title), h('span', { class: 'chart-scale' }, `now ${last === undefined ? '—' : formatCount(Math.round(last))} · max ${formatCount(g.max)}`)),
    plot,
  );
}
