import * as vscode from 'vscode';
import { AuthenticationError, CancellationError, isContextenError, errorMessage, type ContextenError } from '../core/errors';
import type { Logger } from '../core/ports';

interface Presentation {
  message: string;
  actions: { title: string; run: () => unknown }[];
}

/** Turns any error into a message with a next step. Cancellation is silent. */
export function describeError(err: unknown): Presentation {
  const openSettings = (setting?: string) => ({
    title: 'Open Settings',
    run: () => vscode.commands.executeCommand('workbench.action.openSettings', setting ?? 'contexten'),
  });
  const showLogs = { title: 'Show Logs', run: () => vscode.commands.executeCommand('contexten.showLogs') };
  if (!isContextenError(err)) {
    return { message: `Contexten: unexpected error: ${errorMessage(err)}`, actions: [showLogs] };
  }
  const e: ContextenError = err;
  switch (e.code) {
    case 'configuration':
      return { message: `Contexten: ${e.message}`, actions: [openSettings('setting' in e ? (e.setting as string | undefined) : undefined)] };
    case 'authentication':
      if (e instanceof AuthenticationError && e.credential === 'openai') {
        return {
          message: `Contexten: ${e.message} Store a valid key with "Contexten: Set OpenAI-Compatible API Key", or check contexten.openai.baseUrl.`,
          actions: [{ title: 'Set API Key', run: () => vscode.commands.executeCommand('contexten.setOpenAiKey') }, openSettings('contexten.openai.baseUrl')],
        };
      }
      return { message: `Contexten: ${e.message} Sign in again with a valid token.`, actions: [{ title: 'Sign In', run: () => vscode.commands.executeCommand('contexten.signIn') }] };
    case 'plan_limit':
      return { message: `Contexten: ${e.message} Upgrade your Codegen plan or wait for the allotment to reset.`, actions: [] };
    case 'not_found':
      return { message: `Contexten: ${e.message} Check the organization id and that the item still exists.`, actions: [openSettings('contexten.codegen.orgId')] };
    case 'validation':
      return { message: `Contexten: the request was rejected: ${e.message}`, actions: [showLogs] };
    case 'rate_limit':
      return { message: `Contexten: ${e.message} Wait a moment and try again.`, actions: [showLogs] };
    case 'network':
      return { message: `Contexten: cannot reach the server: ${e.message} Check your network or the base URL.`, actions: [openSettings(), showLogs] };
    case 'timeout':
      return { message: `Contexten: ${e.message} Try again, or raise contexten.http.timeoutMs.`, actions: [openSettings('contexten.http.timeoutMs')] };
    case 'server':
      return { message: `Contexten: the server failed: ${e.message} Try again later.`, actions: [showLogs] };
    case 'protocol':
      return { message: `Contexten: the server sent an unreadable answer: ${e.message}`, actions: [showLogs] };
    case 'generation':
      return { message: `Contexten: ${e.message}`, actions: [showLogs] };
    case 'cancelled':
      return { message: '', actions: [] };
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
