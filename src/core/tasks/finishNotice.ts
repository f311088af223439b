// The notification shown when a followed agent run ends: its text and its actions, each a registered command with the
// tree node it applies to (run through the command, an action's failure is shown as that command's would be).
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
