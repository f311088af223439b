import assert from 'node:assert/strict';
import { chartGeometry, niceCeiling } from '../../../src/webview/chartScale';
import { formatAge, formatBytes, formatMs, formatPercent } from '../../../src/webview/format';

describe('performance tab formatting', () => {
  it('formats durations, ratios, sizes and ages', () => {
    assert.equal(formatMs(null), '—');
    assert.equal(formatMs(4.25), '4.3 ms');
    assert.equal(formatMs(250), '250 ms');
    assert.equal(formatMs(1234), '1.23 s');
    assert.equal(formatMs(90_000), '1.5 min');
    assert.equal(formatPercent(0.856), '86%');
    assert.equal(formatPercent(0.004), '0.4%');
    assert.equal(formatPercent(0), '0%');
    assert.equal(formatPercent(1), '100%');
  });

  it('rounds a duration before choosing its unit: never "10.0 ms", "1000 ms", "10.00 s" or "60.0 s"', () => {
    assert.equal(formatMs(9.94), '9.9 ms');
    assert.equal(formatMs(9.96), '10 ms');
    assert.equal(formatMs(999.4), '999 ms');
    assert.equal(formatMs(999.6), '1.00 s');
    assert.equal(formatMs(9_994), '9.99 s');
    assert.equal(formatMs(9_999), '10.0 s');
    assert.equal(formatMs(59_940), '59.9 s');
    assert.equal(formatMs(59_960), '1.0 min');
    assert.equal(formatMs(3_594_000), '59.9 min');
    assert.equal(formatMs(3_598_000), '1.0 h');
    assert.equal(formatMs(3_600_000), '1.0 h');
    assert.equal(formatMs(5_400_000), '1.5 h');
    assert.equal(formatMs(0), '0.0 ms');
  });

  it('never rounds a ratio onto 0 % or 100 % when it is neither', () => {
    assert.equal(formatPercent(1 / 3000), '<0.1%', '1 error in 3,000');
    assert.equal(formatPercent(0.0004), '<0.1%');
    assert.equal(formatPercent(0.001), '0.1%');
    assert.equal(formatPercent(0.996), '99.6%');
    assert.equal(formatPercent(2990 / 3000), '99.7%');
    assert.equal(formatPercent(0.9996), '>99.9%');
    assert.equal(formatPercent(0.9999), '>99.9%');
    assert.equal(formatPercent(0.92), '92.0%');
    assert.equal(formatPercent(0.5), '50%');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(50 * 1024 * 1024), '50.0 MB');
    assert.equal(formatAge(null, 1000), 'not yet');
    assert.equal(formatAge(0, 12_000), '12 s ago');
    assert.equal(formatAge(0, 7_200_000), '2 h ago');
  });
});

describe('performance chart geometry', () => {
  it('spreads values across the width with the maximum rounded up to a nice number', () => {
    const g = chartGeometry([0, 40, 80], 100, 50);
    assert.equal(g.max, 100);
    assert.equal(g.points, '0,50 50,30 100,10');
    assert.deepEqual(g.last, { x: 100, y: 10 });
  });

  it('puts a single value at the right edge and draws nothing for no values', () => {
    assert.equal(chartGeometry([5], 30, 10).points, '30,0');
    assert.deepEqual(chartGeometry([], 30, 10), { points: '', max: 1, last: null });
    assert.equal(chartGeometry([0, 0], 30, 10).points, '0,10 30,10');
  });

  it('rounds maxima up to 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual([0, 0.3, 1, 1.1, 3, 7, 120, 5000].map(niceCeiling), [1, 0.5, 1, 2, 5, 10, 200, 5000]);
  });
});
