// Finds the files of a workspace worth indexing: honours nested .gitignore files (and .git/info/exclude, and git's
// global excludes file), those above the folder up to the top of its git work tree too,
// extra exclude globs (files.exclude + contexten.context.exclude), skips files over the size limit, binary
// extensions and symlink loops. Streams results so 50,000-file workspaces never sit in memory twice.
import { lstatSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { lstat, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import ignore, { type Ignore } from 'ignore';
import { LRUCache } from 'lru-cache';
import { fileVanished, throwIfAborted } from '../errors';
import { ALWAYS_SKIPPED_ENDINGS, ALWAYS_SKIPPED_NAMES, pathHoldsSecrets } from './alwaysSkipped';
import { pathKeyOn } from './diskSpelling';
import { fileTooLarge } from './fileSizeLimit';
import { excludesFilePath, gitUserDirs, repoExcludesFile, repositoryDirs, userExcludesFile, type ConfigContext, type GitUserDirs, type RepositoryDirs } from './gitConfig';
import { CONTENT_PROBE, EXCLUDE_GLOB_OPTIONS, globsMatcher, asPicomatchGlob } from './globs';
import { isAtOrUnder, isWithin } from './folderPaths';
import { hasBinaryExtension } from './languages';

/**
 * Whether the symbolic link at `abs` leads (through any chain of links) to a file that holds secrets (pathHoldsSecrets, by
 * the path of the file it leads to): `settings.txt → .env` is left out as `.env` is. False when it leads nowhere: the
 * file made there later reads the link again (its file event), which asks again.
 */
export async function leadsToSecrets(abs: string): Promise<boolean> {
  const real = await realpath(abs).catch(() => undefined);
  return real !== undefined && pathHoldsSecrets(real);
}

/** Always excluded, whatever the settings say (alwaysSkipped.ts), as globs. */
export const DEFAULT_EXCLUDES: readonly string[] = [...[...ALWAYS_SKIPPED_NAMES].map((name) => `**/${name}`), ...ALWAYS_SKIPPED_ENDINGS.map((end) => `**/*${end}`)];

export interface ScanOptions {
  /** Absolute workspace folder. */
  readonly root: string;
  /** Glob patterns relative to the root (files.exclude keys that are true, contexten.context.exclude). */
  readonly exclude?: readonly string[];
  /** Files larger than this are skipped (contexten.context.maxFileKB × 1024; a byte-order mark not counted: fileTooLarge). */
  readonly maxFileBytes: number;
  /** Called for each file passed over for its size or binary extension. */
  readonly onSkip?: (path: string, reason: 'too-large' | 'binary') => void;
  /**
   * Called for each file or directory the rules keep whose name is not valid UTF-8 (`b\xff.ts`, on Linux): listed with
   * U+FFFD in place of the bad bytes, such a name reaches no file through Node's string paths, so it is left out (and
   * a directory's content with it). Git lists such files; the caller says why they are missing.
   */
  readonly onUnreadableName?: (path: string) => void;
  /**
   * Called for each symbolic link to a file that the rules let in, whatever its size, and for each link that leads
   * nowhere, with where it leads (linkChain).
   */
  readonly onLink?: (path: string, chain: LinkChain) => void;
  /**
   * Called for each symbolic link to a directory outside the root (and outside skipDirs) that the walk meets and the
   * rules keep, or that lies on the way to the subtree, with the directory's real path and whether the walk follows it:
   * of several links to or into one directory, it follows the one it decides on first (decidedBefore; the index
   * re-syncs when such links come or go).
   */
  readonly onDirLink?: (path: string, target: string, followed: boolean) => void;
  /**
   * Real paths of directories not to enter, nor follow a link to or into (the roots of the workspace's other folders:
   * their scans walk them, whether the directory is reached through a link or not).
   */
  readonly skipDirs?: ReadonlySet<string>;
  /**
   * Called for each file or directory the rules keep that is there but cannot be read (no permission: a directory
   * without read permission cannot be listed, the files of one without search permission cannot be stat'ed; a file
   * turned into a symlink loop), with the error; '' for the directory the scan starts at. It is left out and the scan
   * goes on. (Not for one that vanished while the scan ran: it is simply not there.)
   */
  readonly onUnreadable?: (path: string, isDirectory: boolean, error: unknown) => void;
  /** A blocking directory listing slower than this sends the rest through the thread pool (SLOW_LISTING_MS; tests). */
  readonly slowListingMs?: number;
  /** The calls that list directories and stat files (tests inject failures: run as root, permissions restrict nothing). */
  readonly fileSystem?: ScanFileSystem;
}

/** What the scan lists directories and stats files with (node:fs by default). */
export interface ScanFileSystem {
  readonly statSync: (path: string, options: { throwIfNoEntry: false }) => Stats | undefined;
  readonly readdirSync: (path: string, options: { withFileTypes: true }) => Dirent[];
  readonly readdir: (path: string, options: { withFileTypes: true }) => Promise<Dirent[]>;
}

const NODE_FILE_SYSTEM: ScanFileSystem = { statSync, readdirSync, readdir };

export interface ScannedFile {
  /** Workspace-relative, '/' separated. */
  readonly path: string;
  readonly absPath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Directories listed ahead of the one being yielded. */
const LISTING_LOOKAHEAD = 16;
/** A blocking directory listing slower than this (a cold disk, a network drive) sends the rest through the thread pool. */
const SLOW_LISTING_MS = 4;
/** Time spent in blocking calls (listings, stats) after which the event loop gets a turn. */
const TURN_MS = 1;

interface Listing {
  readonly files: readonly ScannedFile[];
  /**
   * The subdirectories to walk, each with the ignore rules in force for its entries (levelsInside); `linked` for one
   * reached through a symbolic link to a directory outside the root, which the walk follows unless it met one to or into
   * that directory (or around it) before.
   */
  readonly dirs: readonly { readonly rel: string; readonly abs: string; readonly real: string; readonly levels: readonly IgnoreLevel[]; readonly linked: boolean }[];
}

interface Pending {
  readonly abs: string;
  readonly rel: string;
  /** The directory's real path (the links on the way to it resolved), which skipDirs are compared with. */
  readonly real: string;
  readonly levels: readonly IgnoreLevel[];
  listing?: Promise<Listing>;
}

/** Workspace-relative path with '/' separators. */
export function toWorkspacePath(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}

/**
 * One directory's .gitignore rules (or .git/info/exclude, a level of its own below every .gitignore; or git's global
 * excludes file, a level below that).
 */
interface IgnoreLevel {
  /** Workspace-relative directory ('' for the root, and for a directory above it). */
  readonly dir: string;
  /** For a directory above the root: the root's path relative to it ('packages/web'), which its rules' paths start with. */
  readonly above?: string;
  readonly rules: Ignore;
}

/**
 * Whether ignore rules match letter case exactly. Git decides per repository (`core.ignorecase`, which `git init` and
 * `git clone` set from the file system: on by default on Windows and macOS, off on Linux); the platform's default
 * stands for it here.
 */
const IGNORE_CASE = process.platform === 'win32' || process.platform === 'darwin';

function newRules(): Ignore {
  return ignore({ ignorecase: IGNORE_CASE });
}

/** isExcluded answers a filter keeps (see WorkspaceFilter.verdicts). */
const KEPT_VERDICTS = 32;

/**
 * Decides whether workspace paths are excluded. Also used for single paths from a file watcher, where the
 * .gitignore files of the path's ancestors are read on demand (and cached until `forget`).
 */

export class WorkspaceFilter {
  private readonly excluded: (p: string) => boolean;
  /** The globs written with a trailing `/` (`gen/`), without it: they match directories only, as in a .gitignore. */
  private readonly excludedDirs: (p: string) => boolean;
  private readonly levels = new Map<string, Promise<Ignore | undefined>>();
  /** The levels in force at the root before its .gitignore (rulesAboveRoot), read until forgetAbove. */
  private base: Promise<readonly IgnoreLevel[]> | undefined;
  /**
   * The last few isExcluded answers (an open document asks on every edit: ~0.07 ms each for a path four folders
   * deep), the least recently asked dropped first; they follow from the cached rules, so they go with them.
   */
  private readonly verdicts = new LRUCache<string, boolean>({ max: KEPT_VERDICTS });
  /** Counts forget calls: an answer computed across one is not kept. */
  private forgotten = 0;
  /**
   * Whether scans of this folder list directories with blocking calls (scanWorkspace): until one listing proves slow,
   * and from then on for every later scan of the folder too (a watcher's scan of a subtree starts blocking no more).
   */
  blockingListings = true;

  constructor(
    readonly root: string,
    exclude: readonly string[] = [],
  ) {
    this.excluded = globsMatcher([...DEFAULT_EXCLUDES, ...exclude].map(asPicomatchGlob), EXCLUDE_GLOB_OPTIONS);
    this.excludedDirs = globsMatcher(
      exclude.filter((g) => g.length > 1 && g.endsWith('/')).map((g) => asPicomatchGlob(g.replace(/\/+$/, ''))),
      EXCLUDE_GLOB_OPTIONS,
    );
  }

  /**
   * Excluded by a glob, or a file that holds secrets (alwaysSkipped.ts holdsSecrets: whatever the .gitignore files
   * say, so it is asked before them). Directories also match patterns that only match their contents (`dir/**`), and
   * those written with a trailing slash (`gen/`, which no path matches as it stands).
   */
  isExcludedByGlob(relPath: string, isDirectory: boolean): boolean {
    if (isDirectory) return this.excluded(relPath) || this.excluded(`${relPath}/${CONTENT_PROBE}`) || this.excludedDirs(relPath);
    return this.excluded(relPath) || pathHoldsSecrets(relPath);
  }

  /**
   * The .gitignore rules of a directory, cached.
   * @param hasGitignore false when a listing showed the directory has no .gitignore (saves trying to read it).
   */
  rulesFor(dir: string, hasGitignore?: boolean): Promise<Ignore | undefined> {
    let rules = this.levels.get(dir);
    if (!rules) {
      rules = hasGitignore === false ? Promise.resolve(undefined) : loadRules(path.join(this.root, ...dir.split('/').filter(Boolean), '.gitignore'));
      this.levels.set(dir, rules);
    }
    return rules;
  }

  /** The levels in force for the root's entries before the root's own .gitignore (rulesAboveRoot). */
  baseLevels(): Promise<readonly IgnoreLevel[]> {
    this.base ??= rulesAboveRoot(this.root, gitUserDirs());
    return this.base;
  }

  /**
   * Drops the rules read above the root (the .gitignore files between the top of its git work tree and the root,
   * .git/info/exclude and the global excludes file): no file watcher sees them, so a full scan reads them again.
   */
  forgetAbove(): void {
    this.base = undefined;
    this.verdicts.clear();
    this.forgotten++;
  }

  /**
   * The levels in force for the entries of directory `dir` before its own .gitignore (the levels a scan of it starts
   * with): the base levels and the .gitignore of each directory above it, adjusted on the way down as a scan adjusts
   * them (levelsInside). Undefined when `dir` or a directory above it is excluded.
   */
  levelsAbove(dir: string): Promise<readonly IgnoreLevel[] | undefined> {
    // The rules are all asked for before the first await: an answer follows the rules cached when it was asked for.
    const names = dir === '' ? [] : dir.split('/');
    const base = this.baseLevels();
    const ancestors = names.map((_, i) => names.slice(0, i).join('/'));
    const rules = ancestors.map((d) => this.rulesFor(d));
    return (async () => {
      let levels = await base;
      for (let i = 0; i < names.length; i++) {
        const parent = ancestors[i] ?? '';
        const own = await rules[i];
        const here = own ? [...levels, { dir: parent, rules: own }] : levels;
        const child = parent ? `${parent}/${names[i] ?? ''}` : (names[i] ?? '');
        const inside = this.isExcludedByGlob(child, true) ? undefined : levelsInside(here, child);
        if (!inside) return undefined;
        levels = inside;
      }
      return levels;
    })();
  }

  /**
   * Drops cached rules of a directory whose .gitignore changed; with `foldsCase` (a disk that folds case), those
   * cached under other spellings of it too.
   */
  forget(dir: string, foldsCase = false): void {
    const fold = pathKeyOn(foldsCase);
    const at = fold(dir);
    for (const d of [...this.levels.keys()]) if (fold(d) === at) this.levels.delete(d);
    this.verdicts.clear();
    this.forgotten++;
  }

  /**
   * Drops cached rules of a deleted path: the directory's own and every directory under it (its .gitignore files went
   * with it); with `foldsCase` (a disk that folds case), under every spelling of it.
   */
  forgetDeleted(relPath: string, foldsCase = false): void {
    const fold = pathKeyOn(foldsCase);
    const at = fold(relPath);
    for (const dir of [...this.levels.keys()]) if (isAtOrUnder(at, fold(dir))) this.levels.delete(dir);
    this.verdicts.clear();
    this.forgotten++;
  }

  /** Whether a path is excluded, consulting the .gitignore of every ancestor directory. */
  async isExcluded(relPath: string, isDirectory: boolean): Promise<boolean> {
    const key = isDirectory ? `${relPath}/` : relPath;
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    const forgotten = this.forgotten;
    const verdict = await this.excludedByRules(relPath, isDirectory);
    if (forgotten === this.forgotten) {
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  private async excludedByRules(relPath: string, isDirectory: boolean): Promise<boolean> {
    if (this.isExcludedByGlob(relPath, isDirectory)) return true;
    const slash = relPath.lastIndexOf('/');
    const parent = slash < 0 ? '' : relPath.slice(0, slash);
    const own = this.rulesFor(parent);
    const levels = await this.levelsAbove(parent);
    if (!levels) return true;
    const rules = await own;
    const here = rules ? [...levels, { dir: parent, rules }] : levels;
    return isDirectory ? levelsInside(here, relPath) === undefined : isIgnoredBy(here, relPath, false);
  }

}

async function loadRules(file: string): Promise<Ignore | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : newRules().add(text);
}

/**
 * The levels in force for the root's entries before the root's own .gitignore. In a git work tree — under the nearest
 * directory at or above the root that holds a `.git` (a directory; or a file, for a worktree or a submodule) — git
 * applies every .gitignore from that top down, so a package opened alone in a monorepo is filtered as git filters it:
 * git's global excludes file (`core.excludesFile`, by default ~/.config/git/ignore: where many keep `.env` and `*.pem`;
 * every other level outranks it), the repository's info/exclude (`.git/info/exclude`; for a linked worktree the main
 * work tree's, for a submodule `.git/modules/<name>/info/exclude`; every .gitignore outranks it, git reads it after
 * them all), then the .gitignore of each directory from the top down to the root's parent, a
 * deeper one outranking a shallower. Nothing above the top applies (nor anything at all outside a work tree). When
 * those rules exclude the root (or a directory between it and the top), or everything directly in it, none apply: the
 * folder is no part of what the repository keeps (a project under a home folder's dotfiles repository ignoring `*`, a
 * package under an ignored vendor/), and an empty index would help nobody.
 */
async function rulesAboveRoot(root: string, dirs: GitUserDirs): Promise<readonly IgnoreLevel[]> {
  // The user's git config is read while the top is looked for (git's config files, not git: spawning it costs more
  // than a whole warm reopen). It never fails: a file that cannot be read sets nothing. An `[includeIf "gitdir:…"]`
  // in it waits for the repository's git dir.
  let foundRepo: (repo: RepositoryDirs | undefined) => void = () => undefined;
  const repository = new Promise<RepositoryDirs | undefined>((resolve) => (foundRepo = resolve));
  let gitDirAsOpened: string | undefined;
  const ctx = { dirs, gitDir: repository.then((repo) => (repo ? [repo.gitDir, ...(gitDirAsOpened !== undefined && gitDirAsOpened !== repo.gitDir ? [gitDirAsOpened] : [])] : [])) };
  const fromUser = userExcludesFile(ctx);
  try {
    // Git finds its work tree from the real directory (a linked folder belongs to the repository it lies in).
    const real = await realpath(root).catch(() => path.resolve(root));
    const chain: string[] = []; // the root and the directories above it up to the top of its work tree, nearest first
    let gitIsDir = false;
    for (let dir = real; ; ) {
      chain.push(dir);
      const git = await stat(path.join(dir, '.git')).catch(() => undefined);
      if (git?.isDirectory() || git?.isFile()) {
        gitIsDir = git.isDirectory();
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) return []; // in no work tree
      dir = parent;
    }
    chain.reverse(); // top first
    const top = chain[0] ?? real;
    // The repository: `.git` itself, or (a linked worktree, a submodule) the git dir its `.git` file names, whose common
    // dir holds the config and info/exclude that apply. When its real path does not match an includeIf, git tests the
    // git dir as reached from the folder as opened (`gitdir:~/work/` with ~/work a link) — for a `.git` directory in
    // the folder itself only: found above it, or through a `.git` file, the git dir is a real path already.
    const repo = await repositoryDirs(top, gitIsDir);
    if (repo && gitIsDir && top === real) gitDirAsOpened = path.join(path.resolve(root), '.git');
    foundRepo(repo);
    return await rulesFromTop(real, chain, repo, ctx, fromUser);
  } finally {
    foundRepo(undefined);
  }
}

/** rulesAboveRoot's levels, once the top of the work tree (chain[0]) and its repository are known. */
async function rulesFromTop(
  real: string,
  chain: readonly string[],
  repo: RepositoryDirs | undefined,
  ctx: ConfigContext,
  fromUser: Promise<string | undefined>,
): Promise<readonly IgnoreLevel[]> {
  const top = chain[0] ?? real;
  const levels: { abs: string; level: IgnoreLevel }[] = [];
  const levelAt = (abs: string, rules: Ignore): IgnoreLevel => {
    const above = relativeTo(abs, real);
    return above === '' ? { dir: '', rules } : { dir: '', above, rules };
  };
  // Every file is asked for at once (none of these reads fails: a missing file gives no rules).
  const global = (async () => {
    const [fromRepo, user] = await Promise.all([repo ? repoExcludesFile(repo, ctx) : undefined, fromUser]);
    const file = excludesFilePath(top, fromRepo, user, ctx.dirs);
    return file === undefined ? undefined : loadRules(file);
  })();
  const exclude = repo ? loadRules(path.join(repo.commonDir, 'info', 'exclude')) : Promise.resolve(undefined);
  const gitignores = chain.slice(0, -1).map((dir) => loadRules(path.join(dir, '.gitignore')));
  for (const rules of [await global, await exclude]) if (rules) levels.push({ abs: top, level: levelAt(top, rules) });
  for (let i = 0; i + 1 < chain.length; i++) {
    const dir = chain[i] ?? top;
    const child = chain[i + 1] ?? real;
    const own = await gitignores[i];
    if (own) levels.push({ abs: dir, level: levelAt(dir, own) });
    // The opened folder lies in a part of the repository that the repository ignores (a dotfiles repository in the
    // home folder ignoring `*`, a package under an ignored vendor/): it is no part of that repository, and none of its
    // rules are the folder's (with them, `*` would leave the index empty).
    if (ignoredByDeepest(levels, child)) return [];
    // Let the next directory down in, at every level that excludes it (its negation last: the last rule to match
    // decides), as levelsInside does for a directory a deeper .gitignore re-includes.
    for (const at of levels) {
      const local = relativeTo(at.abs, child);
      if (at.level.rules.test(`${local}/`).ignored) at.level = { ...at.level, rules: newRules().add(at.level.rules).add(`!/${escapeGlob(local)}/`) };
    }
  }
  const result = levels.map((l) => l.level);
  // Nor are they when they exclude everything directly in the opened folder (`out/*` above an opened out/): the
  // repository ignores what the folder holds, and an empty index helps nobody.
  if (top !== real && result.length > 0) {
    const entries = (await readdir(real, { withFileTypes: true }).catch(() => [])).filter((e) => e.name !== '.git');
    if (entries.length > 0 && entries.every((e) => isIgnoredBy(result, e.name, e.isDirectory()))) return [];
  }
  return result;
}

/**
 * Whether a path from a listing names an entry: one whose name is not valid UTF-8 came with U+FFFD in place of the bad
 * bytes, and names nothing (or, rarely, another entry, spelled with a real U+FFFD: then it is that one's).
 */
function existsAsNamed(abs: string): boolean {
  try {
    return lstatSync(abs, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** `to` relative to `dir`, with '/' (absolute paths). */
function relativeTo(dir: string, to: string): string {
  return path.relative(dir, to).split(path.sep).join('/');
}

/** Whether the deepest of `levels` with an opinion on directory `abs` excludes it (the `ignore` package tests its parents too). */
function ignoredByDeepest(levels: readonly { readonly abs: string; readonly level: IgnoreLevel }[], abs: string): boolean {
  for (let k = levels.length - 1; k >= 0; k--) {
    const at = levels[k];
    if (!at) continue;
    const result = at.level.rules.test(`${relativeTo(at.abs, abs)}/`);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

function localTo(level: IgnoreLevel, relPath: string): string {
  if (level.above !== undefined) return relPath === '' ? level.above : `${level.above}/${relPath}`;
  return level.dir === '' ? relPath : relPath.slice(level.dir.length + 1);
}

/** Deepest .gitignore with an opinion wins (a nested `!pattern` re-includes what a parent ignored). */
function isIgnoredBy(levels: readonly IgnoreLevel[], relPath: string, isDirectory: boolean): boolean {
  return decidingLevel(levels, relPath, isDirectory)?.ignored === true;
}

/** The deepest level with an opinion on a path, and that opinion. */
function decidingLevel(levels: readonly IgnoreLevel[], relPath: string, isDirectory: boolean): { readonly at: number; readonly ignored: boolean } | undefined {
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i];
    if (!level) continue;
    const local = localTo(level, relPath);
    const result = level.rules.test(isDirectory ? `${local}/` : local);
    if (result.ignored) return { at: i, ignored: true };
    if (result.unignored) return { at: i, ignored: false };
  }
  return undefined;
}

/**
 * The levels in force for the entries of directory `dir` (not its own .gitignore), `levels` being those in force for
 * `dir` itself; undefined when they exclude it. Git decides a directory once, on its way down: a deeper .gitignore can
 * re-include a directory that a shallower one excludes (`build` at the root, `!build` in `tools/`). The `ignore`
 * package tests a path's parent directories with each level's own rules, so below such a directory the shallower level
 * would exclude every path again: inside it, that level gets a negation of exactly this directory, after its own
 * rules (the last rule to match decides), and says of each path there only what its rules say of the path itself.
 */
function levelsInside(levels: readonly IgnoreLevel[], dir: string): readonly IgnoreLevel[] | undefined {
  const decided = decidingLevel(levels, dir, true);
  if (decided === undefined) return levels;
  if (decided.ignored) return undefined;
  let adjusted: IgnoreLevel[] | undefined;
  for (let j = decided.at - 1; j >= 0; j--) {
    const level = levels[j];
    if (!level) continue;
    const local = localTo(level, dir);
    if (!level.rules.test(`${local}/`).ignored) continue;
    adjusted ??= [...levels];
    adjusted[j] = { ...level, rules: newRules().add(level.rules).add(`!/${escapeGlob(local)}/`) };
  }
  return adjusted ?? levels;
}

/** A path as a .gitignore pattern that matches it literally. */
function escapeGlob(relPath: string): string {
  return relPath.replace(/[\\*?[\]]/g, '\\$&');
}

/** Where a symbolic link to a file leads (linkChain). */
export interface LinkChain {
  /**
   * The real path of the file it leads to; for a link that leads nowhere, the path it names, resolved from where the
   * way ends (so that the file made there again is known as its target).
   */
  readonly target: string;
  /**
   * The other symbolic links on the way, each by its own path (its real folder and its name): the links the chain
   * passes through and the links to directories its paths name. Usually none (NO_LINKS, shared).
   */
  readonly via: readonly string[];
}

const NO_LINKS: readonly string[] = [];

/** What separates the names in a link's contents: `/`, and on Windows `\\` too. */
const SEPARATORS = path.sep === '/' ? '/' : /[\\/]/;

/** Links followed on one way before it counts as a loop (Linux's limit). */
const MAX_LINK_HOPS = 40;

/**
 * Where the symbolic link at `abs` leads (LinkChain): its way is walked name by name from the link's real folder, as the
 * system resolves it, noting each link met. A way that loops ends at the link where it stops.
 */
export async function linkChain(abs: string): Promise<LinkChain | undefined> {
  const dir = await realpath(path.dirname(abs)).catch(() => undefined);
  if (dir === undefined) return undefined;
  let via = NO_LINKS;
  const rest = [path.basename(abs)];
  let at = dir;
  let hops = 0;
  let resolves = true;
  for (let name = rest.shift(); name !== undefined; name = rest.shift()) {
    if (name === '' || name === '.') continue;
    if (name === '..') {
      at = path.dirname(at);
      continue;
    }
    const next = path.join(at, name);
    const own = await lstat(next).catch(() => undefined);
    const named = own?.isSymbolicLink() === true ? await readlink(next).catch(() => undefined) : undefined;
    if (own === undefined || (own.isSymbolicLink() && (named === undefined || hops === MAX_LINK_HOPS))) {
      at = path.join(next, ...rest);
      resolves = false;
      break;
    }
    if (named === undefined) {
      at = next;
      continue;
    }
    // (The link itself is the first; a link met twice is noted once.)
    if (hops++ > 0 && !via.includes(next)) via = [...via, next];
    const root = path.parse(named).root;
    if (root !== '') at = root;
    rest.unshift(...named.slice(root.length).split(SEPARATORS));
  }
  // (The target as the system spells it, as an event's path is looked up: realpath.)
  const target = resolves ? await realpath(abs).catch(() => at) : at;
  return { target, via };
}

/**
 * Yields every indexable file under the root (or under the `subtree` directory of it), directory by
 * directory in name order: a directory's files together, in one array (never an empty one). One at a time, each
 * file took a few turns of async generators on its way to the index (here, WorkspaceFolders.scan, readAhead, the
 * build's tasks): ~90 of the ~510 ms a scan of 50,000 files took on the thread that consumed it.
 * @throws CancellationError when the signal aborts.
 */
export async function* scanWorkspace(
  options: ScanOptions,
  filter: WorkspaceFilter,
  signal?: AbortSignal,
  subtree = '',
): AsyncGenerator<readonly ScannedFile[]> {
  const root = path.resolve(options.root);
  const rootReal = await realpath(root);
  const rootRealPrefix = rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep;
  const followed = new Set<string>();
  const skipped = [...(options.skipDirs ?? [])];
  const insideSkipped = (real: string): boolean => skipped.some((dir) => isWithin(dir, real));
  // Directories are listed with blocking calls, one at a time, while they answer fast (a cached directory's listing
  // takes tens of microseconds; the promise API's round trip through the thread pool costs several times that in CPU:
  // ~10 of the ~50 ms a scan of monaco-editor's 413 directories took on a starting thread). After one slow listing
  // (or one that failed slowly), this scan and the folder's later ones list through the thread pool, with the next
  // LISTING_LOOKAHEAD listings started ahead, so a slow disk is read in parallel.
  const slowListingMs = options.slowListingMs ?? SLOW_LISTING_MS;
  // Blocking calls never wait for the event loop: it gets a turn after each millisecond of them, one budget for the
  // listings and the stats (other work of the thread, such as a request to the engine, waits about that long).
  let lastTurn = performance.now();
  const turnDue = (): boolean => performance.now() - lastTurn > TURN_MS;
  const giveTurn = async (): Promise<void> => {
    await setImmediate();
    lastTurn = performance.now();
  };
  const fs = options.fileSystem ?? NODE_FILE_SYSTEM;
  const readEntries = (absDir: string): Dirent[] | Promise<Dirent[]> => {
    if (!filter.blockingListings) return fs.readdir(absDir, { withFileTypes: true });
    const start = performance.now();
    try {
      return fs.readdirSync(absDir, { withFileTypes: true });
    } finally {
      if (performance.now() - start >= slowListingMs) filter.blockingListings = false;
    }
  };

  /** One directory's indexable files (stat'ed) and subdirectories, filtered by the rules in force there. */
  async function list(absDir: string, relDir: string, realDir: string, levels: readonly IgnoreLevel[]): Promise<Listing> {
    let entries: Dirent[];
    try {
      entries = await readEntries(absDir);
    } catch (err) {
      // Vanished: nothing there. Else it is there but cannot be read (no permission): said, so its files are not
      // missing without a trace.
      if (!fileVanished(err)) options.onUnreadable?.(relDir, true, err);
      return { files: [], dirs: [] };
    }
    const rules = await filter.rulesFor(relDir, entries.some((e) => e.name === '.gitignore'));
    const here = rules ? [...levels, { dir: relDir, rules }] : levels;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    // absDir is absolute and normalised: plain concatenation instead of path.join per entry.
    const dirPrefix = absDir.endsWith(path.sep) ? absDir : absDir + path.sep;
    const realPrefix = realDir.endsWith(path.sep) ? realDir : realDir + path.sep;
    // A directory reached through a link to a directory outside the root (`sshkeys → ~/.ssh`): its files are judged by
    // their real paths too, as a file that is itself a link is (`sshkeys/work_key` is `~/.ssh/work_key`).
    // (Named by concatenation first: path.join normalises its whole result, ~3 µs a directory, and a directory's real
    // path is its path under the root's real path unless a link was on the way.)
    const throughLink = relDir ? realDir !== rootRealPrefix + nativeSeparators(relDir) && realDir !== path.join(rootReal, ...relDir.split('/')) : realDir !== rootReal;
    const candidates: { rel: string; abs: string; link: boolean }[] = [];
    const dirs: { rel: string; abs: string; real: string; levels: readonly IgnoreLevel[]; linked: boolean }[] = [];
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const abs = dirPrefix + entry.name;
      if (entry.name.includes('\uFFFD') && !existsAsNamed(abs)) {
        const dir = entry.isDirectory();
        if (!filter.isExcludedByGlob(rel, dir) && (dir ? levelsInside(here, rel) !== undefined : !isIgnoredBy(here, rel, false))) options.onUnreadableName?.(rel);
        continue;
      }
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      const link = entry.isSymbolicLink();
      // The real path of the directory a link leads to, once it passed the overlap checks.
      let linkedDir: string | undefined;
      if (link) {
        const target = await stat(abs).catch(() => undefined);
        if (!target) {
          const chain = options.onLink ? await linkChain(abs) : undefined;
          if (chain !== undefined) options.onLink?.(rel, chain);
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
        if (isDir) {
          // A linked directory is followed only when it overlaps neither the workspace (inside it, it is walked anyway;
          // around it, the walk would come back in) nor a directory followed before (walk): this breaks every symlink
          // loop. Nor one to or into another workspace folder: that folder's scan walks it (each file under one folder).
          const real = await realpath(abs).catch(() => undefined);
          if (!real || overlaps(real, rootReal) || insideSkipped(real)) continue;
          linkedDir = real;
        }
      }
      if (!isDir && !isFile) continue;
      const realChild = linkedDir ?? realPrefix + entry.name;
      if (isDir && (options.skipDirs?.has(realChild) === true || options.skipDirs?.has(abs) === true)) continue;
      if (filter.isExcludedByGlob(rel, isDir)) continue;
      if (isDir) {
        const inside = levelsInside(here, rel);
        if (!inside) continue;
        dirs.push({ rel, abs, real: realChild, levels: inside, linked: linkedDir !== undefined });
      } else if (isIgnoredBy(here, rel, false)) continue;
      else if (hasBinaryExtension(rel)) options.onSkip?.(rel, 'binary');
      else if (link ? await leadsToSecrets(abs) : throughLink && pathHoldsSecrets(realPrefix + entry.name)) continue;
      else candidates.push({ rel, abs, link });
    }

    // Blocking stats: a stat of a cached inode takes microseconds, the promise API's round trip through the thread pool
    // costs ten times that in CPU. (The clock is read every 16th: reading it per stat cost ~4 % of a 50,000-file scan.)
    const files: ScannedFile[] = [];
    for (let i = 0; i < candidates.length; i++) {
      if ((i & 15) === 15 && turnDue()) await giveTurn();
      const f = candidates[i];
      if (!f) continue;
      // (Undefined for a file that vanished; a throw for one there but not readable: in a directory without search
      // permission, a symlink loop. That file is left out, not the scan ended.)
      let st: Stats | undefined;
      try {
        st = fs.statSync(f.abs, { throwIfNoEntry: false });
      } catch (err) {
        if (!fileVanished(err)) options.onUnreadable?.(f.rel, false, err);
        continue;
      }
      if (!st?.isFile()) continue;
      if (f.link && options.onLink) {
        const chain = await linkChain(f.abs);
        if (chain !== undefined) options.onLink(f.rel, chain);
      }
      if (st.size > options.maxFileBytes && (await fileTooLarge(f.abs, st.size, options.maxFileBytes))) options.onSkip?.(f.rel, 'too-large');
      else files.push({ path: f.rel, absPath: f.abs, size: st.size, mtimeMs: st.mtimeMs });
    }
    return { files, dirs };
  }

  /**
   * Depth-first, in name order; listing through the thread pool, with the next few directories' listings started
   * ahead: most directories hold a handful of files, and waiting for each in turn would leave a slow disk idle.
   */
  async function* walk(absDir: string, relDir: string, realDir: string, levels: readonly IgnoreLevel[]): AsyncGenerator<readonly ScannedFile[]> {
    const queue: Pending[] = [{ abs: absDir, rel: relDir, real: realDir, levels }];
    while (queue.length > 0) {
      const blocking = filter.blockingListings;
      if (turnDue()) await giveTurn();
      throwIfAborted(signal);
      // Blocking listings cannot overlap: only those through the thread pool are started ahead.
      for (let i = 0; i < (blocking ? 1 : Math.min(LISTING_LOOKAHEAD, queue.length)); i++) {
        const q = queue[i];
        if (q) q.listing ??= list(q.abs, q.rel, q.real, q.levels);
      }
      const head = queue.shift();
      if (!head?.listing) break;
      const listing = await head.listing;
      if (listing.files.length > 0) yield listing.files;
      // A link is decided on when its folder's listing is taken here — in the walk's order, not in the order listings
      // ahead end in, so which of several links to one directory is followed is the same at every scan — before the
      // folders beside it are walked: `z → out` at the top is followed rather than `a/l → out` (decidedBefore). Only
      // links the rules keep are decided on (an excluded link to a directory must not keep out a later included one).
      const next: Pending[] = [];
      for (const d of listing.dirs) {
        if (d.linked) {
          const follow = ![...followed].some((f) => overlaps(d.real, f));
          options.onDirLink?.(d.rel, d.real, follow);
          if (!follow) continue;
          followed.add(d.real);
        }
        next.push({ abs: d.abs, rel: d.rel, real: d.real, levels: d.levels });
      }
      queue.unshift(...next);
    }
  }

  const levels = await filter.levelsAbove(subtree);
  if (!levels) return;
  // A subtree reached through symbolic links (one made while the window is open, a folder made in a linked one) is
  // walked only if the full walk would get there: through no link into the workspace (walked under its own path; a
  // link above the root, a loop) nor to or into another workspace folder. Each link on the way is judged, not only the
  // last one.
  if (subtree) {
    const way = await linksOnTheWay(root, rootReal, subtree, skipped);
    if (way === undefined) return;
    for (const link of way) {
      options.onDirLink?.(link.rel, link.real, true);
      // (Followed to get there: a link below to or into its directory is not, as in the full walk.)
      followed.add(link.real);
    }
  }
  const start = subtree ? path.join(root, ...subtree.split('/')) : root;
  // (A subtree's real path: the links on the way to it resolved; as it is named under the root's when that fails.)
  const startReal = subtree ? await realpath(start).catch(() => path.join(rootReal, ...subtree.split('/'))) : rootReal;
  yield* walk(start, subtree, startReal, levels);
}

/** A '/' path with the platform's separators. */
function nativeSeparators(relPath: string): string {
  return path.sep === '/' ? relPath : relPath.replaceAll('/', path.sep);
}

/**
 * The symbolic links to directories on the way from the root to its directory `subtree` (itself included), each with
 * its workspace-relative path and the real path of the directory it leads to; undefined when one of them is a way the
 * full walk never takes: a link that leads nowhere, into the root, to it or around it (a link above the root, a loop),
 * or to or into one of `skipDirs` (real paths). Whether the walk follows each of the others is another matter (the
 * first it decides on, of several to one directory: decidedBefore).
 */
export async function linksOnTheWay(
  root: string,
  rootReal: string,
  subtree: string,
  skipDirs: Iterable<string> = [],
): Promise<{ readonly rel: string; readonly real: string }[] | undefined> {
  const skipped = [...skipDirs];
  const links: { rel: string; real: string }[] = [];
  let onTheWay = root;
  let relOnTheWay = '';
  for (const name of subtree.split('/')) {
    onTheWay = path.join(onTheWay, name);
    relOnTheWay = relOnTheWay ? `${relOnTheWay}/${name}` : name;
    if (!(await lstat(onTheWay).catch(() => undefined))?.isSymbolicLink()) continue;
    const real = await realpath(onTheWay).catch(() => undefined);
    if (!real || overlaps(real, rootReal) || skipped.some((dir) => isWithin(dir, real))) return undefined;
    links.push({ rel: relOnTheWay, real });
  }
  return links;
}

/**
 * Whether a walk decides on following the link at `a` before the one at `b` ('/' paths under one root, neither the
 * other): a link is decided on when its folder's listing is taken, before the folders beside it are walked, which
 * are walked depth first, by name. So a link above the other comes first (it is followed to get there); else, below
 * the folder holding both ways, a link directly in it before one deeper; else the way by the lesser name.
 */
export function decidedBefore(a: string, b: string): boolean {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (i === x.length) return true;
  if (i === y.length) return false;
  const aHere = i === x.length - 1;
  const bHere = i === y.length - 1;
  if (aHere !== bHere) return aHere;
  return (x[i] ?? '') < (y[i] ?? '');
}

/** Whether one of two absolute, resolved paths is the other or inside it. */
export function overlaps(a: string, b: string): boolean {
  return isWithin(a, b) || isWithin(b, a);
}
