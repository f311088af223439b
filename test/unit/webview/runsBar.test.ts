import assert from 'node:assert/strict';
import type { RunView, ViewState } from '../../../src/shared/protocol';
import { reduceViewState } from '../../../src/shared/viewState';
import { RunsBar } from '../../../src/webview/runsBar';
import { aViewState } from '../shared/protocolFixtures';
import { usePageGlobals } from './pageGlobals';

describe('earlier runs bar', () => {
  usePageGlobals();

  const run = (id: number, status: RunView['status'], extra: Partial<RunView> = {}): RunView => {
    const base = aViewState().run;
    assert.ok(base);
    return { ...base, id, status, prompt: `Write function f${id}\nwith details`, ...extra };
  };

  it('lists the earlier runs, each by its prompt and status (a replaced one says so), and shows the one clicked', () => {
    const shown: number[] = [];
    const bar = new RunsBar((id) => shown.push(id));
    bar.update([run(7, 'streaming'), run(6, 'cancelled', { error: { message: 'Replaced by a newer request', code: 'cancelled', actions: [] } })]);
    const buttons = Array.from(bar.element.querySelectorAll('button'));
    assert.deepEqual(
      buttons.map((b) => b.textContent),
      ['Write function f7 — Generating…', 'Write function f6 — Replaced by a newer request'],
    );
    assert.equal(bar.element.hidden, false);
    buttons[1]?.click();
    assert.deepEqual(shown, [6]);
  });

  it('is hidden with no earlier run (a state saved by an earlier version has none)', () => {
    const bar = new RunsBar(() => undefined);
    bar.update(undefined);
    assert.equal(bar.element.hidden, true);
    bar.update([]);
    assert.equal(bar.element.hidden, true);
  });

  it('keeps each button, and its focus, while an earlier run streams, finishes, or another run joins the list', () => {
    const shown: number[] = [];
    const bar = new RunsBar((id) => shown.push(id));
    // (The page's, set as the global by usePageGlobals: the bar is built on it.)
    const doc = document;
    doc.body.append(bar.element);
    const base = aViewState();
    let state: ViewState = { ...base, earlier: [run(5, 'streaming', { text: '' }), run(4, 'finished')] };
    bar.update(state.earlier);
    const four = bar.element.querySelector<HTMLButtonElement>('[data-run-id="4"]');
    const five = bar.element.querySelector<HTMLButtonElement>('[data-run-id="5"]');
    assert.ok(four && five);
    four.focus();
    assert.equal(doc.activeElement, four);

    // Each flush of the streaming run makes a new `earlier` array: the buttons stay the same elements, focus stays put.
    state = reduceViewState(state, { type: 'token', runId: 5, delta: 'const x' });
    assert.notEqual(state.earlier, undefined);
    bar.update(state.earlier);
    state = reduceViewState(state, { type: 'token', runId: 5, delta: ' = 1;' });
    bar.update(state.earlier);
    assert.equal(bar.element.querySelector('[data-run-id="4"]'), four);
    assert.equal(doc.activeElement, four);
    // A click that straddles a flush lands on the button the page still holds.
    four.click();
    assert.deepEqual(shown, [4]);

    // The streaming run's status changes its words in place.
    state = { ...state, earlier: [run(5, 'finished'), run(4, 'finished')] };
    bar.update(state.earlier);
    assert.equal(bar.element.querySelector('[data-run-id="5"]'), five);
    assert.equal(five.textContent, 'Write function f5 — Done');
    assert.equal(doc.activeElement, four);

    // A run joining the list, and one leaving it, leave the other buttons (and the focus) where they are.
    bar.update([run(6, 'streaming'), run(4, 'finished')]);
    assert.deepEqual(
      Array.from(bar.element.querySelectorAll('button'), (b) => b.dataset.runId),
      ['6', '4'],
    );
    assert.equal(bar.element.querySelector('[data-run-id="4"]'), four);
    assert.equal(doc.activeElement, four);
    assert.equal(five.isConnected, false);
    bar.element.remove();
  });
});
