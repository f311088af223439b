// The earlier runs the panel keeps (ViewState.earlier), under the Result tab's run: generations run side by side, so an
// older one may still be streaming, or finish, after a newer one took the panel. Each is a button that shows it.
// (Under the run, not over it: the run's own buttons stay the first of their names on the page.)
import type { RunView } from '../shared/protocol';
import { button, h, replaceChildren } from './dom';
import { STATUS_LABEL } from './resultTab';

/** A prompt's first line, cut for a button (the whole prompt is its tooltip). */
const LABEL_CHARS = 60;

export class RunsBar {
  readonly element = h('nav', { class: 'runs-bar', attrs: { 'aria-label': 'Earlier runs' } });
  private rendered: readonly RunView[] | undefined | null = null;

  constructor(private readonly show: (runId: number) => void) {}

  update(earlier: readonly RunView[] | undefined): void {
    if (earlier === this.rendered) return;
    this.rendered = earlier;
    const runs = earlier ?? [];
    this.element.hidden = runs.length === 0;
    replaceChildren(
      this.element,
      h('span', { class: 'runs-bar-label' }, 'Earlier runs:'),
      ...runs.map((run) => {
        const first = run.prompt.split('\n', 1)[0] ?? '';
        const label = first.length > LABEL_CHARS ? `${first.slice(0, LABEL_CHARS - 1)}…` : first;
        const b = button(`${label || '(no prompt)'} — ${statusOf(run)}`, () => this.show(run.id), { class: 'button secondary', title: run.prompt });
        b.dataset.runId = String(run.id);
        b.dataset.testid = 'earlier-run';
        return b;
      }),
    );
  }
}

/** A run's status as a button says it: a cancellation by its reason ("Replaced by a newer request"). */
function statusOf(run: RunView): string {
  return run.status === 'cancelled' && run.error ? run.error.message : STATUS_LABEL[run.status];
}

