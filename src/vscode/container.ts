import type * as vscode from 'vscode';
import { ConfigService } from './config';
import { Disposable } from './lifecycle';
import { OutputLogger } from './log';

/**
 * The composition root: builds every service once, in dependency order, with constructor injection.
 * Nothing else creates services; nothing is a global singleton. Disposing the container disposes all.
 */
export class Container extends Disposable {
  readonly log: OutputLogger;
  readonly config: ConfigService;
  /** Secrets currently known to the process, so the logger can redact them by construction. */
  private readonly knownSecrets = new Set<string>();

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.log = this.register(new OutputLogger(() => [...this.knownSecrets]));
    this.config = this.register(new ConfigService(this.log));
  }

  /** Registers a secret value so every log line is redacted of it. */
  rememberSecret(value: string): void {
    if (value) this.knownSecrets.add(value);
  }
}
