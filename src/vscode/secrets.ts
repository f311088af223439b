import type * as vscode from 'vscode';
import type { SecretStore } from '../core/ports';

/** The SecretStore port over VS Code SecretStorage (OS keychain; in code-server the browser profile). */
export class VscodeSecretStore implements SecretStore {
  readonly onDidChange: (listener: (e: { readonly key: string }) => unknown) => vscode.Disposable;
  constructor(private readonly storage: vscode.SecretStorage) {
    this.onDidChange = (listener) => storage.onDidChange(listener);
  }
  async get(key: string): Promise<string | undefined> {
    return this.storage.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    await this.storage.store(key, value);
  }
  async delete(key: string): Promise<void> {
    await this.storage.delete(key);
  }
}
