import type { SecretStore } from '../../../src/core/ports';

/** A SecretStore in memory (VS Code's SecretStorage without a keychain): `data` shows what is stored. */
export class MemorySecrets implements SecretStore {
  readonly data = new Map<string, string>();

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.data.get(key));
  }

  store(key: string, value: string): Promise<void> {
    this.data.set(key, value);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.data.delete(key);
    return Promise.resolve();
  }
}
