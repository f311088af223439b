// The index's view of a workspace's folders on disk: which paths are excluded (each folder with its own .gitignore
// files and globs) and the scan of every folder, its files named as FolderPaths names them. With one folder it is
// that folder's WorkspaceFilter and scan, paths unchanged.
import { lstatSync, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../ports';
import { pathHoldsSecrets } from './alwaysSkipped';
import { dirname } from './importResolver';
import { FolderPaths, isAtOrUnder, isWithin, type IndexedFolder } from './folderPaths';
import { errorMessage } from '../errors';
import { decidedBefore, leadsToSecrets, linksOnTheWay, overlaps, scanWorkspace, WorkspaceFilter, type LinkChain, type ScanFileSystem, type ScannedFile } from './workspaceScanner';

/** Why a scan passed over a file it found: its size, a binary extension, or it could not be read (no permission). */
export type ScanSkipReason = 'too-large' | 'binary' | 'unreadable';

/** Folders that could not be read named in one scan's warnings; the rest are counted. */
const UNREADABLE_NAMED = 5;

/** Drops remembered by what they concerned (see droppedAbove); past them, any drop counts as one above a path. */
const RECENT_DROPS = 64;
/**
 * Times an exclusion is worked out while the rules above its path keep being dropped (a directory above it deleted and
 * made again faster than its rules can be read): then the last answer stands — that path's own file events follow.
 */
export const MAX_EXCLUSION_TRIES = 16;

/** A path's own lstat, undefined when it cannot be read (gone, no permission): a secret check's, taken on the engine thread. */
function lstatIfThere(abs: string): Stats | undefined {
  try {
    return lstatSync(abs, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

export class WorkspaceFolders {
  private readonly filters = new Map<IndexedFolder, WorkspaceFilter>();
  /** Directories' real paths by absolute path (realDir). */
  private readonly realDirs = new Map<string, Promise<string | undefined>>();
  /** Counts the times cached rules were dropped: an answer worked out across one may be of the rules before it. */
  private rulesDropped = 0;
  /** The index paths the latest drops were of, newest last ('' for all of them): whose answers they make stale. */
  private readonly recentDrops: string[] = [];
  /**
   * Whether the folders' disk looks names up without regard to case (any folder's: the index asks diskSpelling's
   * foldsCase at each build): there, rules cached under one spelling of a folder are dropped with every other spelling.
   */
  foldsCase = false;

  /** The index's own storage folder (resolved), when it is kept on disk: see the constructor. */
  private readonly storageDir: string | undefined;

  /**
   * @param storageDir where the index is saved (and the engine's compiled code): its files are no part of the workspace
   *   — neither scanned nor let in by a file event or a document — whether it lies inside a folder (a CLI `--cache`
   *   under its `--root`) or a link in the folder leads to it. (A storage folder that is a folder's root, or holds one,
   *   keeps nothing out.)
   * @param dirLinks the symbolic links to directories outside the folders (index paths) that scans met, with the real
   *   path of each (the index's, kept up to date by it): of several to or into one directory a full scan follows the
   *   first it decides on (unwalkedWay).
   */
  constructor(
    readonly paths: FolderPaths,
    private readonly logger: Logger,
    storageDir?: string,
    private readonly dirLinks: ReadonlyMap<string, string> = new Map(),
    private readonly fileSystem?: ScanFileSystem,
  ) {
    for (const f of paths.folders) this.filters.set(f, new WorkspaceFilter(f.root, f.exclude));
    this.storageDir = storageDir === undefined ? undefined : path.resolve(storageDir);
  }

  /**
   * Whether an index path is excluded (a path in no folder is; a multi-root folder itself is not), by the rules as they
   * are when the answer comes: one worked out while cached rules above the path were dropped (a .gitignore above it
   * changed during its reads) is worked out again (at most MAX_EXCLUSION_TRIES times); drops elsewhere — in a busy
   * workspace, every deleted or new directory — leave it as it is. A path that reaches another folder's directory
   * through a symbolic link (linkedIntoAnother) is excluded too: the scan does not follow that link; and so is one
   * whose way from its folder goes through a link the full scan does not follow (unwalkedWay). And a file that is a
   * symbolic link to a file that holds secrets, or a file in a directory reached through a link whose real path names
   * a file that holds secrets (secretByRealPath; one so named the rules exclude).
   * @param isLink whether the file is itself a symbolic link, when the caller knows (a file event's lstat): else it is
   *   asked (one lstat).
   */
  async isExcluded(relPath: string, isDirectory: boolean, isLink?: boolean): Promise<boolean> {
    if (await this.linkedIntoAnother(relPath, isDirectory)) return true;
    if ((await this.unwalkedWay(relPath, isDirectory)) !== undefined) return true;
    if (await this.inStorage(relPath, isDirectory)) return true;
    if (await this.excludedByRules(relPath, isDirectory)) return true;
    return !isDirectory && (await this.secretByRealPath(relPath, isLink));
  }

  /**
   * Whether the file at an index path holds secrets by its real path: a symbolic link to such a file (leadsToSecrets),
   * or a file in a directory reached through a link (`sshkeys/work_key`, sshkeys → ~/.ssh: its real path is
   * `~/.ssh/work_key`). Its directory's real path is cached (realDir); the file itself is lstat'ed unless `isLink` says.
   */
  private async secretByRealPath(relPath: string, isLink: boolean | undefined): Promise<boolean> {
    const abs = this.paths.absolute(relPath);
    if (abs === undefined) return false;
    // (Synchronous: a few microseconds on the engine thread, where the promise's thread-pool round trip cost each edit of
    // an open document ~0.2 ms more at its median in the bench.)
    const link = isLink ?? lstatIfThere(abs)?.isSymbolicLink() === true;
    if (link) return leadsToSecrets(abs);
    return this.secretInLinkedDirectory(relPath);
  }

  /**
   * Whether the file at an index path is in a directory reached through a link whose real path names a file that
   * holds secrets (`sshkeys/work_key`, sshkeys → ~/.ssh): secretByRealPath without the file's own lstat.
   */
  private async secretInLinkedDirectory(relPath: string): Promise<boolean> {
    const real = await this.linkedDirectoryReal(relPath);
    return real !== undefined && pathHoldsSecrets(path.join(real, relPath.slice(relPath.lastIndexOf('/') + 1)));
  }

  /**
   * The real path of the directory of the file at an index path, when it is reached through a link (it is not where
   * its folder's real path and its path in the folder put it); undefined otherwise. Each directory's real path is
   * asked once (realDir).
   */
  private async linkedDirectoryReal(relPath: string): Promise<string | undefined> {
    const at = this.paths.locate(relPath);
    const abs = this.paths.absolute(relPath);
    if (at === undefined || abs === undefined) return undefined;
    const slash = at.local.lastIndexOf('/');
    if (slash < 0) return undefined;
    const [rootReal, real] = await Promise.all([this.realDir(at.folder.root), this.realDir(path.dirname(abs))]);
    if (rootReal === undefined || real === undefined || real === path.join(rootReal, ...at.local.slice(0, slash).split('/'))) return undefined;
    return real;
  }



  /** isExcluded by the folders' rules alone (its .gitignore files and globs). */
  private async excludedByRules(relPath: string, isDirectory: boolean): Promise<boolean> {
    for (let tries = 1; ; tries++) {
      const dropped = this.rulesDropped;
      const at = this.locate(relPath);
      if (!at) return true;
      const excluded = at.local === '' ? false : await at.filter.isExcluded(at.local, isDirectory);
      if (tries >= MAX_EXCLUSION_TRIES || !this.droppedAbove(relPath, dropped)) return excluded;
    }
  }

  /**
   * Whether an index path of a multi-root workspace lies in a directory that, through a symbolic link on its way, is
   * another folder's (`api/vendor/lib/l.ts`, api/vendor → the lib folder or a directory in it): that file is the other
   * folder's, indexed under its path there, as the scan of its own folder leaves the link to that folder's scan; named
   * through the link (a file event, an editor's document) it is not indexed a second time. A directory is judged by its
   * own real path, a file by its directory's: a file that is itself a link is indexed under its own path, as scanned.
   * The owner is the deepest folder holding the real path (a folder nested in another owns what is in it). A path that
   * is not there (real path unknown) is judged by the rules alone.
   */
  private async linkedIntoAnother(relPath: string, isDirectory: boolean): Promise<boolean> {
    if (!this.paths.multiRoot) return false;
    const at = this.paths.locate(relPath);
    const abs = this.paths.absolute(relPath);
    if (at === undefined || at.local === '' || abs === undefined) return false;
    const real = await this.realDir(isDirectory ? abs : path.dirname(abs));
    const owner = real === undefined ? undefined : this.paths.folderOfReal(real);
    return owner !== undefined && owner !== at.folder;
  }

  /**
   * Whether the way from its folder to an index path (to a file's directory; to a directory itself, itself included)
   * goes through a symbolic link that a full scan does not follow, judged link by link as a scan of a folder there
   * judges them (linksOnTheWay): a link into the folder (`lib → src`: those files are indexed under src/), to it or
   * above it, to or into the storage folder or another folder's root; or a link to a directory outside that another
   * link in dirLinks, still leading there, leads to or into (or around), which the scan decides on first
   * (decidedBefore): with `a/l1` and `b/l2` → one outside folder, `b/l2/y.ts` is not indexed, `a/l1/y.ts` is. A path
   * not there (its directory's real path unknown) is judged by the rules alone, and so is one with no link on its way
   * (its directory's real path is its path under the folder's: the answer for nearly every document update).
   * @returns undefined when it does not; else the first link on the way that the scan would decide not to follow (index
   *   path, real path), or true for a way it never takes.
   */
  private async unwalkedWay(relPath: string, isDirectory: boolean): Promise<{ readonly rel: string; readonly real: string } | true | undefined> {
    const at = this.paths.locate(relPath);
    const abs = this.paths.absolute(relPath);
    if (at === undefined || at.local === '' || abs === undefined) return undefined;
    const slash = at.local.lastIndexOf('/');
    const dir = isDirectory ? at.local : slash < 0 ? '' : at.local.slice(0, slash);
    if (dir === '') return undefined;
    const [rootReal, real] = await Promise.all([this.realDir(at.folder.root), this.realDir(isDirectory ? abs : path.dirname(abs))]);
    if (rootReal === undefined || real === undefined || real === path.join(rootReal, ...dir.split('/'))) return undefined;
    const skipDirs = [...this.paths.otherRoots(at.folder), ...(await this.storageDirsIn(at.folder))];
    const way = await linksOnTheWay(at.folder.root, rootReal, dir, skipDirs);
    if (way === undefined) return true;
    const prefix = at.folder.prefix ? `${at.folder.prefix}/` : '';
    for (const link of way) {
      const rel = prefix + link.rel;
      if (!(await this.followedOf(at.folder, rel, link.real))) return { rel, real: link.real };
    }
    return undefined;
  }

  /** Whether a full scan follows the link at the index path `rel` to the directory `real` outside its folder (followedOf). */
  async followed(rel: string, real: string): Promise<boolean> {
    const at = this.paths.locate(rel);
    return at === undefined || (await this.followedOf(at.folder, rel, real));
  }

  /**
   * Whether a full scan of `folder` follows the link at the index path `rel` to the directory `real` (outside the
   * folder): no other link of the folder in dirLinks leads to, into or around that directory still and is decided on
   * before it (decidedBefore).
   */
  private async followedOf(folder: IndexedFolder, rel: string, real: string): Promise<boolean> {
    for (const [q, other] of this.dirLinks) {
      if (q === rel || !overlaps(real, other) || !decidedBefore(q, rel)) continue;
      const abs = this.paths.absolute(q);
      if (abs === undefined || this.paths.locate(q)?.folder !== folder) continue;
      // (Still leading there, and let in by the rules: a .gitignore since may exclude it.)
      if ((await this.realDir(abs)) === other && !(await this.excludedByRules(q, true))) return false;
    }
    return true;
  }

  /**
   * Whether an index path lies in the storage folder: by the path as given (the storage folder strictly inside the path's
   * own folder), or by the real path of its directory (a directory itself: its own) — a root or storage folder given
   * through a link, as /tmp is /private/tmp on macOS, or a link inside the folder that leads to the storage folder or
   * into it, wherever that lies. A storage folder that is the folder's root or holds it keeps nothing out.
   */
  private async inStorage(relPath: string, isDirectory: boolean): Promise<boolean> {
    const storage = this.storageDir;
    if (storage === undefined) return false;
    const at = this.paths.locate(relPath);
    const abs = this.paths.absolute(relPath);
    if (at === undefined || at.local === '' || abs === undefined) return false;
    if (isWithin(storage, at.folder.root)) return false;
    if (isWithin(at.folder.root, storage) && isWithin(storage, abs)) return true;
    const [storageReal, rootReal] = await Promise.all([this.realDir(storage), this.realDir(at.folder.root)]);
    if (storageReal === undefined || rootReal === undefined || isWithin(storageReal, rootReal)) return false;
    const real = await this.realDir(isDirectory ? abs : path.dirname(abs));
    return real !== undefined && isWithin(storageReal, real);
  }

  /**
   * The storage folder as given and by its real path (unless either is `folder`'s root or holds it): directories the
   * folder's scan does not enter, nor follow a link to or into — whether they lie inside the folder or a link there
   * leads to them (a `cachelink` → the CLI's `--cache`).
   */
  private async storageDirsIn(folder: IndexedFolder): Promise<readonly string[]> {
    const storage = this.storageDir;
    if (storage === undefined) return [];
    const [real, rootReal] = await Promise.all([this.realDir(storage), this.realDir(folder.root)]);
    const dirs = real === undefined || real === storage ? [storage] : [storage, real];
    const roots = rootReal === undefined || rootReal === folder.root ? [folder.root] : [folder.root, rootReal];
    return dirs.some((d) => roots.some((r) => isWithin(d, r))) ? [] : dirs;
  }

  /**
   * A directory's real path (undefined when it is not there), kept: linkedIntoAnother asks at every document update and
   * file event. Forgotten when anything is deleted (a directory replaced by a link is deleted first) and at a full scan;
   * a directory not there is asked again.
   */
  private realDir(abs: string): Promise<string | undefined> {
    let real = this.realDirs.get(abs);
    if (real === undefined) {
      const asked = realpath(abs).catch(() => undefined);
      real = asked;
      this.realDirs.set(abs, asked);
      void asked.then((r) => {
        if (r === undefined && this.realDirs.get(abs) === asked) this.realDirs.delete(abs);
      });
    }
    return real;
  }

  /** How many times cached rules were dropped so far: with droppedAbove, whether an answer taken since may be stale. */
  get drops(): number {
    return this.rulesDropped;
  }

  /** Whether a drop after the first `since` was of the rules of `relPath` or of a directory above it. */
  droppedAbove(relPath: string, since: number): boolean {
    const count = this.rulesDropped - since;
    if (count > this.recentDrops.length) return count > 0;
    for (let i = this.recentDrops.length - count; i < this.recentDrops.length; i++) {
      const scope = this.recentDrops[i] ?? '';
      if (scope === '' || isAtOrUnder(scope, relPath)) return true;
    }
    return false;
  }

  private noteDrop(scope: string): void {
    this.rulesDropped++;
    this.recentDrops.push(scope);
    if (this.recentDrops.length > RECENT_DROPS) this.recentDrops.shift();
  }

  /** Drops the cached rules of the directory holding a changed .gitignore (of every spelling of it: see foldsCase). */
  forgetRulesOf(gitignorePath: string): void {
    this.noteDrop(dirname(gitignorePath));
    const at = this.locate(gitignorePath);
    at?.filter.forget(dirname(at.local), this.foldsCase);
  }

  /**
   * Drops the cached rules of a deleted (or replaced) path and everything under it, other workspace folders inside it
   * included (their .gitignore files went with it too); under every spelling of it (see foldsCase).
   */
  forgetDeleted(relPath: string): void {
    this.realDirs.clear();
    const at = this.locate(relPath);
    const abs = this.paths.absolute(relPath);
    const holdsFolder = abs !== undefined && this.paths.holdsFolder(abs);
    // Other folders inside it are named by their own names, not under relPath: every answer may be stale then.
    this.noteDrop(holdsFolder ? '' : relPath);
    if (!at) return;
    if (at.local === '') this.filters.set(at.folder, new WorkspaceFilter(at.folder.root, at.folder.exclude));
    else at.filter.forgetDeleted(at.local, this.foldsCase);
    if (!holdsFolder) return;
    for (const folder of this.paths.foldersAt(abs)) {
      if (folder !== at.folder) this.filters.set(folder, new WorkspaceFilter(folder.root, folder.exclude));
    }
  }

  /**
   * Every indexable file of the workspace (or under the index path `subtree`), folder by folder in the
   * workspace's order. A folder nested in another (or linked from it) is left to its own scan, and so is a subtree
   * that is another folder's through a link (linkedIntoAnother). A folder of a
   * multi-root workspace that is not there (not cloned yet, moved: VS Code keeps listing it) is passed over with
   * a log line, and the others are indexed; the one folder of a workspace missing is an error. Folders that are there
   * but cannot be read (no permission) are left out with a warning naming each, once per scan; a workspace folder's own
   * root among them is also passed to `onUnreadableRoot` (absolute path).
   * @throws CancellationError when the signal aborts.
   */
  async *scan(
    maxFileBytes: number,
    signal?: AbortSignal,
    subtree = '',
    onSkip?: (path: string, reason: ScanSkipReason) => void,
    onLink?: (path: string, chain: LinkChain) => void,
    onDirLink?: (path: string, target: string, followed: boolean) => void,
    onUnreadableRoot?: (root: string) => void,
  ): AsyncGenerator<readonly ScannedFile[]> {
    // (A subtree through a link into another folder — a link made since the last build — is that folder's to scan; one
    // through a link the full scan does not follow is no one's: that link is reported all the same, if the rules keep it.)
    if (subtree !== '' && (await this.linkedIntoAnother(subtree, true))) return;
    const unwalked = subtree === '' ? undefined : await this.unwalkedWay(subtree, true);
    if (unwalked !== undefined) {
      if (unwalked !== true && onDirLink && !(await this.excludedByRules(unwalked.rel, true))) onDirLink(unwalked.rel, unwalked.real, false);
      return;
    }
    const targets = subtree === '' ? this.paths.folders.map((folder) => ({ folder, local: '' })) : [this.paths.locate(subtree)];
    if (subtree === '') {
      // A full scan (a build: at start, after a .gitignore changed, a Reindex) reads the rules above each folder again:
      // no watcher event has a .gitignore above a folder, nor .git/info/exclude, read again.
      for (const filter of this.filters.values()) filter.forgetAbove();
      this.realDirs.clear();
      this.noteDrop('');
    }
    // Files and folders whose names are not valid UTF-8, said once when the scan ends (else they would be missing
    // without a trace: git lists them).
    const unreadable: string[] = [];
    // Directories that could not be listed, and those whose files could not be read (each with how many and the first
    // error): said once each when the scan ends.
    const unlisted = new Map<string, unknown>();
    const unstatted = new Map<string, { files: number; error: unknown }>();
    for (const target of targets) {
      if (!target) continue;
      const { folder, local } = target;
      const filter = this.filters.get(folder);
      if (!filter) continue;
      if (this.paths.multiRoot && !(await stat(folder.root).then((s) => s.isDirectory(), () => false))) {
        this.logger.warn(`Context: the workspace folder ${folder.prefix} (${folder.root}) is not there; the other folders are indexed.`);
        continue;
      }
      // (Neither other folders nor the index's storage folder — inside this one or linked from it — are entered.)
      const others = new Set([...this.paths.otherRoots(folder), ...(await this.storageDirsIn(folder))]);
      const prefix = folder.prefix ? `${folder.prefix}/` : '';
      const skips = {
        onUnreadableName: (p: string) => unreadable.push(prefix + p),
        ...(onSkip ? { onSkip: (p: string, reason: ScanSkipReason) => onSkip(prefix + p, reason) } : {}),
        onUnreadable: (p: string, isDirectory: boolean, error: unknown) => {
          if (isDirectory) {
            const at = p === '' ? folder.root : prefix + p;
            unlisted.set(at, error);
            if (p === '' && local === '') onUnreadableRoot?.(folder.root);
            return;
          }
          onSkip?.(prefix + p, 'unreadable');
          const slash = p.lastIndexOf('/');
          const dir = slash < 0 ? folder.root : prefix + p.slice(0, slash);
          const known = unstatted.get(dir);
          if (known) known.files++;
          else unstatted.set(dir, { files: 1, error });
        },
        ...(this.fileSystem ? { fileSystem: this.fileSystem } : {}),
        ...(onLink ? { onLink: (p: string, chain: LinkChain) => onLink(prefix + p, chain) } : {}),
        ...(onDirLink ? { onDirLink: (p: string, target: string, followed: boolean) => onDirLink(prefix + p, target, followed) } : {}),
      };
      const files = scanWorkspace({ root: folder.root, maxFileBytes, ...(others.size > 0 ? { skipDirs: others } : {}), ...skips }, filter, signal, local);
      if (!folder.prefix) {
        yield* files;
        continue;
      }
      for await (const batch of files) yield batch.map((f) => ({ ...f, path: prefix + f.path }));
    }
    this.warnUnreadable(unlisted, unstatted);
    if (unreadable.length > 0) {
      const which = unreadable.length === 1 ? (unreadable[0] ?? '') : `${unreadable.length} files or folders, such as ${unreadable[0] ?? ''}`;
      this.logger.info(
        `Context: left out ${which}: a name that is not valid UTF-8 (shown with \uFFFD) cannot be read back through the ` +
          'string paths the index works with. Renaming brings it in.',
      );
    }
  }

  /**
   * Warns of the folders a scan could not read, each named (up to UNREADABLE_NAMED, the rest counted): their files are
   * left out of the index, which would otherwise miss them without a trace.
   */
  private warnUnreadable(unlisted: ReadonlyMap<string, unknown>, unstatted: ReadonlyMap<string, { files: number; error: unknown }>): void {
    const lines = [
      ...[...unlisted].map(([dir, error]) => `could not read the folder ${dir}; its files are left out (${errorMessage(error)})`),
      ...[...unstatted].map(([dir, { files, error }]) => `could not read ${files === 1 ? 'a file' : `${files} files`} in the folder ${dir}; left out (${errorMessage(error)})`),
    ];
    for (const line of lines.slice(0, UNREADABLE_NAMED)) this.logger.warn(`Context: ${line}. Give it read and search (x) permission, or exclude it (contexten.context.exclude).`);
    if (lines.length > UNREADABLE_NAMED) this.logger.warn(`Context: ${lines.length - UNREADABLE_NAMED} more folders could not be read; their files are left out.`);
  }

  private locate(relPath: string): { folder: IndexedFolder; local: string; filter: WorkspaceFilter } | undefined {
    const at = this.paths.locate(relPath);
    const filter = at && this.filters.get(at.folder);
    return at && filter ? { ...at, filter } : undefined;
  }
}
