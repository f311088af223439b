import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TOKEN_SECRET_KEY, TokenManager, type AuthState, type CredentialValidator } from '../../../src/core/auth/tokenManager';
import { AuthenticationError } from '../../../src/core/errors';
import { nullLogger } from '../../../src/core/ports';
import { authContextKeys, signOutMessage } from '../../../src/vscode/authContext';
import { MemorySecrets } from '../fakes/memorySecrets';

interface MenuEntry {
  command: string;
  when?: string;
}
const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuEntry[]> } };

/** Evaluates the when-clauses package.json uses here: terms joined by `&&`, each `key`, `!key` or `key == value`. */
function holds(when: string, context: Record<string, unknown>): boolean {
  return when.split('&&').every((raw) => {
    const term = raw.trim();
    const eq = /^([\w.]+)\s*==\s*([\w.]+)$/.exec(term);
    if (eq) return context[eq[1] ?? ''] === eq[2];
    if (term.startsWith('!')) return !context[term.slice(1)];
    return Boolean(context[term]);
  });
}

const states: Record<AuthState['kind'], AuthState> = {
  signedOut: { kind: 'signedOut' },
  signedIn: { kind: 'signedIn', source: 'secretStorage' },
  invalid: { kind: 'invalid', source: 'secretStorage', reason: 'Codegen rejected the API token (HTTP 401).' },
};

describe('auth context keys and the menus that read them', () => {
  const signOutEntries = Object.entries(manifest.contributes.menus).flatMap(([menu, entries]) => entries.filter((e) => e.command === 'contexten.signOut').map((e) => ({ menu, when: e.when ?? '' })));

  it('offers Sign Out (palette and view title) while a token is in use, also once it was rejected, and not when signed out', () => {
    assert.deepEqual(signOutEntries.map((e) => e.menu).sort(), ['commandPalette', 'view/title']);
    const shown = (kind: AuthState['kind']): boolean[] => signOutEntries.map((e) => holds(e.when, { view: 'contexten.tasks', ...authContextKeys(states[kind]) }));
    assert.deepEqual(shown('invalid'), [true, true], 'the rejected token can be removed (a working CODEGEN_API_TOKEN is used then)');
    assert.deepEqual(shown('signedIn'), [true, true]);
    assert.deepEqual(shown('signedOut'), [false, false]);
  });

  it('offers New Task and Refresh only with a token not rejected', () => {
    const entries = manifest.contributes.menus['view/title'] ?? [];
    for (const command of ['contexten.tasks.new', 'contexten.tasks.refresh']) {
      const when = entries.find((e) => e.command === command)?.when ?? '';
      const shown = (kind: AuthState['kind']): boolean => holds(when, { view: 'contexten.tasks', ...authContextKeys(states[kind]) });
      assert.deepEqual([shown('signedIn'), shown('invalid'), shown('signedOut')], [true, false, false], command);
    }
  });

  describe('what Sign Out says', () => {
    const validator: CredentialValidator = { validateCredentials: () => Promise.reject(new AuthenticationError('not asked here', 401)) };

    /** Signs out in a window whose CODEGEN_API_TOKEN is `env`, with a token stored by signing in; what is said then. */
    async function signOutWith(env: string | undefined): Promise<string> {
      const secrets = new MemorySecrets();
      await secrets.store(TOKEN_SECRET_KEY, JSON.stringify({ origin: 'https://api.codegen.com', token: 'sk-stored-token-456' }));
      const tokens = new TokenManager(secrets, validator, () => env, nullLogger);
      await tokens.reload();
      await tokens.signOut();
      return signOutMessage(tokens.current);
    }

    it('says signed out when no token is left', async () => {
      assert.equal(await signOutWith(undefined), 'Contexten: signed out of Codegen.');
    });

    it('says that CODEGEN_API_TOKEN is still used, and cannot be removed by signing out, when it works', async () => {
      const said = await signOutWith('sk-env-token-123');
      assert.match(said, /not signed out: the Codegen token in the environment variable CODEGEN_API_TOKEN is still used, and signing out cannot remove it\. Unset the variable/);
    });

    it('says the same of a CODEGEN_API_TOKEN that cannot be used (not "signed out of Codegen")', async () => {
      const said = await signOutWith('Bearer abc 12345');
      assert.match(said, /not signed out: the Codegen token in the environment variable CODEGEN_API_TOKEN is still set \(and still cannot be used\), and signing out cannot remove it\. Unset the variable/);
      assert.doesNotMatch(said, /signed out of Codegen/);
    });
  });
});
