import * as vscode from 'vscode';
import { adviseError, type AdviceStep } from '../core/errorAdvice';
import { CancellationError } from '../core/errors';
import type { Logger } from '../core/ports';

interface Presentation {
  message: string;
  actions: { title: string; run: () => unknown }[];
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

/** Logs the error and shows it with its actions. Cancellation is logged at debug level only. */
export async function presentError(err: unknown, log: Logger): Promise<void> {
  if (CancellationError.is(err)) {
    log.debug('cancelled');
    return;
  }
  log.error(err instanceof Error ? err : String(err));
  const p = describeError(err);
  const pick = await vscode.window.showErrorMessage(p.message, ...p.actions.map((a) => a.title));
  await p.actions.find((a) => a.title === pick)?.run();
}
