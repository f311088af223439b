import assert from 'node:assert/strict';
import { isReplacedEngineCancellation } from '../../../src/core/context/replacedEngine';
import { CancellationError, NetworkError } from '../../../src/core/errors';

describe('isReplacedEngineCancellation (whether an index update\'s failure is worth a warning)', () => {
  const old = { name: 'old engine' };
  const current = { name: 'new engine' };
  const disposed = new CancellationError('The context engine was disposed');

  it('an engine replaced by a restart, or closed, that cancelled the update: no news', () => {
    assert.equal(isReplacedEngineCancellation(disposed, old, current), true);
    assert.equal(isReplacedEngineCancellation(disposed, old, undefined), true, 'closed (no engine now)');
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    assert.equal(isReplacedEngineCancellation(abort, old, current), true, 'an AbortError counts as a cancellation');
  });

  it('a cancellation of the engine still in use, or any other failure, is worth a warning', () => {
    assert.equal(isReplacedEngineCancellation(disposed, current, current), false);
    assert.equal(isReplacedEngineCancellation(new Error('ENOENT: no such file'), old, current), false);
    assert.equal(isReplacedEngineCancellation(new NetworkError('x'), old, undefined), false);
  });
});
