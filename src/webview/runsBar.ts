// The earlier runs the panel keeps (ViewState.earlier), under the Result tab's run: generations run side by side, so an
// older one may still be streaming, or finish, after a newer one took the panel. Each is a button that shows it.
// (Under the run, not over it: the run's own buttons stay the first of their names on the page.)
import type { RunView } from '../shared/protocol';
import { button, h } from './dom';
import { STATUS_LABEL } from './resultTab';

/** A prompt's first line, cut for a button (the whole prompt is its tooltip). */
const LABEL_CHARS = 60;

export class RunsBar {
  private readonly label = h('span', { class: 'runs-bar-label' }, 'Earlier runs:');
  readonly element = h('nav', { class: 'runs-bar', attrs: { 'aria-label': 'Earlier runs' } }, this.label);
  private rendered: readonly RunView[] | undefined | null = null;
  /**
   * Each earlier run's button, kept by run id while the run is listed. An earlier run that streams gets a new `earlier`
   * array on every flush (each token makes a new run object): rebuilt each time, a focused button lost focus to the page
   * and a click that straddled a flush landed on a button already gone. Kept, a button only has its words changed, and
   * only when they change.
   */
  private readonly buttons = new Map<number, HTMLButtonElement>();

  constructor(private readonly show: (runId: number) => void) {}

  update(earlier: readonly RunView[] | undefined): void {
    if (earlier === this.rendered) return;
    this.rendered = earlier;
    const runs = earlier ?? [];
    this.element.hidden = runs.length === 0;
    const listed = new Set(runs.map((run) => run.id));
    for (const [id, b] of this.buttons) {
      if (listed.has(id)) continue;
      b.remove();
      this.buttons.delete(id);
    }
    // In the list's order after the label; a button already in its place is not moved (moving one takes its focus).
    let previous: Element = this.label;
    for (const run of runs) {
      const b = this.buttonFor(run.id);
      const text = `${labelOf(run.prompt)} — ${statusOf(run)}`;
      if (b.textContent !== text) b.textContent = text;
      if (b.title !== run.prompt) b.title = run.prompt;
      if (previous.nextElementSibling !== b) previous.after(b);
      previous = b;
    }
  }

  private buttonFor(runId: number): HTMLButtonElement {
    const kept = this.buttons.get(runId);
    if (kept) return kept;
    const b = button('', () => this.show(runId), { class: 'button secondary' });
    b.dataset.runId = String(runId);
    b.dataset.testid = 'earlier-run';
    this.buttons.set(runId, b);
    return b;
  }
}

/** A prompt's first line, cut for a button (the whole prompt is its tooltip). */
function labelOf(prompt: string): string {
  const first = prompt.split('\n', 1)[0] ?? '';
  const label = first.length > LABEL_CHARS ? `${first.slice(0, LABEL_CHARS - 1)}…` : first;
  return label || '(no prompt)';
}

/** A run's status as a button says it: a cancellation by its reason ("Replaced by a newer request"). */
function statusOf(run: RunView): string {
  return run.status === 'cancelled' && run.error ? run.error.message : STATUS_LABEL[run.status];
}

