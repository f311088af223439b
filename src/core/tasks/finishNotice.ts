// The notification shown when a followed agent run ends: its text and its actions, each a registered command with the
// tree node it applies to (run through the command, an action's failure is shown as that command's would be). Several
// runs of this window that ended while VS Code was closed are told in one notification (RestoredEnds).
import type { AgentRun } from '../api/codegenClient';
import { noticeText } from '../noticeText';
import type { TaskNode } from './taskListModel';

export interface FinishAction {
  readonly title: 'Open PR' | 'Copy Result' | 'Show Logs';
  readonly command: 'contexten.tasks.openPullRequest' | 'contexten.tasks.copyResult' | 'contexten.tasks.showLogs';
  readonly arg: TaskNode;
}

export interface FinishNotice {
  /** Complete: an information message; any other end: a warning. */
  readonly ok: boolean;
  readonly text: string;
  readonly actions: readonly FinishAction[];
}

export function finishNotice(run: AgentRun): FinishNotice {
  const ok = run.state === 'complete';
  // (The status and summary are the server's and the agent's: no link of theirs is made clickable, noticeText.)
  const text = noticeText(`Contexten: agent run #${run.id} ${ok ? 'finished' : `ended: ${run.status.toLowerCase() || 'unknown'}`}.${run.summary ? ` ${run.summary.split('\n')[0]?.slice(0, 120) ?? ''}` : ''}`);
  const actions: FinishAction[] = [];
  if (run.pullRequests.length) actions.push({ title: 'Open PR', command: 'contexten.tasks.openPullRequest', arg: { kind: 'run', run } });
  if (run.result) actions.push({ title: 'Copy Result', command: 'contexten.tasks.copyResult', arg: { kind: 'detail', run, label: 'Result', text: run.result } });
  actions.push({ title: 'Show Logs', command: 'contexten.tasks.showLogs', arg: { kind: 'run', run } });
  return { ok, text, actions };
}

/** Most runs named in the notification of the runs that ended while VS Code was closed: the others are counted. */
export const MAX_RUNS_NAMED = 10;

/** The one notification of several runs of this window that ended while VS Code was closed (RestoredEnds). */
export interface EndedWhileClosedNotice {
  /** All finished: an information message; any other end among them: a warning. */
  readonly ok: boolean;
  readonly text: string;
  readonly action: { readonly title: 'Show Agent Tasks'; readonly command: 'contexten.tasks.focus' };
}

export function endedWhileClosedNotice(runs: readonly AgentRun[]): EndedWhileClosedNotice {
  const ok = runs.every((r) => r.state === 'complete');
  // (Newest first, as the list shows them: not in the order their first polls happened to be answered.)
  const named = [...runs].sort((x, y) => y.id - x.id).slice(0, MAX_RUNS_NAMED).map((r) => `#${r.id} ${r.state === 'complete' ? 'finished' : r.status.toLowerCase() || 'ended'}`);
  const more = runs.length > MAX_RUNS_NAMED ? ` and ${runs.length - MAX_RUNS_NAMED} more` : '';
  // (The statuses are the server's: noticeText, as finishNotice.)
  const text = noticeText(`Contexten: ${runs.length} agent runs ended while VS Code was closed: ${named.join(', ')}${more}.`);
  return { ok, text, action: { title: 'Show Agent Tasks', command: 'contexten.tasks.focus' } };
}

/**
 * The ends of this window's runs found at their first poll after a window reload — they ended while VS Code was closed —
 * told together: several such runs would each get a notification at once, a stack of them on opening the window. The
 * restored runs' first answers are waited for (RunPoller.onDidAnswerRestored; their first polls are spread over their
 * interval, a minute at most), then `report` is called once with those that had ended (none: not called; one: the
 * caller shows its usual notification). An end seen later, or of a run not restored, is not taken: notified at once.
 */
export class RestoredEnds {
  private readonly waiting = new Set<number>();
  private ended: AgentRun[] = [];

  constructor(private readonly report: (runs: readonly AgentRun[]) => void) {}

  /** Runs followed again after a reload, their first polls to come. */
  expect(ids: readonly number[]): void {
    for (const id of ids) this.waiting.add(id);
  }

  /** A run's end, just seen: true when it was found at the run's first poll after the reload (told with the others). */
  takeEnd(run: AgentRun): boolean {
    if (!this.waiting.has(run.id)) return false;
    this.ended.push(run);
    return true;
  }

  /**
   * The run's first poll was answered (or failed), or it is no longer waited for (stopped, resumed, no longer this
   * window's): once no run is waited for, the ends taken are reported.
   */
  answered(id: number): void {
    if (!this.waiting.delete(id) || this.waiting.size > 0) return;
    const ended = this.ended;
    this.ended = [];
    if (ended.length > 0) this.report(ended);
  }

  /**
   * The run is this window's again (resumed), or followed anew: an end taken of it is no longer one to tell (the
   * notification would call it ended while it runs); as answered otherwise.
   */
  forget(id: number): void {
    this.ended = this.ended.filter((r) => r.id !== id);
    this.answered(id);
  }

  /** A sign-out or another account: nothing is waited for, and the ends taken are not the next account's to be told of. */
  clear(): void {
    this.waiting.clear();
    this.ended = [];
  }
}
