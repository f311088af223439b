// How the index names files of a workspace with one folder or several (a VS Code multi-root workspace). With one
// folder a file's path is relative to it ('src/a.ts': what the CLI prints and outside tools read). With several,
// every path starts with its folder's name ('api/src/a.ts', 'web/src/a.ts'), so one index, one reference graph and
// one ranking span all the folders, and two folders' files of the same relative path stay apart. Pure path
// arithmetic: the extension host maps editor URIs with it, so it must stay cheap to load (no globs, no fs). Folders are
// compared by their real paths (given with them: folderRealPaths.ts), so a folder that is a symbolic link to another
// folder is that folder, and one that links into another is nested in it: no file is indexed under two folders.
import path from 'node:path';

/** One folder of a workspace. */
export interface FolderSpec {
  /** The folder's name in the editor (VS Code's WorkspaceFolder.name); the first segment of its files' paths. */
  readonly name: string;
  /** Absolute path. */
  readonly path: string;
  /** Glob patterns relative to this folder, on top of .gitignore files (its files.exclude + contexten.context.exclude). */
  readonly exclude?: readonly string[];
  /** The folder's real path (symbolic links resolved: withRealPaths); without it, its resolved `path`. */
  readonly realPath?: string;
}

export interface IndexedFolder {
  /** '' for a single-folder workspace, else the folder's unique name. */
  readonly prefix: string;
  /** Absolute, resolved: the path the folder was given as (the editor's paths of its files start with it). */
  readonly root: string;
  /** The real path of `root` (symbolic links resolved), or `root` when it was not given (FolderSpec.realPath). */
  readonly real: string;
  readonly exclude: readonly string[];
}

/** A path a workspace folder was given as, and the real path it stands for (a folder listed twice has two). */
interface FolderAlias {
  readonly root: string;
  readonly real: string;
}

/**
 * The folders of a workspace and the mapping between absolute paths and the index's '/' paths.
 * @throws Error when no folder is given.
 */
export class FolderPaths {
  readonly folders: readonly IndexedFolder[];
  /**
   * What a saved index belongs to: the folder's absolute path for one folder (as before multi-root support,
   * so saved indexes stay valid), else every folder's name and path.
   */
  readonly identity: string;
  /** Folders deepest first (by real path): a file inside a folder nested in another belongs to the nested one. */
  private readonly byDepth: readonly IndexedFolder[];
  /** Every path a folder was given as (those of folders listed twice too), deepest first: see realOf. */
  private readonly aliases: readonly FolderAlias[];
  private readonly byPrefix: ReadonlyMap<string, IndexedFolder>;

  constructor(specs: readonly FolderSpec[]) {
    const first = specs[0];
    if (!first) throw new Error('a workspace needs at least one folder');
    // The same directory twice (VS Code keeps what a .code-workspace lists; or a folder and a link to it) is one
    // folder: the first.
    const seen = new Set<string>();
    const distinct = specs.filter((s) => {
      const real = realOfSpec(s);
      return seen.has(real) ? false : (seen.add(real), true);
    });
    if (distinct.length === 1) {
      this.folders = [{ prefix: '', root: path.resolve(first.path), real: realOfSpec(first), exclude: first.exclude ?? [] }];
    } else {
      // Every folder's own name is reserved first, so a folder keeps its name whatever the order (`src`, `src`,
      // `src-2`: the second `src` is `src-3`, never the folder really named `src-2`); the first of a name keeps it,
      // the others take the first free `name-N` (compared ignoring case, as paths may be on a case-folding disk).
      const bases = distinct.map((s) => folderSegment(s.name) ?? folderSegment(path.basename(path.resolve(s.path))) ?? 'folder');
      const reserved = new Set(bases.map((b) => b.toLowerCase()));
      const taken = new Set<string>();
      this.folders = distinct.map((s, i) => {
        const base = bases[i] ?? 'folder';
        let prefix = base;
        for (let n = 2; taken.has(prefix.toLowerCase()) || (prefix !== base && reserved.has(prefix.toLowerCase())); n++) prefix = `${base}-${n}`;
        taken.add(prefix.toLowerCase());
        return { prefix, root: path.resolve(s.path), real: realOfSpec(s), exclude: s.exclude ?? [] };
      });
    }
    this.identity = this.folders.length === 1 ? (this.folders[0]?.root ?? '') : this.folders.map((f) => `${f.prefix}=${f.root}`).join('\n');
    this.byDepth = [...this.folders].sort((a, b) => b.real.length - a.real.length);
    this.aliases = specs.map((s) => ({ root: path.resolve(s.path), real: realOfSpec(s) })).sort((a, b) => b.root.length - a.root.length);
    this.byPrefix = new Map(this.folders.map((f) => [f.prefix, f]));
  }

