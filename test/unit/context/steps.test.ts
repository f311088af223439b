import assert from 'node:assert/strict';
import { ExclusiveSteps, runToEnd, StepBudget } from '../../../src/core/context/steps';

describe('work in steps', () => {
  it('StepBudget says a step is done once its worth is spent, then starts the next', () => {
    const budget = new StepBudget(10);
    assert.deepEqual([4, 5, 1, 9, 30, 0, 10].map((w) => budget.spend(w)), [false, false, true, false, true, false, true]);
  });

  it('ExclusiveSteps refuses other changes and a second run while steps are under way, and frees after a throw', () => {
    const guard = new ExclusiveSteps('Thing', 'rebuild');
    function* work(fail: boolean): Generator<void, number, void> {
      yield;
      if (fail) throw new Error('broke');
      return 7;
    }
    const steps = guard.run(work(false));
    steps.next();
    assert.throws(() => guard.assertIdle('a change'), /^Error: Thing: a change while a rebuild in steps is under way$/);
    assert.throws(() => runToEnd(guard.run(work(false))), /a rebuild begun while a rebuild in steps is under way/);
    assert.equal(runToEnd(steps), 7);
    guard.assertIdle('a change');
    assert.throws(() => runToEnd(guard.run(work(true))), /broke/);
    guard.assertIdle('a change after a failed run');
  });
});
