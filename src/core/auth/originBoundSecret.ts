// A credential kept in the SecretStore with the origin (scheme, host and port) it is for, in ONE secret (JSON, read
// with zod): the credential and its origin are written together, so no interleaving of writes — this window's or
// another's — can pair a credential with an origin it was not stored for, and a write that fails leaves the old value
// as it was. The OpenAI-compatible keys (a map: one key per origin) and the Codegen token (one origin) are kept so.
// A credential stored by an older version (a secret of its own holding the bare value, no origin) is adopted for the
// origin of the first base URL it is used with, then that legacy secret is deleted.
//
// (SecretStorage has no compare-and-swap: two windows writing at once may lose one write — a key stored in one while
// the other adopts the legacy one — but never pair a value with another origin. Writes of one window are serialised.)
import * as z from 'zod';
import type { SecretStore } from '../ports';

/** Host names of this machine's loopback interface: one origin, with the same scheme and port. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The origin a credential for `baseUrl` is bound to: scheme, host and port (a default port left out, the host in lower
 * case), with `127.0.0.1` and `[::1]` taken as `localhost` (`http://127.0.0.1:11434/v1` → `http://localhost:11434`).
 * @throws TypeError when `baseUrl` is not a URL.
 */
export function originOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (LOOPBACK_HOSTS.has(url.hostname)) url.hostname = 'localhost';
  return url.origin;
}

/** How the secret is laid out: a map of origins to credentials (`many`), or one `{ origin, token }` (`one`). */
export type OriginBoundLayout = 'many' | 'one';

const MANY = z.record(z.string().min(1), z.string());
const ONE = z.object({ origin: z.string().min(1), token: z.string() });

export interface OriginBoundSecretOptions {
  /** The secret holding the JSON value. */
  readonly secret: string;
  /** The secret an older version kept the bare credential in (no origin). */
  readonly legacySecret: string;
  readonly layout: OriginBoundLayout;
}

export class OriginBoundSecret {
  /** This window's writes, one after another (a read-modify-write each). */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly secrets: SecretStore,
    private readonly options: OriginBoundSecretOptions,
  ) {}

  /**
   * Every credential stored, by origin (with `one`, at most one); a legacy credential not adopted yet is under
   * `legacy`. A JSON value that does not parse counts as none (and is replaced by the next store).
   */
  async read(): Promise<{ readonly byOrigin: ReadonlyMap<string, string>; readonly legacy?: string }> {
    const [json, legacyRaw] = await Promise.all([this.secrets.get(this.options.secret), this.secrets.get(this.options.legacySecret)]);
    const byOrigin = this.parse(json);
    const legacy = legacyRaw?.trim();
    return legacy ? { byOrigin, legacy } : { byOrigin };
  }

  /**
   * The credential stored for the origin of `baseUrl` (adopting a legacy one for it first, when no JSON value is
   * stored yet), and the origins others are stored for.
   */
  async lookup(baseUrl: string): Promise<{ readonly value?: string; readonly origin: string; readonly others: readonly string[] }> {
    const origin = originOf(baseUrl);
    const first = await this.read();
    let byOrigin = first.byOrigin;
    if (first.legacy !== undefined) {
      byOrigin = await this.serialised(async () => {
        // (Read again inside the turn: another write of this window may have stored a value meanwhile.)
        const now = await this.read();
        if (now.legacy === undefined) return now.byOrigin;
        if (now.byOrigin.size === 0) await this.secrets.store(this.options.secret, this.serialise(new Map([[origin, now.legacy]])));
        await this.secrets.delete(this.options.legacySecret);
        return now.byOrigin.size === 0 ? new Map([[origin, now.legacy]]) : now.byOrigin;
      });
    }
    const value = byOrigin.get(origin);
    const others = [...byOrigin.keys()].filter((o) => o !== origin);
    return value === undefined ? { origin, others } : { value, origin, others };
  }

  /**
   * Stores `value` for the origin of `baseUrl` in one write (with `one`, in place of any other); a legacy credential
   * is deleted after it (this store replaces it). When the write fails, what was stored stays as it was.
   */
  async store(baseUrl: string, value: string): Promise<void> {
    const origin = originOf(baseUrl);
    await this.serialised(async () => {
      const next = this.options.layout === 'one' ? new Map<string, string>() : new Map((await this.read()).byOrigin);
      next.set(origin, value);
      await this.secrets.store(this.options.secret, this.serialise(next));
      await this.secrets.delete(this.options.legacySecret);
    });
  }

  /**
   * Removes the credential stored for the origin of `baseUrl`, or every one (and a legacy one) without it; the secret
   * is deleted when none is left.
   */
  async remove(baseUrl?: string): Promise<void> {
    const origin = baseUrl === undefined ? undefined : originOf(baseUrl);
    await this.serialised(async () => {
      const next = origin === undefined ? new Map<string, string>() : new Map((await this.read()).byOrigin);
      if (origin !== undefined) next.delete(origin);
      if (next.size === 0) await this.secrets.delete(this.options.secret);
      else await this.secrets.store(this.options.secret, this.serialise(next));
      await this.secrets.delete(this.options.legacySecret);
    });
  }

  /** Puts back a raw JSON value read before (undefined: deletes it), for a caller undoing a store. */
  async restore(json: string | undefined): Promise<void> {
    await this.serialised(async () => {
      if (json === undefined) await this.secrets.delete(this.options.secret);
      else await this.secrets.store(this.options.secret, json);
    });
  }

  /** The raw JSON value stored (for restore). */
  raw(): Promise<string | undefined> {
    return this.secrets.get(this.options.secret);
  }

  private parse(json: string | undefined): ReadonlyMap<string, string> {
    if (json === undefined) return new Map();
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      return new Map();
    }
    if (this.options.layout === 'one') {
      const one = ONE.safeParse(value);
      return one.success && one.data.token.trim() ? new Map([[one.data.origin, one.data.token.trim()]]) : new Map();
    }
    const many = MANY.safeParse(value);
    if (!many.success) return new Map();
    return new Map(Object.entries(many.data).flatMap(([o, v]) => (v.trim() ? [[o, v.trim()] as const] : [])));
  }

  private serialise(byOrigin: ReadonlyMap<string, string>): string {
    if (this.options.layout === 'many') return JSON.stringify(Object.fromEntries(byOrigin));
    const [entry] = byOrigin;
    return JSON.stringify(entry === undefined ? {} : { origin: entry[0], token: entry[1] });
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.writes.then(work, work);
    this.writes = turn.catch(() => undefined);
    return turn;
  }
}
