// Git's global excludes file (`core.excludesFile`, by default $XDG_CONFIG_HOME/git/ignore), found by reading git's
// config files directly: spawning git to ask would cost more than a whole warm reopen of the index. Also where a work
// tree's repository keeps its config and info/exclude (a linked worktree's or a submodule's `.git` is a file).
import { readFile, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** One `key = value` of a config file: section and key lower-cased; the value undefined for a bare key (`key`). */
export interface GitConfigEntry {
  /** `core`; `section "sub"` keeps its subsection apart (`includeif` with `gitdir:…`), case and all. */
  readonly section: string;
  readonly subsection?: string;
  readonly key: string;
  readonly value: string | undefined;
}

/** How deep `[include] path = …` is followed (git's own limit). */
const MAX_INCLUDE_DEPTH = 10;

/**
 * The entries of a git config file, in order, read as git reads them: `#` and `;` comments, section and key names
 * case-insensitive, `[section "sub"]`, values with double quotes, the escapes `\\ \" \n \t \b`, a line continued by a
 * trailing backslash, runs of blanks outside quotes kept as that many spaces but trimmed at both ends. At a line git
 * would reject, reading stops (git rejects the whole file; what came before is kept here).
 */
export function parseGitConfig(source: string): GitConfigEntry[] {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const entries: GitConfigEntry[] = [];
  let section: { name: string; sub?: string } | undefined;
  let i = 0;
  const blank = (c: string | undefined): boolean => c === ' ' || c === '\t';
  const skipLine = (): void => {
    const end = text.indexOf('\n', i);
    i = end < 0 ? text.length : end + 1;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (blank(c) || c === '\n' || c === '\r') i++;
    else if (c === '#' || c === ';') skipLine();
    else if (c === '[') {
      const header = /^\[[ \t]*([A-Za-z0-9.-]+)[ \t]*(?:"((?:[^"\\\n]|\\.)*)"[ \t]*)?\]/.exec(text.slice(i));
      if (!header) return entries;
      const name = (header[1] as string).toLowerCase();
      section = header[2] === undefined ? { name } : { name, sub: header[2].replace(/\\(.)/g, '$1') };
      i += header[0].length;
    } else if (/[A-Za-z]/.test(c)) {
      const key = /^[A-Za-z][A-Za-z0-9-]*/.exec(text.slice(i))?.[0] ?? c;
      i += key.length;
      while (blank(text[i])) i++;
      let value: string | undefined;
      if (text[i] === '=') {
        i++;
        const read = readValue(text, i);
        if (!read) return entries;
        value = read.value;
        i = read.end;
      } else if (text[i] === '#' || text[i] === ';') skipLine();
      else if (i < text.length && text[i] !== '\n') return entries;
      if (section) entries.push({ section: section.name, ...(section.sub === undefined ? {} : { subsection: section.sub }), key: key.toLowerCase(), value });
    } else return entries;
  }
  return entries;
}

/** A value from `start` (after the `=`) to the end of its line, and where the next line starts; undefined if malformed. */
function readValue(text: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  let spaces = 0;
  let quoted = false;
  let comment = false;
  for (let i = start; ; i++) {
    const c = text[i];
    if (c === undefined || c === '\n') return quoted ? undefined : { value, end: i + 1 };
    if (comment) continue;
    if (!quoted && (c === ' ' || c === '\t')) {
      if (value !== '') spaces++;
      continue;
    }
    if (!quoted && (c === '#' || c === ';')) {
      comment = true;
      continue;
    }
    value += ' '.repeat(spaces);
    spaces = 0;
    if (c === '\\') {
      const next = text[++i];
      if (next === '\n') continue;
      const escaped = next === 'n' ? '\n' : next === 't' ? '\t' : next === 'b' ? '\b' : next === '\\' || next === '"' ? next : undefined;
      if (escaped === undefined) return undefined;
      value += escaped;
    } else if (c === '"') quoted = !quoted;
    else value += c;
  }
}

/** Where git's per-user files are: the home folder and $XDG_CONFIG_HOME (when set and not empty). */
export interface GitUserDirs {
  readonly home: string;
  readonly xdgConfigHome?: string;
}

