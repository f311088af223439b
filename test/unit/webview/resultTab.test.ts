import assert from 'node:assert/strict';
import createDOMPurify, { type WindowLike } from 'dompurify';
import type { GenerationResultView, RunView, WebviewMessage } from '../../../src/shared/protocol';
import { createRenderer, createSanitizer } from '../../../src/webview/render';
import { ResultTab } from '../../../src/webview/resultTab';
import { aResult, aViewState } from '../shared/protocolFixtures';
import { usePageGlobals } from './pageGlobals';

describe('result tab: code block actions', () => {
  const dom = usePageGlobals();
  const renderer = createRenderer(createSanitizer(createDOMPurify(dom.window as unknown as WindowLike)));

  const blocks: GenerationResultView['codeBlocks'] = [
    { language: 'typescript', code: 'export const x = 1;\n', complete: true },
    { language: 'typescript', code: 'export function f() {\n  return', complete: false },
  ];
  function shown(result: GenerationResultView): { posted: WebviewMessage[]; notice: string; toolbar: (block: number) => { buttons: HTMLButtonElement[]; badge: string; title: string } } {
    const posted: WebviewMessage[] = [];
    const tab = new ResultTab(renderer, (m) => posted.push(m));
    const run = aViewState().run;
    assert.ok(run);
    tab.update({ ...run, result } satisfies RunView);
    const toolbar = (block: number): { buttons: HTMLButtonElement[]; badge: string; title: string } => {
      const el = tab.element.querySelector(`[data-block="${block}"] .code-toolbar`);
      assert.ok(el, `block ${block} shown`);
      const badge = el.querySelector('.badge');
      return { buttons: Array.from(el.querySelectorAll('button')), badge: badge?.textContent ?? '', title: badge?.getAttribute('title') ?? '' };
    };
    return { posted, notice: tab.element.querySelector('.notice')?.textContent ?? '', toolbar };
  }
  const labels = (buttons: readonly HTMLButtonElement[]): string[] => buttons.map((b) => b.textContent ?? '');

  it('offers a finished answer\'s closed blocks to insert, replace and diff, naming the block by run and index (not its code)', () => {
    const { posted, notice, toolbar } = shown(aResult({ codeBlocks: blocks }));
    const first = toolbar(0);
    assert.deepEqual(labels(first.buttons), ['Insert at Cursor', 'Replace Selection', 'Show Diff', 'Copy']);
    first.buttons[2]?.click();
    assert.deepEqual(posted, [{ type: 'showDiff', runId: 3, block: 0 }]);
    // The block the answer ended inside: copy only.
    assert.deepEqual(labels(toolbar(1).buttons), ['Copy']);
    assert.equal(toolbar(1).badge, 'incomplete');
    assert.match(notice, /can be copied, not put into a file/, 'the incomplete block is why');
  });

  it("offers a cut-off answer's code blocks to copy only, each marked, and says why", () => {
    const { posted, notice, toolbar } = shown(aResult({ codeBlocks: blocks, truncated: true, warnings: ['The answer was cut off at the model’s token limit; it may be incomplete.'] }));
    assert.deepEqual(labels(toolbar(0).buttons), ['Copy']);
    assert.equal(toolbar(0).badge, 'answer cut off');
    assert.deepEqual(labels(toolbar(1).buttons), ['Copy']);
    assert.equal(toolbar(1).badge, 'incomplete');
    toolbar(0).buttons[0]?.click();
    assert.deepEqual(posted, [{ type: 'copy', code: 'export const x = 1;\n' }]);
    assert.match(notice, /cut off at the model’s token limit.*can be copied, not put into a file/);
  });

  it("marks a truncated answer's code by why it ended short: cut off only at the token limit or by a filter, never for the server's unexplained end", () => {
    const badge = (cutOff: GenerationResultView['cutOff']): { text: string; title: string } => {
      const { toolbar } = shown(aResult({ codeBlocks: blocks, truncated: true, warnings: [], ...(cutOff ? { cutOff } : {}) }));
      assert.deepEqual(labels(toolbar(0).buttons), ['Copy'], `${String(cutOff)}: copy only`);
      assert.equal(toolbar(1).badge, 'incomplete', 'the block it ended inside is marked as before');
      return { text: toolbar(0).badge, title: toolbar(0).title };
    };
    const lengthCut = badge('token_limit');
    assert.equal(lengthCut.text, 'answer cut off');
    assert.match(lengthCut.title, /^The answer was cut off at the model’s token limit: its code may be incomplete, so it can only be copied$/);
    const other = badge('unexplained');
    assert.equal(other.text, 'ended by the server');
    assert.match(other.title, /^The server ended the answer without saying why \(not the model’s own end\): its code may be incomplete/);
    assert.doesNotMatch(`${other.text} ${other.title}`, /cut off|token limit/);
    const filtered = badge('content_filter');
    assert.equal(filtered.text, 'answer filtered');
    assert.match(filtered.title, /content filter cut the answer off/);
    const aborted = badge('aborted');
    assert.equal(aborted.text, 'answer ended early');
    assert.doesNotMatch(`${aborted.text} ${aborted.title}`, /cut off|token limit/);
    // (A result saved by an earlier version, without cutOff: cut off, no cause named.)
    const unknown = badge(undefined);
    assert.equal(unknown.text, 'answer cut off');
    assert.doesNotMatch(unknown.title, /token limit|filter|server/);
  });

  it('says a cut-off answer that carries no warning was cut off, naming no cause it does not know (a content filter is one)', () => {
    const { notice } = shown(aResult({ codeBlocks: blocks, truncated: true, warnings: [] }));
    assert.match(notice, /^The answer was cut off before its end; it may be incomplete\./);
    assert.doesNotMatch(notice, /token limit/);
  });
  it("offers Regenerate on a finished run (the same request, its cached answer dropped), Retry on a cancelled one", () => {
    const posted: WebviewMessage[] = [];
    const tab = new ResultTab(renderer, (m) => posted.push(m));
    const run = aViewState().run;
    assert.ok(run);
    const runButton = (): HTMLButtonElement[] => Array.from(tab.element.querySelectorAll<HTMLButtonElement>('.run-line button')).filter((b) => !b.hidden);
    tab.update({ ...run, status: 'finished', result: aResult() } satisfies RunView);
    assert.deepEqual(labels(runButton()), ['Regenerate']);
    runButton()[0]?.click();
    assert.deepEqual(posted, [{ type: 'retry', runId: run.id }]);
    // (An answer without a result is shown as streamed text, which asks the page's window where it is scrolled to.)
    const g = globalThis as { window?: unknown };
    g.window = dom.window;
    try {
      tab.update({ ...run, status: 'cancelled', result: null } satisfies RunView);
    } finally {
      delete g.window;
    }
    assert.deepEqual(labels(runButton()), ['Retry']);
  });
});

