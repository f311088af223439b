import type { LogLevel, Logger } from '../../../src/core/ports';

export interface LogLine {
  level: LogLevel;
  text: string;
}

/** A Logger that keeps every line (message and arguments rendered), so tests can assert on them. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];

  trace(message: string, ...args: unknown[]): void {
    this.add('trace', message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.add('debug', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.add('info', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.add('warn', message, args);
  }
  error(message: string | Error, ...args: unknown[]): void {
    this.add('error', message instanceof Error ? `${message.name}: ${message.message}` : message, args);
  }

  /** Every line at `level` (or all lines) joined by newlines. */
  text(level?: LogLevel): string {
    return this.lines
      .filter((l) => level === undefined || l.level === level)
      .map((l) => l.text)
      .join('\n');
  }

  private add(level: LogLevel, message: string, args: unknown[]): void {
    const rest = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : JSON.stringify(a)));
    this.lines.push({ level, text: [message, ...rest].join(' ') });
  }
}
