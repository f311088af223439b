// The OpenAI-compatible API key, kept in the SecretStore with the origin (scheme, host and port) it was entered for:
// it is sent only there. When contexten.openai.baseUrl moves to another origin, requests fail (no key sent, no request
// made) until the user stores a key for the new one — or an empty one, for a server that needs none (a local Ollama).
// The origin is a secret of its own beside the key (not one JSON value), so a key stored by an earlier version — which
// knows only the key — is still read: it is adopted for the origin configured at its first use.
import { AuthenticationError } from '../errors';
import type { SecretStore } from '../ports';

/** SecretStorage key of the OpenAI-compatible API key. */
export const OPENAI_API_KEY_SECRET = 'contexten.openai.apiKey';
/** SecretStorage key of the origin the key was entered for (`https://api.openai.com`). */
export const OPENAI_KEY_ORIGIN_SECRET = 'contexten.openai.apiKeyOrigin';

/** A base URL's origin: scheme, host and port (`https://api.openai.com`; a default port left out). */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

export class OpenAiKeyStore {
  constructor(
    private readonly secrets: SecretStore,
    /** Called with every key value read, so loggers can redact it. */
    private readonly onSecretSeen: (value: string) => void = () => undefined,
  ) {}

  /**
   * The key to send to `baseUrl`, or undefined when none is stored (servers such as Ollama need none).
   * @throws AuthenticationError (`unsent`) when the key stored was entered for another origin: it is not sent.
   */
  async keyFor(baseUrl: string): Promise<string | undefined> {
    const stored = (await this.secrets.get(OPENAI_API_KEY_SECRET))?.trim();
    if (!stored) return undefined;
    this.onSecretSeen(stored);
    const origin = originOf(baseUrl);
    const enteredFor = (await this.secrets.get(OPENAI_KEY_ORIGIN_SECRET))?.trim();
    if (!enteredFor) {
      // (Stored by an earlier version, which recorded no origin: taken for the server configured now, as it was used.)
      await this.secrets.store(OPENAI_KEY_ORIGIN_SECRET, origin);
      return stored;
    }
    if (enteredFor !== origin) {
      throw new AuthenticationError(
        `The OpenAI-compatible API key was stored for ${enteredFor}, and contexten.openai.baseUrl now points to ${origin}: a key is sent only to the server it was entered for, so no request was made (if that server needs no key, such as a local Ollama, store an empty one).`,
        undefined,
        'openai',
        { unsent: true },
      );
    }
    return stored;
  }

  /** Stores `key` for the origin of `baseUrl`. The old key is deleted first, so no step of the way pairs a key with another origin. */
  async store(baseUrl: string, key: string): Promise<void> {
    const origin = originOf(baseUrl);
    this.onSecretSeen(key);
    await this.secrets.delete(OPENAI_API_KEY_SECRET);
    await this.secrets.store(OPENAI_KEY_ORIGIN_SECRET, origin);
    await this.secrets.store(OPENAI_API_KEY_SECRET, key);
  }

  /** Removes the key (and its origin): requests go without one. */
  async remove(): Promise<void> {
    await this.secrets.delete(OPENAI_API_KEY_SECRET);
    await this.secrets.delete(OPENAI_KEY_ORIGIN_SECRET);
  }
}
