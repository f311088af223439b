import * as vscode from 'vscode';
import type { AgentRun, CodegenClient } from '../../core/api/codegenClient';
import { AuthenticationError, errorMessage } from '../../core/errors';
import type { Clock, Logger } from '../../core/ports';
import { formatAge } from '../../core/tasks/formatAge';
import { escapeMarkdown, runHoverMarkdown } from '../../core/tasks/runHover';
import { RunListLoader } from '../../core/tasks/runListLoader';
import { Disposable } from '../lifecycle';

export type TaskNode =
  | { kind: 'run'; run: AgentRun }
  | { kind: 'pr'; run: AgentRun; index: number }
  | { kind: 'detail'; run: AgentRun; label: string; text: string }
  | { kind: 'loadMore' }
  | { kind: 'message'; text: string; error: boolean };

/**
 * The "Agent Tasks" view: the org's runs, paged with skip/limit, newest first, each with a status icon,
 * age and summary; children for pull requests and the result. Runs are replaced in place when the
 * poller reports a change, so the list stays intact through faults (a failed refresh keeps what was shown).
 */
export class TaskTreeProvider extends Disposable implements vscode.TreeDataProvider<TaskNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TaskNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  /** Loads the runs shown (its `list`), one load at a time. */
  private readonly loader: RunListLoader;
  private loaded = false;
  private lastError: string | undefined;
  private loading: Promise<void> | undefined;
  /** Counts clear() calls (see load). */
  private clears = 0;
  /**
   * False while signed out: the view is then empty (so VS Code shows its welcome view with the Sign In
   * button) and nothing is requested. Stays true while a rejected token waits for a new sign-in, so the
   * list stays intact.
   */
  private signedIn = false;

  constructor(
    client: CodegenClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    onRuns: (runs: readonly AgentRun[], readAt: number) => void,
    private readonly onAuthFailure: (err: AuthenticationError) => void,
  ) {
    super();
    this.loader = new RunListLoader({ client, clock, onRuns });
  }

  private get list(): RunListLoader['list'] {
    return this.loader.list;
  }

  /** Runs currently shown (for pickers and tests). */
  get shownRuns(): readonly AgentRun[] {
    return this.list.runs;
  }

  getRun(id: number): AgentRun | undefined {
    return this.list.get(id);
  }

  /** Signed in (or token rejected) → shows and loads runs; signed out → empty, nothing loaded. */
  setSignedIn(signedIn: boolean): void {
    if (signedIn === this.signedIn) return;
    this.signedIn = signedIn;
    if (!signedIn) this.clear();
  }

  /** Reloads the first pages (as many runs as are shown, at least one page). Keeps the old list on failure. */
  refresh(signal?: AbortSignal): Promise<void> {
    if (!this.signedIn) return Promise.resolve();
    this.loading ??= this.load(signal).finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Loads the next page (clicked twice before it came: one page; after a refresh under way). */
  async loadMore(signal?: AbortSignal): Promise<void> {
    if (!this.signedIn) return;
    try {
      await this.loader.loadMore(signal);
    } finally {
      this.changed.fire(undefined);
    }
  }

  /** Inserts or replaces one run (from creation, resume, stop or the poller). */
  upsert(run: AgentRun): void {
    this.list.upsert(run);
    this.loaded = true;
    this.changed.fire(undefined);
  }

  /** Drops a run the server no longer has. */
  remove(id: number): void {
    if (!this.list.get(id)) return;
    this.list.remove(id);
    this.changed.fire(undefined);
  }

  clear(): void {
    this.clears++;
    this.loader.clear();
    this.loaded = false;
    this.lastError = undefined;
    this.changed.fire(undefined);
  }

  private async load(signal?: AbortSignal): Promise<void> {
    const clears = this.clears;
    try {
      await this.loader.refresh(signal);
      // (A load from before a sign-out was not applied, nor is its failure: the list is still to be loaded.)
      if (clears !== this.clears) return;
      this.loaded = true;
      this.lastError = undefined;
    } catch (err) {
      if (clears !== this.clears) return;
      if (err instanceof AuthenticationError) this.onAuthFailure(err);
      this.lastError = errorMessage(err);
      this.log.warn(`Could not load agent runs: ${this.lastError}`);
      throw err;
    } finally {
      this.changed.fire(undefined);
    }
  }

  getChildren(node?: TaskNode): TaskNode[] {
    if (!node) {
      if (!this.signedIn) return [];
      const nodes: TaskNode[] = [];
      if (this.lastError) nodes.push({ kind: 'message', text: `Refresh failed: ${this.lastError}`, error: true });
      if (!this.loaded && !this.lastError) {
        void this.refresh().catch(() => undefined);
        return [{ kind: 'message', text: 'Loading agent runs…', error: false }];
      }
      const runs = this.list.runs;
      if (this.loaded && runs.length === 0) nodes.push({ kind: 'message', text: 'No agent runs yet. Use "New Task" to start one.', error: false });
      nodes.push(...runs.map((run): TaskNode => ({ kind: 'run', run })));
      // (By the server's offset: a run it sent but nobody could read is counted, not waited for.)
      if (this.list.hasMore) nodes.push({ kind: 'loadMore' });
      return nodes;
    }
    if (node.kind !== 'run') return [];
    const run = node.run;
    const children: TaskNode[] = run.pullRequests.map((_pr, index): TaskNode => ({ kind: 'pr', run, index }));
    if (run.summary) children.push({ kind: 'detail', run, label: 'Summary', text: run.summary });
    if (run.result) children.push({ kind: 'detail', run, label: 'Result', text: run.result });
    return children;
  }

  /** Needed by TreeView.reveal: details hang under their run, everything else is top level. */
  getParent(node: TaskNode): TaskNode | undefined {
    return node.kind === 'pr' || node.kind === 'detail' ? { kind: 'run', run: node.run } : undefined;
  }

  getTreeItem(node: TaskNode): vscode.TreeItem {
    switch (node.kind) {
      case 'run':
        return this.runItem(node.run);
      case 'pr': {
        const pr = node.run.pullRequests[node.index];
        const item = new vscode.TreeItem(pr?.title ?? 'Pull request', vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('git-pull-request');
        item.description = pr?.headBranchName ?? '';
        item.tooltip = pr?.url || 'No usable link from Codegen';
        item.contextValue = 'contexten.pr';
        item.command = { command: 'contexten.tasks.openPullRequest', title: 'Open Pull Request', arguments: [node] };
        return item;
      }
      case 'detail': {
        const firstLine = node.text.split('\n').find((l) => l.trim()) ?? '';
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = firstLine.slice(0, 120);
        // (The server's text escaped as the run's hover is: escapeMarkdown, not MarkdownString.appendText, which leaves bare URLs to become links.)
        item.tooltip = new vscode.MarkdownString(escapeMarkdown(node.text.slice(0, 4000)));
        item.iconPath = new vscode.ThemeIcon(node.label === 'Result' ? 'output' : 'note');
        item.contextValue = node.label === 'Result' ? 'contexten.result' : 'contexten.summary';
        item.command = { command: 'contexten.tasks.copyResult', title: 'Copy Result', arguments: [node] };
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem(`Load more… (${this.list.runs.length} of ${this.list.total})`);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'contexten.tasks.loadMore', title: 'Load More' };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.error ? 'warning' : 'info');
        if (node.error) item.command = { command: 'contexten.tasks.refresh', title: 'Refresh' };
        return item;
      }
    }
  }

  private runItem(run: AgentRun): vscode.TreeItem {
    const title = (run.summary?.split('\n')[0] ?? '').trim();
    const item = new vscode.TreeItem(`#${run.id}${title ? ` ${title.slice(0, 80)}` : ''}`, run.pullRequests.length || run.result || run.summary ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `run-${run.id}`;
    const status = run.status ? run.status.toLowerCase().replace(/_/g, ' ') : 'unknown';
    const age = run.createdAt ? formatAge(this.clock.now() - run.createdAt.getTime()) : '';
    item.description = [status, age].filter(Boolean).join(' · ');
    item.iconPath = statusIcon(run);
    // The server's text escaped (runHoverMarkdown); not trusted (no command links), no theme icons, no HTML.
    item.tooltip = new vscode.MarkdownString(runHoverMarkdown(run));
    const flags = [run.state === 'active' || run.state === 'unknown' ? 'active' : 'terminal', run.pullRequests.length ? 'pr' : '', run.result ? 'result' : '', run.webUrl ? 'web' : ''].filter(Boolean);
    item.contextValue = `contexten.run:${flags.join(':')}:`;
    return item;
  }
}

function statusIcon(run: AgentRun): vscode.ThemeIcon {
  switch (run.state) {
    case 'active':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case 'complete':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon(run.status === 'STOPPED' || run.status === 'CANCELLED' ? 'circle-slash' : 'error', new vscode.ThemeColor('testing.iconFailed'));
    case 'unknown':
      return new vscode.ThemeIcon('question');
  }
}
