import type { Disposable } from './ports';

/** Subscribes a listener; dispose the result to unsubscribe. Shaped like vscode.Event so glue can adapt it 1:1. */
export type Listener<T> = (listener: (value: T) => void) => Disposable;

/** A tiny typed event emitter for core code (no vscode). A throwing listener never stops the others. */
export class Emitter<T> {
  private listeners = new Set<(value: T) => void>();

  readonly event: Listener<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  constructor(private readonly onListenerError?: (err: unknown) => void) {}

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (err) {
        this.onListenerError?.(err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
