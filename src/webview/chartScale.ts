// Geometry of the Performance tab's line charts. Pure, so it is unit-tested in Node.

export interface ChartGeometry {
  /** SVG polyline `points` ('' when there are no values). */
  points: string;
  /** The newest point, for a marker dot. */
  last: { x: number; y: number } | null;
  /** The value at the top edge (a rounded-up maximum; 1 when every value is 0). */
  max: number;
}

/**
 * Places `values` (oldest first) across a `width`×`height` box: x evenly spaced (a single value sits at
 * the right edge), y = 0 at the top for `max`, `height` at the bottom for 0.
 */
export function chartGeometry(values: readonly number[], width: number, height: number): ChartGeometry {
  const max = niceCeiling(Math.max(0, ...values));
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const xy = values.map((v, i) => ({
    x: round(values.length > 1 ? i * step : width),
    y: round(height - (Math.min(Math.max(v, 0), max) / max) * height),
  }));
  return { points: xy.map((p) => `${p.x},${p.y}`).join(' '), max, last: xy.at(-1) ?? null };
}

/** The smallest 1/2/5×10ⁿ at or above `v` (1 for 0). */
export function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (v <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
