import * as vscode from 'vscode';
import { SinkLogger } from '../core/logLines';

/**
 * The extension's one LogOutputChannel, adapted to the core Logger port (SinkLogger: every line redacted, unexpected
 * errors with their stack, and never a throw, also after dispose).
 */
export class OutputLogger extends SinkLogger {
  readonly channel: vscode.LogOutputChannel;
  constructor(secrets: () => readonly string[]) {
    const channel = vscode.window.createOutputChannel('Contexten Codegen', { log: true });
    super(channel, secrets);
    this.channel = channel;
  }
}
