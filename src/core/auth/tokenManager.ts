// Holds the Codegen credentials: the token lives only in the SecretStore (VS Code SecretStorage) or,
// when none is stored, in the CODEGEN_API_TOKEN environment variable. A token is validated against the
// API before it is stored, so a wrong token stores nothing. A stored token is sent only to the origin (scheme, host and
// port) of the base URL it was checked against at sign-in, stored with it in one secret (OriginBoundSecret: the two
// are written together); the environment's token, the user's explicit choice, goes wherever contexten.codegen.baseUrl
// points. A token stored by an older version (bare, no origin) is adopted for the origin of its first use.
import { AuthenticationError, ConfigurationError, errorMessage } from '../errors';
import { isOrganizationId } from '../config/configSchema';
import { cleanCredential, type TokenOrigin, unusableTokenMessage } from './credentialText';
import { Emitter, type Listener } from '../emitter';
import { tokenFingerprint } from './tokenFingerprint';
import { OriginBoundSecret, originOf } from './originBoundSecret';
import type { Logger, SecretStore } from '../ports';

/** SecretStorage key of the token with the origin it was signed in to (JSON: `{"origin": "https://api.codegen.com", "token": "…"}`). */
export const TOKEN_SECRET_KEY = 'contexten.codegen.signedInToken';
/** SecretStorage key of the token an older version stored (no origin): adopted at its first use, then deleted. */
export const LEGACY_TOKEN_SECRET_KEY = 'contexten.codegen.token';
/** The secrets whose change (another window's sign-in or sign-out) the token is read again for. */
export const TOKEN_SECRET_KEYS: readonly string[] = [TOKEN_SECRET_KEY, LEGACY_TOKEN_SECRET_KEY];

export interface Identity {
  userName: string;
  organizationId: number;
  organizationName: string;
}

export interface CredentialValidator {
  validateCredentials(token: string, orgId: string, signal?: AbortSignal): Promise<{ user: { id: number; email?: string; githubUsername?: string; fullName?: string }; organization: { id: number; name: string } }>;
}

export type AuthState =
  | { kind: 'signedOut' }
  | { kind: 'signedIn'; source: 'secretStorage' | 'environment'; identity?: Identity }
  /** The server rejected the token, or (`unsendable`) it cannot be sent at all: a space inside, a typographic quote. */
  | { kind: 'invalid'; source: 'secretStorage' | 'environment'; reason: string; identity?: Identity; unsendable?: true };

/** What a request's AuthenticationError means (TokenManager.judgeRejection). */
export type RejectionVerdict = 'token' | 'organization' | 'ignored';