  /** The one folder of a single-folder workspace. */
  static single(root: string, exclude: readonly string[] = []): FolderPaths {
    return new FolderPaths([{ name: '', path: root, exclude }]);
  }

  /** The workspace an index's or host's options name: `folders` when given, else `root` with `exclude`. */
  static of(options: { readonly root: string; readonly folders?: readonly FolderSpec[]; readonly exclude?: readonly string[] }): FolderPaths {
    return options.folders && options.folders.length > 0 ? new FolderPaths(options.folders) : FolderPaths.single(options.root, options.exclude ?? []);
  }

  get multiRoot(): boolean {
    return this.folders.length > 1;
  }

  /**
   * The index's '/' path of an absolute path, or undefined when it lies in no folder. A folder itself is its
   * name in a multi-root workspace, and no path (undefined) as the one folder of a workspace.
   */
  relative(absPath: string): string | undefined {
    const real = this.realOf(absPath);
    for (const f of this.byDepth) {
      const rel = relativeToRoot(f.real, real);
      if (rel !== undefined) return f.prefix ? `${f.prefix}/${rel}` : rel;
      if (real === f.real && f.prefix) return f.prefix;
    }
    return undefined;
  }

  /** The folder a real path (symbolic links resolved) lies in: the deepest holding it; undefined for none. */
  folderOfReal(realPath: string): IndexedFolder | undefined {
    return this.byDepth.find((f) => isWithin(f.real, realPath));
  }

  /**
   * An absolute path with the path of the folder it was given through replaced by that folder's real path (the
   * deepest such folder's): the same file is the same path whichever folder the editor reached it through. Links
   * below a folder's root are left as they are (pure arithmetic: the scan follows those: workspaceScanner.ts).
   */
  private realOf(absPath: string): string {
    const resolved = path.resolve(absPath);
    for (const a of this.aliases) {
      if (a.root === a.real) continue;
      if (resolved === a.root) return a.real;
      const rel = relativeToRoot(a.root, resolved);
      if (rel !== undefined) return path.join(a.real, ...rel.split('/'));
    }
    return resolved;
  }

  /**
   * The folder an index path lies in and the path relative to that folder ('' for a multi-root folder itself).
   * Undefined for a path in no folder (an unknown first segment of a multi-root path).
   */
  locate(relPath: string): { folder: IndexedFolder; local: string } | undefined {
    const only = this.folders.length === 1 ? this.folders[0] : undefined;
    if (only) return { folder: only, local: relPath };
    const slash = relPath.indexOf('/');
    const folder = this.byPrefix.get(slash < 0 ? relPath : relPath.slice(0, slash));
    return folder ? { folder, local: slash < 0 ? '' : relPath.slice(slash + 1) } : undefined;
  }

  /** The absolute path of an index path, or undefined when it would lie outside every folder. */
  absolute(relPath: string): string | undefined {
    const at = this.locate(relPath);
    if (!at) return undefined;
    const abs = path.resolve(at.folder.root, at.local);
    return isWithin(at.folder.root, abs) ? abs : undefined;
  }

