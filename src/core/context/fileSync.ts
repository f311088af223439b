// Flushing a written file to the disk before it is renamed into place (the saved index, the engine's compile cache),
// where the file system offers that.
import { fsyncSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * What an fsync fails with on a file system that does not offer it: VirtualBox shared folders and some network and
 * FUSE mounts (EINVAL, ENOTSUP, ENOSYS), a folder a sync client owns on Windows (EPERM). Writing there works; only the
 * promise that the bytes are on the disk before the rename cannot be had, so the write goes on without it. (EIO and
 * the like stay failures: the bytes did not get there.)
 */
const FSYNC_NOT_OFFERED = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EPERM']);

function notOffered(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && FSYNC_NOT_OFFERED.has(code);
}

/** Flushes an open file to the disk, or does nothing where the file system does not offer that. @throws its other errors. */
export async function syncWhereOffered(handle: FileHandle): Promise<void> {
  try {
    await handle.sync();
  } catch (err) {
    if (!notOffered(err)) throw err;
  }
}

/** syncWhereOffered for a file descriptor, blocking. */
export function fsyncWhereOffered(fd: number): void {
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!notOffered(err)) throw err;
  }
}
