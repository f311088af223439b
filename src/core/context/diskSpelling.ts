// Names on a disk that looks them up without regard to case (macOS and Windows by default, WSL's /mnt/c, some FUSE
// and network mounts). There a path spelled otherwise than the file's name still reaches the file: after a case-only
// rename (utils.ts → Utils.ts) the old spelling stats as the renamed file, so a watcher's delete event for it would
// read the file again under its old name, and the index would keep both. The index asks spelledAsOnDisk of a path
// that is there only where foldsCase says names fold; elsewhere a path that stats is spelled as on disk.
import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/** How paths are compared on a disk that folds case (lower-cased) or not (as they are). */
export function pathKeyOn(foldsCase: boolean): (p: string) => string {
  return foldsCase ? lowerCased : asItIs;
}

const lowerCased = (p: string): string => p.toLowerCase();
const asItIs = (p: string): string => p;

/** `name` with the case of each letter turned over ('Utils.ts' → 'uTILS.TS'); the same string when it has no cased letter. */
function caseTurned(name: string): string {
  let out = '';
  for (const ch of name) {
    const upper = ch.toUpperCase();
    out += upper === ch ? ch.toLowerCase() : upper;
  }
  return out;
}

/** Whether two stats are of the same file (file ids where the system has them: not every Windows volume does). */
function sameFile(a: Stats, b: Stats): boolean {
  if (a.dev !== b.dev || a.ino !== b.ino) return false;
  return a.ino !== 0 || (a.size === b.size && a.mtimeMs === b.mtimeMs && a.birthtimeMs === b.birthtimeMs && a.mode === b.mode);
}

/**
 * Whether the file system of the folder `root` looks names up without regard to case: a name in it with its case
 * turned over reaches the same file (the folder's own name when it is empty or has no name with a letter).
 * Undefined when that cannot be told now (the folder is not there).
 */
export async function foldsCase(root: string): Promise<boolean | undefined> {
  const names = await readdir(root).catch(() => undefined);
  if (names === undefined) return undefined;
  const inside = names.find((n) => caseTurned(n) !== n);
  const own = path.basename(root);
  if (inside === undefined && caseTurned(own) === own) return false;
  const [named, turned] = inside !== undefined ? [path.join(root, inside), path.join(root, caseTurned(inside))] : [root, path.join(path.dirname(root), caseTurned(own))];
  const [a, b] = await Promise.all([lstat(named).catch(() => undefined), lstat(turned).catch(() => undefined)]);
  if (a === undefined) return undefined;
  return b !== undefined && sameFile(a, b);
}

/**
 * Whether every name of `local` ('/'-separated, under the folder `root`) is spelled as its folder lists it — on a disk
 * that folds case, whether a path that stats is that file's name or another spelling of it. Names are compared in one
 * Unicode normal form: macOS's disks also match names whatever their normalisation, and a name listed decomposed
 * (made on HFS+) may come in an event composed — the same name, not another spelling. False when a name is not listed
 * (or a folder cannot be read).
 */
export async function spelledAsOnDisk(root: string, local: string): Promise<boolean> {
  let dir = root;
  for (const name of local.split('/')) {
    const listed = await readdir(dir).catch(() => undefined);
    if (listed === undefined) return false;
    if (!listed.includes(name)) {
      const composed = name.normalize('NFC');
      if (!listed.some((n) => n.normalize('NFC') === composed)) return false;
    }
    dir = path.join(dir, name);
  }
  return true;
}
