// The OpenAI-compatible API keys, kept in the SecretStore in one secret mapping each origin (scheme, host and port; the
// loopback names one: originOf) to the key stored for it (OriginBoundSecret): a key is sent only to the origin it was
// stored for. A server with no key stored gets none: one that needs a key answers 401, and the advice offers to set
// it. Switching between servers (OpenAI, a local Ollama) and back needs no key entered again. A key stored by an older
// version (the bare key, no origin) is adopted for the origin configured at its first use.
import type { SecretStore } from '../ports';
import { OriginBoundSecret } from './originBoundSecret';


/** SecretStorage key of the keys by origin (JSON: `{"https://api.openai.com": "sk-…"}`). */
export const OPENAI_API_KEYS_SECRET = 'contexten.openai.apiKeys';
/** SecretStorage key of the key an older version stored (no origin): adopted at its first use, then deleted. */
export const LEGACY_OPENAI_API_KEY_SECRET = 'contexten.openai.apiKey';

export class OpenAiKeyStore {
  private readonly keys: OriginBoundSecret;

  constructor(
    secrets: SecretStore,
    /** Called with every key value read, so loggers can redact it. */
    private readonly onSecretSeen: (value: string) => void = () => undefined,
    /** Told of a damaged secret (no key in the message). */
    warn: (message: string) => void = () => undefined,
  ) {
    this.keys = new OriginBoundSecret(secrets, {
      secret: OPENAI_API_KEYS_SECRET,
      legacySecret: LEGACY_OPENAI_API_KEY_SECRET,
      layout: 'many',
      warn: (message) => warn(`${message} The keys that could be read are used and kept.`),
    });
  }

  dispose(): void {
    this.keys.dispose();
  }

  /** The key to send to `baseUrl`: the one stored for its origin, or undefined when none is (no key is sent). */
  async keyFor(baseUrl: string): Promise<string | undefined> {
    const { value } = await this.keys.lookup(baseUrl);
    if (value !== undefined) this.onSecretSeen(value);
    return value;
  }

  /** Stores `key` for the origin of `baseUrl` (in one write: a failed one leaves the keys stored as they were). */
  async store(baseUrl: string, key: string): Promise<void> {
    this.onSecretSeen(key);
    await this.keys.store(baseUrl, key);
  }

  /** Removes the key stored for the origin of `baseUrl` (the others stay): requests there go without one. */
  async remove(baseUrl: string): Promise<void> {
    await this.keys.remove(baseUrl);
  }
}
