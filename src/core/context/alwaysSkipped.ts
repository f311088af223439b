// What the indexer leaves out of every workspace, whatever the settings say: version-control folders, dependencies,
// minified and map files, lock files. The scanner matches them as globs (workspaceScanner.ts DEFAULT_EXCLUDES); a
// parse worker's grammar guess (firstLanguage.ts) checks names against them without loading the glob libraries.
// And files that hold secrets (holdsSecrets): never indexed, so never ranked nor sent to a model, whatever the
// .gitignore files, the settings or a file event, a document or a saved index say (WorkspaceFilter.isExcludedByGlob,
// WorkspaceIndex's load of a saved index).

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

/** `.env.*` names ending so document the variables a project reads (names, placeholders) rather than hold them: kept. */
const ENV_TEMPLATE_ENDINGS: readonly string[] = ['.example', '.sample', '.template', '.dist'];

/** Names of files that hold credentials (npm, PyPI, netrc, git and PostgreSQL logins), lower case. */
const SECRET_NAMES: ReadonlySet<string> = new Set(['.env', '.envrc', '.npmrc', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.pgpass']);

/** Endings of names of private keys, certificates with their keys, and key stores, lower case. */
const SECRET_ENDINGS: readonly string[] = ['.pem', '.key', '.p12', '.pfx', '.keystore', '.jks', '.tfstate', '.tfstate.backup', '.tfvars'];

/** Beginnings of names of SSH private keys, lower case (their `.pub` public halves are kept). */
const SSH_KEY_BEGINNINGS: readonly string[] = ['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519'];

/**
 * Whether a file of this name (its last path segment) is one that holds secrets: `.env` and `.env.*` (but
 * `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, also after another part: `.env.local.example`),
 * `*.pem`, `*.key`, `*.p12`, `*.pfx`, `*.keystore`, `*.jks`, SSH private keys (`id_rsa*`, `id_dsa*`, `id_ecdsa*`,
 * `id_ed25519*` but `*.pub`), direnv's `.envrc`, Terraform's state and variables (`*.tfstate`, `*.tfstate.backup`,
 * `*.tfvars`: plain-text secrets), `.npmrc`, `.pypirc`, `.netrc`/`_netrc`, `.git-credentials`, `.pgpass`. Letter case is
 * ignored (`.ENV` is the same file as `.env` on a disk that folds case, and as secret where it does not). Files only:
 * a directory of such a name (a virtualenv `.env/`) is left to the other rules.
 */
export function holdsSecrets(name: string): boolean {
  const n = name.toLowerCase();
  if (n.startsWith('.env.')) return !ENV_TEMPLATE_ENDINGS.some((end) => n.endsWith(end));
  return (
    SECRET_NAMES.has(n) ||
    SECRET_ENDINGS.some((end) => n.endsWith(end)) ||
    (SSH_KEY_BEGINNINGS.some((start) => n.startsWith(start)) && !n.endsWith('.pub'))
  );
}

/**
 * Files that hold secrets by the folder they are in, lower case: a cloud CLI's credentials, a container registry's
 * logins, a cluster's tokens (`.aws/credentials`, `.docker/config.json`, `.kube/config`).
 */
const SECRET_IN_FOLDER: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['.aws', new Set(['credentials'])],
  ['.docker', new Set(['config.json'])],
  ['.kube', new Set(['config'])],
]);

/**
 * holdsSecrets of a path's last segment ('/'- or '\\'-separated, relative or absolute), or a file of SECRET_IN_FOLDER,
 * or any file in an `.ssh` folder but its public keys (`*.pub`).
 */
export function pathHoldsSecrets(filePath: string): boolean {
  const p = filePath.replace(/\\/g, '/');
  const slash = p.lastIndexOf('/');
  const name = p.slice(slash + 1);
  if (holdsSecrets(name)) return true;
  if (slash < 0) return false;
  const folder = p.slice(p.lastIndexOf('/', slash - 1) + 1, slash).toLowerCase();
  const n = name.toLowerCase();
  if (folder === '.ssh') return !n.endsWith('.pub');
  return SECRET_IN_FOLDER.get(folder)?.has(n) ?? false;
}
