import * as vscode from 'vscode';
import { TOKEN_SECRET_KEYS, type AuthState, type Identity, type TokenManager } from '../core/auth/tokenManager';
import { baseUrlOf, codegenEndpoint, isOrganizationId } from '../core/config/configSchema';
import { errorMessage, type AuthenticationError } from '../core/errors';
import { originOf } from '../core/auth/originBoundSecret';
import { noticeText } from '../core/noticeText';
import type { Logger } from '../core/ports';
import { authContextKeys, signOutMessage } from './authContext';
import type { ConfigService } from './config';
import { presentError } from './errorPresenter';
import { Disposable } from './lifecycle';
import { withCancellableProgress } from './progress';


/**
 * Sign-in/out flows, the status bar item, the `contexten.signedIn` and `contexten.hasToken` context keys
 * (authContextKeys), cross-window sync through `secrets.onDidChange`, and the one-time re-sign-in offer after a 401.
 */
export class AuthController extends Disposable {
  /** The advice about the organization id was shown: not again until a sign-in or an endpoint change. */
  private organizationAdvised = false;
  /**
   * The Codegen base URL and org id (codegenEndpoint) the identity of this window's last sign-in was fetched for: the
   * status bar names the user and organization only while the settings name that endpoint.
   */
  private identityEndpoint: string | undefined;
  private readonly statusItem = this.register(vscode.window.createStatusBarItem('contexten.auth', vscode.StatusBarAlignment.Left, 100));
  /**
   * The origin the stored token was signed in to, while the base URL points to another (TokenManager
   * storedForAnotherOrigin: no request goes with it there): the status bar asks to sign in again.
   */
  private tokenOriginElsewhere: string | undefined;
  /** Counts the reads of tokenOriginElsewhere: only the latest one's answer is kept. */
  private originReads = 0;

  constructor(
    private readonly tokens: TokenManager,
    private readonly config: ConfigService,
    private readonly log: Logger,
    secrets: vscode.SecretStorage,
    /** Asks Codegen something not about any organization with the current token (GET /v1/users/me): see judgeRejection. */
    private readonly checkToken: () => Promise<unknown>,
  ) {
    super();
    this.statusItem.name = 'Contexten Codegen sign-in';
    this.register({
      dispose: tokens.onDidChange((s) => {
        // (Any sign-in — the same token and org again too — may show the organization advice again.)
        this.organizationAdvised = false;
        this.render(s);
        void this.readTokenOrigin();
      }).dispose,
    });
    this.register(
      secrets.onDidChange((e) => {
        // (The origin is read again too: another window storing the same token for another origin, or adopting an older
        // version's token for its base URL, changes no state reload() compares, yet this window no longer sends it.)
        if (TOKEN_SECRET_KEYS.includes(e.key)) void this.tokens.reload().then(() => this.readTokenOrigin());
      }),
    );
    this.render(tokens.current);
    this.statusItem.show();
    void this.tokens.reload();
    void this.readTokenOrigin();
  }

  /** Reads tokenOriginElsewhere again (after a sign-in, a sign-out, a change of the base URL) and shows it. */
  private async readTokenOrigin(): Promise<void> {
    const read = ++this.originReads;
    const state = this.tokens.current;
    const baseUrl = this.config.snapshot['codegen.baseUrl'];
    let elsewhere: string | undefined;
    try {
      elsewhere = state.kind !== 'signedOut' && state.source === 'secretStorage' && 'url' in baseUrl ? await this.tokens.storedForAnotherOrigin(baseUrl.url) : undefined;
    } catch (err) {
      this.log.warn(`Could not read the origin of the Codegen token: ${errorMessage(err)}`);
      elsewhere = undefined;
    }
    if (read !== this.originReads || elsewhere === this.tokenOriginElsewhere) return;
    this.tokenOriginElsewhere = elsewhere;
    this.render(this.tokens.current);
  }