/** The per-user directories from the environment, as git reads them ($HOME, $XDG_CONFIG_HOME). */
export function gitUserDirs(): GitUserDirs {
  const xdg = process.env['XDG_CONFIG_HOME'];
  return { home: homedir(), ...(xdg ? { xdgConfigHome: xdg } : {}) };
}

/** A path from a config value: `~` and `~/…` are under the home folder (`~user/…` is left as it is). */
function expandHome(value: string, dirs: GitUserDirs): string {
  return value === '~' || value.startsWith('~/') ? path.join(dirs.home, value.slice(1)) : value;
}

/** What config files are read with: the per-user folders, and the git dir `[includeIf "gitdir:…"]` is tested against. */
export interface ConfigContext {
  readonly dirs: GitUserDirs;
  /**
   * The repository's git dir as git tests it: its real path, then (when that does not match) the absolute path as
   * reached from the folder as opened (a symlinked `~/work`); none outside a repository. Awaited only at an includeIf.
   */
  readonly gitDir: Promise<readonly string[]>;
}

/**
 * The entries of a config file with those of the files its `[include] path = …` entries name put in their place
 * (relative to the including file's folder), and those of `[includeIf "gitdir:…"]` (and `gitdir/i:`) whose condition
 * holds (includeGitDirMatches), MAX_INCLUDE_DEPTH deep; none for a file that cannot be read. Other conditions
 * (`onbranch:`, `hasconfig:remote.*.url:`) are not followed.
 */
async function readConfig(file: string, ctx: ConfigContext, depth = 0): Promise<readonly GitConfigEntry[]> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const entries = parseGitConfig(text);
  const isInclude = (e: GitConfigEntry): boolean =>
    e.key === 'path' && !!e.value && ((e.section === 'include' && e.subsection === undefined) || (e.section === 'includeif' && e.subsection !== undefined));
  if (depth >= MAX_INCLUDE_DEPTH || !entries.some(isInclude)) return entries;
  const included = await Promise.all(
    entries.map(async (e) => {
      if (!isInclude(e)) return undefined;
      if (e.subsection !== undefined && !(await conditionHolds(e.subsection, file, ctx))) return [];
      return readConfig(path.resolve(path.dirname(file), expandHome(e.value ?? '', ctx.dirs)), ctx, depth + 1);
    }),
  );
  return entries.flatMap((e, k) => included[k] ?? [e]);
}

/** Whether an includeIf condition holds: `gitdir:` and `gitdir/i:` are tested; any other condition does not hold. */
async function conditionHolds(condition: string, configFile: string, ctx: ConfigContext): Promise<boolean> {
  const kind = /^gitdir(\/i)?:/.exec(condition);
  if (!kind) return false;
  const gitDirs = await ctx.gitDir;
  if (gitDirs.length === 0) return false;
  const pattern = condition.slice(kind[0].length);
  const configDir = pattern.startsWith('./') ? path.dirname(await realpath(configFile).catch(() => configFile)) : '';
  return gitDirs.some((gitDir) => includeGitDirMatches(pattern, gitDir, { caseless: kind[1] !== undefined, configDir, home: ctx.dirs.home }));
}

/**
 * Whether `[includeIf "gitdir:<pattern>"]` matches a git dir, as git matches it: `~/` is the home folder; a pattern
 * starting with `./` is under the including config file's (real) folder, which is compared literally; any other
 * relative pattern may match anywhere (`**` and a slash before it); a trailing `/` matches everything under it (`**` after
 * it); the rest is a glob in which `*`, `?` and `[…]` never match a `/` and `**` spans folders (git's wildmatch). No
 * `..` is resolved. `gitdir/i` (caseless) ignores letter case.
 */
