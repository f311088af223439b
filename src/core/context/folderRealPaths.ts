// The real paths of a workspace's folders (symbolic links resolved), which FolderPaths compares folders by: a folder
// that is a link to another folder, or into one, is that folder (or a folder nested in it). Resolved once, where the
// folders are taken up (the editor glue, the engine's host and its thread), so FolderPaths itself stays pure arithmetic.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { FolderSpec } from './folderPaths';

/**
 * `specs`, each with its real path: the one it has, else the real path on disk, else (a folder that is not there,
 * one that cannot be read) its resolved path.
 */
export function withRealPaths(specs: readonly FolderSpec[]): FolderSpec[] {
  return specs.map((s) => (s.realPath !== undefined ? s : { ...s, realPath: realPathOf(s.path) }));
}

function realPathOf(folder: string): string {
  try {
    return realpathSync.native(folder);
  } catch {
    return path.resolve(folder);
  }
}
