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
    // (`İ` lower-cases to two characters: a folder cut from the lower-cased path at the path's positions was `.aw`.)
    for (const p of ['.aws/credentials', 'home/.AWS/Credentials', '/home/u/.docker/config.json', '.kube/config', 'C:\\Users\\u\\.aws\\credentials', '.ssh/deploy_key', 'ops/.ssh/github', 'İ/.aws/credentials', 'Şİİ/.kube/config']) {
      assert.equal(pathHoldsSecrets(p), true, p);
    }
    for (const p of ['.aws/config', 'aws/credentials', 'credentials', 'docker/config.json', '.docker/daemon.json', 'kube/config', '.ssh/deploy_key.pub', 'ssh/github', 'src/config']) {
      assert.equal(pathHoldsSecrets(p), false, p);
    }
  });

  it('keeps source code named like a key or an .env file: an id_* or .env.* name ending in a parsed language’s extension', () => {
    for (const name of ['id_rsa_test.go', 'id_rsa_parser.py', 'id_ed25519.rs', 'id_dsa.java', 'ID_ECDSA_Util.TS', '.env.d.ts', '.env.mjs', '.env.config.js', '.dev.vars.d.ts']) {
      assert.equal(holdsSecrets(name), false, name);
    }
    for (const p of ['crypto/id_ed25519.rs', 'src/types/.env.d.ts', 'pkg/ssh/id_rsa_test.go']) assert.equal(pathHoldsSecrets(p), false, p);
    // (Not any extension: these are still the key or the file of values.)
    for (const name of ['id_rsa.bak', 'id_ed25519.old', 'id_rsa.txt', '.env.local', '.env.json', '.env.yaml']) assert.equal(holdsSecrets(name), true, name);
  });

  it('keeps the .env files that hold no values (a schema, defaults), and what an .ssh folder holds without a secret', () => {
    for (const name of ['.env.schema', '.env.defaults', '.env.local.defaults', '.dev.vars.example']) assert.equal(holdsSecrets(name), false, name);
    for (const p of ['.ssh/config', 'home/.ssh/known_hosts', '.ssh/known_hosts.old', '/home/u/.ssh/authorized_keys', '.ssh/authorized_keys2', '.ssh/keys/work.pub', '.ssh/Config']) {
      assert.equal(pathHoldsSecrets(p), false, p);
    }
  });

  it('knows keys anywhere under an .ssh folder, and the credential files of Google Cloud, Streamlit, Cloudflare, Azure Functions, PuTTY and web servers', () => {
    const secret = [
      '.ssh/keys/work_ed25519', '/home/u/.ssh/work/deploy', 'ops/.SSH/old/github', 'C:\\Users\\u\\.ssh\\keys\\id',
      'credentials.json', 'config/credentials.json', 'client_secret.json', 'client_secret_1234-abc.apps.googleusercontent.com.json',
      'service-account.json', 'keys/service-account-prod.json', 'service_account.json', 'application_default_credentials.json',
      '.streamlit/secrets.toml', 'app/.streamlit/secrets.toml', '.dev.vars', 'worker/.dev.vars', '.dev.vars.staging',
      'local.settings.json', 'api/local.settings.json', 'server.ppk', 'keys/putty.PPK', '.htpasswd', 'public/.htpasswd',
    ];
    for (const p of secret) assert.equal(pathHoldsSecrets(p), true, p);
    const kept = [
      'ssh/keys/work_ed25519', '.sshx/keys/work', 'my.ssh/key_notes', 'src/credentials.ts', 'credentials.json.md', 'client_secret.ts',
      'service-account.md', 'service-account.yaml', 'streamlit/secrets.toml', '.streamlit/config.toml', 'secrets.toml',
      'dev.vars', 'local.settings.example.json', 'settings.json', 'ppk.md', 'htpasswd.md',
    ];
    for (const p of kept) assert.equal(pathHoldsSecrets(p), false, p);
  });
});
