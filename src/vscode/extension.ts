import * as vscode from 'vscode';
import type { ContextenApi } from '../core/generation/publicApi';
import { registerCommands } from './commands';
import { Container } from './container';

/** The running extension's container (for deactivate). */
let running: Container | undefined;

/** Kept tiny: build the container, register commands, start background work, return the public API. */
export function activate(context: vscode.ExtensionContext): ContextenApi {
  try {
    // (Each disposable is pushed as soon as it exists: a failure later — a command id taken already — leaves nothing
    // registered that VS Code would not dispose. A Container that fails partway disposes what it made itself.)
    const container = new Container(context);
    running = container;
    context.subscriptions.push(container);
    registerCommands(container, (d) => context.subscriptions.push(d));
    container.config.reportIssues();
    container.startBackgroundWork();
    container.log.info(`Contexten Codegen ${String(context.extension.packageJSON.version)} activated`);
    return container.generation.api;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(`Contexten Codegen failed to activate: ${message}`, 'Show Logs').then((pick) => {
      if (pick === 'Show Logs') void vscode.commands.executeCommand('workbench.action.showLogs');
    });
    throw err;
  }
}

/**
 * Everything is disposed through context.subscriptions; VS Code awaits what this returns: the Codegen client's
 * clean-ups of cancelled requests, bounded (Container.shutDown).
 */
export function deactivate(): Promise<void> | undefined {
  const container = running;
  running = undefined;
  return container?.shutDown();
}
