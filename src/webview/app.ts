// The panel: a tab bar over the Result, Context and Performance tabs. Renders a ViewState; each tab
// re-renders only when its part of the state changed identity (the reducer keeps unchanged parts).
import type { Tab, ViewState, WebviewMessage } from '../shared/protocol';
import { ContextTab } from './contextTab';
import { h } from './dom';
import { PerformanceTab } from './performanceTab';
import type { Renderer } from './render';
import { ResultTab } from './resultTab';
import { RunsBar } from './runsBar';

const TABS: { id: Tab; label: string }[] = [
  { id: 'result', label: 'Result' },
  { id: 'context', label: 'Context' },
  { id: 'performance', label: 'Performance' },
];

export class ResultsApp {
  private readonly result: ResultTab;
  private readonly context: ContextTab;
  private readonly performance = new PerformanceTab();
  private readonly runsBar: RunsBar;
  private readonly tabButtons = new Map<Tab, HTMLButtonElement>();
  private readonly panels = new Map<Tab, HTMLElement>();

  constructor(
    root: HTMLElement,
    renderer: Renderer,
    post: (message: WebviewMessage) => void,
    private readonly onSelectTab: (tab: Tab) => void,
    onShowRun: (runId: number) => void,
  ) {
    this.result = new ResultTab(renderer, post);
    this.context = new ContextTab(post);
    this.runsBar = new RunsBar(onShowRun);
    const content: Record<Tab, HTMLElement> = { result: h('div', {}, this.result.element, this.runsBar.element), context: this.context.element, performance: this.performance.element };
    const tablist = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Contexten results' } });
    tablist.addEventListener('keydown', (e) => this.onTabKey(e));
    for (const { id, label } of TABS) {
      const tabButton = h('button', {
        class: 'tab',
        id: `tab-${id}`,
        attrs: { type: 'button', role: 'tab', 'aria-controls': `panel-${id}` },
        onClick: () => this.onSelectTab(id),
      }, label);
      this.tabButtons.set(id, tabButton);
      tablist.appendChild(tabButton);
      this.panels.set(id, h('section', { class: 'tab-panel', id: `panel-${id}`, attrs: { role: 'tabpanel', 'aria-labelledby': `tab-${id}` } }, content[id]));
    }
    root.replaceChildren(tablist, ...this.panels.values());
  }

  render(state: ViewState): void {
    for (const [id, tabButton] of this.tabButtons) {
      const selected = id === state.tab;
      tabButton.setAttribute('aria-selected', String(selected));
      tabButton.tabIndex = selected ? 0 : -1;
      const panel = this.panels.get(id);
      if (panel) panel.hidden = !selected;
    }
    const count = state.run?.result?.context.length;
    const contextButton = this.tabButtons.get('context');
    if (contextButton) contextButton.textContent = count ? `Context (${count})` : 'Context';
    this.runsBar.update(state.earlier);
    this.result.update(state.run);
    this.context.update(state.run);
    this.performance.update(state.performance);
  }

  /** Left/Right/Home/End move between tabs (WAI-ARIA tabs pattern). */
  private onTabKey(e: KeyboardEvent): void {
    const ids = TABS.map((t) => t.id);
    const current = ids.findIndex((id) => this.tabButtons.get(id) === document.activeElement);
    if (current < 0) return;
    const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: ids.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const id = ids[(next + ids.length) % ids.length];
    if (!id) return;
    this.onSelectTab(id);
    this.tabButtons.get(id)?.focus();
  }
}
