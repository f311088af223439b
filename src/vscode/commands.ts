import * as vscode from 'vscode';
import type { Container } from './container';
import { presentError } from './errorPresenter';

/**
 * Every command the extension contributes. A unit test checks that this union, the table below and
 * package.json's contributes.commands list exactly the same ids.
 */
export type CommandId = 'contexten.showLogs';

type Handler = (...args: unknown[]) => unknown;

export const COMMANDS: Record<CommandId, (c: Container) => Handler> = {
  'contexten.showLogs': (c) => () => c.log.channel.show(),
};

export function registerCommands(c: Container): vscode.Disposable[] {
  return (Object.keys(COMMANDS) as CommandId[]).map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await COMMANDS[id](c)(...args);
      } catch (err) {
        await presentError(err, c.log);
        return undefined;
      }
    }),
  );
}
