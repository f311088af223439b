import assert from 'node:assert/strict';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import { runStateOf } from '../../../src/core/api/codegenSchemas';
import { stopOutcome } from '../../../src/core/tasks/stopOutcome';

function run(id: number, status: string): AgentRun {
  return { id, organizationId: 1, status, state: runStateOf(status), pullRequests: [] };
}

describe('stopOutcome (what Stop Task says)', () => {
  it('a run the server left running is not reported as stopped, and stays followed', () => {
    for (const status of ['AWAITING_REVIEW', 'RUNNING', '']) {
      const o = stopOutcome(104, run(104, status));
      assert.equal(o.ended, false, status);
      assert.match(o.message, /did not stop run #104/);
      assert.doesNotMatch(o.message, /stopped\./);
    }
    assert.match(stopOutcome(104, run(104, 'AWAITING_REVIEW')).message, /status: awaiting review/);
    assert.match(stopOutcome(104, run(104, '')).message, /status: unknown/);
  });

  it('a stopped run, and one that had ended before the stop', () => {
    assert.deepEqual(stopOutcome(7, run(7, 'STOPPED')), { ended: true, message: 'Contexten: run #7 stopped.', brief: 'it stopped' });
    assert.deepEqual(stopOutcome(7, run(7, 'COMPLETE')), { ended: true, message: 'Contexten: run #7 had already ended (complete).', brief: 'it had already ended: complete' });
  });
});
