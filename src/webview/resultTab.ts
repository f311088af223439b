// The Result tab: the prompt, status and timings, the streamed answer as sanitised markdown, and after
// the run the code blocks with their actions. The skeleton is built once and updated in place, so the
// Cancel button under the pointer is never replaced while tokens stream in. A reasoning model's thinking streams
// apart from the answer, into a collapsed, dimmed "Thinking…" box (sanitised markdown, rendered while it is open).
import type { CodeBlockView, CutOffView, GenerationResultView, RunView, WebviewMessage } from '../shared/protocol';
import { isEditableBlock } from '../shared/viewState';
import { button, h, replaceChildren } from './dom';
import { formatMs } from './format';
import type { Renderer } from './render';

type Post = (message: WebviewMessage) => void;

export const STATUS_LABEL: Record<RunView['status'], string> = {
  streaming: 'Generating…',
  finished: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted by a window reload',
};

export class ResultTab {
  readonly element: HTMLElement;
  private readonly empty = h('p', { class: 'empty' }, 'Run “Contexten: Generate Code…” or “Generate with Context” to see results here.');
  private readonly header = h('div', { class: 'run-header' });
  private readonly prompt = h('div', { class: 'run-prompt' });
  private readonly status = h('span', { class: 'run-status', attrs: { 'data-testid': 'run-status' } });
  private readonly meta = h('span', { class: 'run-meta' });
  private readonly cancelButton: HTMLButtonElement;
  private readonly retryButton: HTMLButtonElement;
  private readonly errorBox = h('div', { class: 'error-box', attrs: { role: 'alert' } });
  private readonly reasoningLabel = h('summary', { class: 'reasoning-label' });
  private readonly reasoningText = h('div', { class: 'reasoning-text markdown' });
  private readonly reasoningBox = h('details', { class: 'reasoning', attrs: { 'data-testid': 'reasoning' } }, this.reasoningLabel, this.reasoningText);
  /** The thinking's markdown blocks as rendered: only changed (the last) blocks re-render as it streams. */
  private readonly reasoningBlocks: StreamedBlocks;
  /** The run whose thinking the box shows (a new run starts it afresh, collapsed). */
  private reasoningRun: number | undefined;
  /** The box was opened for a run that ended with thinking and no answer: once, so the user may close it again. */
  private reasoningOpenedForEnd = false;
  private readonly answer = h('div', { class: 'answer markdown', attrs: { 'data-testid': 'answer' } });
  private readonly codeBlocks = h('div', { class: 'code-blocks' });
  private readonly notice = h('p', { class: 'notice' });
  private run: RunView | null = null;
  private renderedText: string | null = null;
  private renderedResult: RunView['result'] = null;
  /** While streaming: the answer's markdown blocks as rendered, so only changed (the last) blocks re-render. */
  private readonly streamBlocks: StreamedBlocks;

  constructor(
    private readonly renderer: Renderer,
    private readonly post: Post,
  ) {
    this.cancelButton = button('Cancel', () => this.run && this.post({ type: 'cancel', runId: this.run.id }), { class: 'button secondary' });
    this.retryButton = button('Retry', () => this.run && this.post({ type: 'retry', runId: this.run.id }), { class: 'button secondary' });
    replaceChildren(
      this.header,
      this.prompt,
      h('div', { class: 'run-line' }, this.status, this.meta, h('span', { class: 'spacer' }), this.cancelButton, this.retryButton),
    );
    this.streamBlocks = new StreamedBlocks(renderer, this.answer);
    this.reasoningBlocks = new StreamedBlocks(renderer, this.reasoningText);
    // (Collapsed, the thinking is not rendered: it is once opened.)
    this.reasoningBox.addEventListener('toggle', () => this.run && this.renderReasoning(this.run));
    this.element = h('div', { class: 'result-tab' }, this.empty, this.header, this.errorBox, this.reasoningBox, this.answer, this.codeBlocks, this.notice);
    this.update(null);
  }

  update(run: RunView | null): void {
    if (run === this.run && run !== null) return;
    this.run = run;
    this.empty.hidden = run !== null;
    this.header.hidden = run === null;
    if (!run) {
      for (const el of [this.errorBox, this.reasoningBox, this.answer, this.codeBlocks, this.notice]) el.hidden = true;
      return;
    }
    this.prompt.textContent = run.prompt;
    this.prompt.title = run.prompt;
    // (A cancellation by its reason when it has one: "Replaced by a newer request".)
    this.status.textContent = run.status === 'cancelled' && run.error ? run.error.message : STATUS_LABEL[run.status];
    this.status.className = `run-status status-${run.status}`;
    this.meta.textContent = describeMeta(run);
    this.cancelButton.hidden = run.status !== 'streaming';
    // A finished run's is Regenerate: the same request, its cached answer dropped (an answer that was no use would
    // otherwise come back from the cache); a failed, cancelled or interrupted run's is Retry.
    this.retryButton.hidden = run.status === 'streaming';
    this.retryButton.textContent = run.status === 'finished' ? 'Regenerate' : 'Retry';
    this.retryButton.title = run.status === 'finished' ? 'Ask again for a new answer, not the cached one' : 'Send the request again';
    this.updateError(run);
    this.updateReasoning(run);
    this.updateAnswer(run);
    this.updateNotice(run);
  }

