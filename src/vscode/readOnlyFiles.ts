// Files VS Code's settings mark read-only (`files.readonlyInclude`, `files.readonlyExclude`): their editors take no
// typing, yet `workspace.applyEdit` still changes their documents (measured in code-server: the edit lands, the editor
// shows it and it cannot be saved), so code must not go there. Decided without the vscode API, as editorChoice.ts.
import * as z from 'zod';
import { EXCLUDE_GLOB_OPTIONS, globsMatcher, asPicomatchGlob } from '../core/context/globs';

/** A glob setting's value as VS Code takes it: a pattern is on when its value is `true` (anything else is ignored). */
const globSetting = z.record(z.string(), z.unknown()).catch({});

/** The patterns that are on in a `files.readonlyInclude`/`files.readonlyExclude` value (invalid values: none). */
export function patternsOn(value: unknown): string[] {
  return Object.entries(globSetting.parse(value ?? {}))
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}

/** A pattern written as an absolute path (`/srv/gen/**`, `C:/gen/**`, `C:\gen\**`): matched against files' absolute paths. */
function isAbsolutePattern(glob: string): boolean {
  return glob.startsWith('/') || /^[A-Za-z]:[\\/]/.test(glob);
}

/** Matches one side of the setting: relative patterns against a folder-relative path, absolute ones against the absolute path. */
class GlobSide {
  private readonly relative: (p: string) => boolean;
  private readonly absolute: (p: string) => boolean;

  constructor(globs: readonly string[], ignoreCase: boolean) {
    const options = { ...EXCLUDE_GLOB_OPTIONS, nocase: ignoreCase };
    // (A Windows path's backslashes are separators; elsewhere a backslash escapes the next character.)
    const norm = (g: string): string => asPicomatchGlob(/^[A-Za-z]:\\/.test(g) ? g.replaceAll('\\', '/') : g);
    this.relative = globsMatcher(globs.filter((g) => !isAbsolutePattern(g)).map(norm), options);
    this.absolute = globsMatcher(globs.filter(isAbsolutePattern).map(norm), options);
  }

  matches(file: ReadOnlyCandidate): boolean {
    const absolute = file.absolute.replaceAll('\\', '/');
    // (A file in no workspace folder — or a window with none open — is matched by every pattern on its absolute path, as
    // VS Code matches it: `**/*.lock` marks /elsewhere/yarn.lock too.)
    if (file.relative === undefined) return this.relative(absolute) || this.absolute(absolute);
    return this.relative(file.relative) || this.absolute(absolute);
  }
}

/** A file as the rule sees it. */
export interface ReadOnlyCandidate {
  /** Its path relative to its workspace folder, `/`-separated; undefined outside every folder. */
  readonly relative: string | undefined;
  /** Its absolute path. */
  readonly absolute: string;
}

/**
 * Whether the settings mark a file read-only: a pattern of `files.readonlyInclude` matches it and none of
 * `files.readonlyExclude` does. Patterns are relative to the file's workspace folder unless written as absolute paths;
 * a file in no folder is matched by all of them on its absolute path.
 */
export function readOnlyBySettings(file: ReadOnlyCandidate, include: unknown, exclude: unknown, ignoreCase: boolean): boolean {
  const on = patternsOn(include);
  if (on.length === 0) return false;
  if (!new GlobSide(on, ignoreCase).matches(file)) return false;
  return !new GlobSide(patternsOn(exclude), ignoreCase).matches(file);
}

/** Whether `files.readonlyFromPermissions` makes a file of this mode read-only: VS Code locks one its owner may not write. */
export function lockedByMode(mode: number): boolean {
  return (mode & 0o200) === 0;
}
