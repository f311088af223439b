// Resolves import specifiers to workspace files, best effort: TS/JS relative paths with extension and index
// guessing, bare ones by tsconfig.json's and jsconfig.json's `paths` and baseUrl and by workspace packages' names (then
// root/src-relative and `@/` aliases), Python dotted modules (relative and by path suffix),
// Go package paths by the module paths of go.mod files (and their and go.work's local replacements), Java imports by
// path suffix, Rust `crate::`/`self::`/`super::` paths and `mod x;` from the crate roots Cargo knows (bare paths from the
// crate root in Rust 2015). An import may reach several files (resolveImportTargets): a Go package's, and each item of a
// Rust `use` group or Python `from … import` where it resolves.
import { isLocalNameEntry, isSideEffectImport, namespaceNameOf, NO_NAMES, type ImportTarget, type LanguageId } from './model';
import { isTsConfigName, NO_MANIFESTS, type Manifests } from './manifests';
import { FoldersAbove } from './pathMap';
import { StringSetMap } from './stringSetMap';

/** What resolving an import looks up in the workspace's paths (PathTable, or its exact view). */
export interface PathLookup {
  /** The path held for `path` (itself, or where lookups fold case one spelled otherwise), if any. */
  find(path: string): string | undefined;
  /** Files directly in a directory, sorted. */
  filesIn(dir: string): string[];
  /** Files with this base name anywhere. */
  named(name: string): readonly string[] | ReadonlySet<string>;
  /** Directories (holding files) with this base name anywhere. */
  dirsNamed(name: string): readonly string[] | ReadonlySet<string>;
  /** Whether `path` is `suffix` or ends with `/suffix`. */
  endsWith(path: string, suffix: string): boolean;
}

/**
 * Where a multi-root workspace's folders are on disk (FolderPaths), for the relative paths its configuration files
 * name (tsconfig.json's `paths` and baseUrl, go.mod's `replace`): one climbing out of its folder leads to the folder
 * at that place on disk, whatever the editor names it. Without it (one folder) such a path names nothing.
 */
export interface FolderLayout {
  /**
   * The index path `rel` (`..` allowed) leads to from the index path `dir` on disk; undefined in no folder.
   * `foldCase`: folders' paths matched without regard to case too (a disk that folds case).
   */
  beside(dir: string, rel: string, foldCase?: boolean): string | undefined;
}

/**
 * The workspace's file paths, indexed for resolution. On a disk that folds case (`foldsCase`: macOS's and Windows's
 * defaults) an import spelled otherwise than its file (`./utils` of `Utils.ts`) still reaches the file, as Node,
 * TypeScript and rustc find it there: lookups then match paths without regard to case (lower-cased), and answer with
 * the path as the table holds it (exact() for the languages that match names exactly everywhere).
 */
export class PathTable implements PathLookup {
  private readonly files = new Set<string>();
  private readonly byDir = new StringSetMap<string>();
  /** The folders above those in byDir (holdsUnder). */
  private readonly above = new FoldersAbove();
  private readonly byName = new StringSetMap<string>();
  private readonly dirsByName = new StringSetMap<string>();
  /** The lookups that match paths exactly: the table's own without folding, and exact()'s with it. */
  private readonly exactLookup: PathLookup = {
    find: (p) => (this.files.has(p) ? p : undefined),
    filesIn: (dir) => [...this.byDir.values(dir)].sort(),
    named: (name) => this.byName.values(name),
    dirsNamed: (name) => this.dirsByName.values(name),
    endsWith: endsWithPath,
  };
  /** With folding, the same by lower-cased keys: files by path and by name, directories by path and by name. */
  private folded: { readonly files: StringSetMap<string>; readonly byName: StringSetMap<string>; readonly dirs: StringSetMap<string>; readonly dirsByName: StringSetMap<string> } | undefined;
  /** The Go module folders worked out from these paths: dropped when a path comes or goes. */
  private goFolders: GoModuleFoldersCache | undefined;
  /** The Go packages worked out by folder (goPackage): a folder's dropped when a path in it comes or goes. */
  private readonly goPackages = new Map<string, FolderPackage>();
  /** The Java packages worked out by folder (javaPackage), dropped as goPackages' are. */
  private readonly javaPackages = new Map<string, FolderPackage>();
  /**
   * The TS/JS projects (configurations, packages) worked out from these paths: told when one of their files comes or
   * goes (they look up no other path, and those exactly: isJsProjectFile).
   */
  private jsProjectsCache: JsProjects | undefined;

  /** @param layout a multi-root workspace's folders on disk (none for one folder: see FolderLayout). */
  constructor(
    foldsCase = false,
    readonly layout?: FolderLayout,
  ) {
    if (foldsCase) this.setFoldsCase(true);
  }

  get size(): number {
    return this.files.size;
  }

  /** Whether lookups match paths without regard to case. */
  get foldsCase(): boolean {
    return this.folded !== undefined;
  }

  /**
   * Turns matching without regard to case on or off.
   * @returns whether it changed, and with it what resolutions may answer.
   */
  setFoldsCase(folds: boolean): boolean {
    if (folds === this.foldsCase) return false;
    this.goFolders = undefined;
    this.goPackages.clear();
    this.javaPackages.clear();
    this.jsProjectsCache = undefined;
    if (!folds) {
      this.folded = undefined;
      return true;
    }
    this.folded = { files: new StringSetMap(), byName: new StringSetMap(), dirs: new StringSetMap(), dirsByName: new StringSetMap() };
    const dirs = new Set<string>();
    for (const p of this.files) {
      this.foldIn(p);
      dirs.add(dirname(p));
    }
    for (const dir of dirs) this.foldDirIn(dir);
    return true;
  }

  /** The same lookups, matching paths exactly even where this table folds case. */
  exact(): PathLookup {
    return this.exactLookup;
  }

  /** Whether the table holds exactly this path. */
  has(path: string): boolean {
    return this.files.has(path);
  }

  /**
   * The path the table holds for `path`: itself, or with folding one spelled otherwise (the first in code-unit order
   * of several: on one such disk, the same file named twice for a moment, until an event drops one).
   */
  find(path: string): string | undefined {
    return this.exactLookup.find(path) ?? (this.folded && first(this.folded.files.values(path.toLowerCase())));
  }

  paths(): IterableIterator<string> {
    return this.files.values();
  }

  add(path: string): void {
    if (this.files.has(path)) return;
    this.files.add(path);
    // (The Go module folders are worked out of go.mod paths only: what else comes or goes leaves them.)
    if (basename(path) === 'go.mod') this.goFolders = undefined;
    const dir = dirname(path);
    this.goPackages.delete(dir);
    this.javaPackages.delete(dir);
    if (this.byDir.count(dir) === 0) {
      this.dirsByName.add(basename(dir), dir);
      if (this.folded) this.foldDirIn(dir);
      this.above.note(dir, 1);
    }
    this.byDir.add(dir, path);
    this.byName.add(basename(path), path);
    if (this.folded) this.foldIn(path);
    this.jsProjectsCache?.pathChanged(path);
  }

  delete(path: string): void {
    if (!this.files.delete(path)) return;
    if (basename(path) === 'go.mod') this.goFolders = undefined;
    const dir = dirname(path);
    this.goPackages.delete(dir);
    this.javaPackages.delete(dir);
    this.byDir.delete(dir, path);
    if (this.byDir.count(dir) === 0) {
      this.above.note(dir, -1);
      this.dirsByName.delete(basename(dir), dir);
      this.folded?.dirs.delete(dir.toLowerCase(), dir);
      this.folded?.dirsByName.delete(basename(dir).toLowerCase(), dir);
    }
    this.byName.delete(basename(path), path);
    this.folded?.files.delete(path.toLowerCase(), path);
    this.folded?.byName.delete(basename(path).toLowerCase(), path);
    this.jsProjectsCache?.pathChanged(path);
  }

  /** Whether the table holds a path under the folder `folder` (at any depth; exactly: not spelled otherwise). */
  holdsUnder(folder: string): boolean {
    return this.byDir.count(folder) > 0 || this.above.has(folder);
  }

  /** Files directly in a directory, sorted. */
  filesIn(dir: string): string[] {
    if (!this.folded) return this.exactLookup.filesIn(dir);
    const out: string[] = [];
    for (const d of this.folded.dirs.values(dir.toLowerCase())) out.push(...this.byDir.values(d));
    return out.sort();
  }

  /** Files with this base name anywhere. */
  named(name: string): readonly string[] | ReadonlySet<string> {
    return this.folded ? this.folded.byName.values(name.toLowerCase()) : this.exactLookup.named(name);
  }

  /** Directories (holding files) with this base name anywhere. */
  dirsNamed(name: string): readonly string[] | ReadonlySet<string> {
    return this.folded ? this.folded.dirsByName.values(name.toLowerCase()) : this.exactLookup.dirsNamed(name);
  }

  /** Whether `path` is `suffix` or ends with `/suffix` (with folding, without regard to case). */
  endsWith(path: string, suffix: string): boolean {
    return this.folded ? endsWithPath(path.toLowerCase(), suffix.toLowerCase()) : endsWithPath(path, suffix);
  }

  /**
   * The Go package in the folder `dir` (exactly: Go matches paths so everywhere), worked out once from its sorted files
   * until a path in it comes or goes: every import of it shares its file list and its targets.
   */
  goPackage(dir: string): FolderPackage {
    return this.folderPackage(this.goPackages, dir, goPackageOf);
  }

  /**
   * The Java package in the folder `dir` (exactly, as Java matches names), worked out and shared as goPackage's: the
   * files a wildcard import of it (`import com.acme.model.*;`) reaches.
   */
  javaPackage(dir: string): FolderPackage {
    return this.folderPackage(this.javaPackages, dir, javaPackageOf);
  }

  /** The package `of` the folder's files makes, kept in `cache` (cleared when a path in the folder comes or goes). */
  private folderPackage(cache: Map<string, FolderPackage>, dir: string, of: (files: readonly string[]) => FolderPackage): FolderPackage {
    let pkg = cache.get(dir);
    if (pkg !== undefined) return pkg;
    if (this.byDir.count(dir) === 0) return NO_PACKAGE;
    pkg = of(this.exactLookup.filesIn(dir));
    cache.set(dir, pkg);
    return pkg;
  }

  /** The Go module folders of importers worked out from these paths and `manifests` as they are now (see resolveGo). */
  goModuleFolders(manifests: Manifests): GoModuleFoldersCache {
    if (this.goFolders?.catchUp(manifests) !== true) this.goFolders = new GoModuleFoldersCache(this.exactLookup, manifests, this.layout);
    return this.goFolders;
  }

  /** The TS/JS configurations and packages worked out from these paths and `manifests` as they are now (see resolveJs). */
  jsProjects(manifests: Manifests): JsProjects {
    if (this.jsProjectsCache?.catchUp(manifests) !== true) this.jsProjectsCache = new JsProjects(this, manifests);
    return this.jsProjectsCache;
  }

  private foldIn(path: string): void {
    this.folded?.files.add(path.toLowerCase(), path);
    this.folded?.byName.add(basename(path).toLowerCase(), path);
  }

  private foldDirIn(dir: string): void {
    this.folded?.dirs.add(dir.toLowerCase(), dir);
    this.folded?.dirsByName.add(basename(dir).toLowerCase(), dir);
  }
}

