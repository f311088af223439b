import type { SecretStore } from '../../../src/core/ports';

type ChangeListener = (e: { readonly key: string }) => unknown;

/**
 * A SecretStore in memory (VS Code's SecretStorage without a keychain): `data` shows what is stored, `gets` counts the
 * reads. With `{ changes: true }` it tells each change (SecretStore.onDidChange), its own writes and another window's
 * (setElsewhere); without, it has no onDidChange, as a store that cannot tell.
 */
export class MemorySecrets implements SecretStore {
  readonly data = new Map<string, string>();
  gets = 0;
  /** When set, writes fail with it, as they do on a locked keychain. */
  refuse: Error | undefined;
  readonly onDidChange?: (listener: ChangeListener) => { dispose(): void };
  private readonly listeners = new Set<ChangeListener>();

  constructor({ changes = false }: { readonly changes?: boolean } = {}) {
    if (changes) {
      this.onDidChange = (listener) => {
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
      };
    }
  }

  get(key: string): Promise<string | undefined> {
    this.gets++;
    return Promise.resolve(this.data.get(key));
  }

  store(key: string, value: string): Promise<void> {
    if (this.refuse) return Promise.reject(this.refuse);
    this.data.set(key, value);
    this.fire(key);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.data.delete(key);
    this.fire(key);
    return Promise.resolve();
  }

  /** Another window's write (the data changes, and the change is told); `undefined` deletes. */
  setElsewhere(key: string, value: string | undefined): void {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, value);
    this.fire(key);
  }

  private fire(key: string): void {
    for (const listener of [...this.listeners]) listener({ key });
  }
}