  private updateError(run: RunView): void {
    // (A cancelled run's message is no error: its status says it.)
    const error = run.status === 'cancelled' ? null : run.error;
    this.errorBox.hidden = !error;
    if (!error) return;
    replaceChildren(
      this.errorBox,
      h('p', { class: 'error-message' }, error.message),
      h('div', { class: 'error-actions' }, ...error.actions.map((title) => button(title, () => this.post({ type: 'errorAction', title }), { class: 'button secondary' }))),
    );
  }

  private updateAnswer(run: RunView): void {
    const result = run.result;
    if (result) {
      if (result === this.renderedResult) return;
      this.renderedResult = result;
      this.renderedText = null;
      this.streamBlocks.forget();
      // The structured result replaces the raw stream: prose first, then each block with its actions.
      const prose = result.explanation.trim() !== '' || result.codeBlocks.length > 0 ? result.explanation : run.text;
      this.answer.innerHTML = this.renderer.markdown(prose);
      this.answer.hidden = prose.trim() === '';
      replaceChildren(this.codeBlocks, ...result.codeBlocks.map((block, i) => this.codeBlock(run.id, result, block, i)));
      this.codeBlocks.hidden = result.codeBlocks.length === 0;
      return;
    }
    if (this.renderedResult !== null || this.renderedText === null || !run.text.startsWith(this.renderedText)) {
      // Another run, or coming from a finished view: start the answer afresh.
      this.streamBlocks.clear();
    }
    this.renderedResult = null;
    this.codeBlocks.hidden = true;
    this.answer.hidden = run.text === '';
    if (run.text === this.renderedText) return;
    this.renderedText = run.text;
    const followBottom = isScrolledToBottom();
    this.streamBlocks.render(run.text);
    if (followBottom && run.status === 'streaming') window.scrollTo(0, document.documentElement.scrollHeight);
  }

  /**
   * The thinking box: hidden without thinking; "Thinking…" while the model thinks and has written no answer yet, then
   * "Reasoning". Opened once when the run ended with thinking and no answer (the model only reasoned, or it was
   * cancelled or failed while thinking): the thinking is all there is to see.
   */
  private updateReasoning(run: RunView): void {
    if (run.id !== this.reasoningRun) {
      this.reasoningRun = run.id;
      this.reasoningOpenedForEnd = false;
      this.reasoningBox.open = false;
      this.reasoningBlocks.clear();
    }
    const reasoning = run.reasoning ?? '';
    this.reasoningBox.hidden = reasoning === '';
    if (reasoning === '') return;
    const thinking = run.status === 'streaming' && run.text === '';
    this.reasoningLabel.textContent = `${thinking ? 'Thinking…' : 'Reasoning'}${run.reasoningCapped === true ? ' (only its first part is kept)' : ''}`;
    this.reasoningBox.classList.toggle('thinking', thinking);
    if (run.status !== 'streaming' && run.text === '' && !this.reasoningOpenedForEnd) {
      this.reasoningOpenedForEnd = true;
      this.reasoningBox.open = true;
    }
    this.renderReasoning(run);
  }

  private renderReasoning(run: RunView): void {
    if (this.reasoningBox.open) this.reasoningBlocks.render(run.reasoning ?? '');
  }

  private codeBlock(runId: number, result: GenerationResultView, block: CodeBlockView, index: number): HTMLElement {
    const code = h('code', { class: 'hljs' });
    code.innerHTML = this.renderer.code(block.code, block.language);
    const send = (type: 'insert' | 'replaceSelection' | 'showDiff') => () => this.post({ type, runId, block: index });
    const copy = button('Copy', () => {
      this.post({ type: 'copy', code: block.code });
      copy.textContent = 'Copied';
      setTimeout(() => (copy.textContent = 'Copy'), 1500);
    });
    // A cut-off answer's code may stop part way: it is offered to copy, not to put into a file (the host refuses that too).
    const editable = isEditableBlock(result, block);
    const badge = !block.complete
      ? { text: 'incomplete', title: 'The answer ended before this block was closed: the code is incomplete, so it can only be copied' }
      : !editable && endedShortBadge(result.cutOff);
    const cutOff = badge && h('span', { class: 'badge warning', title: badge.title }, badge.text);
    return h(
      'div',
      { class: 'code-block', attrs: { 'data-block': String(index) } },
      h(
        'div',
        { class: 'code-toolbar' },
        h('span', { class: 'code-lang' }, block.language || 'text'),
        cutOff,
        h('span', { class: 'spacer' }),
        editable && button('Insert at Cursor', send('insert')),
        editable && button('Replace Selection', send('replaceSelection')),
        editable && button('Show Diff', send('showDiff')),
        copy,
      ),
      h('pre', {}, code),
    );
  }

