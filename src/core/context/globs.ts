// VS Code's globs (files.exclude, contexten.context.exclude, files.readonlyInclude…) read with picomatch: the options
// and the rewriting that make picomatch read them as VS Code does, and a matcher of many globs at once. Kept apart from
// the scanner so that the extension host can match globs without loading the indexer's modules.
import picomatch from 'picomatch';

/**
 * A test of paths against many globs at once: picomatch's own regex of each glob, joined into one
 * alternation (one regex run per path instead of a call per glob), plus picomatch's shortcut of a path equal
 * to a glob. Falls back to picomatch's list matcher when the regexes cannot be joined. Globs of a name or an ending
 * anywhere (plainGlobs) are matched by string tests instead, with picomatch's verdicts.
 */
export function globsMatcher(given: readonly string[], options: picomatch.PicomatchOptions): (path: string) => boolean {
  // A blank pattern matches nothing, as a blank line of a .gitignore (picomatch throws on an empty one: an empty entry
  // of contexten.context.exclude or files.exclude kept the engine from starting at all), and so does one picomatch
  // cannot read (past its length limit): the others still apply.
  // (A glob of plainGlobs' forms compiles: not compiled to check it, nor — below — into the regex of all the globs,
  // which only paths plainGlobs leaves need. Compiling the 12 default globs twice was ~2 ms of every scan's start.)
  const patterns = given.filter((p) => p.trim() !== '' && (isPlainGlob(p) || compiles(p, options)));
  if (patterns.length === 0) return () => false;
  const literal = new Set(patterns);
  let joined: ((path: string) => boolean) | undefined;
  const all = (p: string): boolean => (joined ??= joinedMatcher(patterns, options))(p);
  const plain = plainGlobs(patterns, options);
  if (!plain) return (p) => p !== '' && (literal.has(p) || all(p));
  const rest = plain.rest.length > 0 ? joinedMatcher(plain.rest, options) : undefined;
  // (A path ending in `/` or holding a line break is left to the regexes: see plainGlobs.)
  return (p) => p !== '' && (literal.has(p) || (plainPath(p) ? plain.matches(p) || (rest?.(p) ?? false) : all(p)));
}

/** picomatch's regexes of `patterns` joined into one; picomatch's list matcher when they cannot be. */
function joinedMatcher(patterns: readonly string[], options: picomatch.PicomatchOptions): (path: string) => boolean {
  const fallback = (): ((path: string) => boolean) => picomatch([...patterns], options);
  try {
    const regexes = patterns.map((p) => picomatch.makeRe(p, options));
    if (regexes.some((r) => r.flags !== regexes[0]?.flags)) return fallback();
    const combined = new RegExp(regexes.map((r) => `(?:${r.source})`).join('|'), regexes[0]?.flags);
    return (p) => combined.test(p);
  } catch {
    return fallback();
  }
}

/** Line breaks, which picomatch's `.` does not match. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** Whether plainGlobs' tests give picomatch's verdicts on this path: it does not end in `/` and holds no line break. */
function plainPath(p: string): boolean {
  return p.charCodeAt(p.length - 1) !== SLASH && !LINE_BREAK.test(p);
}

// `**/name` and `**/*ending` of plain characters (and not `.` or `..` as the name): globsMatcher matches them without a regex.
const PLAIN_GLOB = /^\*\*\/(\*?)([\w.-]+)$/;

/** Whether a glob is of PLAIN_GLOB's forms, and short enough that picomatch compiles it whatever the options. */
function isPlainGlob(pattern: string): boolean {
  return pattern.length <= 1024 && PLAIN_GLOB.test(pattern);
}

// The options under which plainGlobs' test is picomatch's: `dot` set, and none that changes what `**/x` or `*` match.
function plainGlobsApply(options: picomatch.PicomatchOptions): boolean {
  return options.dot === true && Object.entries(options).every(([key, value]) => key === 'dot' || ((key === 'nonegate' || key === 'noextglob') && typeof value === 'boolean'));
}

