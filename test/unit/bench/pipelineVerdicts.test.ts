import * as assert from 'node:assert/strict';
import { errorRateVerdict, memoryVerdict } from '../../../bench/pipelineVerdicts';

describe('pipeline benchmark verdicts', () => {
  const mb = 1_048_576;

  it('passes flat memory only when every request was answered', () => {
    assert.equal(memoryVerdict(20 * mb, 21 * mb, { requests: 10_000, failed: 0 }, 'pipeline').pass, true);
    assert.equal(memoryVerdict(20 * mb, 23 * mb, { requests: 10_000, failed: 0 }, 'pipeline').pass, false, '+15 %');
    // Every request failed (the contract server answering HTTP 500): nothing cached, so the heap stays flat — not a PASS.
    const failing = memoryVerdict(18.48 * mb, 18.61 * mb, { requests: 10_000, failed: 10_000 }, 'pipeline');
    assert.equal(failing.pass, false);
    assert.match(failing.detail, /10000 of 10000 requests failed/);
    assert.equal(memoryVerdict(20 * mb, 20 * mb, { requests: 10_000, failed: 1 }, 'pipeline').pass, false, 'one failure is enough');
  });

  it('judges the error rate against < 1 %, and nothing measured as no PASS', () => {
    assert.deepEqual(errorRateVerdict({ requests: 13_600, failed: 0 }), {
      name: 'error rate in normal operation (every request of this benchmark, local server without faults)',
      value: 0,
      unit: '%',
      target: '< 1 %',
      pass: true,
      detail: '0 of 13600 requests failed',
    });
    assert.equal(errorRateVerdict({ requests: 1_000, failed: 9 }).pass, true);
    assert.equal(errorRateVerdict({ requests: 1_000, failed: 10 }).pass, false, 'exactly 1 % is not below it');
    assert.equal(errorRateVerdict({ requests: 100, failed: 100 }).value, 100);
    assert.equal(errorRateVerdict({ requests: 0, failed: 0 }).pass, false);
  });
});
