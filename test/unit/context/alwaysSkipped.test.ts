import assert from 'node:assert/strict';
import { holdsSecrets, pathHoldsSecrets } from '../../../src/core/context/alwaysSkipped';

describe('files that hold secrets', () => {
  it('knows .env and .env.*, keys, key stores and credential files, in any letter case', () => {
    const secret = [
      '.env', '.env.local', '.env.production', '.env.development.local', '.ENV', '.Env.Local',
      'server.pem', 'tls.key', 'TLS.KEY', 'client.p12', 'client.pfx', 'release.keystore', 'upload.jks',
      'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ed25519_sk', 'id_rsa.old', 'ID_RSA',
      '.npmrc', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.pgpass',
    ];
    for (const name of secret) assert.equal(holdsSecrets(name), true, name);
  });

  it('keeps the templates that document the variables, public keys, and names that merely look alike', () => {
    const kept = [
      '.env.example', '.env.sample', '.env.template', '.env.dist', '.env.local.example', '.ENV.EXAMPLE',
      'id_rsa.pub', 'id_ed25519.pub', 'id_ed25519-cert.pub',
      '.envrc', 'env', 'env.ts', 'dotenv.js', 'keys.ts', 'keyboard.ts', 'key', 'pem', 'monkey', 'README.md', '.npmrc.md', 'a.env',
    ];
    for (const name of kept) assert.equal(holdsSecrets(name), false, name);
  });

  it('judges a path by its last segment', () => {
    assert.equal(pathHoldsSecrets('api/config/.env'), true);
    assert.equal(pathHoldsSecrets('certs/ca.pem'), true);
    assert.equal(pathHoldsSecrets('.env/lib/site.py'), false, 'a folder of such a name (a virtualenv) is left to the other rules');
    assert.equal(pathHoldsSecrets('keys.pem/notes.md'), false);
  });
});
