// Holds the Codegen credentials: the token lives only in the SecretStore (VS Code SecretStorage) or,
// when none is stored, in the CODEGEN_API_TOKEN environment variable. A token is validated against the
// API before it is stored, so a wrong token stores nothing.
import { AuthenticationError, ConfigurationError } from '../errors';
import { Emitter, type Listener } from '../emitter';
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
  | { kind: 'invalid'; source: 'secretStorage' | 'environment'; reason: string };

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

  /** Re-reads the stored token (after a change in another window) and updates the state. */
  async reload(): Promise<AuthState> {
    this.cachedToken = undefined;
    const stored = await this.secrets.get(TOKEN_SECRET_KEY);
    const env = this.env();
    let next: AuthState;
    if (stored?.trim()) next = { kind: 'signedIn', source: 'secretStorage', ...this.keepIdentity('secretStorage') };
    else if (env) next = { kind: 'signedIn', source: 'environment', ...this.keepIdentity('environment') };
    else next = { kind: 'signedOut' };
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
    const trimmedToken = token.trim();
    const trimmedOrg = orgId.trim();
    if (!trimmedToken) throw new AuthenticationError('No API token was entered.');
    if (!/^\d+$/.test(trimmedOrg)) throw new ConfigurationError(`The organization id must be numeric (got ${JSON.stringify(trimmedOrg.slice(0, 40))}).`, 'contexten.codegen.orgId');
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

  /** Marks the current token as rejected by the server (401/403). Returns true the first time only. */
  markInvalid(reason: string): boolean {
    if (this.state.kind === 'invalid') return false;
    const source = this.state.kind === 'signedIn' ? this.state.source : 'secretStorage';
    this.setState({ kind: 'invalid', source, reason });
    return true;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private keepIdentity(source: 'secretStorage' | 'environment'): { identity?: Identity } {
    return this.state.kind === 'signedIn' && this.state.source === source && this.state.identity ? { identity: this.state.identity } : {};
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
