// How log lines are made and written: one place for the redaction, the detail an error gets, and the rule that
// logging never throws (a closed output channel must not fail the work that logs, e.g. a shutdown clean-up).
import { ContextenError } from './errors';
import type { Disposable, Logger, LogLevel } from './ports';
import { redactSecrets } from './redact';

/** Where lines go: the methods of VS Code's LogOutputChannel that the logger uses (the CLI or a test passes its own). */
export type LogSink = Record<LogLevel, (line: string) => void> & { dispose(): void };

/** How many causes deep an unexpected error's chain is followed (a cycle stops there too). */
const MAX_CAUSES = 4;

/**
 * An error as a log line. The product's own errors (ContextenError) are expected outcomes: name and message. Anything
 * else is a bug or a surprise from a library: its stack and its chain of causes, so "Show Logs" has something to debug with.
 */
export function describeErrorForLog(err: Error): string {
  if (err instanceof ContextenError) return `${err.name}: ${err.message}`;
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth <= MAX_CAUSES; depth++) {
    parts.push(depth === 0 ? errorWithStack(current) : `Caused by: ${errorWithStack(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

function errorWithStack(value: unknown): string {
  if (!(value instanceof Error)) return typeof value === 'string' ? value : safeJson(value);
  const head = `${value.name}: ${value.message}`;
  const stack = value.stack;
  if (!stack) return head;
  // V8's stack starts with "Name: message"; one that does not (a renamed error, a custom stack) gets the head first.
  return stack.startsWith(head) ? stack : `${head}\n${stack}`;
}

/** Joins a message and its arguments into one line, errors described by describeErrorForLog, and redacts it whole. */
export function formatLogLine(message: string | Error, args: readonly unknown[], secrets: readonly string[]): string {
  const parts = [message, ...args].map((a) => (a instanceof Error ? describeErrorForLog(a) : typeof a === 'string' ? a : safeJson(a)));
  return redactSecrets(parts.join(' '), secrets);
}

/**
 * The Logger over a sink. Every line is redacted of the known secrets. Logging never throws: after dispose it does
 * nothing, and a sink that throws (VS Code's channel once closed: "Channel has been closed") is ignored.
 */
export class SinkLogger implements Logger {
  private disposed = false;
  constructor(
    private readonly sink: LogSink,
    private readonly secrets: () => readonly string[],
  ) {}
  trace(m: string, ...a: unknown[]): void {
    this.write('trace', m, a);
  }
  debug(m: string, ...a: unknown[]): void {
    this.write('debug', m, a);
  }
  info(m: string, ...a: unknown[]): void {
    this.write('info', m, a);
  }
  warn(m: string, ...a: unknown[]): void {
    this.write('warn', m, a);
  }
  error(m: string | Error, ...a: unknown[]): void {
    this.write('error', m, a);
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    try {
      this.sink.dispose();
    } catch {
      // already closed
    }
  }
  private write(level: LogLevel, message: string | Error, args: readonly unknown[]): void {
    if (this.disposed) return;
    try {
      this.sink[level](formatLogLine(message, args, this.secrets()));
    } catch {
      // a log line is never worth failing the caller
    }
  }
}

/**
 * A Logger that writes each line, made as SinkLogger makes them (redacted, an unexpected error with its stack and
 * causes), through `write` at the levels given, dropping the others: a worker thread's log messages (the host's logger
 * redacts them again with the secrets it knows) and the CLI's stderr.
 */
export function lineLogger<L extends LogLevel>(levels: readonly L[], write: (level: L, line: string) => void): SinkLogger {
  const wanted = (level: LogLevel): level is L => (levels as readonly LogLevel[]).includes(level);
  const drop = (): void => undefined;
  const to = (level: LogLevel): ((line: string) => void) => (wanted(level) ? (line) => write(level, line) : drop);
  return new SinkLogger({ trace: to('trace'), debug: to('debug'), info: to('info'), warn: to('warn'), error: to('error'), dispose: drop }, () => []);
}

/**
 * Disposes `last` once `work` has settled, either way (never a rejection). For the log at shutdown: the clean-ups
 * still log, and VS Code disposes an extension's subscriptions right after calling deactivate, without awaiting it.
 */
export function disposeWhenSettled(work: Promise<unknown>, last: Disposable): Promise<void> {
  const close = (): void => last.dispose();
  return work.then(close, close);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
