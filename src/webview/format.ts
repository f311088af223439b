// Number formatting for the panel. Pure, so it is unit-tested in Node.

const DASH = '—';

/**
 * A duration: "4.3 ms", "250 ms", "1.23 s", "12.5 s", "1.5 min", "2.0 h". Each unit is chosen for the value as it is
 * shown, rounded to that unit's digits: 9.96 ms is "10 ms", 999.6 ms "1.00 s", 9,999 ms "10.0 s", 59,960 ms "1.0 min",
 * 3,598,000 ms "1.0 h" — never past the unit's range ("10.0 ms", "1000 ms", "10.00 s", "60.0 s", "60.0 min"); hours,
 * the last unit, have no bound.
 */
export function formatMs(ms: number | null): string {
  if (ms === null) return DASH;
  if (Number(ms.toFixed(1)) < 10) return `${ms.toFixed(1)} ms`;
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (Number(s.toFixed(2)) < 10) return `${s.toFixed(2)} s`;
  if (Number(s.toFixed(1)) < 60) return `${s.toFixed(1)} s`;
  const min = ms / 60_000;
  if (Number(min.toFixed(1)) < 60) return `${min.toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * 0..1 → "85%": one decimal below 10 % and above 90 %, so neither end is rounded onto the other side of its bound —
 * 0.4 % is not shown as 0 %, 99.6 % not as 100 %; what one decimal cannot hold is "<0.1%" or ">99.9%" (1 error in
 * 3,000 is not "0.0%"). Only 0 and 1 themselves are "0%" and "100%".
 */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct <= 0 || pct >= 100) return `${Math.round(pct)}%`;
  if (pct < 0.1) return '<0.1%';
  if (pct > 99.9) return '>99.9%';
  if (pct < 10 || pct > 90) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** How long ago `then` was, seen from `now` (both epoch ms). */
export function formatAge(then: number | null, now: number): string {
  if (then === null) return 'not yet';
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}
