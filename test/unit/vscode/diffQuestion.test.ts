import assert from 'node:assert/strict';
import { afterDiffQuestion, lateDiffAnswer } from '../../../src/vscode/diffQuestion';

describe("Show Diff's Apply/Discard question (diffQuestion)", () => {
  it('applies only on Apply clicked while the diff is open, and closes the diff at any answer', () => {
    assert.deepEqual(afterDiffQuestion({ pick: 'Apply' }), { apply: true, closeDiff: true });
    assert.deepEqual(afterDiffQuestion({ pick: 'Discard' }), { apply: false, closeDiff: true });
    // (The notification closed: nothing applied, and the diff, no longer followed, is not left open.)
    assert.deepEqual(afterDiffQuestion({ pick: undefined }), { apply: false, closeDiff: true });
  });

  it("takes the diff's tab closed as a Discard, with nothing left to close", () => {
    assert.deepEqual(afterDiffQuestion('tabClosed'), { apply: false, closeDiff: false });
  });

  it("tells a late Apply on the stale question that the change was already discarded; a late Discard or close asks for nothing", () => {
    assert.equal(lateDiffAnswer('Apply'), 'sayDiscarded');
    assert.equal(lateDiffAnswer('Discard'), 'nothing');
    assert.equal(lateDiffAnswer(undefined), 'nothing');
  });
});