/** Whether `path` is `suffix` or ends with `/suffix`. */
function endsWithPath(path: string, suffix: string): boolean {
  return path === suffix || path.endsWith(`/${suffix}`);
}

/** Whether a lookup's answer holds no path. */
function isEmpty(values: readonly string[] | ReadonlySet<string>): boolean {
  return 'size' in values ? values.size === 0 : values.length === 0;
}

/** The first of some strings in code-unit order (undefined for none). */
function first(values: Iterable<string>): string | undefined {
  let out: string | undefined;
  for (const v of values) if (out === undefined || v < out) out = v;
  return out;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const joinPath = (dir: string, rel: string): string => (dir && rel ? `${dir}/${rel}` : dir || rel);

/** Normalises `a/./b/../c` → `a/c`; undefined when it climbs above the root. */
export function normalisePath(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/**
 * A configuration file's relative path `rel` from the index path `dir` (its folder, or a baseUrl), normalised; in a
 * multi-root workspace where it leads on disk (FolderLayout), not the folder named as its directory: `../shared` from
 * web/ is whichever folder /d/one/shared is (maybe `shared-2/`), and `packages/pkg` the folder nested there if it is
 * one. Undefined when it lies in no folder.
 * @param foldCase on a disk that folds case, folders matched without regard to case (`../Shared` is shared/).
 */
function configPath(dir: string, rel: string, layout: FolderLayout | undefined, foldCase = false): string | undefined {
  return layout === undefined ? normalisePath(joinPath(dir, rel)) : layout.beside(dir, rel, foldCase);
}

/** Among candidate paths, the one sharing the longest directory prefix with `near` (then the shortest, then sorted). */
function nearest(candidates: Iterable<string>, near: string): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const c of candidates) {
    let common = 0;
    const max = Math.min(c.length, near.length);
    while (common < max && c.charCodeAt(common) === near.charCodeAt(common)) common++;
    if (
      common > bestScore ||
      (common === bestScore && best !== undefined && (c.length < best.length || (c.length === best.length && c < best)))
    ) {
      best = c;
      bestScore = common;
    }
  }
  return best;
}

/** Files whose path ends with `/suffix` (or is `suffix`). */
function bySuffix(paths: PathLookup, suffix: string, near: string): string | undefined {
  const matches = [...paths.named(basename(suffix))].filter((p) => paths.endsWith(p, suffix));
  return nearest(matches, near);
}

/** Directories whose path ends with `/suffix` (or is `suffix`). */
function dirsBySuffix(paths: PathLookup, suffix: string): string[] {
  return [...paths.dirsNamed(basename(suffix))].filter((d) => paths.endsWith(d, suffix));
}

// ---------------------------------------------------------------- JavaScript / TypeScript

const JS_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

function jsCandidate(paths: PathLookup, base: string): string | undefined {
  // ESM TypeScript imports name the emitted file: './util.js' means './util.ts' (or its declarations, './util.d.ts') —
  // the source before the emitted file itself when both are there (compiled output next to its source).
  const emitted = /\.(m|c)?jsx?$/.exec(base);
  if (emitted) {
    const stem = base.slice(0, emitted.index);
    const flavour = emitted[1] ?? '';
    for (const ext of [`.${flavour}ts`, `.${flavour}tsx`, '.ts', '.tsx', `.d.${flavour}ts`, '.d.ts']) {
      const hit = paths.find(stem + ext);
      if (hit !== undefined) return hit;
    }
  }
  const exact = paths.find(base);
  if (exact !== undefined) return exact;
  for (const ext of JS_EXTENSIONS) {
    const hit = paths.find(base + ext);
    if (hit !== undefined) return hit;
  }
  return jsDirectoryIndex(paths, base);
}

/**
 * Where a non-relative specifier may point, after common path aliases and baseUrl settings: '@/x' and '~/x' → src/x,
 * then x; x relative to the root, then to src/ (the root of the importer's folder: resolveImport's `scope`).
 */
function jsBases(source: string): string[] {
  return /^[@~]\//.test(source) ? [`src/${source.slice(2)}`, source.slice(2)] : [source, `src/${source}`];
}

