// What the indexer leaves out of every workspace, whatever the settings say: version-control folders, dependencies,
// minified and map files, lock files. The scanner matches them as globs (workspaceScanner.ts DEFAULT_EXCLUDES); a
// parse worker's grammar guess (firstLanguage.ts) checks names against them without loading the glob libraries.
// And files that hold secrets (holdsSecrets): never indexed, so never ranked nor sent to a model, whatever the
// .gitignore files, the settings or a file event, a document or a saved index say (WorkspaceFilter.isExcludedByGlob,
// WorkspaceIndex's load of a saved index).
import { hasSourceExtension } from './languages';

/** Names of files and folders left out wherever they are. */
export const ALWAYS_SKIPPED_NAMES: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'Cargo.lock',
  'go.sum',
  'poetry.lock',
]);

/** Endings of file names left out wherever they are. */
export const ALWAYS_SKIPPED_ENDINGS: readonly string[] = ['.min.js', '.map'];

/** Whether a file or folder of this name is always left out. */
export function isAlwaysSkipped(name: string): boolean {
  return ALWAYS_SKIPPED_NAMES.has(name) || ALWAYS_SKIPPED_ENDINGS.some((end) => name.endsWith(end));
}

/**
 * `.env.*` (and Cloudflare's `.dev.vars.*`) names ending so document the variables a project reads (names, placeholders,
 * defaults, a schema) rather than hold them: kept.
 */
const ENV_TEMPLATE_ENDINGS: readonly string[] = ['.example', '.sample', '.template', '.dist', '.schema', '.defaults'];

/**
 * Names of files that hold credentials, lower case: npm, PyPI, netrc, git and PostgreSQL logins, a web server's
 * password file, Cloudflare Workers' local secrets, Azure Functions' local settings (its connection strings), and
 * Google Cloud's OAuth client and application default credentials.
 */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  '.env', '.envrc', '.npmrc', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.pgpass', '.htpasswd', '.dev.vars',
  'local.settings.json', 'credentials.json', 'application_default_credentials.json',
]);

/** Endings of names of private keys (PuTTY's too), certificates with their keys, key stores and Terraform state, lower case. */
const SECRET_ENDINGS: readonly string[] = ['.pem', '.key', '.p12', '.pfx', '.ppk', '.keystore', '.jks', '.tfstate', '.tfstate.backup', '.tfvars'];

/** Beginnings of names of SSH private keys, lower case (their `.pub` public halves are kept). */
const SSH_KEY_BEGINNINGS: readonly string[] = ['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519'];

/** Beginnings of JSON files that hold a cloud's client secret or a service account's key, lower case (`client_secret_….json`). */
const SECRET_JSON_BEGINNINGS: readonly string[] = ['client_secret', 'service-account', 'service_account'];

/**
 * Whether a file of this name (its last path segment) is one that holds secrets: `.env` and `.env.*` (but
 * `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.schema`, `.env.defaults`, also after another part:
 * `.env.local.example`), `*.pem`, `*.key`, `*.p12`, `*.pfx`, `*.ppk`, `*.keystore`, `*.jks`, SSH private keys
 * (`id_rsa*`, `id_dsa*`, `id_ecdsa*`, `id_ed25519*` but `*.pub`), direnv's `.envrc`, Terraform's state and variables
 * (`*.tfstate`, `*.tfstate.backup`, `*.tfvars`: plain-text secrets), `.npmrc`, `.pypirc`, `.netrc`/`_netrc`,
 * `.git-credentials`, `.pgpass`, `.htpasswd`, Cloudflare's `.dev.vars` (and `.dev.vars.*` as `.env.*`), Azure
 * Functions' `local.settings.json`, Google's `credentials.json`, `application_default_credentials.json`,
 * `client_secret*.json` and `service-account*.json` / `service_account*.json`. An `id_*` or `.env.*` name ending in the
 * extension of a language the engine parses is source code, not a secret (`id_rsa_test.go`, `.env.d.ts`). Letter case
 * is ignored (`.ENV` is the same file as `.env` on a disk that folds case, and as secret where it does not). Files only:
 * a directory of such a name (a virtualenv `.env/`) is left to the other rules.
 */
export function holdsSecrets(name: string): boolean {
  return lowerCaseNameHoldsSecrets(name.toLowerCase());
}

/** holdsSecrets of a name in lower case. */
function lowerCaseNameHoldsSecrets(n: string): boolean {
  if (n.startsWith('.env.') || n.startsWith('.dev.vars.')) return !ENV_TEMPLATE_ENDINGS.some((end) => n.endsWith(end)) && !hasSourceExtension(n);
  return (
    SECRET_NAMES.has(n) ||
    SECRET_ENDINGS.some((end) => n.endsWith(end)) ||
    (SSH_KEY_BEGINNINGS.some((start) => n.startsWith(start)) && !n.endsWith('.pub') && !hasSourceExtension(n)) ||
    (n.endsWith('.json') && SECRET_JSON_BEGINNINGS.some((start) => n.startsWith(start)))
  );
}

/**
 * Files that hold secrets by the folder they are in, lower case: a cloud CLI's credentials, a container registry's
 * logins, a cluster's tokens, Streamlit's secrets (`.aws/credentials`, `.docker/config.json`, `.kube/config`,
 * `.streamlit/secrets.toml`).
 */
const SECRET_IN_FOLDER: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['.aws', new Set(['credentials'])],
  ['.docker', new Set(['config.json'])],
  ['.kube', new Set(['config'])],
  ['.streamlit', new Set(['secrets.toml'])],
]);

/** The names of SECRET_IN_FOLDER's files. */
const SECRET_IN_FOLDER_NAMES: ReadonlySet<string> = new Set([...SECRET_IN_FOLDER.values()].flatMap((names) => [...names]));

/** A path in an `.ssh` folder, at any depth, in any case. */
const SSH_FOLDER = /(?:^|\/)\.ssh\//i;

/** Files of an `.ssh` folder that hold no secret, lower case: its settings and the hosts' and users' public keys (and `*.pub`). */
const SSH_PUBLIC_NAMES: ReadonlySet<string> = new Set(['config', 'known_hosts', 'known_hosts.old', 'authorized_keys', 'authorized_keys2']);

/**
 * holdsSecrets of a path's last segment ('/'- or '\\'-separated, relative or absolute), or a file of SECRET_IN_FOLDER,
 * or any file under an `.ssh` folder (`.ssh/keys/work_ed25519` too) but its settings, `known_hosts`, `authorized_keys`
 * and public keys (`*.pub`).
 */
export function pathHoldsSecrets(filePath: string): boolean {
  // (Called for every file a scan lists and a saved index holds: no lower-case copy of the whole path.)
  const p = filePath.includes('\\') ? filePath.replace(/\\/g, '/') : filePath;
  const slash = p.lastIndexOf('/');
  const n = (slash < 0 ? p : p.slice(slash + 1)).toLowerCase();
  if (lowerCaseNameHoldsSecrets(n)) return true;
  if (slash < 0) return false;
  if (SSH_FOLDER.test(p) && !n.endsWith('.pub') && !SSH_PUBLIC_NAMES.has(n)) return true;
  if (!SECRET_IN_FOLDER_NAMES.has(n)) return false;
  const folder = p.slice(p.lastIndexOf('/', slash - 1) + 1, slash).toLowerCase();
  return SECRET_IN_FOLDER.get(folder)?.has(n) ?? false;
}
