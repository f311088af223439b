import assert from 'node:assert/strict';
import type { RunView } from '../../../src/shared/protocol';
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
});