/** A package's index in directory `dir` (a specifier naming a directory only: `.`, `..`, `./lib/`). */
function jsDirectoryIndex(paths: PathLookup, dir: string): string | undefined {
  for (const ext of JS_EXTENSIONS) {
    const hit = paths.find(joinPath(dir, `index${ext}`));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** `.`, `..`, `./`, `lib/`, `../..`: a specifier that can only name a directory (Node and TypeScript look for no file then). */
const DIRECTORY_ONLY = /(?:^|\/)\.{0,2}$/;

/**
 * Node's built-in modules as bare specifiers (`fs`, `node:fs` aside: a scheme never resolves), and the subpaths it
 * has (`fs/promises`): always the built-in for Node (a bundler would need an alias to say otherwise), never a workspace
 * file, though a workspace may well have a `src/events.ts` the root-and-src guess below would take.
 */
const NODE_BUILTINS = new Set([
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants', 'crypto',
  'dgram', 'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events', 'fs', 'fs/promises', 'http', 'http2',
  'https', 'inspector', 'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix', 'path/win32', 'perf_hooks',
  'process', 'punycode', 'querystring', 'readline', 'readline/promises', 'repl', 'stream', 'stream/consumers',
  'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers', 'timers/promises', 'tls', 'trace_events', 'tty',
  'url', 'util', 'util/types', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib',
]);

/** Whether `source` names one of Node's built-in modules (for tests: the list against the running Node's). */
export function isNodeBuiltin(source: string): boolean {
  return NODE_BUILTINS.has(source);
}

// ---------------------------------------------------------------- TS/JS projects: tsconfig.json `paths`, packages

/** A `paths` pattern or target split at its `*` (none: `wildcard` false, all of it the prefix). */
interface StarPattern {
  readonly prefix: string;
  readonly suffix: string;
  readonly wildcard: boolean;
}

function starPattern(text: string): StarPattern {
  const star = text.indexOf('*');
  return star < 0 ? { prefix: text, suffix: '', wildcard: false } : { prefix: text.slice(0, star), suffix: text.slice(star + 1), wildcard: true };
}

/**
 * A `paths` target relative to its mapping's `dir`. `onDisk`: in a multi-root workspace, one whose `*` is in its climb
 * out of its folder (a `*` for the folder's name in `../<*>/src`: its text before the `*` leads into no folder), which leads where its filled-in text
 * does on disk (FolderLayout).
 */
interface MappedTarget extends StarPattern {
  readonly onDisk?: true;
}

/** A `paths` entry: its pattern, and its targets, relative to `dir` (baseUrl's folder, or the declaring file's). */
interface PathMapping {
  readonly pattern: StarPattern;
  readonly targets: readonly MappedTarget[];
  readonly dir: string;
}

/** What resolving a bare specifier takes from the configuration of an importer, its `extends` followed. */
interface JsConfig {
  /** `paths`' entries, in the order TypeScript picks one: exact patterns, then the longest prefix first. */
  readonly mappings: readonly PathMapping[];
  /** baseUrl's folder, if set. */
  readonly baseUrl?: string;
}

/** A configuration's settings before they are merged: baseUrl's folder, and `paths` with the folder of its file. */
interface RawJsConfig {
  baseUrl?: string;
  paths?: { readonly entries: Readonly<Record<string, readonly string[]>>; readonly dir: string };
}

/** A package of the workspace (a package.json with a `name`): its folder and its entry files, as written. */
interface JsPackage {
  readonly dir: string;
  readonly entries: readonly string[];
}

/** How deep a chain of `extends` is followed. */
const MAX_EXTENDS_DEPTH = 8;

/** The configurations an importer may have, nearest first in a folder. */
const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** Build output folders a package's entry may name, whose sources are in src/ (`dist/index.js` → `src/index.ts`). */
const BUILD_FOLDERS = /^(?:dist|lib|build|out)\//;

/**
 * Whether a `*`'s text may not be substituted: it has a `.` or `..` segment (it could climb out of its target's folder),
 * between `/` or `\` — a target led by where it is on disk is resolved by the platform's path functions, which on
 * Windows take `..\` for a climb.
 */
export function hasDotSegment(text: string): boolean {
  return text.split(/[\\/]/).some((part) => part === '.' || part === '..');
}

/**
 * A target's text for a specifier's `*` part, joined with its folder and normalised; undefined when it climbs above
 * the root.
 */
function substituted(target: StarPattern, captured: string, dir: string): string | undefined {
  return normalisePath(joinPath(dir, target.wildcard ? target.prefix + captured + target.suffix : target.prefix));
}

/**
 * A workspace package's entry as the base of its source: a build folder's file as src/'s (`dist/index.d.ts` →
 * `src/index.js`, which reaches src/index.ts), undefined when it names no build output.
 */
function entrySource(entry: string): string | undefined {
  const rel = normalisePath(entry);
  if (rel === undefined || !BUILD_FOLDERS.test(rel)) return undefined;
  return `src/${rel.slice(rel.indexOf('/') + 1)}`.replace(/\.d\.(m|c)?ts$/, '.$1js');
}

/** The bases of a package's root (in the order tried): its entries' sources, its entries, then its src/ and itself (their index). */
function packageRootBases(pkg: JsPackage): { readonly files: readonly string[]; readonly dirs: readonly string[] } {
  const files: string[] = [];
  for (const entry of pkg.entries) {
    for (const rel of [entrySource(entry), entry]) {
      const base = rel === undefined ? undefined : normalisePath(joinPath(pkg.dir, rel));
      if (base !== undefined && !files.includes(base)) files.push(base);
    }
  }
  return { files, dirs: [joinPath(pkg.dir, 'src'), pkg.dir] };
}

/** The TS and JS source extensions whose file an emitted file's name (`x.js`) may stand for. */
const SOURCE_OF_EMITTED = /(?:\.d)?\.[mc]?tsx?$/;

/**
 * Every base `file` is a candidate of (jsCandidate, jsDirectoryIndex), lower-cased: itself, without a JS extension,
 * as the emitted file of a TS source, and its folder when it is an index.
 */
function candidateBases(file: string): string[] {
  const f = file.toLowerCase();
  const out = [f];
  for (const ext of [...JS_EXTENSIONS, '.d.mts', '.d.cts']) if (f.endsWith(ext)) out.push(f.slice(0, -ext.length));
  const source = SOURCE_OF_EMITTED.exec(f);
  if (source) for (const ext of ['.js', '.jsx', '.mjs', '.cjs', '.mjsx', '.cjsx']) out.push(f.slice(0, source.index) + ext);
  if (/^index\.[^/]+$/.test(basename(f))) out.push(dirname(f));
  return out;
}

/**
 * A target whose files an import's keys do not name (importKeys): an exact one (`"@lib": ["src/lib/main.ts"]`) or one
 * whose `*` is not a whole last segment (a target `src/*` + `/index`), lower-cased and as a workspace path (its prefix
 * normalised). `any`: it may reach any file (its suffix climbs).
 */
interface KeyTarget {
  readonly prefix: string;
  readonly suffix: string;
  readonly wildcard: boolean;
  readonly any: boolean;
}

/**
 * What is worked out from the workspace's manifests and kept while they stay as they were: brought up to date in place
 * when they change (catchUp), each changed manifest's own facts forgotten (pathChanged) — JsProjects, GoModuleFoldersCache.
 */
abstract class ManifestFollower {
  /** The version of the manifests what is worked out is for. */
  private manifestsVersion: number;

  constructor(protected readonly manifests: Manifests) {
    this.manifestsVersion = manifests.version;
  }

  /**
   * Brings what was worked out up to `manifests` as they are now: in place when they tell which paths changed.
   * @returns false when it is for other manifests, or cannot tell (to be worked out anew).
   */
  catchUp(manifests: Manifests): boolean {
    if (manifests !== this.manifests) return false;
    if (manifests.version === this.manifestsVersion) return true;
    const changed = manifests.changedSince?.(this.manifestsVersion);
    if (changed === undefined) return false;
    for (const path of changed) this.pathChanged(path);
    this.manifestsVersion = manifests.version;
    return true;
  }

  /** The manifest at `path` came, went or says otherwise now: what was worked out from it is to be worked out again. */
  protected abstract pathChanged(path: string): void;
}

/**
 * The TS/JS configurations (tsconfig.json, jsconfig.json, the tsconfig*.json they extend) and workspace packages
 * (package.json files with a name) of a workspace, worked out when first asked for and kept while the paths and the
 * manifests stay as they were (as GoModuleFoldersCache): a workspace without them pays a lookup per folder of an
 * importer once a pass. A package.json that comes, goes or says otherwise updates the packages in place (a branch
 * switch brings thousands, one event each); a configuration file, the configurations worked out again.
 */
class JsProjects extends ManifestFollower {
  /** Each folder's configuration (its own, or the nearest above it), null for none. */
  private readonly configByDir = new Map<string, JsConfig | null>();
  private readonly configs = new Map<string, JsConfig>();
  /** By configuration file (in configs): the paths working it out looked up (rawConfig). */
  private readonly configReads = new Map<string, readonly string[]>();
  /** The same by path looked up: the configuration files. */
  private readonly configsReading = new StringSetMap<string>();
  /**
   * Once readersOf was asked: the workspace's configuration files not worked out (in configs) since they came or were
   * forgotten, to be worked out before it answers again (undefined: all of them, not listed yet).
   */
  private unworked: Set<string> | undefined;
  private packagesByName: Map<string, JsPackage[]> | undefined;
  /** By folder: the name its package is listed under in packagesByName. */
  private readonly packageNames = new Map<string, string>();
  /** package.json files to be listed again in packagesByName: they came, went or say otherwise. */
  private readonly packagesStale = new Set<string>();
  /**
   * The distinct key targets of the workspace's configuration files (keyTargets), by their text, with how many of the
   * files give each; undefined until first asked for.
   */
  private keyTargetCounts: Map<string, { readonly target: KeyTarget; count: number }> | undefined;
  /** By configuration file (tsconfig.json, jsconfig.json): the texts of its key targets counted in keyTargetCounts. */
  private readonly keyTargetsOf = new Map<string, readonly string[]>();
  /** Configuration files whose key targets are to be counted again: a file they read came, went or changed. */
  private readonly keyTargetsStale = new Set<string>();
  /** keyTargetCounts' targets (undefined: to be listed again). */
  private keyTargetList: KeyTarget[] | undefined;
  /** By folder: the package of its package.json, if any has a name (null: none). */
  private readonly packageInDir = new Map<string, { readonly pkg: JsPackage; readonly key: string; readonly bases: ReadonlySet<string> } | null>();
  private readonly exact: PathLookup;

  constructor(
    private readonly table: PathTable,
    manifests: Manifests,
  ) {
    super(manifests);
    this.exact = table.exact();
  }

  /** The file at `path` came, went or says otherwise now (any path: only those the projects look up count). */
  pathChanged(path: string): void {
    const name = basename(path);
    if (name === 'package.json') this.packageChanged(path);
    else if (isTsConfigName(name)) {
      // The configurations that read it (their own file, one they extend or tried to); where each folder's is.
      const stale = [path, ...this.configsReading.values(path)];
      for (const file of stale) {
        this.forgetConfig(file);
        if (this.unworked !== undefined && CONFIG_NAMES.includes(basename(file))) {
          if (this.exact.find(file) !== undefined) this.unworked.add(file);
          else this.unworked.delete(file);
        }
        if (this.keyTargetCounts !== undefined && CONFIG_NAMES.includes(basename(file))) this.keyTargetsStale.add(file);
      }
      this.configByDir.clear();
    }
  }

  private forgetConfig(file: string): void {
    this.configs.delete(file);
    for (const path of this.configReads.get(file) ?? []) this.configsReading.delete(path, file);
    this.configReads.delete(file);
  }

  private packageChanged(file: string): void {
    this.packageInDir.delete(dirname(file));
    if (this.packagesByName !== undefined) this.packagesStale.add(file);
  }

  /**
   * The configuration files (tsconfig.json, jsconfig.json) whose working out reads `path`: itself, one it extends (in
   * a chain), or one it looked for there. Each of the workspace's is worked out once to know (then those that were
   * forgotten as what they read changed).
   */
  readersOf(path: string): ReadonlySet<string> | readonly string[] {
    if (this.unworked === undefined) this.unworked = new Set(CONFIG_NAMES.flatMap((name) => [...this.exact.named(name)]));
    for (const file of this.unworked) this.config(file);
    this.unworked.clear();
    return this.configsReading.values(path);
  }

  /** The configuration of an importer: the nearest tsconfig.json or jsconfig.json in its folder or above. */
  configOf(importer: string): JsConfig | undefined {
    const walked: string[] = [];
    let found: JsConfig | null = null;
    for (let dir = dirname(importer); ; dir = dirname(dir)) {
      const known = this.configByDir.get(dir);
      if (known !== undefined) {
        found = known;
        break;
      }
      walked.push(dir);
      const file = CONFIG_NAMES.map((name) => this.exact.find(joinPath(dir, name))).find((f) => f !== undefined);
      if (file !== undefined) {
        found = this.config(file);
        break;
      }
      if (dir === '') break;
    }
    for (const dir of walked) this.configByDir.set(dir, found);
    return found ?? undefined;
  }

  /** The bases a bare specifier maps to by a configuration's `paths`, in the order tried, then by its baseUrl. */
  mapped(config: JsConfig, source: string): string[] {
    const out: string[] = [];
    const mapping = config.mappings.find(({ pattern: p }) =>
      p.wildcard ? source.length >= p.prefix.length + p.suffix.length && source.startsWith(p.prefix) && source.endsWith(p.suffix) : source === p.prefix,
    );
    if (mapping !== undefined) {
      const captured = mapping.pattern.wildcard ? source.slice(mapping.pattern.prefix.length, source.length - mapping.pattern.suffix.length) : '';
      if (!hasDotSegment(captured)) {
        const layout = this.table.layout;
        for (const target of mapping.targets) {
          const base =
            target.onDisk && layout !== undefined
              ? layout.beside(mapping.dir, target.prefix + captured + target.suffix, this.table.foldsCase)
              : substituted(target, captured, mapping.dir);
          if (base !== undefined) out.push(base);
        }
      }
    }
    if (config.baseUrl !== undefined) {
      const base = normalisePath(joinPath(config.baseUrl, source));
      if (base !== undefined) out.push(base);
    }
    return out;
  }

  /** The workspace packages a bare specifier may name (by its first segment, or two for a scope), and the rest of it. */
  packagesOf(source: string): { readonly packages: readonly JsPackage[]; readonly subpath: string } {
    const name = packageNameOf(source);
    return { packages: this.packages().get(name) ?? [], subpath: source.slice(name.length + 1) };
  }

  /**
   * Keys a file's coming or going shares with the imports it may change (see pathKeys): MAPPED_KEY when it may be a
   * KeyTarget's, and a package name's last segment when it may be that package's root (what `@acme/util` reaches).
   */
  keysOf(file: string): string[] {
    const keys: string[] = [];
    const targets = this.keyTargets();
    const packages = this.packages();
    if (targets.length === 0 && packages.size === 0) return keys;
    const bases = candidateBases(file);
    if (targets.some((t) => t.any || bases.some((b) => (t.wildcard ? b.length >= t.prefix.length + t.suffix.length && b.startsWith(t.prefix) && b.endsWith(t.suffix) : b === t.prefix)))) {
      keys.push(MAPPED_KEY);
    }
    if (packages.size > 0) {
      for (let dir = dirname(file); ; dir = dirname(dir)) {
        const here = this.packageAt(dir);
        if (here !== null && bases.some((b) => here.bases.has(b))) keys.push(here.key);
        if (dir === '') break;
      }
    }
    return keys;
  }

  private packageAt(dir: string): { readonly pkg: JsPackage; readonly key: string; readonly bases: ReadonlySet<string> } | null {
    let known = this.packageInDir.get(dir);
    if (known === undefined) {
      known = null;
      const file = this.exact.find(joinPath(dir, 'package.json'));
      const manifest = file === undefined ? undefined : this.manifests.packageJson(file);
      if (manifest?.name !== undefined) {
        const pkg = { dir, entries: manifest.entries };
        const { files, dirs } = packageRootBases(pkg);
        known = { pkg, key: stemOf(basename(manifest.name)), bases: new Set([...files, ...dirs].map((b) => b.toLowerCase())) };
      }
      this.packageInDir.set(dir, known);
    }
    return known;
  }

  private packages(): Map<string, JsPackage[]> {
    if (this.packagesByName === undefined) {
      this.packagesByName = new Map();
      for (const file of this.exact.named('package.json')) this.addPackage(file);
    } else if (this.packagesStale.size > 0) {
      for (const file of this.packagesStale) {
        const dir = dirname(file);
        const name = this.packageNames.get(dir);
        if (name !== undefined) {
          this.packageNames.delete(dir);
          const rest = (this.packagesByName.get(name) ?? []).filter((p) => p.dir !== dir);
          if (rest.length > 0) this.packagesByName.set(name, rest);
          else this.packagesByName.delete(name);
        }
        if (this.exact.find(file) !== undefined) this.addPackage(file);
      }
      this.packagesStale.clear();
    }
    return this.packagesByName;
  }

  /** Lists the package of the package.json at `file` (one with a name) in packagesByName. */
  private addPackage(file: string): void {
    const manifest = this.manifests.packageJson(file);
    if (this.packagesByName === undefined || manifest?.name === undefined) return;
    const dir = dirname(file);
    const pkg = { dir, entries: manifest.entries };
    const list = this.packagesByName.get(manifest.name);
    if (list === undefined) this.packagesByName.set(manifest.name, [pkg]);
    else list.push(pkg);
    this.packageNames.set(dir, manifest.name);
  }

  /** The targets of every configuration of the workspace whose files an import's keys do not name (KeyTarget), once each. */
  private keyTargets(): readonly KeyTarget[] {
    if (this.keyTargetCounts === undefined) {
      this.keyTargetCounts = new Map();
      for (const name of CONFIG_NAMES) for (const file of this.exact.named(name)) this.countKeyTargets(file);
    } else if (this.keyTargetsStale.size > 0) {
      for (const file of this.keyTargetsStale) {
        this.uncountKeyTargets(file);
        if (this.exact.find(file) !== undefined) this.countKeyTargets(file);
      }
      this.keyTargetsStale.clear();
    }
    this.keyTargetList ??= [...this.keyTargetCounts.values()].map((c) => c.target);
    return this.keyTargetList;
  }

  /** Counts the key targets of the configuration file `file` in keyTargetCounts. */
  private countKeyTargets(file: string): void {
    const counts = this.keyTargetCounts;
    if (counts === undefined) return;
    const texts = new Set<string>();
    for (const { pattern, targets, dir } of this.config(file).mappings) {
      const patternKeyed = pattern.wildcard && pattern.suffix === '' && (pattern.prefix === '' || pattern.prefix.endsWith('/'));
      for (const target of targets) {
        if (patternKeyed && target.wildcard && target.suffix === '' && (target.prefix === '' || target.prefix.endsWith('/'))) continue;
        // (A target led on disk may reach any folder: keyed by its suffix alone.)
        const keyTarget = target.onDisk
          ? { prefix: '', suffix: target.suffix.toLowerCase(), wildcard: true, any: hasDotSegment(target.suffix) }
          : this.keyTarget(pattern.wildcard ? target : { prefix: target.prefix, suffix: '', wildcard: false }, dir);
        if (keyTarget === undefined) continue;
        const text = JSON.stringify([keyTarget.prefix, keyTarget.suffix, keyTarget.wildcard, keyTarget.any]);
        if (texts.has(text)) continue;
        texts.add(text);
        const counted = counts.get(text);
        if (counted !== undefined) counted.count++;
        else {
          counts.set(text, { target: keyTarget, count: 1 });
          this.keyTargetList = undefined;
        }
      }
    }
    this.keyTargetsOf.set(file, [...texts]);
  }

  private uncountKeyTargets(file: string): void {
    for (const text of this.keyTargetsOf.get(file) ?? []) {
      const counted = this.keyTargetCounts?.get(text);
      if (counted !== undefined && --counted.count === 0) {
        this.keyTargetCounts?.delete(text);
        this.keyTargetList = undefined;
      }
    }
    this.keyTargetsOf.delete(file);
  }

  private keyTarget(target: StarPattern, dir: string): KeyTarget | undefined {
    if (!target.wildcard) {
      const path = normalisePath(joinPath(dir, target.prefix));
      return path === undefined ? undefined : { prefix: path.toLowerCase(), suffix: '', wildcard: false, any: false };
    }
    // The prefix's folders normalised, its last (partial) segment as written: `src/app-*` → `src/app-`.
    const joined = joinPath(dir, target.prefix) + (target.prefix === '' && dir !== '' ? '/' : '');
    const cut = joined.lastIndexOf('/');
    const folder = normalisePath(joined.slice(0, Math.max(cut, 0)));
    if (folder === undefined) return undefined;
    const prefix = (cut < 0 ? joined : joinPath(folder, '') + (folder === '' ? '' : '/') + joined.slice(cut + 1)).toLowerCase();
    return { prefix, suffix: target.suffix.toLowerCase(), wildcard: true, any: hasDotSegment(target.suffix) };
  }

  /** A configuration file's settings merged with those it extends. */
  private config(file: string): JsConfig {
    let config = this.configs.get(file);
    if (config === undefined) {
      const read = new Set<string>();
      const raw = this.rawConfig(file, new Set([file]), read);
      const mappings: PathMapping[] = [];
      if (raw.paths !== undefined) {
        const dir = raw.baseUrl ?? raw.paths.dir;
        for (const [pattern, targets] of Object.entries(raw.paths.entries)) {
          mappings.push({ pattern: starPattern(pattern), targets: targets.map((t) => this.located(starPattern(t), dir)).filter((t) => t !== undefined), dir });
        }
        // Exact patterns first, then the longest prefix (TypeScript's pick among the patterns that match).
        const rank = (m: PathMapping): number => (m.pattern.wildcard ? m.pattern.prefix.length : Infinity);
        mappings.sort((a, b) => rank(b) - rank(a));
      }
      config = { mappings, ...(raw.baseUrl === undefined ? {} : { baseUrl: raw.baseUrl }) };
      this.configs.set(file, config);
      this.configReads.set(file, [...read]);
      for (const path of read) this.configsReading.add(path, file);
    }
    return config;
  }

  /**
   * A `paths` target from `dir`: as written, or in a multi-root workspace by where its folders lead on disk
   * (configPath), written as the climb from `dir` to that folder's index path (`../shared/src/*` from web/ →
   * `../shared-2/src/*`): joined with `dir` as any target, it is that path. One whose `*` comes right after a climb that
   * leads into no folder (`../<*>/src` from app/, the `*` naming the folder) is led on disk once filled in
   * (MappedTarget.onDisk). Undefined when it leads into no workspace folder.
   */
  private located(target: StarPattern, dir: string): MappedTarget | undefined {
    const layout = this.table.layout;
    if (layout === undefined) return target;
    const climb = '../'.repeat(dir === '' ? 0 : dir.split('/').length);
    if (!target.wildcard) {
      const at = configPath(dir, target.prefix, layout, this.table.foldsCase);
      return at === undefined ? undefined : { ...target, prefix: climb + at };
    }
    // Its folders, and its last segment as written (`../shared/src/app-*`: `app-`), unless that is itself a climb.
    const cut = target.prefix.lastIndexOf('/');
    const last = target.prefix.slice(cut + 1);
    const [folders, name] = last === '..' || last === '.' ? [target.prefix, ''] : [target.prefix.slice(0, cut + 1), last];
    const at = configPath(dir, folders, layout, this.table.foldsCase);
    if (at !== undefined) return { ...target, prefix: `${climb}${at}/${name}` };
    // (Only a `*` right after a climb names a folder: `../../../vendor/*`, which leads into none, is dropped as ever —
    // kept, its key would match every file, and every file that comes or goes would resolve every bare import again.)
    return folders === '../' || folders.endsWith('/../') ? { ...target, onDisk: true } : undefined;
  }

  /**
   * A file's own settings over those of the files it extends (later ones over earlier ones), chains up to MAX_EXTENDS_DEPTH.
   * @param read gets the paths looked up.
   */
  private rawConfig(file: string, chain: ReadonlySet<string>, read: Set<string>): RawJsConfig {
    read.add(file);
    const own = this.manifests.tsconfig(file);
    const merged: RawJsConfig = {};
    if (own === undefined) return merged;
    if (chain.size <= MAX_EXTENDS_DEPTH) {
      for (const named of own.extends) {
        const base = this.extended(file, named, read);
        if (base === undefined || chain.has(base)) continue;
        const inherited = this.rawConfig(base, new Set([...chain, base]), read);
        if (inherited.baseUrl !== undefined) merged.baseUrl = inherited.baseUrl;
        if (inherited.paths !== undefined) merged.paths = inherited.paths;
      }
    }
    const dir = dirname(file);
    if (own.baseUrl !== undefined) {
      const baseUrl = configPath(dir, own.baseUrl, this.table.layout, this.table.foldsCase);
      if (baseUrl !== undefined) merged.baseUrl = baseUrl;
    }
    if (own.paths !== undefined) merged.paths = { entries: own.paths, dir };
    return merged;
  }

  /**
   * The workspace file an `extends` names: a relative path to a tsconfig*.json or jsconfig*.json (`.json` may be left
   * out); a package's configuration (`@tsconfig/node20`) or another file name is not followed.
   * @param read gets the paths looked up.
   */
  private extended(file: string, named: string, read: Set<string>): string | undefined {
    if (!/^\.\.?\//.test(named)) return undefined;
    for (const candidate of named.endsWith('.json') ? [named] : [`${named}.json`, named]) {
      const path = configPath(dirname(file), candidate, this.table.layout, this.table.foldsCase);
      if (path === undefined || !isTsConfigName(basename(path))) continue;
      read.add(path);
      const hit = this.exact.find(path);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
}

/** A bare specifier by the importer's configuration (`paths`, then baseUrl), then by a workspace package's name. */
function resolveByProjects(importer: string, source: string, paths: PathTable, manifests: Manifests, directory: boolean): string | undefined {
  const projects = paths.jsProjects(manifests);
  const look = (base: string): string | undefined => (directory ? jsDirectoryIndex(paths, base) : jsCandidate(paths, base));
  const config = projects.configOf(importer);
  if (config !== undefined) {
    for (const base of projects.mapped(config, source)) {
      const hit = look(base);
      if (hit !== undefined) return hit;
    }
  }
  const { packages, subpath } = projects.packagesOf(source);
  if (packages.length === 0) return undefined;
  const pkg = packages.length === 1 ? packages[0] : packages.find((p) => p.dir === nearest(packages.map((q) => q.dir), importer));
  if (pkg === undefined) return undefined;
  if (subpath === '') {
    const { files, dirs } = packageRootBases(pkg);
    for (const base of files) {
      const hit = jsCandidate(paths, base);
      if (hit !== undefined) return hit;
    }
    for (const dir of dirs) {
      const hit = jsDirectoryIndex(paths, dir);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  if (hasDotSegment(subpath)) return undefined;
  return look(joinPath(pkg.dir, subpath)) ?? look(joinPath(pkg.dir, `src/${subpath}`));
}

function resolveJs(importer: string, source: string, paths: PathTable, scope: string, manifests: Manifests): string | undefined {
  if (source.startsWith('.')) {
    const base = normalisePath(joinPath(dirname(importer), source));
    // (Within the importer's folder: `..` from api/x/a.ts is api, the folder itself.)
    if (base === undefined || !`${base}/`.startsWith(scope)) return undefined;
    return DIRECTORY_ONLY.test(source) ? jsDirectoryIndex(paths, base) : jsCandidate(paths, base);
  }
  if (source.startsWith('/') || source.includes(':') || NODE_BUILTINS.has(source)) return undefined;
  const directory = DIRECTORY_ONLY.test(source);
  const byProject = resolveByProjects(importer, source, paths, manifests, directory);
  if (byProject !== undefined) return byProject;
  for (const base of jsBases(source)) {
    const normal = normalisePath(base);
    if (normal === undefined) continue;
    const at = joinPath(scope.slice(0, -1), normal);
    const hit = directory ? jsDirectoryIndex(paths, at) : jsCandidate(paths, at);
    if (hit) return hit;
  }
  return undefined;
}

// ---------------------------------------------------------------- Python

/**
 * The module at `base`: a package (base/__init__.py) before a file beside it (base.py, base.pyi), as CPython's path
 * finder looks for a regular package first in each folder.
 */
function pythonModule(paths: PathLookup, base: string): string | undefined {
  return paths.find(`${base}/__init__.py`) ?? paths.find(`${base}.py`) ?? paths.find(`${base}.pyi`);
}

function pythonModuleBySuffix(paths: PathLookup, modulePath: string, importer: string): string | undefined {
  return (
    pythonModule(paths, modulePath) ??
    bySuffix(paths, `${modulePath}.py`, importer) ??
    bySuffix(paths, `${modulePath}/__init__.py`, importer)
  );
}

/**
 * Top-level modules and packages of Python's standard library (3.13; a few removed since kept): an absolute import of
 * one (`import logging`, `from os import path`) is the standard library's, though a workspace may well have an
 * `app/types.py` or `tools/logging/` its search by suffix would take — it resolves only to a module in the importer's
 * folder or one above it that is no package, which does shadow the standard library when a program runs from there.
 */
const PYTHON_STANDARD_ROOTS = new Set([
  '__future__', '_thread', 'abc', 'argparse', 'array', 'ast', 'asynchat', 'asyncio', 'asyncore', 'atexit', 'base64',
  'bdb', 'binascii', 'bisect', 'builtins', 'bz2', 'calendar', 'cgi', 'cmath', 'cmd', 'code', 'codecs', 'codeop',
  'collections', 'colorsys', 'compileall', 'concurrent', 'configparser', 'contextlib', 'contextvars', 'copy', 'copyreg',
  'cProfile', 'csv', 'ctypes', 'curses', 'dataclasses', 'datetime', 'dbm', 'decimal', 'difflib', 'dis', 'distutils',
  'doctest', 'email', 'encodings', 'ensurepip', 'enum', 'errno', 'faulthandler', 'fcntl', 'filecmp', 'fileinput',
  'fnmatch', 'fractions', 'ftplib', 'functools', 'gc', 'getopt', 'getpass', 'gettext', 'glob', 'graphlib', 'grp',
  'gzip', 'hashlib', 'heapq', 'hmac', 'html', 'http', 'imaplib', 'imp', 'importlib', 'inspect', 'io', 'ipaddress',
  'itertools', 'json', 'keyword', 'linecache', 'locale', 'logging', 'lzma', 'mailbox', 'marshal', 'math',
  'mimetypes', 'mmap', 'modulefinder', 'msvcrt', 'multiprocessing', 'netrc', 'numbers', 'operator', 'optparse', 'os',
  'pathlib', 'pdb', 'pickle', 'pickletools', 'pkgutil', 'platform', 'plistlib', 'poplib', 'posix', 'posixpath',
  'pprint', 'profile', 'pstats', 'pty', 'pwd', 'py_compile', 'pyclbr', 'pydoc', 'queue', 'quopri', 'random', 're',
  'readline', 'reprlib', 'resource', 'rlcompleter', 'runpy', 'sched', 'secrets', 'select', 'selectors', 'shelve',
  'shlex', 'shutil', 'signal', 'site', 'smtplib', 'socket', 'socketserver', 'sqlite3', 'ssl', 'stat', 'statistics',
  'string', 'stringprep', 'struct', 'subprocess', 'symtable', 'sys', 'sysconfig', 'syslog', 'tabnanny', 'tarfile',
  'tempfile', 'termios', 'textwrap', 'threading', 'time', 'timeit', 'tkinter', 'token', 'tokenize', 'tomllib', 'trace',
  'traceback', 'tracemalloc', 'tty', 'turtle', 'types', 'typing', 'unicodedata', 'unittest', 'urllib', 'uuid', 'venv',
  'warnings', 'wave', 'weakref', 'webbrowser', 'winreg', 'wsgiref', 'xml', 'xmlrpc', 'zipapp', 'zipfile', 'zipimport',
  'zlib', 'zoneinfo',
]);

/**
 * The targets of an import whose names may each be a module of its own (Rust's `use a::{tcp, Conn}`, Python's `from a
 * import mod, Name`): each name that is one (`submodule`) as a whole-module import of its file, the other names (or,
 * without names, the import itself) from the module the path names (`parent`), looked for only when there are such.
 * A name `self` (`selfName`: Rust's `use a::{self, Conn}`) is that module itself, as a whole-module import. A local
 * name (localNameEntry) goes with the name before it: a module's is left out (its uses name what they use).
 */
function itemTargets(names: readonly string[], submodule: (name: string) => string | undefined, parent: () => string | undefined, selfName?: string): ImportTarget[] {
  const targets: ImportTarget[] = [];
  const rest: string[] = [];
  let whole = names.length === 0;
  let inRest = false;
  for (const name of names) {
    if (isLocalNameEntry(name)) {
      if (inRest) rest.push(name);
      continue;
    }
    inRest = false;
    if (name === selfName) {
      whole = true;
      continue;
    }
    const file = name === '' ? undefined : submodule(name);
    inRest = file === undefined;
    if (file === undefined) rest.push(name);
    else if (!targets.some((t) => t.file === file)) targets.push({ file, names: NO_NAMES });
  }
  if (rest.length > 0 || whole) {
    const file = parent();
    if (file !== undefined) targets.push({ file, names: names.length === 0 ? names : whole ? NO_NAMES : rest.length === names.length ? names : rest });
  }
  return targets;
}

/** One target, the file with the import's names (none: undefined). */
function onlyTarget(file: string | undefined, names: readonly string[]): ImportTarget[] {
  return file === undefined ? [] : [{ file, names }];
}

function resolvePython(importer: string, source: string, names: readonly string[], paths: PathLookup, scope: string): ImportTarget[] {
  // `import cart as c`'s second edge, the namespace's (namespaceNameOf): the module its whole-module edge reaches, with
  // the namespace's name. (Read as a list of names, its local name goes with no name before it: it reached nothing.)
  if (namespaceNameOf(names) !== undefined) return resolvePython(importer, source, NO_NAMES, paths, scope).map((t) => ({ file: t.file, names }));
  const dots = /^\.*/.exec(source)?.[0].length ?? 0;
  const rest = source.slice(dots).split('.').filter(Boolean).join('/');
  if (dots > 0) {
    let dir: string | undefined = dirname(importer);
    for (let i = 1; i < dots && dir !== undefined; i++) dir = dir === '' ? undefined : dirname(dir);
    // (Never out of the importer's folder: above it is no package, only other folders' names.)
    if (dir === undefined || (scope !== '' && !`${dir}/`.startsWith(scope))) return [];
    const base = joinPath(dir, rest);
    const from = dir;
    return itemTargets(names, (name) => pythonModule(paths, joinPath(base, name)), () => (rest ? pythonModule(paths, base) : pythonModule(paths, from)));
  }
  if (PYTHON_STANDARD_ROOTS.has(rest.split('/', 1)[0] ?? '')) {
    // The standard library's, unless a module of that name sits in the importer's folder or one above it, up to its
    // workspace folder's root, that is no package (no __init__.py: absolute imports never look inside a package) —
    // where a program run from there finds it first (sys.path starts with the script's folder: a project rooted in
    // backend/ has backend/profile/ shadow the standard library's profile).
    const top = scope.slice(0, -1);
    for (let dir = dirname(importer); ; dir = dirname(dir)) {
      if (paths.find(joinPath(dir, '__init__.py')) === undefined) {
        const at = dir;
        const targets = itemTargets(names, (name) => pythonModule(paths, joinPath(at, `${rest}/${name}`)), () => pythonModule(paths, joinPath(at, rest)));
        if (targets.length > 0) return targets;
      }
      if (dir === top || dir === '') return [];
    }
  }
  // (Submodules by suffix too, as the package is found: in a src layout `from pkg.sub import mod` is src/pkg/sub/mod.py.)
  return itemTargets(names, (name) => pythonModuleBySuffix(paths, `${rest}/${name}`, importer), () => pythonModuleBySuffix(paths, rest, importer));
}

// ---------------------------------------------------------------- Go and Java (package directories)

/**
 * The top-level packages of Go's standard library (to Go 1.24; `C` is cgo's): an import path whose first segment is one
 * of them (`errors`, `net/http`) is never a workspace file, though a workspace may well have a folder of that name.
 */
const GO_STANDARD_ROOTS = new Set([
  'C', 'archive', 'bufio', 'builtin', 'bytes', 'cmp', 'compress', 'container', 'context', 'crypto', 'database', 'debug',
  'embed', 'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html', 'image', 'index', 'internal', 'io',
  'iter', 'log', 'maps', 'math', 'mime', 'net', 'os', 'path', 'plugin', 'reflect', 'regexp', 'runtime', 'slices', 'sort',
  'strconv', 'strings', 'structs', 'sync', 'syscall', 'testing', 'text', 'time', 'unicode', 'unique', 'unsafe', 'vendor',
  'weak',
]);

/**
 * The most files of one Go package, or of one Java package a wildcard import names, an import reaches (the first in path
 * order). A reference `net.Dial` prefers the
 * definitions of the files its file imports, and an importer's node links to the exported definitions of each: a
 * package of 200 files imported by 500 would add 100,000 targets to the index and, at ~10 exported definitions a file,
 * a million memoised edges to the ranking's pool (its limit is 1.5 million). 32 covers all of nearly every package;
 * past it a name defined further on is resolved by name alone, as before a package reached more than one file.
 */
export const MAX_GO_PACKAGE_FILES = 32;

/**
 * The names an importing file holds — its identifiers: the names it references and those it defines (StoredFile is
 * one) — for a Java wildcard import of a package past MAX_GO_PACKAGE_FILES, which reaches the classes the file names
 * first (javaPackageTargets).
 */
export interface ImporterNames {
  readonly identifierCount: number;
  identifierAt(index: number): string;
}

/**
 * Whether an import's targets depend on the importer's names (ImporterNames) as well as on the paths: a Java wildcard
 * import's, when its package is past the cap. An index resolves such an import again when the importer's identifiers
 * change, even though its imports stay the same.
 */
export function resolvesByNamesUsed(language: LanguageId, source: string): boolean {
  return language === 'java' && source.endsWith('.*');
}

/**
 * A Go or Java package (PathTable.goPackage, javaPackage): the files an import of it reaches — a Go package's files
 * that are no test and no doc.go (by convention only the package's comment: an import's weight on its file belongs
 * with the package's definitions), its doc.go alone if that is all it has; a Java package's .java files — in path
 * order, up to MAX_GO_PACKAGE_FILES, and those files as the targets of an import that names nothing (each with no
 * names), made once and frozen.
 */
export interface FolderPackage {
  readonly files: readonly string[];
  readonly targets: readonly ImportTarget[];
  /**
   * A Java package of more files than MAX_GO_PACKAGE_FILES: all of its .java files in path order, and the place there of
   * each by the class it holds (its name without .java: javac's rule for a public class), from which an importer's
   * import takes the classes it names first (javaPackageTargets).
   */
  readonly classes?: { readonly files: readonly string[]; readonly byName: ReadonlyMap<string, number> };
}

const NO_PACKAGE: FolderPackage = Object.freeze({ files: Object.freeze([]), targets: Object.freeze([]) });

/** The Go package of a folder's files, sorted. */
function goPackageOf(sorted: readonly string[]): FolderPackage {
  const files: string[] = [];
  let doc: string | undefined;
  for (const f of sorted) {
    if (files.length >= MAX_GO_PACKAGE_FILES) break;
    if (!f.endsWith('.go') || f.endsWith('_test.go')) continue;
    if (basename(f) === 'doc.go') doc = f;
    else files.push(f);
  }
  if (files.length === 0 && doc !== undefined) files.push(doc);
  return folderPackage(files);
}

/**
 * The Java package of a folder's files, sorted: its .java files (a package-info.java holds only annotations and the
 * package's comment, but is one of them to javac too, and weighs nothing here: it defines no name).
 */
function javaPackageOf(sorted: readonly string[]): FolderPackage {
  const all = sorted.filter((f) => f.endsWith('.java'));
  if (all.length <= MAX_GO_PACKAGE_FILES) return folderPackage(all);
  const byName = new Map<string, number>();
  all.forEach((f, i) => byName.set(basename(f).slice(0, -'.java'.length), i));
  return folderPackage(all.slice(0, MAX_GO_PACKAGE_FILES), { files: Object.freeze(all), byName });
}

/** The package of these files, frozen (none: NO_PACKAGE). */
function folderPackage(files: string[], classes?: FolderPackage['classes']): FolderPackage {
  if (files.length === 0) return NO_PACKAGE;
  return Object.freeze({
    files: Object.freeze(files),
    targets: Object.freeze(files.map((file) => Object.freeze({ file, names: NO_NAMES }))),
    ...(classes === undefined ? {} : { classes }),
  });
}

/**
 * The targets of an import of the Go package in `dir`: its files (FolderPackage), each with the import's names — those of a
 * package are all of its files'. A blank import (`import _ "x"`: SIDE_EFFECT_IMPORT) brings no name: its first file.
 */
function goPackageTargets(table: PathTable, dir: string, names: readonly string[]): readonly ImportTarget[] {
  return packageTargets(table.goPackage(dir), names);
}

/** The targets of an import of the package `pkg` (see goPackageTargets). */
function packageTargets(pkg: FolderPackage, names: readonly string[]): readonly ImportTarget[] {
  const first = pkg.files[0];
  if (first === undefined) return [];
  if (isSideEffectImport({ names })) return [{ file: first, names }];
  return names.length === 0 ? pkg.targets : pkg.files.map((file) => ({ file, names }));
}

/**
 * The targets of a Java wildcard import of the package `pkg` (see packageTargets). Past the cap, the files of the
 * classes the importer names (`used`, its identifiers) come first, up to the cap, and then the package's other files up
 * to it, all in path order: the first 32 alone missed a class `Zeta` used from a package of 40 (no edge to it, no "imported"
 * reason). When the first files hold every class it names, the package's shared targets. One map look-up per
 * identifier, and only for a package past the cap.
 */
function javaPackageTargets(pkg: FolderPackage, names: readonly string[], used: ImporterNames | undefined): readonly ImportTarget[] {
  const classes = pkg.classes;
  if (classes === undefined || used === undefined) return packageTargets(pkg, names);
  const named: number[] = [];
  let past = false;
  for (let i = 0; i < used.identifierCount; i++) {
    const k = classes.byName.get(used.identifierAt(i));
    if (k === undefined) continue;
    named.push(k);
    if (k >= MAX_GO_PACKAGE_FILES) past = true;
  }
  if (!past) return packageTargets(pkg, names);
  named.sort((a, b) => a - b);
  if (named.length > MAX_GO_PACKAGE_FILES) named.length = MAX_GO_PACKAGE_FILES;
  // The named files and the first others, merged in path order (identifiers are distinct: so is each place).
  const others = MAX_GO_PACKAGE_FILES - named.length;
  const targetNames = names.length === 0 ? NO_NAMES : names;
  const out: ImportTarget[] = [];
  for (let k = 0, j = 0, taken = 0; out.length < MAX_GO_PACKAGE_FILES; k++) {
    if (named[j] === k) j++;
    else if (taken < others) taken++;
    else {
      // Only named files are left to take: on to the next.
      k = named[j] as number;
      j++;
    }
    out.push({ file: classes.files[k] as string, names: targetNames });
  }
  return out;
}

/** Where a module's packages are: its folder, and how strongly it is preferred to another of the same module path. */
interface GoModuleFolder {
  readonly module: string;
  readonly dir: string;
  /**
   * 3: a `replace` of the importer's go.mod, or of its go.work; 2: of another go.mod its go.work uses; 1: a module its
   * go.work uses; 0: any go.mod of the workspace.
   */
  readonly rank: number;
}

/** The nearest file named `name` in the importer's folder or above it. */
function nearestAbove(paths: PathLookup, importer: string, name: string): string | undefined {
  for (let dir = dirname(importer); ; dir = dirname(dir)) {
    const hit = paths.find(joinPath(dir, name));
    if (hit !== undefined) return hit;
    if (dir === '') return undefined;
  }
}

/** Module folders by module path. */
type GoModuleMap = ReadonlyMap<string, readonly GoModuleFolder[]>;

function addFolder(map: Map<string, GoModuleFolder[]>, folder: GoModuleFolder): void {
  const list = map.get(folder.module);
  if (list === undefined) map.set(folder.module, [folder]);
  else list.push(folder);
}

/**
 * The module folders an importer's imports may name: every go.mod's of the workspace (those its go.work uses
 * preferred), and the local `replace` directives in force — its own go.mod's, or in a go.work's workspace that holds
 * its module, the go.work's and every used go.mod's. A replacement counts only as a folder inside the workspace holding
 * a go.mod, as Go requires of it.
 *
 * Worked out once for all importers, per go.work and per go.mod built alone — not per import, which made resolving a
 * workspace's imports quadratic in its modules — and kept while the go.mod paths stay as they were: a PathTable drops
 * its own when one comes or goes, and makes another when the manifests are others. A go.mod or go.work that says
 * otherwise updates it in place (catchUp, as JsProjects): only its own facts are looked up again, and other manifests'
 * changes leave it as it is.
 */
class GoModuleFoldersCache extends ManifestFollower {
  /** Every go.mod's module folder, rank 0. */
  private all: Map<string, GoModuleFolder[]> | undefined;
  /** By go.mod, once `all` is worked out: the module path it is listed under there (none: it has none). */
  private readonly moduleOf = new Map<string, string | undefined>();
  /** By go.work: the go.mod files it uses, and the folders of its workspace (used modules ranked, replacements added). */
  private readonly workspaces = new Map<string, { readonly used: ReadonlySet<string>; readonly folders: GoModuleMap } | undefined>();
  /** By go.mod built alone: its replacements. */
  private readonly replacements = new Map<string, GoModuleMap>();
  /** By go.mod or go.work: its local replacements (replacementsOf), unranked. */
  private readonly replaces = new Map<string, readonly { readonly module: string; readonly dir: string }[]>();
  /** @param layout a multi-root workspace's folders on disk, where a `replace` or `use` climbing out of its folder leads. */
  constructor(
    private readonly paths: PathLookup,
    manifests: Manifests,
    private readonly layout?: FolderLayout,
  ) {
    super(manifests);
  }

  /** The manifest at `path` says otherwise now (any path: only a go.mod's or go.work's counts). */
  protected pathChanged(path: string): void {
    const name = basename(path);
    if (name === 'go.work') {
      this.workspaces.delete(path);
      this.replaces.delete(path);
      return;
    }
    if (name !== 'go.mod') return;
    this.replaces.delete(path);
    this.replacements.delete(path);
    // The workspaces using it hold its replacements; every workspace, the module folders of all go.mods.
    for (const [goWork, workspace] of this.workspaces) if (workspace?.used.has(path) === true) this.workspaces.delete(goWork);
    if (this.all === undefined || this.paths.find(path) !== path) return;
    const before = this.moduleOf.get(path);
    const after = this.manifests.go(path)?.module;
    if (after === before) return;
    const dir = dirname(path);
    if (before !== undefined) {
      const rest = (this.all.get(before) ?? []).filter((f) => f.dir !== dir);
      if (rest.length > 0) this.all.set(before, rest);
      else this.all.delete(before);
    }
    if (after !== undefined) addFolder(this.all, { module: after, dir, rank: 0 });
    this.moduleOf.set(path, after);
    this.workspaces.clear();
  }

  /**
   * The folders of a module path for an importer whose own go.mod (the nearest above it) and go.work (the nearest
   * above it) are these.
   */
  folders(own: string | undefined, goWork: string | undefined, module: string): readonly GoModuleFolder[] {
    if (own === undefined) return this.allFolders().get(module) ?? [];
    const workspace = goWork === undefined ? undefined : this.workspace(goWork);
    if (workspace?.used.has(own) === true) return workspace.folders.get(module) ?? [];
    let replacing = this.replacements.get(own);
    if (replacing === undefined) {
      const map = new Map<string, GoModuleFolder[]>();
      for (const folder of this.replacementsOf(own, 3)) addFolder(map, folder);
      replacing = map;
      this.replacements.set(own, replacing);
    }
    const all = this.allFolders().get(module) ?? [];
    const replaced = replacing.get(module);
    return replaced === undefined ? all : [...all, ...replaced];
  }

  private allFolders(): GoModuleMap {
    if (this.all === undefined) {
      const map = new Map<string, GoModuleFolder[]>();
      for (const goMod of this.paths.named('go.mod')) {
        const module = this.manifests.go(goMod)?.module;
        this.moduleOf.set(goMod, module);
        if (module !== undefined) addFolder(map, { module, dir: dirname(goMod), rank: 0 });
      }
      this.all = map;
    }
    return this.all;
  }

  /** A go.work's modules (`use ./a`, those holding a go.mod) and the folders its workspace mode sees; undefined unread. */
  private workspace(goWork: string): { readonly used: ReadonlySet<string>; readonly folders: GoModuleMap } | undefined {
    if (this.workspaces.has(goWork)) return this.workspaces.get(goWork);
    const work = this.manifests.go(goWork);
    let workspace: { used: ReadonlySet<string>; folders: GoModuleMap } | undefined;
    if (work !== undefined) {
      const used = new Set<string>();
      for (const u of work.uses) {
        const dir = configPath(dirname(goWork), u, this.layout);
        const goMod = dir === undefined ? undefined : this.paths.find(joinPath(dir, 'go.mod'));
        if (goMod !== undefined) used.add(goMod);
      }
      const folders = new Map<string, GoModuleFolder[]>();
      for (const list of this.allFolders().values()) {
        for (const folder of list) addFolder(folders, used.has(joinPath(folder.dir, 'go.mod')) ? { ...folder, rank: 1 } : folder);
      }
      for (const folder of this.replacementsOf(goWork, 3)) addFolder(folders, folder);
      for (const goMod of used) for (const folder of this.replacementsOf(goMod, 2)) addFolder(folders, folder);
      workspace = { used, folders };
    }
    this.workspaces.set(goWork, workspace);
    return workspace;
  }

  /** The local replacements a go.mod or go.work declares, of folders of the workspace holding a go.mod. */
  private replacementsOf(manifest: string, rank: number): GoModuleFolder[] {
    let known = this.replaces.get(manifest);
    if (known === undefined) {
      const out: { module: string; dir: string }[] = [];
      for (const { module, dir } of this.manifests.go(manifest)?.replaces ?? []) {
        const target = configPath(dirname(manifest), dir, this.layout);
        if (target === undefined || this.paths.find(joinPath(target, 'go.mod')) === undefined) continue;
        out.push({ module, dir: target });
      }
      known = out;
      this.replaces.set(manifest, known);
    }
    return known.map(({ module, dir }) => ({ module, dir, rank }));
  }
}

function resolveGo(importer: string, source: string, names: readonly string[], table: PathTable, manifests: Manifests): readonly ImportTarget[] {
  const paths = table.exact();
  const segments = source.split('/').filter(Boolean);
  const first = segments[0] ?? '';
  if (!first.includes('.') && GO_STANDARD_ROOTS.has(first)) return [];
  if (!isEmpty(paths.named('go.mod'))) {
    // A package of a module in the workspace: the import starts with a module's path, and the rest is the package's
    // folder under that module's. Of several, the longest module path (a module nested in another owns its folder),
    // then the best ranked (a replacement, a go.work's module), then the nearest. Any other import is another module's
    // (github.com/pkg/errors), though a workspace folder may end as it does; a go.mod whose module path is not known
    // resolves nothing.
    const own = nearestAbove(paths, importer, 'go.mod');
    const goWork = own === undefined ? undefined : nearestAbove(paths, importer, 'go.work');
    const modules = table.goModuleFolders(manifests);
    // The module paths the import may start with, the longest first: itself, then up to each '/'.
    for (let end = source.length; end >= 0; end = source.lastIndexOf('/', end - 1)) {
      let best = -1;
      const dirs: string[] = [];
      for (const { dir: moduleDir, rank } of modules.folders(own, goWork, source.slice(0, end))) {
        if (rank < best) continue;
        const dir = joinPath(moduleDir, source.slice(end + 1));
        if (table.goPackage(dir).files.length === 0) continue;
        if (rank > best) dirs.length = 0;
        best = rank;
        dirs.push(dir);
      }
      const dir = nearest(dirs, importer);
      if (dir !== undefined) return goPackageTargets(table, dir, names);
      if (end === 0) break;
    }
    // Another module's package vendored into the importer's module (`go mod vendor`): <its go.mod's folder>/vendor/<path>.
    return own === undefined ? [] : goPackageTargets(table, joinPath(joinPath(dirname(own), 'vendor'), source), names);
  }
  // Without a go.mod (GOPATH, or a workspace holding only a module's packages): its path is the module's
  // (`example.com/demo`, or a name without a dot, `module myapp`) and then the package's directory in it; from the whole
  // path down to its last segment, the nearest directory ending so.
  for (let k = 0; k < segments.length; k++) {
    const suffix = segments.slice(k).join('/');
    const dirs = dirsBySuffix(paths, suffix).filter((d) => table.goPackage(d).files.length > 0);
    const dir = nearest(dirs, importer);
    if (dir !== undefined) return goPackageTargets(table, dir, names);
  }
  return [];
}

function resolveJava(importer: string, source: string, names: readonly string[], table: PathTable, used: ImporterNames | undefined): readonly ImportTarget[] {
  const paths = table.exact();
  const segments = source.split('.');
  if (segments[segments.length - 1] === '*') {
    // The nearest directory of that name holding Java files (one holding none — a README's — is no package): each of
    // its files, as any of its classes may be the one used (the ranking pools them as one import, as a Go package's),
    // those of the classes the importer names first past the cap; else a class of that name (`import static a.b.C.*`:
    // C's static members).
    const dirs = dirsBySuffix(paths, segments.slice(0, -1).join('/')).filter((d) => table.javaPackage(d).files.length > 0);
    const dir = nearest(dirs, importer);
    return dir === undefined ? onlyTarget(bySuffix(paths, `${segments.slice(0, -1).join('/')}.java`, importer), names) : javaPackageTargets(table.javaPackage(dir), names, used);
  }
  // `import a.b.C;` → a/b/C.java; `import static a.b.C.member;` → a/b/C.java.
  for (let end = segments.length; end >= Math.max(1, segments.length - 1); end--) {
    const hit = bySuffix(paths, `${segments.slice(0, end).join('/')}.java`, importer);
    if (hit) return onlyTarget(hit, names);
  }
  return [];
}

// ---------------------------------------------------------------- Rust

/**
 * Folders of a Cargo package (beside its Cargo.toml) in which each .rs file is a crate's root: Cargo's test, example,
 * bench and binary targets (`tests/it.rs`; one in a folder of its own has a main.rs, `src/bin/tool/main.rs`).
 */
const CARGO_TARGET_FOLDERS = ['tests', 'examples', 'benches', 'src/bin'];

/** Whether `dir` is one of a Cargo package's target folders (CARGO_TARGET_FOLDERS beside a Cargo.toml). */
function isCargoTargetFolder(paths: PathLookup, dir: string): boolean {
  for (const folder of CARGO_TARGET_FOLDERS) {
    if (dir !== folder && !dir.endsWith(`/${folder}`)) continue;
    // (Without the manifest it may be a module: `mod tests;` in src/lib.rs, with src/tests/a.rs.)
    const packageDir = dir === folder ? '' : dir.slice(0, -folder.length - 1);
    if (paths.find(joinPath(packageDir, 'Cargo.toml')) !== undefined) return true;
  }
  return false;
}

/**
 * Whether a file is a crate's root: lib.rs or main.rs (wherever they are: a workspace may hold crates without their
 * manifests), a Cargo package's build.rs, or a file directly in one of its target folders (CARGO_TARGET_FOLDERS).
 */
function isRustCrateRoot(paths: PathLookup, file: string): boolean {
  const name = basename(file);
  if (name === 'lib.rs' || name === 'main.rs') return true;
  const dir = dirname(file);
  if (name === 'build.rs' && paths.find(joinPath(dir, 'Cargo.toml')) !== undefined) return true;
  return isCargoTargetFolder(paths, dir);
}

/**
 * Directory holding the crate root of a file: its own when it is one, else the nearest above it with a lib.rs or
 * main.rs, or that is a target folder (tests/common/mod.rs is a module of a test in tests/).
 */
function rustCrateDir(paths: PathLookup, file: string): string | undefined {
  if (isRustCrateRoot(paths, file)) return dirname(file);
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if ((paths.find(joinPath(dir, 'lib.rs')) ?? paths.find(joinPath(dir, 'main.rs'))) !== undefined) return dir;
    if (isCargoTargetFolder(paths, dir)) return dir;
    if (dir === '') return undefined;
  }
}

/**
 * Directory of a file's child modules: a crate root's and mod.rs's own (`src/lib.rs`, `tests/it.rs`, `src/a/mod.rs`:
 * `mod x;` is beside them), another file's folder of its name (`src/a.rs` → src/a).
 */
function rustModuleDir(file: string, crateRoot: boolean): string {
  return crateRoot || basename(file) === 'mod.rs' ? dirname(file) : file.slice(0, -'.rs'.length);
}

/**
 * Whether a crate is of Rust 2015 (where a bare `use` path starts at the crate root): its package's Cargo.toml, the
 * nearest at or above the crate's folder, says edition 2015 or none (Cargo's default), or inherits the workspace's
 * (`edition.workspace = true`) and that is 2015. Without a manifest, a readable package or an edition found, no.
 */
function isRust2015(paths: PathLookup, crateDir: string, manifests: Manifests): boolean {
  for (let dir = crateDir; ; dir = dirname(dir)) {
    const toml = paths.find(joinPath(dir, 'Cargo.toml'));
    if (toml !== undefined) {
      const manifest = manifests.cargo(toml);
      if (manifest === undefined || !manifest.isPackage) return false;
      if (!manifest.editionFromWorkspace) return (manifest.edition ?? '2015') === '2015';
      return rustWorkspaceEdition(paths, dir, manifests) === '2015';
    }
    if (dir === '') return false;
  }
}

/** The edition of the workspace of a package in `dir`: the nearest Cargo.toml at or above it with a [workspace]. */
function rustWorkspaceEdition(paths: PathLookup, packageDir: string, manifests: Manifests): string | undefined {
  for (let dir = packageDir; ; dir = dirname(dir)) {
    const toml = paths.find(joinPath(dir, 'Cargo.toml'));
    const manifest = toml === undefined ? undefined : manifests.cargo(toml);
    if (manifest?.isWorkspace === true) return manifest.workspaceEdition;
    if (dir === '') return undefined;
  }
}

function resolveRust(importer: string, source: string, names: readonly string[], paths: PathLookup, manifests: Manifests, scope: string): ImportTarget[] {
  const segments = source.split('::').filter(Boolean);
  let base: string | undefined;
  let i = 0;
  if (segments[0] === 'crate') {
    base = rustCrateDir(paths, importer);
    i = 1;
  } else if (segments[0] === 'self' || segments[0] === 'super') {
    base = rustModuleDir(importer, isRustCrateRoot(paths, importer));
    for (; segments[i] === 'self' || segments[i] === 'super'; i++) if (segments[i] === 'super') base = dirname(base);
    // (A `super` above the importer's folder names no module of it: only other folders' names are there.)
    if (scope !== '' && !`${base}/`.startsWith(scope)) return [];
  } else {
    // A bare first segment (Rust 2018) names an external crate or a name in scope of the importing module: a module
    // of the crate only in its root (`use config::Settings` in src/lib.rs), elsewhere a child module (`mod frame;` in
    // src/net/tcp.rs, then `use frame::Frame`) — never src/config.rs from src/net/tcp.rs, where `config` is a crate.
    // In Rust 2015 a `use` path starts at the crate root wherever it is written: `use config::Settings` in
    // src/net/tcp.rs is src/config.rs (or a crate the root declares with `extern crate`).
    const crateRoot = isRustCrateRoot(paths, importer);
    const crateDir = crateRoot ? undefined : rustCrateDir(paths, importer);
    base = crateDir !== undefined && isRust2015(paths, crateDir, manifests) ? crateDir : rustModuleDir(importer, crateRoot);
  }
  if (base === undefined) return [];
  const from = base;
  const rest = segments.slice(i);
  if (rest.length === 0) {
    // `use super::*`, `use super::{Conn}`, `use crate::{config}`: each module among the names, the other names from
    // the module the path itself names (`super` of src/net/tcp.rs is src/net.rs or src/net/mod.rs; `crate`, the crate
    // root).
    // (`crate` names the crate root itself: never a `base.rs` beside the crate's folder.)
    const parentModule = from === '' || (segments[0] !== 'self' && segments[0] !== 'super') ? undefined : () => rustModuleFile(paths, from);
    return itemTargets(
      names,
      (name) => rustModuleFile(paths, joinPath(from, name)),
      () => parentModule?.() ?? paths.find(joinPath(from, 'lib.rs')) ?? paths.find(joinPath(from, 'main.rs')),
      'self',
    );
  }
  // `use crate::net::tcp;`, `use crate::net::{tcp, Conn}`: each module among the names (src/net/tcp.rs, a
  // whole-module import), the other names from the longest prefix of the path that is a module's file (src/net.rs).
  const dir = joinPath(base, rest.join('/'));
  return itemTargets(
    names,
    (name) => rustModuleFile(paths, joinPath(dir, name)),
    () => {
      for (let end = rest.length; end >= 1; end--) {
        const hit = rustModuleFile(paths, joinPath(from, rest.slice(0, end).join('/')));
        if (hit !== undefined) return hit;
      }
      return undefined;
    },
    'self',
  );
}

/** The file of the Rust module at `path` (no extension): path.rs or path/mod.rs. */
function rustModuleFile(paths: PathLookup, path: string): string | undefined {
  return paths.find(`${path}.rs`) ?? paths.find(`${path}/mod.rs`);
}

/**
 * Every workspace file an import reaches, with the names it brings from each (see ImportEdge.targets), the importer
 * itself left out: the file the import resolves to first (`resolved`); a Go package's other files, and a Java wildcard
 * import's package's; each item of a Rust `use` group or a Python `from … import` where it resolves.
 * @param scope the start of the importer's folder's paths in a multi-root workspace (FolderPaths.scopeOf, 'api/'),
 *   where its JS/TS imports resolve: root-relative ones from that folder's root, relative ones (and Python's, Rust's
 *   `super::`) never out of it; and where a Python module of a standard library's name shadows it.
 * @param manifests what the workspace's go.mod, go.work, Cargo.toml, tsconfig.json, jsconfig.json and package.json
 *   files say (the resolver sees only paths; the index reads them).
 * @param used the importer's names, which a Java wildcard import of a package past the cap reaches first
 *   (resolvesByNamesUsed; without them, the package's first files).
 */
export function resolveImportTargets(
  language: LanguageId,
  importer: string,
  source: string,
  names: readonly string[],
  paths: PathTable,
  scope = '',
  manifests: Manifests = NO_MANIFESTS,
  used?: ImporterNames,
): readonly ImportTarget[] {
  let targets: readonly ImportTarget[];
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      targets = onlyTarget(resolveJs(importer, source, paths, scope, manifests), names);
      break;
    // Python (PEP 235), Java (a class's file is named as the class) and Go (module paths) match names exactly even on
    // a disk that folds case: only Node's, TypeScript's and rustc's lookups go through the disk's.
    case 'python':
      targets = resolvePython(importer, source, names, paths.exact(), scope);
      break;
    case 'go':
      targets = resolveGo(importer, source, names, paths, manifests);
      break;
    case 'java':
      targets = resolveJava(importer, source, names, paths, used);
      break;
    case 'rust':
      targets = resolveRust(importer, source, names, paths, manifests, scope);
      break;
    case 'text':
      targets = [];
  }
  return targets.some((t) => t.file === importer) ? targets.filter((t) => t.file !== importer) : targets;
}

// ---------------------------------------------------------------- What a resolution depends on

/**
 * A name up to its first dot after the first character, lower-cased ('Util.test.ts' → 'util', '.config.ts' →
 * '.config'): keys match without regard to case, as imports do on a disk that folds case (PathTable); elsewhere a few
 * more imports are resolved again than need be, when names differ in case only.
 */
function stemOf(name: string): string {
  const dot = name.indexOf('.', 1);
  return (dot > 0 ? name.slice(0, dot) : name).toLowerCase();
}

/**
 * Files a directory import can stand for: a package's index, __init__.py or mod.rs, and Go's and Java's files (any
 * case: see stemOf).
 */
const STANDS_FOR_DIRECTORY = /^(?:index\.[^/]+|__init__\.pyi?|mod\.rs|[^/]*\.(?:go|java))$/i;

/**
 * Keys of a path for finding the imports whose resolution its coming or going may change: its stem, and its
 * directory's when the path is a file an import of the directory can resolve to (index.*, __init__.py, mod.rs, a Go
 * or Java file). Every path resolveImportTargets could answer with (or look for, as Rust's crate roots) for an import shares
 * a key with importKeys of that import, so an index re-resolves only the imports listed under a changed path's keys.
 * With `paths` (the workspace's, holding the go.mod files), also go.mod's key for a Go file beside a go.mod; with them
 * and `manifests`, the keys of a file TS/JS projects name (JsProjects.keysOf).
 * (A directory key on every file made a folder of n files re-resolve every import of the folder's name n times.)
 */
export function pathKeys(path: string, paths?: PathTable, manifests: Manifests = NO_MANIFESTS): string[] {
  const name = basename(path);
  const keys = [stemOf(name)];
  const dir = basename(dirname(path));
  if (dir && STANDS_FOR_DIRECTORY.test(name)) keys.push(stemOf(dir));
  // A Go file beside a go.mod is of the module's root package, which an import of the module path itself names: its
  // folder's name is not the import's (the workspace's root has none), so it shares go.mod's key, as Go imports do.
  if (paths !== undefined && name.endsWith('.go') && paths.find(joinPath(dirname(path), 'go.mod')) !== undefined) keys.push(stemOf('go.mod'));
  // A file a tsconfig.json's `paths` names otherwise than by the import's last segment, or a workspace package's root
  // file (its entry, src/index.*): MAPPED_KEY, which every bare import has, or the package name's last segment.
  if (paths !== undefined) {
    const projects = paths.jsProjects(manifests);
    for (const key of projects.keysOf(path)) if (!keys.includes(key)) keys.push(key);
    // A package.json: the bare imports of its package's name (the name it had is the caller's: manifestKeys). A
    // configuration: the bare imports of the files in its folder (the nearest one's) and in those of the configurations
    // that extend it.
    if (name === 'package.json') {
      const pkg = manifests.packageJson(path)?.name;
      if (pkg !== undefined) keys.push(packageKey(pkg));
    } else if (isTsConfigName(name)) {
      const dirs = new Set(CONFIG_NAMES.includes(name) ? [dirname(path)] : []);
      for (const reader of projects.readersOf(path)) dirs.add(dirname(reader));
      for (const dir of dirs) keys.push(underKey(dir));
    }
  }
  return keys;
}

/**
 * The key of the bare TS/JS imports a configuration's `paths` may map to a file whose name is not the import's (a
 * KeyTarget's: JsProjects.keysOf). Not a name's stem (those are lower-cased file names, which hold no NUL).
 */
export const MAPPED_KEY = '\0mapped';

/** The key of the bare TS/JS imports of files in the folder `dir` or below it, which a configuration there may map. */
export function underKey(dir: string): string {
  return `\0under:${dir}`;
}

/** The key of the bare TS/JS imports that start with the package name `name`, which a package.json so named may resolve. */
export function packageKey(name: string): string {
  return `\0package:${name}`;
}

/**
 * The keys of a manifest's imports that what it says now may resolve (see pathKeys), for a caller to keep before it
 * says otherwise or goes: a package.json's name's, or when what it said is not known (`known` false: never read), those
 * of every bare TS/JS import (underKey of the root). None for other manifests (their keys do not depend on their text).
 */
export function manifestKeys(path: string, manifests: Manifests, known: boolean): string[] {
  if (basename(path) !== 'package.json') return [];
  if (!known) return [underKey('')];
  const name = manifests.packageJson(path)?.name;
  return name === undefined ? [] : [packageKey(name)];
}

/** The package name a bare specifier starts with: its first segment, or two for a scope (`@acme/util/x` → `@acme/util`). */
function packageNameOf(source: string): string {
  const segments = source.split('/');
  return segments.slice(0, source.startsWith('@') ? 2 : 1).join('/');
}

/** Keys of an import (see pathKeys): the stems of the names its candidate files and directories have. */
export function importKeys(language: LanguageId, importer: string, source: string, names: readonly string[]): string[] {
  const keys = new Set<string>();
  const add = (name: string): void => {
    if (name) keys.add(stemOf(name));
  };
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript': {
      // Candidates are a base, base + extension, the emitted file's source (stem + .ts) and base/index.*.
      if (source.startsWith('/') || source.includes(':')) break;
      const bases = source.startsWith('.') ? [joinPath(dirname(importer), source)] : jsBases(source);
      for (const base of bases) {
        const normal = normalisePath(base);
        if (normal !== undefined) add(basename(normal));
      }
      // A directory-only specifier's candidates are index files (of the root too, whose directory has no name).
      if (DIRECTORY_ONLY.test(source)) add('index');
      else if (!source.startsWith('.')) add(basename(source));
      // A bare specifier's candidates depend on the importer's configuration (the nearest tsconfig.json or jsconfig.json
      // in its folder or above, the tsconfig*.json it extends: underKey of each folder above the importer) and on the
      // workspace's packages of the name it starts with (package.json: packageKey). The files its `paths` and baseUrl
      // reach end as the specifier (its last segment, or index files); those they name otherwise, and a package's root
      // files, carry MAPPED_KEY or the package name's last segment (pathKeys). (A built-in module is Node's.)
      if (!source.startsWith('.') && !NODE_BUILTINS.has(source)) {
        keys.add(MAPPED_KEY);
        keys.add(packageKey(packageNameOf(source)));
        for (let dir = dirname(importer); ; dir = dirname(dir)) {
          keys.add(underKey(dir));
          if (dir === '') break;
        }
      }

      break;
    }
    case 'python': {
      // Candidates are <base>/<name> and <base> (or the importer's package) as module.py(i) or module/__init__.py.
      const dots = /^\.*/.exec(source)?.[0].length ?? 0;
      const rest = source.slice(dots).split('.').filter(Boolean);
      // (A local name, localNameEntry, names no file.)
      for (const name of names) if (!isLocalNameEntry(name)) add(name);
      if (rest.length > 0) add(rest[rest.length - 1] as string);
      // A standard library's name looks only in folders that are no package: an __init__.py coming or going decides.
      if (dots === 0 && PYTHON_STANDARD_ROOTS.has(rest[0] ?? '')) add('__init__');
      else if (dots > 0) {
        let dir: string | undefined = dirname(importer);
        for (let i = 1; i < dots && dir !== undefined; i++) dir = dir === '' ? undefined : dirname(dir);
        if (dir !== undefined) add(basename(dir));
      }
      break;
    }
    case 'go': {
      // Candidates are the .go files of directories named as the path's last segment, or of a go.mod's own folder
      // (whatever its name: pathKeys gives its Go files go.mod's key; a replacement's folder holds a go.mod), found
      // by the go.mod and go.work files (their stem).
      const segments = source.split('/').filter(Boolean);
      if (segments.length > 0) add(segments[segments.length - 1] as string);
      add('go.mod');
      break;
    }
    case 'java': {
      // `a.b.C` → C.java (or b.java for a static import's class); `a.b.*` → the files of directory b.
      const segments = source.split('.');
      if (segments[segments.length - 1] === '*') add(segments[segments.length - 2] ?? '');
      else for (const s of segments.slice(-2)) add(s);
      break;
    }
    case 'rust': {
      // Candidates are <base>/<prefix of the path>.rs or …/mod.rs, the base found by the crate roots lib.rs and main.rs,
      // and by Cargo.toml (which makes build.rs and the files of tests/, examples/, benches/ and src/bin/ crate roots).
      const segments = source.split('::').filter(Boolean);
      const relative = segments[0] === 'self' || segments[0] === 'super';
      if (!relative) {
        keys.add('lib');
        keys.add('main');
      }
      keys.add('cargo');
      for (const s of segments) if (s !== 'crate' && s !== 'self' && s !== 'super') add(s);
      // A module among the names (`use crate::net::tcp;`: src/net/tcp.rs; `self` is the path's own).
      for (const name of names) if (name !== 'self' && !isLocalNameEntry(name)) add(name);
      if (segments.every((s) => s === 'crate' || s === 'self' || s === 'super')) {
        // A path of only these (`use super::{Conn}`): modules named among the names (added above), or the module the
        // path names — from the importer's folder or its own folder, as it is a crate root or not (a manifest may decide).
        for (const crateRoot of [false, true]) {
          let base = rustModuleDir(importer, crateRoot);
          for (const s of segments) if (s === 'super') base = dirname(base);
          add(basename(base));
        }
        for (const key of ['mod', 'lib', 'main']) add(key);
      }
      break;
    }
    case 'text':
      break;
  }
  return [...keys];
}
