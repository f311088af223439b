// VS Code's globs (files.exclude, contexten.context.exclude, files.readonlyInclude…) read with picomatch: the options
// and the rewriting that make picomatch read them as VS Code does, and a matcher of many globs at once. Kept apart from
// the scanner so that the extension host can match globs without loading the indexer's modules.
import picomatch from 'picomatch';

/**
 * A test of paths against many globs at once: picomatch's own regex of each glob, joined into one
 * alternation (one regex run per path instead of a call per glob), plus picomatch's shortcut of a path equal
 * to a glob. Falls back to picomatch's list matcher when the regexes cannot be joined.
 */
export function globsMatcher(given: readonly string[], options: picomatch.PicomatchOptions): (path: string) => boolean {
  // A blank pattern matches nothing, as a blank line of a .gitignore (picomatch throws on an empty one: an empty entry
  // of contexten.context.exclude or files.exclude kept the engine from starting at all), and so does one picomatch
  // cannot read (past its length limit): the others still apply.
  const patterns = given.filter((p) => p.trim() !== '' && compiles(p, options));
  const fallback = (): ((path: string) => boolean) => picomatch([...patterns], options);
  if (patterns.length === 0) return () => false;
  try {
    const regexes = patterns.map((p) => picomatch.makeRe(p, options));
    if (regexes.some((r) => r.flags !== regexes[0]?.flags)) return fallback();
    const combined = new RegExp(regexes.map((r) => `(?:${r.source})`).join('|'), regexes[0]?.flags);
    const literal = new Set(patterns);
    return (p) => p !== '' && (literal.has(p) || combined.test(p));
  } catch {
    return fallback();
  }
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