describe("result tab: a reasoning model's thinking", () => {
  // (A streaming answer asks the page's window where it is scrolled to.)
  const dom = usePageGlobals({ window: true });
  const renderer = createRenderer(createSanitizer(createDOMPurify(dom.window as unknown as WindowLike)));

  function streaming(over: Partial<RunView>): RunView {
    const run = aViewState().run;
    assert.ok(run);
    return { ...run, status: 'streaming', text: '', result: null, error: null, ...over };
  }

  it('shows the thinking collapsed as "Thinking…" while no answer came, sanitised markdown once opened, and never in the answer', () => {
    const tab = new ResultTab(renderer, () => undefined);
    const box = tab.element.querySelector<HTMLDetailsElement>('[data-testid="reasoning"]');
    const answer = tab.element.querySelector<HTMLElement>('[data-testid="answer"]');
    assert.ok(box && answer);
    const thought = 'I should *check* <img src=x onerror=alert(1)> first.';
    tab.update(streaming({ reasoning: thought }));
    assert.equal(box.hidden, false);
    assert.equal(box.open, false, 'collapsed');
    assert.equal(box.querySelector('summary')?.textContent, 'Thinking…');
    box.open = true;
    tab.update(streaming({ reasoning: `${thought} Then answer.` }));
    const text = box.querySelector('.reasoning-text');
    assert.match(text?.innerHTML ?? '', /<em>check<\/em>/);
    assert.equal(text?.querySelector('img'), null, 'raw HTML in the thinking is escaped, not rendered');
    assert.match(text?.textContent ?? '', /Then answer\./);
    tab.update(streaming({ reasoning: `${thought} Then answer.`, text: 'Here it is.' }));
    assert.equal(box.querySelector('summary')?.textContent, 'Reasoning', 'no longer thinking once the answer streams');
    assert.equal(answer.textContent?.trim(), 'Here it is.');
    tab.update({ ...streaming({ reasoning: `${thought} Then answer.`, text: 'Here it is.' }), status: 'finished', result: aResult({ explanation: 'Here it is.', codeBlocks: [] }) });
    assert.doesNotMatch(answer.textContent ?? '', /check|Then answer/);
    assert.equal(box.hidden, false, 'still there to read');
  });

  it('opens the thinking of a run that failed with no answer (the model only reasoned) under its error, and hides the box without thinking', () => {
    const tab = new ResultTab(renderer, () => undefined);
    const box = tab.element.querySelector<HTMLDetailsElement>('[data-testid="reasoning"]');
    assert.ok(box);
    tab.update(streaming({}));
    assert.equal(box.hidden, true);
    tab.update(streaming({ reasoning: 'Long thoughts' }));
    assert.equal(box.open, false);
    tab.update({ ...streaming({ reasoning: 'Long thoughts' }), status: 'failed', error: { message: 'The model only reasoned and wrote no answer.', code: 'generation', actions: [] } });
    assert.equal(box.open, true);
    assert.equal(box.querySelector('summary')?.textContent, 'Reasoning');
    assert.match(box.querySelector('.reasoning-text')?.textContent ?? '', /Long thoughts/);
    // A new run starts collapsed, without the last one's thinking.
    tab.update({ ...streaming({ reasoning: 'New' }), id: 4 });
    assert.equal(box.open, false);
    box.open = true;
    tab.update({ ...streaming({ reasoning: 'New run' }), id: 4 });
    assert.equal(box.querySelector('.reasoning-text')?.textContent?.trim(), 'New run');
  });
});
