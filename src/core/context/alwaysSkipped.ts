// What the indexer leaves out of every workspace, whatever the settings say: version-control folders, dependencies,
// minified and map files, lock files. The scanner matches them as globs (workspaceScanner.ts DEFAULT_EXCLUDES); a
// parse worker's grammar guess (firstLanguage.ts) checks names against them without loading the glob libraries.

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