  /** "Contexten: Sign In to Codegen": org id + token (password input), validated before storing. */
  async signIn(): Promise<boolean> {
    // (Not asked while the base URL is invalid: the token would be checked against no server. Throws ConfigurationError.)
    baseUrlOf(this.config.snapshot, 'codegen.baseUrl');
    const orgId = await vscode.window.showInputBox({
      title: 'Sign In to Codegen (1/2)',
      prompt: 'Your Codegen organization id (numeric; see codegen.com/token)',
      value: this.config.snapshot['codegen.orgId'],
      ignoreFocusOut: true,
      validateInput: (v) => (isOrganizationId(v.trim()) ? undefined : /^\s*\d+\s*$/.test(v) ? 'That number is too long to be an organization id.' : 'The organization id is a number, such as 12345.'),
    });
    if (orgId === undefined) return false;
    const token = await vscode.window.showInputBox({
      title: 'Sign In to Codegen (2/2)',
      prompt: 'Your Codegen API token (stored only in VS Code secret storage)',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Paste the API token from codegen.com/token.'),
    });
    if (token === undefined) return false;
    // (The base URL the token is checked against: the identity is shown while the settings name it and that org; the
    // token is sent only to its origin.)
    const baseUrl = baseUrlOf(this.config.snapshot, 'codegen.baseUrl');
    const identity = await withCancellableProgress('Contexten: checking your Codegen token…', (signal) =>
      this.tokens.signIn(orgId, token, baseUrl, signal, async (valid) => {
        const before = this.identityEndpoint;
        this.identityEndpoint = codegenEndpoint({ url: baseUrl }, String(valid.organizationId));
        try {
          await this.saveOrgId(String(valid.organizationId));
        } catch (err) {
          this.identityEndpoint = before;
          throw err;
        }
        // (Signed in to the base URL configured: the announcement that follows shows it so, not as signed in elsewhere.)
        this.originReads++;
        this.tokenOriginElsewhere = undefined;
      }),
    );
    void vscode.window.showInformationMessage(noticeText(`Contexten: signed in to Codegen as ${identity.userName} (${identity.organizationName}).`));
    return true;
  }

  /**
   * The validated org id goes to the setting once the token is stored, before the sign-in is announced: the task list
   * loads with both. (Saved before the store, a keychain that refuses the token would leave the setting naming the new
   * organization while requests carry the old token; a failure here puts the old token back: TokenManager.signIn.)
   */
  private async saveOrgId(orgId: string): Promise<void> {
    if (this.config.snapshot['codegen.orgId'] === orgId) return;
    await vscode.workspace.getConfiguration('contexten').update('codegen.orgId', orgId, vscode.ConfigurationTarget.Global);
  }

  /** Whether there is a token to send (stored, or CODEGEN_API_TOKEN): read from secret storage when not known yet. */
  async hasToken(): Promise<boolean> {
    return (await this.tokens.getToken()) !== undefined;
  }

  async signOut(): Promise<void> {
    await this.tokens.signOut();
    const message = signOutMessage(this.tokens.current);
    if (this.tokens.current.kind === 'signedOut') void vscode.window.showInformationMessage(message);
    else void vscode.window.showWarningMessage(message);
  }

  /**
   * Called with the AuthenticationError of any request (TokenManager.judgeRejection tells what it means): offers
   * re-sign-in once per rejected token, or, for a 403 of an organization the token's user has no access to, shows the
   * advice about the org id once (until a sign-in or a change of the org id or base URL). Nothing for the local "not
   * signed in" or a rejection of a token replaced (or signed out of) since. Resolves true when it showed something now.
   */
  async handleRejectedToken(err: AuthenticationError): Promise<boolean> {
    const verdict = await this.tokens.judgeRejection(err, this.checkToken);
    if (verdict === 'organization') {
      if (this.organizationAdvised) return false;
      this.organizationAdvised = true;
      void presentError(err, this.log);
      return true;
    }
    if (verdict !== 'token') return false;
    const reason = this.tokens.current.kind === 'invalid' ? this.tokens.current.reason : err.message;
    this.log.warn(`Codegen rejected the token: ${reason}`);
    void vscode.window.showWarningMessage('Contexten: Codegen rejected your API token (it may have been revoked). Sign in again?', 'Sign In').then((pick) => {
      if (pick === 'Sign In') void vscode.commands.executeCommand('contexten.signIn');
    });
    return true;
  }

