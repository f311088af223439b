import * as assert from 'node:assert/strict';
import { errorRateVerdict, memoryVerdict, throughputVerdict } from '../../../bench/pipelineVerdicts';

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

  it('passes throughput only when no request failed, warm-up included, and names how many generations ran at once', () => {
    const run = { requests: 2_000, ms: 4_000, failed: 0, warmUp: { requests: 50, failed: 0 }, batchSize: 5, connections: 10 };
    const ok = throughputVerdict(run);
    assert.equal(ok.value, 30_000);
    assert.equal(ok.pass, true);
    assert.match(ok.name, /at most 5 generations at once/);
    assert.doesNotMatch(ok.name, /10 connections/, 'batches of 5 go out one at a time: at most 5 of the 10 connections are in use');
    const warmFailed = throughputVerdict({ ...run, warmUp: { requests: 50, failed: 3 } });
    assert.equal(warmFailed.pass, false, 'failures during the warm-up count too');
    assert.match(warmFailed.detail, /warm-up 3 of 50 failed/);
    assert.equal(throughputVerdict({ ...run, failed: 1 }).pass, false);
    assert.equal(throughputVerdict({ ...run, ms: 200_000 }).pass, false, '600 requests/min');
    assert.match(throughputVerdict({ ...run, batchSize: 20 }).name, /at most 10 generations at once/, 'never more than the connections');
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
