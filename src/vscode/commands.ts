import * as vscode from 'vscode';
import type { Container } from './container';
import { presentError } from './errorPresenter';
import { settleOnFailure } from './notice';

/**
 * Every command the extension contributes. A unit test checks that this union, the table below and
 * package.json's contributes.commands list exactly the same ids.
 */
export type CommandId =
  | 'contexten.showLogs'
  | 'contexten.signIn'
  | 'contexten.signOut'
  | 'contexten.tasks.new'
  | 'contexten.tasks.refresh'
  | 'contexten.tasks.loadMore'
  | 'contexten.tasks.openInBrowser'
  | 'contexten.tasks.showLogs'
  | 'contexten.tasks.resume'
  | 'contexten.tasks.stop'
  | 'contexten.tasks.copyResult'
  | 'contexten.tasks.openPullRequest'
  | 'contexten.generate'
  | 'contexten.generateWithContext'
  | 'contexten.fixWithContext'
  | 'contexten.runAgentTaskWithContext'
  | 'contexten.cancelGeneration'
  | 'contexten.showResults'
  | 'contexten.setOpenAiKey'
  | 'contexten.context.preview'
  | 'contexten.context.reindex'
  | 'contexten.context.cancelIndexing';

type Handler = (...args: unknown[]) => unknown;

export const COMMANDS: Record<CommandId, (c: Container) => Handler> = {
  'contexten.showLogs': (c) => () => c.log.channel.show(),
  'contexten.signIn': (c) => () => c.auth.signIn(),
  'contexten.signOut': (c) => () => c.auth.signOut(),
  'contexten.tasks.new': (c) => (prompt) => c.tasks.newTask(prompt),
  'contexten.tasks.refresh': (c) => () => c.tasks.refresh(),
  'contexten.tasks.loadMore': (c) => () => c.tasks.loadMore(),
  'contexten.tasks.openInBrowser': (c) => (arg) => c.tasks.openInBrowser(arg),
  'contexten.tasks.showLogs': (c) => (arg) => c.tasks.showLogs(arg),
  'contexten.tasks.resume': (c) => (arg, followUp) => c.tasks.resume(arg, followUp),
  'contexten.tasks.stop': (c) => (arg) => c.tasks.stop(arg),
  'contexten.tasks.copyResult': (c) => (arg) => c.tasks.copyResult(arg),
  'contexten.tasks.openPullRequest': (c) => (arg) => c.tasks.openPullRequest(arg),
  'contexten.generate': (c) => (prompt) => c.generate.generate(prompt),
  'contexten.generateWithContext': (c) => () => c.generate.generateWithSelection(),
  'contexten.fixWithContext': (c) => (uri, diagnostic) => c.generate.fixDiagnostic(uri, diagnostic),
  'contexten.runAgentTaskWithContext': (c) => () => c.generate.runAgentTaskWithContext(),
  'contexten.cancelGeneration': (c) => () => c.generate.cancel(),
  'contexten.showResults': (c) => () => c.results.show(),
  'contexten.setOpenAiKey': (c) => () => c.generate.setOpenAiKey(),
  'contexten.context.preview': (c) => (query) => c.contextPreview.preview(query),
  'contexten.context.reindex': (c) => () => c.context.reindex(),
  'contexten.context.cancelIndexing': (c) => () => c.context.cancelIndexing(),
};

/**
 * Registers every command, handing each one's disposable to `keep` as soon as it is registered: when one fails (its id
 * taken already), those registered before it are kept (activate pushes them to context.subscriptions), not leaked.
 */
export function registerCommands(c: Container, keep: (d: vscode.Disposable) => void): void {
  for (const id of Object.keys(COMMANDS) as CommandId[]) {
    keep(
      // (A failure is shown without waiting for the user to close the notification: the command settles at once.)
      vscode.commands.registerCommand(id, (...args: unknown[]) =>
        settleOnFailure(
          () => COMMANDS[id](c)(...args),
          (err) => presentError(err, c.log),
        ),
      ),
    );
  }
}
