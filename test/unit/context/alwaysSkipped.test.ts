import assert from 'node:assert/strict';
import { holdsSecrets, pathHoldsSecrets } from '../../../src/core/context/alwaysSkipped';

describe('files that hold secrets', () => {
  it('knows .env and .env.*, keys, key stores and credential files, in any letter case', () => {
    const secret = [
      '.env', '.env.local', '.env.production', '.env.development.local', '.ENV', '.Env.Local',
      'server.pem', 'tls.key', 'TLS.KEY', 'client.p12', 'client.pfx', 'release.keystore', 'upload.jks',
      'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ed25519_sk', 'id_rsa.old', 'ID_RSA',
      '.npmrc', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.pgpass',
      '.envrc', 'terraform.tfstate', 'terraform.tfstate.backup', 'prod.tfvars',
    ];
    for (const name of secret) assert.equal(holdsSecrets(name), true, name);
  });

  it('keeps the templates that document the variables, public keys, and names that merely look alike', () => {
    const kept = [
      '.env.example', '.env.sample', '.env.template', '.env.dist', '.env.local.example', '.ENV.EXAMPLE',
      'id_rsa.pub', 'id_ed25519.pub', 'id_ed25519-cert.pub',
      'env', 'env.ts', 'dotenv.js', 'keys.ts', 'keyboard.ts', 'key', 'pem', 'monkey', 'README.md', '.npmrc.md', 'a.env',
    ];
    for (const name of kept) assert.equal(holdsSecrets(name), false, name);
  });

  it('judges a path by its last segment', () => {
    assert.equal(pathHoldsSecrets('api/config/.env'), true);
    assert.equal(pathHoldsSecrets('certs/ca.pem'), true);
    assert.equal(pathHoldsSecrets('.env/lib/site.py'), false, 'a folder of such a name (a virtualenv) is left to the other rules');
    assert.equal(pathHoldsSecrets('keys.pem/notes.md'), false);
  });

  it('knows credential files by their folder: .aws/credentials, .docker/config.json, .kube/config, private keys in .ssh', () => {
    for (const p of ['.aws/credentials', 'home/.AWS/Credentials', '/home/u/.docker/config.json', '.kube/config', 'C:\\Users\\u\\.aws\\credentials', '.ssh/deploy_key', 'ops/.ssh/github']) {
      assert.equal(pathHoldsSecrets(p), true, p);
    }
    for (const p of ['.aws/config', 'aws/credentials', 'credentials', 'docker/config.json', '.docker/daemon.json', 'kube/config', '.ssh/deploy_key.pub', 'ssh/github', 'src/config']) {
      assert.equal(pathHoldsSecrets(p), false, p);
    }
  });
});
