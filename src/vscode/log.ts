import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { redactSecrets } from '../core/redact';

/** The extension's one LogOutputChannel, adapted to the core Logger port. Every line passes the redactor. */
export class OutputLogger implements Logger {
  readonly channel: vscode.LogOutputChannel;
  constructor(private readonly secrets: () => readonly string[]) {
    this.channel = vscode.window.createOutputChannel('Contexten Codegen', { log: true });
  }
  private fmt(message: string | Error, args: unknown[]): string {
    const base = message instanceof Error ? `${message.name}: ${message.message}` : message;
    const rest = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : safeJson(a)));
    return redactSecrets([base, ...rest].join(' '), this.secrets());
  }
  trace(m: string, ...a: unknown[]): void {
    this.channel.trace(this.fmt(m, a));
  }
  debug(m: string, ...a: unknown[]): void {
    this.channel.debug(this.fmt(m, a));
  }
  info(m: string, ...a: unknown[]): void {
    this.channel.info(this.fmt(m, a));
  }
  warn(m: string, ...a: unknown[]): void {
    this.channel.warn(this.fmt(m, a));
  }
  error(m: string | Error, ...a: unknown[]): void {
    this.channel.error(this.fmt(m, a));
  }
  dispose(): void {
    this.channel.dispose();
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