export function includeGitDirMatches(pattern: string, gitDir: string, options: { readonly caseless: boolean; readonly configDir: string; readonly home: string }): boolean {
  const slashed = (p: string): string => (path.sep === '/' ? p : p.split(path.sep).join('/'));
  let glob = pattern.startsWith('~/') ? `${slashed(options.home).replace(/\/$/, '')}${pattern.slice(1)}` : pattern;
  let prefix = '';
  if (glob.startsWith('./')) {
    if (options.configDir === '') return false; // (git: relative conditions must come from files)
    prefix = `${slashed(options.configDir).replace(/\/$/, '')}/`;
    glob = glob.slice(2);
  } else if (!glob.startsWith('/') && !/^[A-Za-z]:\//.test(glob)) glob = `**/${glob}`;
  if (`${prefix}${glob}`.endsWith('/')) glob += '**';
  const text = slashed(gitDir);
  const head = text.slice(0, prefix.length);
  if (text.length < prefix.length || (options.caseless ? head.toLowerCase() !== prefix.toLowerCase() : head !== prefix)) return false;
  return wildmatch(glob, text.slice(prefix.length), options.caseless);
}

/** POSIX bracket classes as regex class members (a Map: the name comes from the user's pattern). */
const BRACKET_CLASSES: ReadonlyMap<string, string> = new Map([
  ['alnum', 'a-zA-Z0-9'],
  ['alpha', 'a-zA-Z'],
  ['blank', ' \\t'],
  ['cntrl', '\\x00-\\x1f\\x7f'],
  ['digit', '0-9'],
  ['graph', '!-~'],
  ['lower', 'a-z'],
  ['print', ' -~'],
  ['punct', '!-\\/:-@\\[-`{-~'],
  ['space', ' \\t\\n\\r\\f\\v'],
  ['upper', 'A-Z'],
  ['xdigit', '0-9a-fA-F'],
]);

/**
 * Whether a '/'-separated path matches a glob as git's wildmatch does with WM_PATHNAME: `*` and `?` stay within a
 * name, `**` as a whole name (before or between slashes, or after the last) spans folders (elsewhere it is `*`), `[…]` with `!` or `^`,
 * ranges and `[:class:]`, `\` quoting the next character. A malformed pattern (an unclosed `[`) matches nothing.
 */
function wildmatch(glob: string, text: string, caseless: boolean): boolean {
  const quote = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|\/-]/g, '\\$&');
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\') {
      const next = glob[++i];
      if (next === undefined) return false;
      source += quote(next);
    } else if (c === '*') {
      const start = i;
      while (glob[i + 1] === '*') i++;
      const wholeName = i > start && (start === 0 || glob[start - 1] === '/') && (i + 1 === glob.length || glob[i + 1] === '/');
      if (!wholeName) source += '[^/]*';
      else if (i + 1 === glob.length) source += '.*';
      else {
        source += '(?:.*/)?';
        i++; // the '/'
      }
    } else if (c === '?') source += '[^/]';
    else if (c === '[') {
      let j = i + 1;
      const negated = glob[j] === '!' || glob[j] === '^';
      if (negated) j++;
      let members = '';
      for (let first = true; ; first = false) {
        const m = glob[j];
        if (m === undefined) return false;
        if (m === ']' && !first) break;
        if (m === '[' && glob[j + 1] === ':') {
          const end = glob.indexOf(':]', j + 2);
          // (An unknown class — `[:constructor:]` too — makes the pattern malformed: git's wildmatch matches nothing.)
          const named = end < 0 ? undefined : BRACKET_CLASSES.get(glob.slice(j + 2, end));
          if (named === undefined) return false;
          members += named;
          j = end + 2;
          continue;
        }
        let from = m;
        if (m === '\\') from = glob[++j] ?? '';
        if (from === '') return false;
        j++;
        if (glob[j] === '-' && glob[j + 1] !== undefined && glob[j + 1] !== ']') {
          let to = glob[j + 1] as string;
          j += 2;
          if (to === '\\') to = glob[j++] ?? '';
          if (to === '') return false;
          members += to < from ? '' : `${quote(from)}-${quote(to)}`;
        } else members += quote(from);
      }
      source += negated ? `[^/${members}]` : `(?!/)[${members}]`;
      i = j;
    } else source += quote(c);
  }
  return new RegExp(`^${source}$`, caseless ? 'i' : '').test(text);
}

/** The last `core.excludesFile` of config entries: its raw value ('' when set empty), undefined when unset. */
function excludesFileIn(entries: readonly GitConfigEntry[]): string | undefined {
  let found: string | undefined;
  for (const e of entries) if (e.section === 'core' && e.subsection === undefined && e.key === 'excludesfile' && e.value !== undefined) found = e.value;
  return found;
}

