import assert from 'node:assert/strict';
import { LIMITS, ViewStateSchema, type HostMessage, type ViewState } from '../../../src/shared/protocol';
import { codeForEdit, initialViewState, interruptStreaming, isEditableBlock, reduceViewState, restoredState, selectTab, showRun } from '../../../src/shared/viewState';
import { aReport, aResult } from './protocolFixtures';

function started(runId = 1): ViewState {
  return reduceViewState(initialViewState(), { type: 'generationStarted', runId, prompt: 'write x', provider: 'openai', model: 'm', startedAt: 1 });
}

function apply(state: ViewState, ...messages: HostMessage[]): ViewState {
  return messages.reduce(reduceViewState, state);
}

describe('results view state reducer', () => {
  it('starts a streaming run on the Result tab and appends tokens in order', () => {
    const s = apply(selectTab(initialViewState(), 'performance'), { type: 'generationStarted', runId: 1, prompt: 'p', provider: '', model: '', startedAt: 1 }, { type: 'token', runId: 1, delta: 'Hel' }, { type: 'token', runId: 1, delta: 'lo' });
    assert.equal(s.tab, 'result');
    assert.equal(s.run?.status, 'streaming');
    assert.equal(s.run?.text, 'Hello');
  });

  it('ignores tokens and results of another run (late messages of a cancelled run)', () => {
    const s = started(2);
    assert.equal(apply(s, { type: 'token', runId: 1, delta: 'old' }), s);
    assert.equal(apply(s, { type: 'generationFinished', runId: 1, result: aResult() }), s);
  });

  it('finishes the run with its result and ignores tokens after that', () => {
    const result = aResult();
    const done = apply(started(), { type: 'token', runId: 1, delta: 'a' }, { type: 'generationFinished', runId: 1, result });
    assert.equal(done.run?.status, 'finished');
    assert.equal(done.run?.result, result);
    assert.equal(apply(done, { type: 'token', runId: 1, delta: 'late' }), done);
  });

  it('marks a failure with its error, and a cancellation quietly (its message kept, said as its status)', () => {
    const error = { message: 'Wait a moment and try again.', code: 'rate_limit', actions: ['Show Logs'] };
    const failed = apply(started(), { type: 'generationFailed', runId: 1, error });
    assert.equal(failed.run?.status, 'failed');
    assert.deepEqual(failed.run?.error, error);
    const cancelled = apply(started(), { type: 'generationFailed', runId: 1, error: { message: 'Cancelled', code: 'cancelled', actions: [] } });
    assert.equal(cancelled.run?.status, 'cancelled');
    assert.equal(cancelled.run?.error?.message, 'Cancelled');
  });

  it('caps the streamed text at the limit and says so', () => {
    const big = 'x'.repeat(LIMITS.textChars - 10);
    const s = apply(started(), { type: 'token', runId: 1, delta: big }, { type: 'token', runId: 1, delta: 'y'.repeat(100) });
    assert.equal(s.run?.text.length, LIMITS.textChars);
    assert.equal(s.run?.textCapped, true);
    assert.ok(apply(s, { type: 'token', runId: 1, delta: 'more' }) === s, 'a capped run ignores further tokens');
  });

  it("keeps a reasoning model's thinking apart from the answer's text, also after the run failed, capped at its limit", () => {
    const s = apply(started(), { type: 'reasoning', runId: 1, delta: 'Think ' }, { type: 'reasoning', runId: 1, delta: 'hard.' }, { type: 'token', runId: 1, delta: 'Answer' });
    assert.equal(s.run?.reasoning, 'Think hard.');
    assert.equal(s.run?.text, 'Answer');
    assert.equal(apply(s, { type: 'reasoning', runId: 2, delta: 'other run' }), s);
    const failed = apply(started(), { type: 'reasoning', runId: 1, delta: 'Only thought.' }, { type: 'generationFailed', runId: 1, error: { message: 'only reasoned', code: 'generation', actions: [] } });
    assert.equal(failed.run?.reasoning, 'Only thought.', 'kept to show with the error');
    assert.equal(failed.run?.text, '');
    assert.equal(apply(failed, { type: 'reasoning', runId: 1, delta: 'late' }), failed);
    assert.ok(ViewStateSchema.safeParse(failed).success, 'a state to save and restore');
    const capped = apply(started(), { type: 'reasoning', runId: 1, delta: 'x'.repeat(LIMITS.reasoningChars - 1) }, { type: 'reasoning', runId: 1, delta: 'yz' });
    assert.equal(capped.run?.reasoning?.length, LIMITS.reasoningChars);
    assert.equal(capped.run?.reasoningCapped, true);
    assert.equal(apply(capped, { type: 'reasoning', runId: 1, delta: 'more' }), capped);
  });

  it('marks the thinking capped when the result says only its first part came (an answer from the cache, which keeps no more)', () => {
    const whole = apply(started(), { type: 'reasoning', runId: 1, delta: 'Think.' }, { type: 'generationFinished', runId: 1, result: aResult() });
    assert.equal(whole.run?.reasoningCapped, undefined);
    const cut = apply(started(), { type: 'reasoning', runId: 1, delta: 'Think' }, { type: 'generationFinished', runId: 1, result: aResult({ reasoningTruncated: true }) });
    assert.equal(cut.run?.reasoningCapped, true);
    assert.equal(cut.run?.reasoning, 'Think');
    assert.ok(ViewStateSchema.safeParse(cut).success);
  });

  it('shows the latest performance report', () => {
    const first = reduceViewState(initialViewState(), { type: 'performance', report: aReport({ generatedAt: 1000 }) });
    const second = reduceViewState(first, { type: 'performance', report: aReport({ generatedAt: 2000 }) });
    assert.equal(second.performance?.generatedAt, 2000);
  });

  it('keeps unchanged parts identical so the webview re-renders only what changed', () => {
    const s = apply(started(), { type: 'token', runId: 1, delta: 'a' });
    const withReport = reduceViewState(s, { type: 'performance', report: aReport() });
    assert.equal(withReport.run, s.run);
    const withToken = reduceViewState(withReport, { type: 'token', runId: 1, delta: 'b' });
    assert.equal(withToken.performance, withReport.performance);
  });

  it('replaces everything on a state message', () => {
    const other = apply(started(7), { type: 'token', runId: 7, delta: 'z' });
    assert.equal(reduceViewState(started(), { type: 'state', state: other }), other);
  });

  it('marks a run that was streaming before a window reload as interrupted, and leaves others alone', () => {
    assert.equal(interruptStreaming(started()).run?.status, 'interrupted');
    const done = apply(started(), { type: 'generationFinished', runId: 1, result: aResult() });
    assert.equal(interruptStreaming(done), done);
  });

  it("restores a failure without its buttons after a window reload (what they ran was the old extension host's)", () => {
    const failed = apply(started(), { type: 'generationFailed', runId: 1, error: { message: 'Sign in first', code: 'auth', actions: ['Sign In', 'Show Logs'] } });
    const restored = restoredState(failed);
    assert.deepEqual(restored.run?.error, { message: 'Sign in first', code: 'auth', actions: [] });
    assert.equal(restored.run?.status, 'failed');
    assert.equal(restoredState(started()).run?.status, 'interrupted');
    const done = apply(started(), { type: 'generationFinished', runId: 1, result: aResult() });
    assert.equal(restoredState(done), done);
  });

  it("streams an older run's tokens and result into its own entry while a newer one is on show (generations side by side)", () => {
    const both = apply(started(1), { type: 'token', runId: 1, delta: 'one ' }, { type: 'generationStarted', runId: 2, prompt: 'write y', provider: '', model: '', startedAt: 2 });
    const s = apply(both, { type: 'token', runId: 1, delta: 'more' }, { type: 'token', runId: 2, delta: 'two' }, { type: 'generationFinished', runId: 1, result: aResult() });
    assert.equal(s.run?.id, 2, 'the newest run stays on show');
    assert.equal(s.run?.text, 'two');
    assert.equal(s.run?.status, 'streaming');
    assert.deepEqual(s.earlier?.map((r) => [r.id, r.status, r.text]), [[1, 'finished', 'one more']]);
    assert.equal(ViewStateSchema.safeParse(s).success, true);
  });

  it('shows an earlier run again (the one on show joins the earlier ones), keeping the newest few, newest first', () => {
    let s = started(1);
    for (let id = 2; id <= LIMITS.earlierRuns + 2; id++) s = apply(s, { type: 'generationStarted', runId: id, prompt: `p${id}`, provider: '', model: '', startedAt: id });
    const newest = LIMITS.earlierRuns + 2;
    assert.equal(s.run?.id, newest);
    assert.deepEqual(s.earlier?.map((r) => r.id), Array.from({ length: LIMITS.earlierRuns }, (_, i) => newest - 1 - i), 'the oldest dropped');
    const shown = showRun(s, 3);
    assert.equal(shown.run?.id, 3);
    assert.deepEqual(shown.earlier?.map((r) => r.id).slice(0, 2), [newest, newest - 1]);
    assert.equal(showRun(s, 1), s, 'a run no longer kept');
    assert.equal(showRun(s, newest), s, 'the run on show');
  });

  it('marks every run that was streaming before a window reload as interrupted, the earlier ones too', () => {
    const s = apply(started(1), { type: 'generationStarted', runId: 2, prompt: 'p', provider: '', model: '', startedAt: 2 });
    const restored = restoredState(s);
    assert.deepEqual([restored.run?.status, ...(restored.earlier ?? []).map((r) => r.status)], ['interrupted', 'interrupted']);
  });

  it('always produces a state that passes its own schema', () => {
    const s = apply(
      started(),
      { type: 'token', runId: 1, delta: 'text' },
      { type: 'performance', report: aReport() },
      { type: 'generationFinished', runId: 1, result: aResult() },
    );
    assert.equal(ViewStateSchema.safeParse(s).success, true);
    assert.equal(ViewStateSchema.safeParse(interruptStreaming(started())).success, true);
  });
});

