import assert from 'node:assert/strict';
import { RankingReadiness } from '../../../src/core/context/rankingReadiness';

describe('ranking readiness (the performance view of the ranking index)', () => {
  const a = { name: 'engine a' };
  const b = { name: 'engine b' };

  it('goes building → ready in N ms when the build ahead of the first prompt runs', () => {
    const r = new RankingReadiness<object>();
    r.reset(a);
    assert.equal(r.of(a), undefined, 'nothing built before indexing finished');
    r.buildingAhead(a);
    assert.equal(r.of(a), 'building');
    r.answered(a); // a prompt answered meanwhile: the build ahead still reports when it is done
    assert.equal(r.of(a), 'building');
    r.builtAhead(a, 420);
    assert.deepEqual(r.of(a), { readyMs: 420 });
    r.answered(a);
    assert.deepEqual(r.of(a), { readyMs: 420 });
  });

  it('says a prompt built it when no build ahead ran (indexing cancelled) or the build ahead failed', () => {
    const cancelled = new RankingReadiness<object>();
    cancelled.reset(a);
    cancelled.answered(a);
    assert.equal(cancelled.of(a), 'builtByPrompt');

    const failed = new RankingReadiness<object>();
    failed.reset(a);
    failed.buildingAhead(a);
    failed.failedAhead(a);
    assert.equal(failed.of(a), undefined, 'on the first prompt');
    failed.answered(a);
    assert.equal(failed.of(a), 'builtByPrompt');
    failed.failedAhead(a);
    assert.equal(failed.of(a), 'builtByPrompt', 'a late failure does not undo what a prompt built');
  });

  it('ignores news of an engine that is no longer the current one, and starts over with a new engine', () => {
    const r = new RankingReadiness<object>();
    r.reset(a);
    r.buildingAhead(a);
    r.reset(b);
    assert.equal(r.of(a), undefined);
    assert.equal(r.of(b), undefined);
    r.builtAhead(a, 10);
    r.answered(a);
    assert.equal(r.of(b), undefined, "the old engine's news changed nothing");
    r.answered(b);
    assert.equal(r.of(b), 'builtByPrompt');
    r.reset(undefined);
    assert.equal(r.of(b), undefined);
    assert.equal(r.of(undefined), undefined);
  });
});