  private updateNotice(run: RunView): void {
    const notes: string[] = [];
    if (run.status === 'cancelled') notes.push(`${run.error?.message ?? 'Cancelled'}.`);
    if (run.status === 'interrupted') notes.push('The window reloaded while this was generating.');
    if (run.textCapped) notes.push('The answer is very long: only the first part was kept in this view.');
    const warnings = run.result?.warnings ?? [];
    notes.push(...warnings);
    // (The pipeline's warning says why it was cut off — token limit, content filter —; a result without one, e.g. from an
    // earlier version's saved state, says no more than it knows.)
    if (run.result?.truncated && warnings.length === 0) notes.push('The answer was cut off before its end; it may be incomplete.');
    const result = run.result;
    if (result?.codeBlocks.some((b) => !isEditableBlock(result, b))) notes.push('Code that may be incomplete can be copied, not put into a file.');
    this.notice.textContent = notes.join(' ');
    this.notice.hidden = notes.length === 0;
  }
}

/**
 * Streamed markdown in an element, as blocks (Renderer.streamingBlocks): each render re-renders only the blocks that
 * changed — while text streams in, the last one — and starts afresh when the text is not the one rendered grown.
 */
class StreamedBlocks {
  private blocks: { source: string; element: HTMLElement }[] = [];
  private rendered = '';

  constructor(
    private readonly renderer: Renderer,
    private readonly element: HTMLElement,
  ) {}

  render(text: string): void {
    if (text === this.rendered && this.blocks.length > 0) return;
    if (!text.startsWith(this.rendered)) this.clear();
    this.rendered = text;
    const sources = this.renderer.streamingBlocks(text);
    sources.forEach((source, i) => {
      const existing = this.blocks[i];
      if (existing?.source === source) return;
      const element = existing?.element ?? this.element.appendChild(h('div', { class: 'md-block' }));
      element.innerHTML = this.renderer.markdownBlock(source);
      this.blocks[i] = { source, element };
    });
    for (const extra of this.blocks.splice(sources.length)) extra.element.remove();
  }

  /** Empties the element. */
  clear(): void {
    this.element.replaceChildren();
    this.forget();
  }

  /** Forgets the blocks, when the element's content was replaced otherwise (the finished answer). */
  forget(): void {
    this.blocks = [];
    this.rendered = '';
  }
}

/**
 * The badge of a closed code block of an answer that ended short, by why it did (the result's cutOff) — no more than the
 * reason tells, as the pipeline's warning: only the token limit or a content filter cut it off; the server's abort ended
 * it early; "other" is the server's end, unexplained. A reason not known (a result saved by an earlier version) names none.
 */
export function endedShortBadge(cutOff: CutOffView | undefined): { readonly text: string; readonly title: string } {
  const copyOnly = 'its code may be incomplete, so it can only be copied';
  switch (cutOff) {
    case 'token_limit':
      return { text: 'answer cut off', title: `The answer was cut off at the model’s token limit: ${copyOnly}` };
    case 'content_filter':
      return { text: 'answer filtered', title: `The server’s content filter cut the answer off: ${copyOnly}` };
    case 'aborted':
      return { text: 'answer ended early', title: `The server aborted the answer, or failed, before the model finished it: ${copyOnly}` };
    case 'unexplained':
      return { text: 'ended by the server', title: `The server ended the answer without saying why (not the model’s own end): ${copyOnly}` };
    case undefined:
      return { text: 'answer cut off', title: `The answer was cut off before its end: ${copyOnly}` };
    default: {
      const never: never = cutOff;
      return never;
    }
  }
}

function describeMeta(run: RunView): string {
  const result = run.result;
  const parts = [result?.provider || run.provider, result?.model || run.model].filter((p) => p !== '');
  if (result) {
    if (result.cached) parts.push('cached');
    const t = result.timings;
    parts.push(`context ${formatMs(t.contextMs)}`, `queue ${formatMs(t.queueMs)}`);
    if (t.firstTokenMs !== null) parts.push(`first token ${formatMs(t.firstTokenMs)}`);
    parts.push(`total ${formatMs(t.totalMs)}`);
  }
  return parts.join(' · ');
}

function isScrolledToBottom(): boolean {
  const doc = document.documentElement;
  return doc.scrollHeight - (window.scrollY + window.innerHeight) < 48;
}
