import assert from 'node:assert/strict';
import { LIMITS, type HostMessage, type ViewState } from '../../../src/shared/protocol';
import { MAX_RESTORED_RUN_ID, RunLedger } from '../../../src/shared/runLedger';
import { codeForEdit, initialViewState, reduceViewState, restoredState } from '../../../src/shared/viewState';
import { aResult, aViewState } from './protocolFixtures';

/** What the host does for a new run (ResultsPanel.showGeneration): the ledger names it, the state shows its cut prompt. */
function startRun(state: ViewState, runs: RunLedger, prompt: string): { state: ViewState; id: number } {
  const id = runs.start(prompt);
  return { id, state: reduceViewState(state, { type: 'generationStarted', runId: id, prompt: prompt.slice(0, LIMITS.promptChars), provider: '', model: '', startedAt: 1 }) };
}

function apply(state: ViewState, ...messages: HostMessage[]): ViewState {
  return messages.reduce(reduceViewState, state);
}

describe('results panel runs: ids across window reloads, and the prompt Retry sends', () => {
  const newCode = aResult({ codeBlocks: [{ language: 'ts', code: 'NEW();\n', complete: true }] });

  it('never gives a new run the id of the run a restored panel shows: a stale click on it acts on nothing', () => {
    // The old host ran one generation (started at t0); the window is reloaded a minute later.
    const t0 = 1_700_000_000_000;
    const oldHost = new RunLedger(t0);
    const oldRun = startRun(initialViewState(), oldHost, 'old prompt');
    const saved = apply(oldRun.state, { type: 'generationFinished', runId: oldRun.id, result: aResult({ codeBlocks: [{ language: 'ts', code: 'OLD();\n', complete: true }] }) });

    for (const order of ['restored first', 'new run first'] as const) {
      const newHost = new RunLedger(t0 + 60_000);
      let state = initialViewState();
      if (order === 'restored first') {
        state = restoredState(saved);
        assert.ok(state.run);
        newHost.restored(state.run.id);
      }
      // A new generation (a cache hit finishes at once); the restored state is not taken up over a run.
      const next = startRun(state, newHost, 'new prompt');
      state = apply(next.state, { type: 'generationFinished', runId: next.id, result: newCode });
      assert.notEqual(next.id, oldRun.id, order);
      // Clicks made on the old run's page before the new state reached it: never on the new run. The restored run is kept
      // among the earlier runs (its own code, and its Retry says its request is gone); without it, nothing is there.
      if (order === 'restored first') {
        assert.deepEqual(codeForEdit(state, { runId: oldRun.id, block: 0 }), { code: 'OLD();\n', language: 'ts' }, order);
        assert.deepEqual(newHost.retry(state, oldRun.id), { runId: oldRun.id, restored: true }, order);
      } else {
        assert.deepEqual(codeForEdit(state, { runId: oldRun.id, block: 0 }), { refused: 'stale' }, order);
        assert.equal(newHost.retry(state, oldRun.id), undefined, order);
      }
      assert.deepEqual(codeForEdit(state, { runId: next.id, block: 0 }), { code: 'NEW();\n', language: 'ts' }, order);
    }
  });

  it('passes over a restored run\'s id even when the wall clock was set back before the reload', () => {
    const runs = new RunLedger(1_000);
    runs.restored(5_000);
    const first = runs.start('p');
    assert.ok(first > 5_000);
    assert.ok(runs.start('q') > first);
    // A restored id below the counter changes nothing.
    runs.restored(3);
    assert.equal(runs.start('r'), first + 2);
  });

  it('keeps counting in safe integers after a saved state with a huge run id (the webview saves it: any safe integer)', () => {
    for (const huge of [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1, MAX_RESTORED_RUN_ID + 1]) {
      const runs = new RunLedger(1_700_000_000_000);
      const passedOver = runs.restored(huge);
      const ids = [runs.start('a'), runs.start('b'), runs.start('c')];
      for (const id of ids) assert.ok(Number.isSafeInteger(id), `${id} after ${huge}`);
      assert.equal(new Set([huge, ...ids]).size, 4, `distinct ids after ${huge}`);
      // (Ignored, which the caller logs.)
      assert.equal(passedOver, false, String(huge));
    }
    // The largest id passed over still leaves room.
    const runs = new RunLedger(1_700_000_000_000);
    assert.equal(runs.restored(MAX_RESTORED_RUN_ID), true);
    const first = runs.start('a');
    assert.equal(first, MAX_RESTORED_RUN_ID + 1);
    assert.ok(Number.isSafeInteger(runs.start('b')));
  });

  it('retries with the full prompt, not the panel\'s shortened copy (a prompt quoting a huge minified line keeps its instructions)', () => {
    const prompt = `Fix this error in dist/app.min.js at line 1\nThe line: ${'a=1,'.repeat(30_000)}\nAnswer with exactly one javascript code block.`;
    assert.ok(prompt.length > LIMITS.promptChars);
    const runs = new RunLedger(1);
    const run = startRun(initialViewState(), runs, prompt);
    assert.equal(run.state.run?.prompt.length, LIMITS.promptChars);
    // Not while it streams; with the full prompt once it has ended.
    assert.equal(runs.retry(run.state, run.id), undefined);
    const failed = apply(run.state, { type: 'generationFailed', runId: run.id, error: { message: 'The server closed the connection.', code: 'generation', actions: [] } });
    assert.deepEqual(runs.retry(failed, run.id), { runId: run.id, prompt });
  });

  it('sends nothing again for a run restored after a window reload: its request is gone, so the user is to run the command again', () => {
    // A "Fix with Context" run that failed before the reload: the old host's request carried the lines to fix.
    const t0 = 1_700_000_000_000;
    const oldHost = new RunLedger(t0);
    const oldRun = startRun(initialViewState(), oldHost, 'Fix this error in src/a.ts at line 3');
    const failed = apply(oldRun.state, { type: 'generationFailed', runId: oldRun.id, error: { message: 'The server failed.', code: 'server', actions: [] } });
    assert.deepEqual(oldHost.retry(failed, oldRun.id), { runId: oldRun.id, prompt: 'Fix this error in src/a.ts at line 3' });

    for (const saved of [failed, aViewState()]) {
      const runs = new RunLedger(t0 + 60_000);
      const state = restoredState(saved);
      assert.ok(state.run);
      runs.restored(state.run.id);
      assert.deepEqual(runs.retry(state, state.run.id), { runId: state.run.id, restored: true });
      // A run this host starts afterwards is retried as before.
      const next = startRun(state, runs, 'Write function slugify');
      const done = apply(next.state, { type: 'generationFailed', runId: next.id, error: { message: 'x', code: 'server', actions: [] } });
      assert.deepEqual(runs.retry(done, next.id), { runId: next.id, prompt: 'Write function slugify' });
    }
  });
});
