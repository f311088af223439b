import assert from 'node:assert/strict';
import { RankingReadiness } from '../../../src/core/context/rankingReadiness';

describe('ranking readiness (the performance view of the ranking index)', () => {
  const a = { name: 'engine a' };
  const b = { name: 'engine b' };

  it('goes building → ready in N ms when the build ahead of the first prompt runs, prompts or not', () => {
    const r = new RankingReadiness<object>();
    r.reset(a);
    r.answered(a); // a prompt while indexing runs: the build ahead follows, nothing to say yet
    assert.equal(r.of(a, true), undefined, 'nothing said while indexing runs');
    r.buildingAhead(a);
    assert.equal(r.of(a, false), 'building');
    r.answered(a); // a prompt answered meanwhile: the build ahead still reports when it is done
    assert.equal(r.of(a, false), 'building');
    r.builtAhead(a, 420);
    assert.deepEqual(r.of(a, false), { readyMs: 420 });
    r.answered(a);
    assert.deepEqual(r.of(a, false), { readyMs: 420 });
  });

  it('says a prompt built it when indexing was cancelled, whether the prompt came before or after the cancel', () => {
    const after = new RankingReadiness<object>();
    after.reset(a);
    assert.equal(after.of(a, false), undefined, 'on the first prompt');
    after.answered(a);
    assert.equal(after.of(a, false), 'builtByPrompt');

    const before = new RankingReadiness<object>();
    before.reset(a);
    before.answered(a);
    assert.equal(before.of(a, true), undefined);
    assert.equal(before.of(a, false), 'builtByPrompt');
  });

  it('says a prompt built it when the build ahead failed, whenever the prompt was answered', () => {
    for (const promptAt of ['whileIndexing', 'whileBuildingAhead', 'afterFailure', 'never'] as const) {
      const r = new RankingReadiness<object>();
      r.reset(a);
      if (promptAt === 'whileIndexing') r.answered(a);
      r.buildingAhead(a);
      if (promptAt === 'whileBuildingAhead') r.answered(a);
      r.failedAhead(a);
      if (promptAt === 'afterFailure') r.answered(a);
      assert.equal(r.of(a, false), promptAt === 'never' ? undefined : 'builtByPrompt', promptAt);
    }
  });

  it('ignores news of an engine that is no longer the current one, and starts over with a new engine', () => {
    const r = new RankingReadiness<object>();
    r.reset(a);
    r.buildingAhead(a);
    r.reset(b);
    assert.equal(r.of(a, false), undefined);
    assert.equal(r.of(b, false), undefined);
    r.builtAhead(a, 10);
    r.answered(a);
    assert.equal(r.of(b, false), undefined, "the old engine's news changed nothing");
    r.answered(b);
    assert.equal(r.of(b, false), 'builtByPrompt');
    r.reset(undefined);
    assert.equal(r.of(b, false), undefined);
    assert.equal(r.of(undefined, false), undefined);
  });
});