// The globs of the forms most exclude globs take — DEFAULT_EXCLUDES, VS Code's files.exclude defaults (`**/.git`,
// `**/*.map`) — as a test of a path's segments, and the other globs. picomatch's regex of such a glob checks at every
// character of a path whether a `.` or `..` segment starts there, and the joined regex of the ten defaults was the
// costliest test of a scan (~6 µs a path); this is picomatch.makeRe's verdict (with `dot`) reached by string tests:
// - `**/name`: the path is `name`, or ends in `/name` after segments none of which is `.` or `..` (an empty one
//   allowed: `/name`, `a//name`);
// - `**/*ending`: the path's last segment ends in `ending` and is not `.` or `..`, after segments none of which is `.`
//   or `..`.
// That is so for paths that do not end in `/` and hold no line break (plainPath: picomatch lets `**/*.ext` end in `/` but
// not `**/*-lock.json`, and its `.` matches no line break); the others are left to the regexes. Undefined where the
// options are other than those (plainGlobsApply), or no glob is of those forms. (workspaceScanner.test.ts compares
// both on every path of a small alphabet of segments.)
function plainGlobs(patterns: readonly string[], options: picomatch.PicomatchOptions): { matches: (path: string) => boolean; rest: string[] } | undefined {
  if (!plainGlobsApply(options)) return undefined;
  const names: string[] = [];
  const endings: string[] = [];
  const rest: string[] = [];
  for (const pattern of patterns) {
    const m = PLAIN_GLOB.exec(pattern);
    const text = m?.[2];
    if (m === null || text === undefined) rest.push(pattern);
    else if (m[1] === '*') endings.push(text);
    else if (text !== '.' && text !== '..') names.push(text);
    else rest.push(pattern);
  }
  if (names.length === 0 && endings.length === 0) return undefined;
  // (No substring made per path: a fresh one is hashed to be looked up, which cost as much as the regex.)
  const matches = (p: string): boolean => {
    for (const name of names) {
      const start = p.length - name.length;
      if (p.endsWith(name) && (start === 0 || (start > 0 && p.charCodeAt(start - 1) === SLASH && noDotSegment(p, start - 1)))) return true;
    }
    if (endings.length > 0) {
      const end = p.length;
      const slash = p.lastIndexOf('/', end - 1);
      // The last segment, p[slash + 1 .. end): not `.` or `..` (which end in an ending `.`).
      const length = end - slash - 1;
      if (length === 0 || (length <= 2 && p.charCodeAt(end - 1) === DOT && (length === 1 || p.charCodeAt(end - 2) === DOT))) return false;
      for (const ending of endings) {
        if (ending.length <= length && p.endsWith(ending, end) && (slash < 0 || noDotSegment(p, slash))) return true;
      }
    }
    return false;
  };
  return { matches, rest };
}

const SLASH = 47;
const DOT = 46;

/** Whether none of the segments of p[0 .. end) is `.` or `..` (an empty one is neither). */
function noDotSegment(p: string, end: number): boolean {
  // (Most paths hold no `/.` at all, nor start with a dot.)
  if (p.charCodeAt(0) !== DOT && p.indexOf('/.') < 0) return true;
  const prefix = p.slice(0, end);
  return prefix.split('/').every((segment) => segment !== '.' && segment !== '..');
}

function compiles(pattern: string, options: picomatch.PicomatchOptions): boolean {
  try {
    picomatch.makeRe(pattern, options);
    return true;
  } catch {
    return false;
  }
}

/**
 * How exclude globs (files.exclude, contexten.context.exclude) are read: as VS Code reads them. Its glob syntax has
 * `*`, `**`, `?`, `[...]` and `{a,b}`, but no leading `!` and no extglobs: picomatch would read `!src/gen.ts` as
 * "every path but src/gen.ts" (or `!(src)/**` as everything outside src) and exclude the whole workspace; here such a
 * pattern names what it spells (effectively nothing).
 */
export const EXCLUDE_GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true, nonegate: true, noextglob: true };

/**
 * The name of a directory's content that no real path holds: a directory whose probe path (`dir/` + it) an exclude glob
 * matches is excluded whole (`dir/**`, `dir/*`).
 */
export const CONTENT_PROBE = '\u0001';

/**
 * An exclude glob (VS Code's syntax) as picomatch reads it, written so that picomatch matches what VS Code does:
 * - each negated character class written `[!…]` (VS Code's and the shell's spelling: one character but those listed)
 *   as `[^…]`: with `nonegate`, picomatch reads `[!a]` as the class of `!` and `a`, so `src/[!_]*.ts` excluded
 *   `src/_x.ts` and `src/!x.ts` instead of every other file. A `]` right after `[!` is a member, as in the shell; an
 *   escaped `\[` opens no class, and a `[` inside a class is a member. A negated class (`[^…]` too) never holds
 *   CONTENT_PROBE: `lib/[!_]*` excludes lib's files but `_x`, not the whole directory;
 * - `(`, `)` and `|` outside a class escaped: VS Code reads them literally, picomatch as a regex group and alternation
 *   (`app/(auth)/**`, a Next.js or SvelteKit route group, kept app/(auth)/page.tsx and excluded app/auth/helpers.ts);
 * - braces holding a single alternative (`{a}`, `{1..3}`) dropped: VS Code reads `{a}` as `a`, picomatch reads the
 *   braces literally (and `{1..3}` as a range, which VS Code has not).
 */
export function asPicomatchGlob(glob: string): string {
  let out = '';
  let inClass = false;
  /** The open braces: where each `{` is in `out`, and whether a `,` follows it (at its own depth). */
  const braces: { at: number; alternatives: boolean }[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\') {
      out += glob.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[' && glob.indexOf(']', i + 2) > i) {
      inClass = true;
      const negated = glob[i + 1] === '!' || glob[i + 1] === '^';
      out += negated ? '[^' : '[';
      if (negated) i++;
      // (A `]` first in the class is one of its characters.)
      if (glob[i + 1] === ']') {
        out += ']';
        i++;
      }
      if (negated) out += CONTENT_PROBE;
    } else if (c === '(' || c === ')' || c === '|') {
      out += `\\${c}`;
    } else if (c === '{') {
      braces.push({ at: out.length, alternatives: false });
      out += c;
    } else if (c === ',' && braces.length > 0) {
      (braces[braces.length - 1] as { alternatives: boolean }).alternatives = true;
      out += c;
    } else if (c === '}' && braces.length > 0) {
      const open = braces.pop() as { at: number; alternatives: boolean };
      if (open.alternatives) out += c;
      else out = out.slice(0, open.at) + out.slice(open.at + 1);
    } else {
      out += c;
    }
  }
  return out;
}
