import assert from 'node:assert/strict';
import { formatAge } from '../../../src/core/tasks/formatAge';

describe('formatAge (task list ages)', () => {
  it('says "just now" under 5 s, then seconds under a minute, minutes under an hour, hours under 48 h, then days', () => {
    const s = 1_000;
    const m = 60 * s;
    const h = 60 * m;
    const cases: [number, string][] = [
      [-5 * s, 'just now'],
      [0, 'just now'],
      [5 * s - 1, 'just now'],
      [5 * s, '5s ago'],
      [m - 1, '59s ago'],
      [m, '1m ago'],
      [h - 1, '59m ago'],
      [h, '1h ago'],
      [24 * h, '24h ago'],
      [48 * h - 1, '47h ago'],
      [48 * h, '2d ago'],
      [71 * h, '2d ago'],
      [72 * h, '3d ago'],
    ];
    assert.deepEqual(
      cases.map(([ms]) => [ms, formatAge(ms)]),
      cases,
    );
  });
});
