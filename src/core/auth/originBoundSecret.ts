// A credential kept in the SecretStore with the origin (scheme, host and port) it is for, in ONE secret (JSON, read
// with zod): the credential and its origin are written together, so no interleaving of writes — this window's or
// another's — can pair a credential with an origin it was not stored for, and a write that fails leaves the old value
// as it was. The OpenAI-compatible keys (a map: one key per origin) and the Codegen token (one origin) are kept so.
// A credential stored by an older version (a secret of its own holding the bare value, no origin) is adopted for the
// origin of the first base URL it is used with while no credential is stored in the JSON value, then that legacy
// secret is deleted. Once the JSON value holds one, a legacy credential is neither adopted nor deleted (a copy of one
// the JSON value holds excepted): see settleLegacy.
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

const ONE = z.object({ origin: z.string().min(1), token: z.string() });

export interface OriginBoundSecretOptions {
  /** The secret holding the JSON value. */
  readonly secret: string;
  /** The secret an older version kept the bare credential in (no origin). */
  readonly legacySecret: string;
  readonly layout: OriginBoundLayout;
  /** Told of a JSON value that is damaged in part or in whole (the message names no credential). */
  readonly warn?: (message: string) => void;
}

/** What is stored: the credentials of the JSON value that could be read, and a legacy one. */
export interface OriginBoundContents {
  readonly byOrigin: ReadonlyMap<string, string>;
  readonly legacy?: string;
}