  /**
   * The Codegen org id or base URL setting changed: a 403 of the new organization is advised about again, and the user
   * and organization of the last sign-in are shown only while the settings name the endpoint they were fetched for
   * (a sign-in to the new one shows them again).
   */
  onEndpointChanged(): void {
    this.organizationAdvised = false;
    this.render(this.tokens.current);
    void this.readTokenOrigin();
  }

  /** Who signed in, when it was fetched for the endpoint the settings name now (identityEndpoint). */
  private shownIdentity(state: AuthState): Identity | undefined {
    if (state.kind === 'signedOut' || !state.identity) return undefined;
    const s = this.config.snapshot;
    return this.identityEndpoint === codegenEndpoint(s['codegen.baseUrl'], s['codegen.orgId']) ? state.identity : undefined;
  }

  private render(state: AuthState): void {
    const identity = this.shownIdentity(state);
    for (const [key, value] of Object.entries(authContextKeys(state))) void vscode.commands.executeCommand('setContext', key, value);
    const baseUrl = this.config.snapshot['codegen.baseUrl'];
    if ('invalid' in baseUrl) {
      // (Every Codegen request fails until it is corrected: configSchema's BaseUrlSetting.)
      this.statusItem.text = '$(warning) Codegen: base URL invalid';
      this.statusItem.tooltip = `Contexten: ${baseUrl.invalid} Click to open the setting.`;
      this.statusItem.command = { title: 'Open Settings', command: 'workbench.action.openSettings', arguments: ['contexten.codegen.baseUrl'] };
      this.statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      return;
    }
    switch (state.kind) {
      case 'signedOut':
        this.statusItem.text = '$(sign-in) Codegen: Sign In';
        this.statusItem.tooltip = 'Contexten: sign in to Codegen to run agent tasks';
        this.statusItem.command = 'contexten.signIn';
        this.statusItem.backgroundColor = undefined;
        break;
      case 'signedIn':
        if (state.source === 'secretStorage' && this.tokenOriginElsewhere !== undefined) {
          // (No request goes with the token to this base URL: TokenManager.tokenFor.)
          const origin = originOf(baseUrl.url);
          this.statusItem.text = '$(warning) Codegen: sign in again';
          this.statusItem.tooltip = `Contexten: your Codegen token was signed in to ${this.tokenOriginElsewhere}, and contexten.codegen.baseUrl now points to ${origin}: it is not sent there — click to sign in again for ${origin}`;
          this.statusItem.command = 'contexten.signIn';
          this.statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
          break;
        }
        this.statusItem.text = `$(account) Codegen${identity ? `: ${identity.userName}` : ''}`;
        this.statusItem.tooltip = `Contexten: signed in to Codegen${identity ? ` as ${identity.userName} (${identity.organizationName})` : ''} — token from ${state.source === 'environment' ? 'CODEGEN_API_TOKEN' : 'secret storage'}`;
        this.statusItem.command = 'contexten.tasks.focus';
        this.statusItem.backgroundColor = undefined;
        break;
      case 'invalid':
        this.statusItem.text = state.unsendable ? '$(warning) Codegen: token unusable' : '$(warning) Codegen: token rejected';
        this.statusItem.tooltip = `Contexten: ${state.reason} — click to sign in again`;
        this.statusItem.command = 'contexten.signIn';
        this.statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
    }
  }
}