/**
 * `core.excludesFile` as the per-user config files set it ($XDG_CONFIG_HOME/git/config, else ~/.config/git/config;
 * then ~/.gitconfig, which outranks it), undefined when they do not. Starts reading at once: it runs beside the search
 * for the work tree's top (which gives the git dir an includeIf is tested against).
 */
export async function userExcludesFile(ctx: ConfigContext): Promise<string | undefined> {
  const xdg = path.join(ctx.dirs.xdgConfigHome ?? path.join(ctx.dirs.home, '.config'), 'git', 'config');
  const [fromXdg, fromHome] = await Promise.all([readConfig(xdg, ctx), readConfig(path.join(ctx.dirs.home, '.gitconfig'), ctx)]);
  return excludesFileIn(fromHome) ?? excludesFileIn(fromXdg);
}

/** Where a work tree's repository is: its git dir, and the common dir holding its config and info/exclude. */
export interface RepositoryDirs {
  /** `<top>/.git`; for a linked worktree `<main>/.git/worktrees/<name>`, for a submodule `<super>/.git/modules/<name>`. */
  readonly gitDir: string;
  /** The git dir, or the one its `commondir` file names (a linked worktree's: the main work tree's .git). */
  readonly commonDir: string;
}

/**
 * The repository of the work tree whose top is `top`: its `.git` directory, or the git dir a `.git` file names
 * (`gitdir: <path>`, relative to the top when relative), as real paths (as git takes them), and the common dir that
 * dir's `commondir` file names (relative to the git dir when relative). Undefined for a `.git` file git would reject.
 */
export async function repositoryDirs(top: string, dotGitIsDir: boolean): Promise<RepositoryDirs | undefined> {
  const dotGit = path.join(top, '.git');
  let gitDir = await realpath(dotGit).catch(() => dotGit);
  if (!dotGitIsDir) {
    const text = (await readFile(dotGit, 'utf8').catch(() => '')).replace(/[\r\n]+$/, '');
    if (!text.startsWith('gitdir: ') || text.length === 'gitdir: '.length) return undefined;
    const named = await realpath(path.resolve(top, text.slice('gitdir: '.length))).catch(() => undefined);
    if (named === undefined) return undefined;
    gitDir = named;
  }
  const common = (await readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => '')).replace(/[\r\n]+$/, '');
  return { gitDir, commonDir: common === '' ? gitDir : path.resolve(gitDir, common) };
}

/**
 * `core.excludesFile` as a repository's own config sets it (`<common dir>/config`; for a linked worktree with
 * `extensions.worktreeConfig`, its `config.worktree` outranks that), undefined when it does not.
 */
export async function repoExcludesFile(repo: RepositoryDirs, ctx: ConfigContext): Promise<string | undefined> {
  const common = await readConfig(path.join(repo.commonDir, 'config'), ctx);
  const perWorktree = common.some((e) => e.section === 'extensions' && e.subsection === undefined && e.key === 'worktreeconfig' && isTrue(e.value))
    ? await readConfig(path.join(repo.gitDir, 'config.worktree'), ctx)
    : [];
  return excludesFileIn(perWorktree) ?? excludesFileIn(common);
}

/** A config boolean that is true (a bare key, `true`, `yes`, `on`, a non-zero number). */
function isTrue(value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.toLowerCase();
  return v === 'true' || v === 'yes' || v === 'on' || (/^-?\d+$/.test(v) && Number(v) !== 0);
}

/**
 * The global excludes file of the work tree at `top`: the value that ranks highest (the repository's config, then the
 * user's), `~` expanded and a relative path taken from the top (git reads it from there); when neither sets one, git's
 * default, $XDG_CONFIG_HOME/git/ignore (else ~/.config/git/ignore). Undefined when it is set empty.
 */
export function excludesFilePath(top: string, fromRepo: string | undefined, fromUser: string | undefined, dirs: GitUserDirs): string | undefined {
  const value = fromRepo ?? fromUser;
  if (value === undefined) return path.join(dirs.xdgConfigHome ?? path.join(dirs.home, '.config'), 'git', 'ignore');
  return value === '' ? undefined : path.resolve(top, expandHome(value, dirs));
}
