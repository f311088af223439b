import assert from 'node:assert/strict';
import { fitResultView, type RunView } from '../../../src/shared/protocol';
import { ContextTab } from '../../../src/webview/contextTab';
import { aResult, aViewState } from '../shared/protocolFixtures';
import { usePageGlobals } from './pageGlobals';

describe('context tab', () => {
  usePageGlobals();

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

  it("names a clicked location by its run and its index in the result (sorted by score), never by a path or URI", () => {
    const run = aViewState().run;
    assert.ok(run?.result);
    const item = (file: string, score: number) => ({ file, uri: `file:///w/${file}`, startLine: 4, endLine: 9, symbol: 's', kind: 'function', score, reasons: [] });
    const posted: unknown[] = [];
    const tab = new ContextTab((m) => posted.push(m));
    tab.update({ ...run, result: { ...run.result, context: [item('low.ts', 0.2), item('high.ts', 0.9)] } });
    const links = Array.from(tab.element.querySelectorAll<HTMLElement>('.location'));
    assert.deepEqual(
      links.map((l) => l.textContent),
      ['high.ts:4–9', 'low.ts:4–9'],
    );
    for (const link of links) link.click();
    assert.deepEqual(posted, [
      { type: 'openLocation', runId: run.id, item: 1 },
      { type: 'openLocation', runId: run.id, item: 0 },
    ]);
  });

  it('says how many items were sent when it shows them all', () => {
    const result = aResult();
    assert.equal(summaryOf(result), '1 item of codebase context was sent with the prompt.');
    assert.equal(summaryOf({ ...result, context: [...result.context, ...result.context] }), '2 items of codebase context were sent with the prompt.');
  });
});