export class OriginBoundSecret {
  /** This window's writes, one after another (a read-modify-write each). */
  private writes: Promise<unknown> = Promise.resolve();
  /**
   * What was read, kept until either secret changes (SecretStore.onDidChange, here or in another window) or this
   * window writes: a request asks for its credential more than once, and each read is a round trip to the keychain.
   * Nothing is kept when the store tells no changes.
   */
  private cached: Promise<OriginBoundContents> | undefined;
  private readonly subscription: { dispose(): unknown } | undefined;
  /** The damaged JSON value warned about last (warned once, not at every read). */
  private warnedAbout: string | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly options: OriginBoundSecretOptions,
  ) {
    this.subscription = secrets.onDidChange?.((e) => {
      if (e.key === options.secret || e.key === options.legacySecret) this.cached = undefined;
    });
  }

  dispose(): void {
    this.subscription?.dispose();
    this.cached = undefined;
  }

  /**
   * Every credential stored, by origin (with `one`, at most one); a legacy credential not adopted is under `legacy`.
   * Of a damaged JSON value, the entries that can be read (one that does not parse at all counts as none), with a
   * warning.
   */
  read(): Promise<OriginBoundContents> {
    if (this.cached !== undefined) return this.cached;
    const read = this.readNow();
    if (this.subscription !== undefined) {
      this.cached = read;
      read.catch(() => {
        if (this.cached === read) this.cached = undefined;
      });
    }
    return read;
  }

  /**
   * The credential stored for the origin of `baseUrl` (adopting a legacy one for it first, when the JSON value holds
   * none), and the origins others are stored for.
   */
  async lookup(baseUrl: string): Promise<{ readonly value?: string; readonly origin: string; readonly others: readonly string[] }> {
    const origin = originOf(baseUrl);
    const first = await this.read();
    let byOrigin = first.byOrigin;
    if (first.legacy !== undefined && (first.byOrigin.size === 0 || isCopy(first))) {
      // (Read again inside the turn: another write of this window may have stored a value meanwhile.)
      byOrigin = await this.serialised(async () => this.settleLegacy(await this.readNow(), origin));
    }
    const value = byOrigin.get(origin);
    const others = [...byOrigin.keys()].filter((o) => o !== origin);
    return value === undefined ? { origin, others } : { value, origin, others };
  }

  /**
   * A legacy credential, as found with the JSON value: adopted for `origin` while the JSON value holds none (the
   * first use after an upgrade: the older version sent it to whatever base URL was set, so this one does no worse),
   * deleted when the JSON value holds it already (a copy), and else left as it is: it was stored by an older version
   * still running in another window sharing this secret storage (a remote one), for a server this version cannot know.
   * Adopting it for this window's origin could send it to a server it was never entered for (this window's local
   * Ollama getting the remote window's OpenAI key), and deleting it would lose the key that window uses. Returns the
   * credentials by origin as stored now.
   */
  private async settleLegacy(now: OriginBoundContents, origin: string): Promise<ReadonlyMap<string, string>> {
    const { legacy } = now;
    if (legacy === undefined) return now.byOrigin;
    if (now.byOrigin.size === 0) {
      const adopted = new Map([[origin, legacy]]);
      await this.write(adopted);
      await this.deleteLegacy();
      return adopted;
    }
    if (isCopy(now)) await this.deleteLegacy();
    return now.byOrigin;
  }

  /**
   * Stores `value` for the origin of `baseUrl` in one write (with `one`, in place of any other). With `one`, a legacy
   * credential is deleted after it (a sign-in replaces the token, as it did in the older version); with `many`, only
   * when it is a copy of one stored (settleLegacy). When the write fails, what was stored stays as it was.
   */
  async store(baseUrl: string, value: string): Promise<void> {
    const origin = originOf(baseUrl);
    await this.serialised(async () => {
      const now = await this.readNow();
      const next = this.options.layout === 'one' ? new Map<string, string>() : new Map(now.byOrigin);
      next.set(origin, value);
      await this.write(next);
      if (now.legacy !== undefined && (this.options.layout === 'one' || isCopy({ byOrigin: next, legacy: now.legacy }))) await this.deleteLegacy();
    });
  }

  /**
   * Removes the credential stored for the origin of `baseUrl`, or every one (and a legacy one) without it; the secret
   * is deleted when none is left. A legacy credential goes with the last one (else the next lookup would adopt it in
   * its place) or when it is a copy of the one removed.
   */
  async remove(baseUrl?: string): Promise<void> {
    const origin = baseUrl === undefined ? undefined : originOf(baseUrl);
    await this.serialised(async () => {
      const now = await this.readNow();
      const next = origin === undefined ? new Map<string, string>() : new Map(now.byOrigin);
      const removed = origin === undefined ? undefined : next.get(origin);
      if (origin !== undefined) next.delete(origin);
      if (next.size === 0) await this.deleteJson();
      else await this.write(next);
      if (now.legacy !== undefined && (next.size === 0 || now.legacy === removed)) await this.deleteLegacy();
    });
  }

  /** Puts back a raw JSON value read before (undefined: deletes it), for a caller undoing a store. */
  async restore(json: string | undefined): Promise<void> {
    await this.serialised(async () => {
      this.cached = undefined;
      if (json === undefined) await this.deleteJson();
      else await this.secrets.store(this.options.secret, json);
      this.cached = undefined;
    });
  }

  /** The raw JSON value stored (for restore). */
  raw(): Promise<string | undefined> {
    return this.secrets.get(this.options.secret);
  }

  private async readNow(): Promise<OriginBoundContents> {
    const [json, legacyRaw] = await Promise.all([this.secrets.get(this.options.secret), this.secrets.get(this.options.legacySecret)]);
    const byOrigin = this.parse(json);
    const legacy = legacyRaw?.trim();
    return legacy ? { byOrigin, legacy } : { byOrigin };
  }

  /** Writes the JSON value; what was read is read again after it. */
  private write(byOrigin: ReadonlyMap<string, string>): Promise<void> {
    return this.changing(() => this.secrets.store(this.options.secret, this.serialise(byOrigin)));
  }

  private deleteJson(): Promise<void> {
    return this.changing(() => this.secrets.delete(this.options.secret));
  }

  private deleteLegacy(): Promise<void> {
    return this.changing(() => this.secrets.delete(this.options.legacySecret));
  }

  /** A change of a secret: what was read is read again after it (and meanwhile: the change may land part way). */
  private async changing(change: () => Promise<void>): Promise<void> {
    this.cached = undefined;
    try {
      await change();
    } finally {
      this.cached = undefined;
    }
  }

  /**
   * The credentials of the JSON value: each entry read on its own, so that one damaged entry does not hide the others
   * (and the next store, writing what was read, keeps them). A damaged value is warned about once, with the number of
   * entries left out, never a value.
   */
  private parse(json: string | undefined): ReadonlyMap<string, string> {
    if (json === undefined) return new Map();
    const byOrigin = new Map<string, string>();
    let damaged: string | undefined;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      damaged = 'it is not JSON';
    }
    if (damaged === undefined && this.options.layout === 'one') {
      const one = ONE.safeParse(value);
      if (!one.success) damaged = 'it is not an origin with a token';
      else if (one.data.token.trim()) byOrigin.set(one.data.origin, one.data.token.trim());
    } else if (damaged === undefined) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) damaged = 'it is not a map of origins to keys';
      else {
        let bad = 0;
        for (const [o, v] of Object.entries(value)) {
          if (typeof v !== 'string' || o === '') bad++;
          else if (v.trim()) byOrigin.set(o, v.trim());
        }
        if (bad > 0) damaged = `${bad} of its ${bad + byOrigin.size} entries are not an origin with a key (left out; the other ${byOrigin.size} are kept)`;
      }
    }
    if (damaged !== undefined && this.warnedAbout !== json) {
      this.warnedAbout = json;
      this.options.warn?.(`The secret ${this.options.secret} is damaged: ${damaged}.`);
    }
    return byOrigin;
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

/** Whether the legacy credential is one the JSON value holds already (for some origin). */
function isCopy(contents: OriginBoundContents): boolean {
  return contents.legacy !== undefined && [...contents.byOrigin.values()].includes(contents.legacy);
}
