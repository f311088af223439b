import * as vscode from 'vscode';
import type { AgentRun, CodegenClient } from '../../core/api/codegenClient';
import type { AuthenticationError } from '../../core/errors';
import type { Clock, Logger } from '../../core/ports';
import { formatAge } from '../../core/tasks/formatAge';
import { escapeMarkdown, runHoverMarkdown } from '../../core/tasks/runHover';
import { TaskListModel, type TaskNode } from '../../core/tasks/taskListModel';
import { Disposable } from '../lifecycle';

/**
 * The "Agent Tasks" view: draws what its TaskListModel shows (the org's runs, paged, newest first, each with a status
 * icon, age and summary; children for pull requests and the result). Loading, sharing refreshes and what a failed or
 * cancelled one leaves are the model's (src/core/tasks/taskListModel.ts).
 */
export class TaskTreeProvider extends Disposable implements vscode.TreeDataProvider<TaskNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TaskNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly model: TaskListModel;

  constructor(
    client: CodegenClient,
    private readonly clock: Clock,
    log: Logger,
    onRuns: (runs: readonly AgentRun[], readAt: number) => void,
    onAuthFailure: (err: AuthenticationError) => void,
  ) {
    super();
    this.model = new TaskListModel({ client, clock, log, onRuns, onAuthFailure, onChange: () => this.changed.fire(undefined) });
  }

  private get list(): TaskListModel['list'] {
    return this.model.list;
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
    this.model.setSignedIn(signedIn);
  }

  /** Reloads the first pages; joins one under way, waiting through `signal` (TaskListModel.refresh). */
  refresh(signal?: AbortSignal): Promise<void> {
    return this.model.refresh(signal);
  }

  /** Loads the next page (clicked twice before it came: one page; after a refresh under way). */
  loadMore(signal?: AbortSignal): Promise<void> {
    return this.model.loadMore(signal);
  }

  /** Inserts or replaces one run (from creation, resume, stop or the poller). */
  upsert(run: AgentRun): void {
    this.model.upsert(run);
  }

  /** Drops a run the server no longer has; `noted`: the list says so until the next load (TaskListModel.remove). */
  remove(id: number, noted = false): void {
    this.model.remove(id, noted);
  }

  clear(): void {
    this.model.clear();
  }

  getChildren(node?: TaskNode): TaskNode[] {
    if (!node) return this.model.rootNodes();
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
