import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode, type FakeStatusBarItem } from '../fakes/fakeVscode';
import type * as vscode from 'vscode';
import { TOKEN_SECRET_KEY, TokenManager } from '../../../src/core/auth/tokenManager';
import { AuthController } from '../../../src/vscode/auth';
import { ConfigService } from '../../../src/vscode/config';
import { codegenEndpoint } from '../../../src/core/config/configSchema';
import { ConfigurationError } from '../../../src/core/errors';
import { MemorySecrets } from '../fakes/memorySecrets';
import { RecordingLogger } from '../fakes/recordingLogger';

describe('AuthController (sign-in and the status bar, on a fake VS Code)', () => {
  let secrets: MemorySecrets;
  let config: ConfigService;
  let tokens: TokenManager;
  let auth: AuthController;
  let status: FakeStatusBarItem;

  beforeEach(() => {
    fakeVscode.openWorkspace('/home/user/w');
    const log = new RecordingLogger();
    config = new ConfigService(log, {});
    secrets = new MemorySecrets({ changes: true });
    // (Any token is valid; its user is named after it: tok-alice is alice. The organization is org <id>.)
    tokens = new TokenManager(secrets, { validateCredentials: async (t, o) => ({ user: { id: 1, githubUsername: t.replace('tok-', '') }, organization: { id: Number(o), name: `Org ${o}` } }) }, () => undefined, log);
    auth = new AuthController(tokens, config, log, secrets as unknown as vscode.SecretStorage, () => Promise.resolve({}));
    const item = fakeVscode.statusBarItems.at(-1);
    assert.ok(item);
    status = item;
    // The container's wiring: a change of the Codegen base URL or org id is told to the controller.
    let endpoint = codegenEndpoint(config.snapshot['codegen.baseUrl'], config.snapshot['codegen.orgId']);
    config.onDidChange((s) => {
      const now = codegenEndpoint(s['codegen.baseUrl'], s['codegen.orgId']);
      if (now === endpoint) return;
      endpoint = now;
      auth.onEndpointChanged();
    });
  });
  afterEach(() => {
    auth.dispose();
    tokens.dispose();
    config.dispose();
  });

  async function signIn(orgId: string, token: string): Promise<boolean> {
    fakeVscode.inputAnswers.push(orgId, token);
    return auth.signIn();
  }

  it('names the user and organization only while the org id and base URL are the ones they were fetched for', async () => {
    assert.equal(await signIn('111', 'tok-alice'), true);
    // (The sign-in saved the org id: a change of the endpoint, to the one the identity is of.)
    assert.equal(config.snapshot['codegen.orgId'], '111');
    assert.equal(status.text, '$(account) Codegen: alice');
    assert.match(status.tooltip, /as alice \(Org 111\)/);

    fakeVscode.setConfiguration('contexten.codegen.orgId', '222');
    assert.equal(status.text, '$(account) Codegen');
    assert.doesNotMatch(status.tooltip, /alice|Org 111/);
    assert.match(status.tooltip, /signed in to Codegen — token from secret storage/);

    fakeVscode.setConfiguration('contexten.codegen.orgId', '111');
    assert.equal(status.text, '$(account) Codegen: alice');

    fakeVscode.setConfiguration('contexten.codegen.baseUrl', 'https://staging.example.com');
    assert.equal(status.text, '$(account) Codegen');
    assert.doesNotMatch(status.tooltip, /alice/);

    // A sign-in to the endpoint the settings name now shows who it is again.
    assert.equal(await signIn('222', 'tok-bob'), true);
    assert.equal(status.text, '$(account) Codegen: bob');
    assert.match(status.tooltip, /as bob \(Org 222\)/);
  });

  /** Lets the controller's reads of the token's origin (secret storage) finish. */
  async function settled(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  it('says to sign in again while the base URL points to another origin than the stored token was signed in to', async () => {
    await signIn('111', 'tok-alice');
    const signedInTo = 'https://api.codegen.com'; // (the default base URL's origin)
    fakeVscode.setConfiguration('contexten.codegen.baseUrl', 'https://staging.example.com');
    await settled();
    assert.equal(status.text, '$(warning) Codegen: sign in again');
    assert.equal(status.tooltip, `Contexten: your Codegen token was signed in to ${signedInTo}, and contexten.codegen.baseUrl now points to https://staging.example.com: it is not sent there — click to sign in again for https://staging.example.com`);
    assert.equal(status.command, 'contexten.signIn');

    // Back: signed in as before. Signed in there: no warning either.
    fakeVscode.setConfiguration('contexten.codegen.baseUrl', undefined);
    await settled();
    assert.equal(status.text, '$(account) Codegen: alice');
    fakeVscode.setConfiguration('contexten.codegen.baseUrl', 'https://staging.example.com');
    await settled();
    assert.equal(await signIn('111', 'tok-alice'), true);
    assert.equal(status.text, '$(account) Codegen: alice');
    await settled();
    assert.equal(status.text, '$(account) Codegen: alice');
  });

  it('another window storing the same token for another origin: the status bar says to sign in again (no state change to fire)', async () => {
    await signIn('111', 'tok-alice');
    await settled();
    assert.equal(status.text, '$(account) Codegen: alice');
    // (Another window, on another base URL, signs in with the same token: the state here is the same as before.)
    await secrets.store(TOKEN_SECRET_KEY, JSON.stringify({ origin: 'https://staging.example.com', token: 'tok-alice' }));
    await settled();
    await assert.rejects(tokens.tokenFor('https://api.codegen.com'), /stored at sign-in to https:\/\/staging\.example\.com/);
    assert.equal(status.text, '$(warning) Codegen: sign in again');
  });

  it('an invalid base URL changed to another invalid value: the status bar names the new one', async () => {
    fakeVscode.setConfiguration('contexten.codegen.baseUrl', 'http://codegen.corp');
    assert.match(status.tooltip, /invalid value "http:\/\/codegen\.corp\/"/);
    fakeVscode.setConfiguration('contexten.codegen.baseUrl', 'http://other.corp');
    assert.match(status.tooltip, /invalid value "http:\/\/other\.corp\/"/);
  });

  it('while the base URL is invalid, the status bar says so (opening the setting) and no sign-in is asked', async () => {
    await signIn('111', 'tok-alice');
    fakeVscode.setConfiguration('contexten.codegen.baseUrl', 'http://codegen.corp');
    assert.equal(status.text, '$(warning) Codegen: base URL invalid');
    assert.match(status.tooltip, /Setting "contexten\.codegen\.baseUrl" has an invalid value "http:\/\/codegen\.corp\/".*No Codegen request is sent until it is corrected/);
    assert.deepEqual(status.command, { title: 'Open Settings', command: 'workbench.action.openSettings', arguments: ['contexten.codegen.baseUrl'] });
    const asked = fakeVscode.inputBoxes.length;
    await assert.rejects(signIn('111', 'tok-alice'), (e: unknown) => e instanceof ConfigurationError && e.setting === 'contexten.codegen.baseUrl');
    assert.equal(fakeVscode.inputBoxes.length, asked, 'nothing asked');
    fakeVscode.inputAnswers.length = 0;

    // (Removed: the default, which alice signed in to.)
    fakeVscode.setConfiguration('contexten.codegen.baseUrl', undefined);
    assert.equal(status.text, '$(account) Codegen: alice');
  });

  it('a sign-in the keychain refuses changes neither the org id setting nor the token requests carry', async () => {
    await signIn('111', 'tok-alice');
    secrets.refuse = new Error('Cannot create an item in a locked collection');
    await assert.rejects(signIn('222', 'tok-bob'), /locked collection/);
    assert.equal(config.snapshot['codegen.orgId'], '111');
    assert.equal(await tokens.getToken(), 'tok-alice');
    assert.equal(status.text, '$(account) Codegen: alice');
  });

  it('a sign-in whose org id cannot be saved puts the token stored before back', async () => {
    await signIn('111', 'tok-alice');
    fakeVscode.settingsWriteError = new Error('Unable to write into user settings: the file has unsaved changes');
    await assert.rejects(signIn('222', 'tok-bob'), /user settings/);
    assert.equal(config.snapshot['codegen.orgId'], '111');
    assert.equal((JSON.parse(secrets.data.get(TOKEN_SECRET_KEY) ?? '{}') as { token?: string }).token, 'tok-alice');
    assert.equal(await tokens.getToken(), 'tok-alice');
    // (The reload the put-back store causes has run.)
    await tokens.reload();
    assert.equal(status.text, '$(account) Codegen: alice');
  });
});
