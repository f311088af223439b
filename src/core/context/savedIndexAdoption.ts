// A workspace without a saved index of its own (a folder added to or removed from a multi-root workspace, the CLI's
// `--root`s changed with one `--cache`: its identity, and so its cache file, changed) takes the saved files of the folders it
// shares with another saved index in the same storage folder, the one sharing the most: only the files of its
// new folders (and files changed since, as on any reopen) are parsed. The saved paths are translated to this
// workspace's (a folder's prefix may differ, or a single folder's paths have none), files of folders it does not have
// are left out, and every import is resolved again (they were resolved among the other workspace's files). An index
// whose header does not list its folders (saved before it did) or another version's is never adopted, nor one that
// shares no folder. Choosing reads headers only: the one that shares the most of this workspace's folders is taken,
// the most recently written of those that share as many (the next one when it cannot be loaded). Only saved indexes in
// the same storage folder are seen: a VS Code window whose workspace became another (a single folder turned
// multi-root) may have a storage folder of its own, with none in it.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { throwIfAborted } from '../errors';
import type { Logger } from '../ports';
import type { FolderPaths } from './folderPaths';
import { loadIndex, readSavedHeader, type IndexStrings, type PathTranslation, type PersistedIndex, type SavedFolder } from './indexPersistence';

/** How cache files are named (indexCacheFile). */
const CACHE_FILE = /^context-index-[0-9a-f]+\.bin$/;

/**
 * The saved files of `paths`' folders from the other saved index that has the most of them (the most recent of those
 * that have as many), when the workspace's own saved index (`ownFile`) does not exist. Undefined when there is none
 * to adopt (what was passed over and why is logged).
 * @throws CancellationError when the signal aborts.
 */
export async function adoptSavedIndex(
  storageDir: string,
  paths: FolderPaths,
  ownFile: string,
  logger: Logger,
  signal?: AbortSignal,
  shared?: IndexStrings,
): Promise<PersistedIndex | undefined> {
  if (await exists(ownFile)) return undefined;
  // Headers first (each a short first line), to try the candidates sharing the most folders first: the newest may
  // share fewer (after [a, b], then [a] alone, [a, b, c] would parse b again from [a]'s).
  const files = await candidates(storageDir, ownFile);
  const all = paths.folders.length;
  const usable: { file: string; root: string; translate: PathTranslation; kept: readonly string[]; shares: number }[] = [];
  let next = 0;
  /**
   * Reads the headers on, newest first, up to the first that shares every folder: none read after it could share
   * more, and it is the newest of those that do (a --cache folder of thousands of saved indexes is not read through).
   */
  const readOn = async (): Promise<void> => {
    while (next < files.length) {
      throwIfAborted(signal);
      const file = files[next++] as string;
      const read = await readSavedHeader(file);
      if ('problem' in read) {
        logger.info(`context: not adopting the saved index ${file} (${read.problem})`);
        continue;
      }
      const { root, folders } = read.header;
      if (folders === undefined) {
        logger.info(`context: not adopting the saved index ${file} (it does not list its folders: saved by an earlier version)`);
        continue;
      }
      const shared = translation(folders, paths);
      if (!shared) continue;
      const shares = shared.kept.length;
      usable.push({ file, root, translate: shared.translate, kept: shared.kept, shares });
      if (shares === all) return;
    }
  };
  await readOn();
  for (;;) {
    // (A stable sort: among those sharing as many, the newest first.)
    usable.sort((x, y) => y.shares - x.shares);
    const best = usable.shift();
    if (best === undefined) return undefined;
    throwIfAborted(signal);
    const { file, root, translate, kept, shares } = best;
    const saved = await loadIndex(storageDir, root, logger, signal, shared, file, translate);
    if (saved) {
      logger.info(`context: no saved index of this workspace yet; took ${saved.files.length} saved files of ${kept.join(', ')} from ${file}`);
      return saved;
    }
    // One sharing every folder could not be loaded (damaged records): an older one may share them all too.
    if (shares === all) await readOn();
  }
}


/** The other cache files in the storage folder, most recently written first. */
async function candidates(storageDir: string, ownFile: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(storageDir);
  } catch {
    return [];
  }
  const own = path.basename(ownFile);
  const found: { file: string; mtimeMs: number }[] = [];
  for (const name of names) {
    if (name === own || !CACHE_FILE.test(name)) continue;
    const file = path.join(storageDir, name);
    try {
      const info = await stat(file);
      if (info.isFile()) found.push({ file, mtimeMs: info.mtimeMs });
    } catch {
      // (Removed meanwhile.)
    }
  }
  return found.sort((a, b) => b.mtimeMs - a.mtimeMs).map((c) => c.file);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Saved paths → this workspace's: a saved file's absolute path (its folder's root and its path there) named as this
 * workspace names it (so a folder nested in another here takes its files too), and the roots of the saved folders this
 * workspace has. Undefined when no saved folder is one of this workspace's.
 */
function translation(saved: readonly SavedFolder[], current: FolderPaths): { translate: PathTranslation; kept: string[] } | undefined {
  const roots = new Set(current.folders.map((f) => f.root));
  const kept = new Map<string, string>();
  for (const f of saved) if (roots.has(f.root)) kept.set(f.prefix, f.root);
  if (kept.size === 0) return undefined;
  // A single folder's paths have no prefix (and it is the one kept).
  const single = saved.length === 1 ? kept.values().next().value : undefined;
  const translate: PathTranslation = (savedPath) => {
    let root: string | undefined;
    let local: string;
    if (single !== undefined) {
      root = single;
      local = savedPath;
    } else {
      const slash = savedPath.indexOf('/');
      if (slash < 0) return undefined;
      root = kept.get(savedPath.slice(0, slash));
      local = savedPath.slice(slash + 1);
    }
    if (root === undefined || local === '') return undefined;
    return current.relative(path.join(root, ...local.split('/')));
  };
  return { translate, kept: [...kept.values()] };
}