export class TokenManager {
  private readonly changed = new Emitter<AuthState>();
  readonly onDidChange: Listener<AuthState> = this.changed.event;
  private state: AuthState = { kind: 'signedOut' };
  private cachedToken: string | undefined;
  /** Where cachedToken came from. */
  private cachedOrigin: TokenOrigin | undefined;
  private readonly seenSecrets = new Set<string>();
  /** The token of the last sign-in here and who it is: the identity is shown for that token only. */
  private signedInWith: { readonly token: string; readonly identity: Identity } | undefined;
  /** The token a sign-in under way is storing: reload() does not announce it (the sign-in does, once it is complete). */
  private signingIn: string | undefined;
  /** The stored token with its origin (one secret). */
  private readonly stored: OriginBoundSecret;
  /** The token the state last set is about (reload, signIn, signOut): another one read is announced (reload). In memory only. */
  private announcedToken: string | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly validator: CredentialValidator,
    private readonly env: () => string | undefined,
    private readonly logger: Logger,
    /** Called with every token value seen, so loggers can redact it. */
    private readonly onSecretSeen: (value: string) => void = () => undefined,
  ) {
    this.stored = new OriginBoundSecret(secrets, {
      secret: TOKEN_SECRET_KEY,
      legacySecret: LEGACY_TOKEN_SECRET_KEY,
      layout: 'one',
      warn: (message) => logger.warn(`${message} It reads as signed out; sign in again to replace it.`),
    });
  }

  /** The token stored (signed in, or by an older version), and the origin it is for (undefined: not adopted yet). */
  private async storedToken(): Promise<{ readonly token: string; readonly origin?: string } | undefined> {
    const { byOrigin, legacy } = await this.stored.read();
    const [entry] = byOrigin;
    if (entry !== undefined) return { token: entry[1], origin: entry[0] };
    return legacy === undefined ? undefined : { token: legacy };
  }

  /**
   * The origin the stored token is for, when one is stored and was signed in to (or adopted for) another origin than
   * that of `baseUrl`: no request goes with it there (tokenFor). Undefined otherwise, and for an invalid `baseUrl`.
   */
  async storedForAnotherOrigin(baseUrl: string): Promise<string | undefined> {
    const stored = await this.storedToken();
    if (stored?.origin === undefined) return undefined;
    let origin: string;
    try {
      origin = originOf(baseUrl);
    } catch {
      return undefined;
    }
    return stored.origin === origin ? undefined : stored.origin;
  }

  get current(): AuthState {
    return this.state;
  }

  /** The token to use for requests: SecretStorage first, then the environment. */
  async getToken(): Promise<string | undefined> {
    if (this.cachedToken !== undefined) return this.cachedToken;
    const stored = (await this.storedToken())?.token;
    const token = stored ?? this.env();
    if (token) this.see(token);
    this.cachedToken = token;
    this.cachedOrigin = token === undefined ? undefined : stored !== undefined ? 'secretStorage' : 'environment';
    return token;
  }

  /**
   * The token to send to `baseUrl`: getToken's, when it is the environment's or was stored for that origin. A token
   * stored by an earlier version (no origin recorded) is taken for the origin of the first base URL it is sent to.
   * @throws AuthenticationError (no status) when the stored token was signed in for another origin: it is not sent.
   */
  async tokenFor(baseUrl: string): Promise<string | undefined> {
    const token = await this.getToken();
    if (token === undefined || this.cachedOrigin !== 'secretStorage') return token;
    // (The token and its origin as stored now, in one read: what is sent is the token stored for this origin.)
    const { value, origin, others } = await this.stored.lookup(baseUrl);
    if (value !== undefined) {
      this.see(value);
      return value;
    }
    const signedInTo = others[0];
    // (Signed out meanwhile, in another window: the environment's token, if any.)
    if (signedInTo === undefined) return this.env();
    throw new AuthenticationError(
      `Your Codegen token was stored at sign-in to ${signedInTo}, and contexten.codegen.baseUrl now points to ${origin}: a token is sent only to the server it was signed in to, so no request was made. Sign in again to use ${origin}, or set the base URL back.`,
    );
  }

  /** Where the token getToken gave last came from (for messages about it). */
  tokenOrigin(): TokenOrigin | undefined {
    return this.cachedToken === undefined ? undefined : this.cachedOrigin;
  }

  /**
   * Re-reads the stored token (after a change in another window, or this window's own sign-in: VS Code reports a store
   * before store() resolves) and updates the state. The identity shown is kept only for the token it was validated
   * with (the last sign-in here): another token may be another user's (shown unknown until a sign-in here). Another token
   * than the one read before is announced even when the state reads the same (signed in, from secret storage, nobody
   * known): another window's sign-in as another account, whose runs the sidebar no longer takes for this one's.
   */
  async reload(): Promise<AuthState> {
    this.cachedToken = undefined;
    const stored = (await this.storedToken())?.token;
    const env = this.env();
    const token = stored ? stored : env;
    // (Compared with the token the identity belongs to as it is now, after the wait: a sign-in under way may have
    // recorded it meanwhile, and what was cached before the wait may be the token this sign-in replaced.)
    const identity = token !== undefined && this.signedInWith?.token === token ? { identity: this.signedInWith.identity } : {};
    let next: AuthState;
    if (stored) next = usableOrNot(stored, { kind: 'signedIn', source: 'secretStorage', ...identity });
    else if (env) next = usableOrNot(env, { kind: 'signedIn', source: 'environment', ...identity });
    else next = { kind: 'signedOut' };
    if (token) this.see(token);
    this.cachedToken = token;
    this.cachedOrigin = stored ? 'secretStorage' : env ? 'environment' : undefined;
    // (The token of a sign-in under way, reported before its org id is saved: the sign-in announces it when complete.)
    if (stored !== undefined && stored === this.signingIn) return this.state;
    const another = this.announcedToken !== undefined && token !== undefined && token !== this.announcedToken;
    this.announcedToken = token;
    this.setState(next, another);
    return next;
  }

  /**
   * Validates the token and org against the API first; stores the token only when both are valid.
   * Throws AuthenticationError / NotFoundError / ConfigurationError and stores nothing on failure.
   * `afterStore` runs once the token is stored, before the state changes (the glue saves the org id there, so whatever
   * reacts to the sign-in already sees it). Nothing changes unless the whole sign-in succeeds: when the store fails,
   * afterStore is not called; when afterStore fails, the token stored before is put back (or the new one deleted).
   */
  async signIn(
    orgId: string,
    token: string,
    /** The base URL the token is checked against: the stored token is sent only to its origin (tokenFor). */
    baseUrl: string,
    signal?: AbortSignal,
    afterStore?: (identity: Identity) => Promise<void>,
  ): Promise<Identity> {
    // (A pasted token loses invisible characters; one with a character HTTP cannot carry is refused before it is tried.)
    const cleaned = cleanCredential(token);
    if ('problem' in cleaned) throw new AuthenticationError(`The API token ${cleaned.problem}. Copy it again from codegen.com/token.`);
    const trimmedToken = cleaned.value;
    const trimmedOrg = orgId.trim();
    if (!trimmedToken) throw new AuthenticationError('No API token was entered.');
    if (!/^\d+$/.test(trimmedOrg)) throw new ConfigurationError(`The organization id must be numeric (got ${JSON.stringify(trimmedOrg.slice(0, 40))}).`, 'contexten.codegen.orgId');
    if (!isOrganizationId(trimmedOrg)) throw new ConfigurationError(`The organization id is too long to be one (at most ${Number.MAX_SAFE_INTEGER}).`, 'contexten.codegen.orgId');
    this.see(trimmedToken);
    const { user, organization } = await this.validator.validateCredentials(trimmedToken, trimmedOrg, signal);
    const identity: Identity = {
      userName: user.githubUsername ?? user.fullName ?? user.email ?? `user ${user.id}`,
      organizationId: organization.id,
      organizationName: organization.name,
    };
    // (What to put back if the org id cannot be saved: the token and who it was, as they were.)
    const previous = { stored: await this.stored.raw(), legacy: await this.secrets.get(LEGACY_TOKEN_SECRET_KEY), signedInWith: this.signedInWith };
    // (Recorded before the store: the change event it causes may arrive, and reload() run, before store() resolves.)
    this.signedInWith = { token: trimmedToken, identity };
    this.signingIn = trimmedToken;
    try {
      try {
        // (The token and its origin in one write; an older version's token, replaced, is deleted after it.)
        await this.stored.store(baseUrl, trimmedToken);
      } catch (err) {
        // (A keychain that refuses the write: nothing changed, the old token and org id still go together.)
        this.signedInWith = previous.signedInWith;
        throw err;
      }
      // (Requests sent while afterStore runs — the task list reloading for the new org id — carry the new token.)
      this.cachedToken = trimmedToken;
      this.cachedOrigin = 'secretStorage';
      try {
        await afterStore?.(identity);
      } catch (err) {
        this.signedInWith = previous.signedInWith;
        await this.putBack(previous.stored, previous.legacy);
        throw err;
      }
    } finally {
      this.signingIn = undefined;
    }
    // (Fired even when the state is the same — signed in again with the same token and org: what a rejection stopped,
    // polling after a 403 of the organization, starts again.)
    this.announcedToken = trimmedToken;
    this.setState({ kind: 'signedIn', source: 'secretStorage', identity }, true);
    this.logger.info(`Signed in to Codegen as ${identity.userName} (organization ${identity.organizationName}, ${identity.organizationId})`);
    return identity;
  }

  /**
   * A sign-in that failed after its store: the token stored before it with the origin it was for (one value; none:
   * deleted), and an older version's token it replaced, are stored again, the state re-read.
   */
  private async putBack(stored: string | undefined, legacy: string | undefined): Promise<void> {
    try {
      await this.stored.restore(stored);
      if (legacy !== undefined) await this.secrets.store(LEGACY_TOKEN_SECRET_KEY, legacy);
    } catch (err) {
      this.logger.error(`Could not put the previous Codegen token back after a failed sign-in: ${errorMessage(err)}`);
    }
    this.signingIn = undefined;
    await this.reload().catch((err: unknown) => this.logger.error(`Could not read the Codegen token: ${errorMessage(err)}`));
  }

  async signOut(): Promise<void> {
    this.signedInWith = undefined;
    await this.stored.remove();
    this.cachedToken = undefined;
    const env = this.env();
    this.announcedToken = env;
    this.setState(env ? usableOrNot(env, { kind: 'signedIn', source: 'environment' }) : { kind: 'signedOut' });
    this.logger.info('Signed out of Codegen');
  }

  /**
   * Marks the token as rejected, for an AuthenticationError of a request: only when the server rejected the token
   * (a 401/403 — not the client's own "not signed in", not a 403 about an organization), the rejected token (its
   * fingerprint, in the error) is still the current one, and the state is signedIn. A rejection of a token replaced
   * meanwhile (a retry sent before the new sign-in), or one arriving after sign-out, changes nothing. Returns true when
   * it marked it (once per token).
   */
  markInvalid(rejection: AuthenticationError): boolean {
    if (!rejection.rejectsToken || this.state.kind !== 'signedIn' || !this.isCurrent(rejection.tokenFingerprint)) return false;
    const { source, identity } = this.state;
    this.setState({ kind: 'invalid', source, reason: rejection.message, ...(identity ? { identity } : {}) });
    return true;
  }

  /**
   * What the AuthenticationError of a request means, for the glue: `token` when the server rejected the current token
   * and it is marked invalid now (once per token: offer to sign in again), `organization` when the token works but
   * its user has no access to the organization in the settings (advise the org id), `ignored` otherwise (the client's
   * own "not signed in", a token replaced or signed out of meanwhile, one marked already). A 403 on an organization's
   * path is either (a revoked token may be answered with 403 there too): `checkToken` asks something not about any
   * organization with the current token (GET /v1/users/me) — rejected there too, the token is; answered, the org is
   * wrong. When that check fails otherwise (network, 5xx), the 403 is taken as about the organization.
   */
  async judgeRejection(rejection: AuthenticationError, checkToken: () => Promise<unknown>): Promise<RejectionVerdict> {
    if (!rejection.organization) return this.markInvalid(rejection) ? 'token' : 'ignored';
    const stillCurrent = (): boolean => rejection.status === 403 && this.state.kind === 'signedIn' && this.isCurrent(rejection.tokenFingerprint);
    if (!stillCurrent()) return 'ignored';
    try {
      await checkToken();
    } catch (err) {
      if (err instanceof AuthenticationError && err.rejectsToken) return this.markInvalid(err) ? 'token' : 'ignored';
      this.logger.warn(`Could not check the Codegen token after a 403 of the organization (${errorMessage(err)}); taking it as about the organization.`);
    }
    return stillCurrent() ? 'organization' : 'ignored';
  }

  dispose(): void {
    this.changed.dispose();
    this.stored.dispose();
  }

  /** Whether the fingerprint is the current token's (the one requests read now). */
  private isCurrent(fingerprint: string | undefined): boolean {
    return fingerprint !== undefined && this.cachedToken !== undefined && tokenFingerprint(this.cachedToken) === fingerprint;
  }

  private see(token: string): void {
    if (!this.seenSecrets.has(token)) {
      this.seenSecrets.add(token);
      this.onSecretSeen(token);
    }
  }

  /** Fires onDidChange when the state changed, or always with `always`. */
  private setState(next: AuthState, always = false): void {
    const same = JSON.stringify(next) === JSON.stringify(this.state);
    this.state = next;
    if (!same || always) this.changed.fire(next);
  }
}

/**
 * The state for a token found signed in: `invalid` when it cannot be sent at all (a space inside, a typographic quote:
 * every request would be refused before it goes), with the reason naming where the token came from.
 */
function usableOrNot(token: string, signedIn: Extract<AuthState, { kind: 'signedIn' }>): AuthState {
  const cleaned = cleanCredential(token);
  if (!('problem' in cleaned)) return signedIn;
  const { source, identity } = signedIn;
  return { kind: 'invalid', source, reason: unusableTokenMessage(cleaned.problem, source), ...(identity ? { identity } : {}), unsendable: true };
}
