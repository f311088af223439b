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

/**
 * What Sign Out says, given the state after it. The stored token is gone then: any token still in use (accepted or
 * not, `Bearer abc 12345` that cannot be sent too) comes from CODEGEN_API_TOKEN, which signing out cannot remove.
 */
export function signOutMessage(state: AuthState): string {
  if (state.kind === 'signedOut') return 'Contexten: signed out of Codegen.';
  const use = state.kind === 'signedIn' ? 'is still used' : 'is still set (and still cannot be used)';
  return `Contexten: not signed out: the Codegen token in the environment variable CODEGEN_API_TOKEN ${use}, and signing out cannot remove it. Unset the variable where VS Code is started, then restart VS Code.`;
}