  /**
   * The index path a relative '/' path (`..` allowed) leads to from the index path `dir`, by where the folders are on
   * disk, not by their names: `../shared/src` from the folder of /d/one/web is the folder of /d/one/shared, whatever
   * the editor names it (`shared-2`, `Shared lib`). Joined as tools join a configuration's paths (tsc, go), lexically
   * from the path the folder was given as. Undefined when it lies in no folder (or `dir` in none).
   * @param foldCase match the folders' paths without regard to case (a disk that folds case: `../Shared` is the folder
   *   of /d/one/shared), when they do not match exactly.
   */
  beside(dir: string, rel: string, foldCase = false): string | undefined {
    const at = this.locate(dir);
    if (!at) return undefined;
    const abs = path.resolve(at.folder.root, at.local, rel);
    return this.relative(abs) ?? (foldCase ? this.relativeFolded(abs) : undefined);
  }

  /**
   * relative() comparing the folders' paths lower-cased (the path within its folder as written, when lower-casing
   * keeps its length; else lower-cased too: a folding lookup finds either).
   */
  private relativeFolded(absPath: string): string | undefined {
    const real = this.realOf(absPath);
    const folded = real.toLowerCase();
    for (const f of this.byDepth) {
      const rel = relativeToRoot(f.real.toLowerCase(), folded);
      if (rel !== undefined) {
        const local = folded.length === real.length ? real.slice(real.length - rel.length).split(path.sep).join('/') : rel;
        return f.prefix ? `${f.prefix}/${local}` : local;
      }
      if (folded === f.real.toLowerCase() && f.prefix) return f.prefix;
    }
    return undefined;
  }

  /**
   * The '' of a single folder, or the `name/` every path of a multi-root folder starts with: what an import of a
   * file may resolve within (a folder's root-relative imports mean its own root).
   */
  scopeOf(relPath: string): string {
    const prefix = this.locate(relPath)?.folder.prefix;
    return prefix ? `${prefix}/` : '';
  }

  /**
   * The roots of the other folders, real and as given (a scan of `folder` enters none of them, nor anything inside one
   * through a link: nested, linked or linked into, each is its own folder's).
   */
  otherRoots(folder: IndexedFolder): ReadonlySet<string> {
    return new Set(this.folders.filter((f) => f !== folder).flatMap((f) => [f.root, f.real]));
  }

  /** Whether an absolute path is the root of a folder or holds one (deleting or moving it changes that folder). */
  holdsFolder(absPath: string): boolean {
    return this.multiRoot && this.foldersAt(absPath).length > 0;
  }

  /** The folders whose roots are `absPath` or lie under it, as given or by their real paths. */
  foldersAt(absPath: string): readonly IndexedFolder[] {
    const resolved = path.resolve(absPath);
    const real = this.realOf(resolved);
    return this.folders.filter((f) => isWithin(resolved, f.root) || isWithin(real, f.real));
  }
}

/** Whether `abs` is `root` or lies under it (both absolute and resolved; a root may end in a separator: '/', 'C:\\'). */
export function isWithin(root: string, abs: string): boolean {
  if (abs === root) return true;
  return abs.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** Whether the index path `p` is `rel` or lies under it ('/' paths: `src` holds `src/a.ts`, not `src2/a.ts`). */
export function isAtOrUnder(rel: string, p: string): boolean {
  return p === rel || (p.length > rel.length && p.startsWith(rel) && p.charCodeAt(rel.length) === 47);
}

/** Workspace-relative '/' path of an absolute path, or undefined when it is outside `root` (absolute, resolved). */
export function relativeToRoot(root: string, absPath: string): string | undefined {
  const rel = path.relative(root, path.resolve(absPath));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** A folder's real path as FolderPaths compares folders by (FolderSpec.realPath). */
function realOfSpec(spec: FolderSpec): string {
  return path.resolve(spec.realPath ?? spec.path);
}

/** A folder name usable as one path segment, or undefined when nothing is left of it. */
function folderSegment(name: string): string | undefined {
  const segment = name.replace(/[\\/]+/g, '_').trim();
  return segment === '' || segment === '.' || segment === '..' ? undefined : segment;
}
