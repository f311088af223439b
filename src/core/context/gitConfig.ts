// Git's global excludes file (`core.excludesFile`, by default $XDG_CONFIG_HOME/git/ignore), found by reading git's
// config files directly: spawning git to ask would cost more than a whole warm reopen of the index.
import { readFile } from 'node:fs/promises';
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

/**
 * The entries of a config file with those of the files its `[include] path = …` entries name put in their place
 * (relative to the including file's folder), MAX_INCLUDE_DEPTH deep; none for a file that cannot be read.
 * (`[includeIf "…"]` is not followed: its conditions are git's to evaluate.)
 */
async function readConfig(file: string, dirs: GitUserDirs, depth = 0): Promise<readonly GitConfigEntry[]> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const entries = parseGitConfig(text);
  const isInclude = (e: GitConfigEntry): boolean => e.section === 'include' && e.subsection === undefined && e.key === 'path' && !!e.value;
  if (depth >= MAX_INCLUDE_DEPTH || !entries.some(isInclude)) return entries;
  const included = await Promise.all(
    entries.map((e) => (isInclude(e) ? readConfig(path.resolve(path.dirname(file), expandHome(e.value ?? '', dirs)), dirs, depth + 1) : undefined)),
  );
  return entries.flatMap((e, k) => included[k] ?? [e]);
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
 * for the work tree's top.
 */
export async function userExcludesFile(dirs: GitUserDirs): Promise<string | undefined> {
  const xdg = path.join(dirs.xdgConfigHome ?? path.join(dirs.home, '.config'), 'git', 'config');
  const [fromXdg, fromHome] = await Promise.all([readConfig(xdg, dirs), readConfig(path.join(dirs.home, '.gitconfig'), dirs)]);
  return excludesFileIn(fromHome) ?? excludesFileIn(fromXdg);
}

/** `core.excludesFile` as a repository's own config file (`.git/config`) sets it, undefined when it does not. */
export async function repoExcludesFile(gitDir: string, dirs: GitUserDirs): Promise<string | undefined> {
  return excludesFileIn(await readConfig(path.join(gitDir, 'config'), dirs));
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
