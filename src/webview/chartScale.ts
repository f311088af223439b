// Geometry of the Performance tab's line charts. Pure, so it is unit-tested in Node.

export interface ChartGeometry {
  /** SVG polyline `points` strings; a null value breaks the line into separate segments. */
  segments: string[];
  /** The value at the top edge (a rounded-up maximum; 1 when every value is 0 or null). */
  max: number;
}

/**
 * Places `values` (oldest first) across a `width`×`height` box: x evenly spaced (a single value sits at
 * the right edge), y = 0 at the top for `max`, `height` at the bottom for 0.
 */
export function chartGeometry(values: readonly (number | null)[], width: number, height: number): ChartGeometry {
  const max = niceCeiling(Math.max(0, ...values.filter((v): v is number => v !== null)));
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
      return;
    }
    const x = values.length > 1 ? i * step : width;
    const y = height - (Math.min(v, max) / max) * height;
    current.push(`${round(x)},${round(y)}`);
  });
  if (current.length > 0) segments.push(current.join(' '));
  return { segments, max };
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
