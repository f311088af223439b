// The context keys the sign-in state sets for package.json's when-clauses (pure: no vscode import, unit-tested).
import type { AuthState } from '../core/auth/tokenManager';

export interface AuthContextKeys {
  /** Signed in with a token the server has not rejected: New Task and Refresh are offered, the welcome view hidden. */
  readonly 'contexten.signedIn': boolean;
  /**
   * A token is in use, stored or CODEGEN_API_TOKEN, accepted or rejected: Sign Out is offered. A rejected stored token
   * can so be removed (until then it goes on overriding a working CODEGEN_API_TOKEN).
   */
  readonly 'contexten.hasToken': boolean;
}

export function authContextKeys(state: AuthState): AuthContextKeys {
  return { 'contexten.signedIn': state.kind === 'signedIn', 'contexten.hasToken': state.kind !== 'signedOut' };
}
