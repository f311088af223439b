import type { Disposable } from './ports';

/** A subscribe function in the shape of vscode.Event, without depending on vscode. */
export type Event<T> = (listener: (e: T) => void) => Disposable;

/** A tiny typed event emitter for core code. A throwing listener does not stop the others. */
export class Emitter<T> {
  private listeners = new Set<(e: T) => void>();
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // listeners must not break the emitter
      }
    }
  }
  dispose(): void {
    this.listeners.clear();
  }
}
