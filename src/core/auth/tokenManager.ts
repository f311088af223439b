// Holds the Codegen credentials: the token lives only in the SecretStore (VS Code SecretStorage) or,
// when none is stored, in the CODEGEN_API_TOKEN environment variable. A token is validated against the
// API before it is stored, so a wrong token stores nothing.
import { AuthenticationError, ConfigurationError } from '../errors';
import { isOrganizationId } from '../config/configSchema';
import { cleanCredential } from './credentialText';
import { Emitter, type Listener } from '../emitter';
import { tokenFingerprint } from './tokenFingerprint';
import type { Logger, SecretStore } from '../ports';

export const TOKEN_SECRET_KEY = 'contexten.codegen.token';

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
  | { kind: 'invalid'; source: 'secretStorage' | 'environment'; reason: string; identity?: Identity };

export class TokenManager {
  private readonly changed = new Emitter<AuthState>();
  readonly onDidChange: Listener<AuthState> = this.changed.event;
  private state: AuthState = { kind: 'signedOut' };
  private cachedToken: string | undefined;
  private readonly seenSecrets = new Set<string>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly validator: CredentialValidator,
    private readonly env: () => string | undefined,
    private readonly logger: Logger,
    /** Called with every token value seen, so loggers can redact it. */
    private readonly onSecretSeen: (value: string) => void = () => undefined,
  ) {}

  get current(): AuthState {
    return this.state;
  }

  /** The token to use for requests: SecretStorage first, then the environment. */
  async getToken(): Promise<string | undefined> {
    if (this.cachedToken !== undefined) return this.cachedToken;
    const stored = await this.secrets.get(TOKEN_SECRET_KEY);
    const token = stored?.trim() ? stored.trim() : this.env();
    if (token) this.see(token);
    this.cachedToken = token;
    return token;
  }

  /**
   * Re-reads the stored token (after a change in another window) and updates the state. The identity shown is kept
   * only while the token is the same one: another token may be another user's (shown unknown until a sign-in here).
   */
  async reload(): Promise<AuthState> {
    const previous = this.cachedToken;
    this.cachedToken = undefined;
    const stored = (await this.secrets.get(TOKEN_SECRET_KEY))?.trim();
    const env = this.env();
    const token = stored ? stored : env;
    const same = token !== undefined && token === previous;
    let next: AuthState;
    if (stored) next = { kind: 'signedIn', source: 'secretStorage', ...(same ? this.keepIdentity('secretStorage') : {}) };
    else if (env) next = { kind: 'signedIn', source: 'environment', ...(same ? this.keepIdentity('environment') : {}) };
    else next = { kind: 'signedOut' };
    if (token) this.see(token);
    this.cachedToken = token;
    this.setState(next);
    return next;
  }

  /**
   * Validates the token and org against the API first; stores the token only when both are valid.
   * Throws AuthenticationError / NotFoundError / ConfigurationError and stores nothing on failure.
   * `beforeStore` runs once both are valid, before the token is stored and the state changes (the glue
   * saves the org id there, so whatever reacts to the sign-in already sees it); if it throws, nothing is stored.
   */
  async signIn(orgId: string, token: string, signal?: AbortSignal, beforeStore?: (identity: Identity) => Promise<void>): Promise<Identity> {
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
    await beforeStore?.(identity);
    await this.secrets.store(TOKEN_SECRET_KEY, trimmedToken);
    this.cachedToken = trimmedToken;
    this.setState({ kind: 'signedIn', source: 'secretStorage', identity });
    this.logger.info(`Signed in to Codegen as ${identity.userName} (organization ${identity.organizationName}, ${identity.organizationId})`);
    return identity;
  }

  async signOut(): Promise<void> {
    await this.secrets.delete(TOKEN_SECRET_KEY);
    this.cachedToken = undefined;
    const env = this.env();
    this.setState(env ? { kind: 'signedIn', source: 'environment' } : { kind: 'signedOut' });
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
   * A request with the token `tokenFingerprint` was answered: a token marked invalid that is still the current one
   * works after all (e.g. the 403 was about something else), so the state is signedIn again.
   */
  markAccepted(tokenFingerprint: string): void {
    if (this.state.kind !== 'invalid' || !this.isCurrent(tokenFingerprint)) return;
    const { source, identity } = this.state;
    this.setState({ kind: 'signedIn', source, ...(identity ? { identity } : {}) });
  }

  dispose(): void {
    this.changed.dispose();
  }

  private keepIdentity(source: 'secretStorage' | 'environment'): { identity?: Identity } {
    return this.state.kind !== 'signedOut' && this.state.source === source && this.state.identity ? { identity: this.state.identity } : {};
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

  private setState(next: AuthState): void {
    const same = JSON.stringify(next) === JSON.stringify(this.state);
    this.state = next;
    if (!same) this.changed.fire(next);
  }
}
