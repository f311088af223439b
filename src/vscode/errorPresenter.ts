import * as vscode from 'vscode';
import { adviseError, type AdviceStep } from '../core/errorAdvice';
import { CancellationError } from '../core/errors';
import { noticeText } from '../core/noticeText';
import type { Logger } from '../core/ports';
import { type NoticeAction, showNotice } from './notice';

interface Presentation {
  message: string;
  actions: NoticeAction[];
}

/** Turns any error into a message with a next step (adviseError), the steps as commands. Cancellation is silent. */
export function describeError(err: unknown): Presentation {
  const advice = adviseError(err);
  return { message: advice.message, actions: advice.steps.map(action) };
}

function action(step: AdviceStep): Presentation['actions'][number] {
  switch (step.kind) {
    case 'openSettings':
      return { title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', step.setting ?? 'contexten') };
    case 'showLogs':
      return { title: 'Show Logs', run: () => vscode.commands.executeCommand('contexten.showLogs') };
    case 'signIn':
      return { title: 'Sign In', run: () => vscode.commands.executeCommand('contexten.signIn') };
    case 'setOpenAiKey':
      return { title: 'Set API Key', run: () => vscode.commands.executeCommand('contexten.setOpenAiKey') };
  }
}

/**
 * Logs the error and shows it with its actions, without waiting for the user to answer (showNotice): whoever
 * failed settles at once. Cancellation is logged at debug level only.
 */
export function presentError(err: unknown, log: Logger): void {
  if (CancellationError.is(err)) {
    log.debug('cancelled');
    return;
  }
  log.error(err instanceof Error ? err : String(err));
  const p = describeError(err);
  // (The message can hold what a server said, an error body's text: no link of its is made clickable, noticeText.)
  showNotice((message, ...items) => vscode.window.showErrorMessage(message, ...items), noticeText(p.message), p.actions, log);
}
