import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { fitResultView, type RunView } from '../../../src/shared/protocol';
import { ContextTab } from '../../../src/webview/contextTab';
import { aResult, aViewState } from '../shared/protocolFixtures';

// The tab builds its elements with the page's `document`: here a jsdom one, set while these tests run.
describe('context tab', () => {
  const globals = globalThis as { document?: unknown };
  const before_ = globals.document;
  const dom = new JSDOM('<!DOCTYPE html><body></body>');
  before(() => {
    globals.document = dom.window.document;
  });
  after(() => {
    if (before_ === undefined) delete globals.document;
    else globals.document = before_;
  });

  function summaryOf(result: RunView['result']): string {
    const run = aViewState().run;
    assert.ok(run);
    const tab = new ContextTab(() => undefined);
    tab.update({ ...run, result });
    return tab.element.querySelector('.summary')?.textContent ?? '';
  }

  it('says how many items were sent when the panel shows only the first of them', () => {
    const items = Array.from({ length: 1_500 }, (_, i) => ({ file: `src/f${i}.ts`, startLine: 1, endLine: 2, symbol: `s${i}`, kind: 'function', score: 0.5, reasons: [] }));
    const { view } = fitResultView(aResult({ context: items }));
    assert.equal(summaryOf(view), '1,500 items of codebase context were sent with the prompt (the first 1,000 are shown).');
  });

  it('says how many items were sent when it shows them all', () => {
    const result = aResult();
    assert.equal(summaryOf(result), '1 item of codebase context was sent with the prompt.');
    assert.equal(summaryOf({ ...result, context: [...result.context, ...result.context] }), '2 items of codebase context were sent with the prompt.');
  });
});