describe('code block edits (Insert, Replace, Show Diff)', () => {
  const blocks = [
    { language: 'typescript', code: 'export const x = 1;\n', complete: true },
    { language: 'typescript', code: 'export function f() {\n  return', complete: false },
  ];
  const finished = (truncated: boolean): ViewState => apply(started(4), { type: 'generationFinished', runId: 4, result: aResult({ codeBlocks: blocks, truncated }) });

  it("gives the host's copy of a block of the run on show", () => {
    assert.deepEqual(codeForEdit(finished(false), { runId: 4, block: 0 }), { code: 'export const x = 1;\n', language: 'typescript' });
  });

  it('refuses every block of an answer that was cut off, a block closed before the cut too (its code can only be copied)', () => {
    const cut = finished(true);
    assert.deepEqual(codeForEdit(cut, { runId: 4, block: 0 }), { refused: 'cutOff' });
    assert.deepEqual(codeForEdit(cut, { runId: 4, block: 1 }), { refused: 'cutOff' });
    assert.equal(isEditableBlock({ truncated: true }, { complete: true }), false);
  });

  it("gives an earlier run's block too (a click on it as a newer run started, or on the run shown again)", () => {
    const s = reduceViewState(finished(false), { type: 'generationStarted', runId: 5, prompt: 'p', provider: '', model: '', startedAt: 5 });
    assert.deepEqual(codeForEdit(s, { runId: 4, block: 0 }), { code: 'export const x = 1;\n', language: 'typescript' });
  });

  it('refuses a block the answer ended inside, even when the answer was not marked cut off', () => {
    assert.deepEqual(codeForEdit(finished(false), { runId: 4, block: 1 }), { refused: 'cutOff' });
    assert.equal(isEditableBlock({ truncated: false }, { complete: false }), false);
    assert.equal(isEditableBlock({ truncated: false }, { complete: true }), true);
  });

  it('refuses a block of another run, of a run without a result, or past the last block', () => {
    assert.deepEqual(codeForEdit(finished(false), { runId: 3, block: 0 }), { refused: 'stale' });
    assert.deepEqual(codeForEdit(finished(false), { runId: 4, block: 2 }), { refused: 'stale' });
    assert.deepEqual(codeForEdit(started(4), { runId: 4, block: 0 }), { refused: 'stale' });
    assert.deepEqual(codeForEdit(initialViewState(), { runId: 4, block: 0 }), { refused: 'stale' });
  });
});
