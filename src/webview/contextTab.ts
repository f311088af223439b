// The Context tab: the codebase context the answer was generated with, best first. Each location opens
// the file at that line in the editor.
import type { ContextItemView, RunView, WebviewMessage } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import { button, h, replaceChildren } from './dom';

type Post = (message: WebviewMessage) => void;

export class ContextTab {
  readonly element = h('div', { class: 'context-tab' });
  private rendered: RunView | null | undefined;

  constructor(private readonly post: Post) {}

  update(run: RunView | null): void {
    // Re-render only when what is shown can change: another run, its status, or its result.
    const same = this.rendered !== undefined && this.rendered?.id === run?.id && this.rendered?.status === run?.status && this.rendered?.result === run?.result;
    if (same) return;
    this.rendered = run;
    const items = run?.result?.context;
    if (!run) return replaceChildren(this.element, h('p', { class: 'empty' }, 'The context used for a generation appears here.'));
    if (!items) {
      const text = run.status === 'streaming' ? 'The context used appears when the generation finishes.' : 'No context information for this run.';
      return replaceChildren(this.element, h('p', { class: 'empty' }, text));
    }
    if (items.length === 0) return replaceChildren(this.element, h('p', { class: 'empty' }, 'No codebase context was used for this answer.'));
    // (Each with its index in the result: a click names the item so, the host opens the location it made for it.)
    const sorted = items.map((item, index) => ({ item, index })).sort((a, b) => b.item.score - a.item.score);
    replaceChildren(
      this.element,
      h('p', { class: 'summary' }, summary(items.length, run.result?.contextSent)),
      h('ul', { class: 'context-list' }, ...sorted.map(({ item, index }) => this.item(item, run.id, index))),
    );
  }

  private item(item: ContextItemView, runId: number, index: number): HTMLElement {
    const lines = item.startLine === item.endLine ? `${item.startLine}` : `${item.startLine}–${item.endLine}`;
    const location = button(`${visibleText(item.file)}:${lines}`, () => this.post({ type: 'openLocation', runId, item: index }), {
      class: 'link location',
      title: `Open ${visibleText(item.file)} at line ${item.startLine}`,
    });
    const fill = h('div', { class: 'score-fill' });
    // CSSOM, not a style attribute: allowed under the CSP without 'unsafe-inline'.
    fill.style.width = `${Math.round(Math.min(1, Math.max(0, item.score)) * 100)}%`;
    return h(
      'li',
      { class: 'context-item' },
      h('div', { class: 'context-head' }, location, h('span', { class: 'symbol' }, visibleText(item.symbol)), h('span', { class: 'badge' }, item.kind)),
      h(
        'div',
        { class: 'score', title: `Relevance ${item.score.toFixed(2)}` },
        h('div', { class: 'score-bar', attrs: { role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '1', 'aria-valuenow': item.score.toFixed(2), 'aria-label': 'Relevance' } }, fill),
        h('span', { class: 'score-value' }, item.score.toFixed(2)),
      ),
      item.reasons.length > 0 && h('ul', { class: 'reasons' }, ...item.reasons.map((r) => h('li', {}, visibleText(r)))),
    );
  }
}

/** How many items were sent, and how many of them are shown when the panel holds fewer (fitResultView). */
function summary(shown: number, sent = shown): string {
  if (sent > shown) return `${sent.toLocaleString('en-US')} items of codebase context were sent with the prompt (the first ${shown.toLocaleString('en-US')} are shown).`;
  return `${shown} ${shown === 1 ? 'item' : 'items'} of codebase context ${shown === 1 ? 'was' : 'were'} sent with the prompt.`;
}
