// A case-insensitive disk for the unit tests on this Linux machine: caseFoldingFs.py (FUSE, over a temporary backing
// folder) mounted on a temporary folder. Needs /dev/fuse, Debian's python3-fusepy (scripts/setup.sh installs it) and
// the right to mount (root here and in CI).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'caseFoldingFs.py');
/** How long the file system may take to answer before the mount counts as failed. */
const MOUNT_TIMEOUT_MS = 15_000;

export interface CaseFoldingMount {
  /** The mount point: names under it are looked up without regard to case. */
  readonly root: string;
  /** Unmounts (the file system's process ends) and removes both folders. */
  unmount(): Promise<void>;
}

/** What the machine lacks for the mount, or undefined when it has it all. */
export function caseFoldingMountMissing(): string | undefined {
  if (!existsSync('/dev/fuse')) return '/dev/fuse';
  if (!existsSync(PYTHON)) return PYTHON;
  if (!existsSync('/usr/lib/python3/dist-packages/fusepy.py')) return "Debian's python3-fusepy";
  return undefined;
}

function ended(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Mounts a case-folding file system; rejects with what the file system said when it does not come up. */
export async function mountCaseFolding(): Promise<CaseFoldingMount> {
  const base = mkdtempSync(path.join(os.tmpdir(), 'contexten-casefold-'));
  const backing = path.join(base, 'backing');
  const root = path.join(base, 'mount');
  mkdirSync(backing);
  mkdirSync(root);
  const child = spawn(PYTHON, [SCRIPT, backing, root], { stdio: ['ignore', 'pipe', 'pipe'] });
  const said: string[] = [];
  child.stderr?.on('data', (b: Buffer) => said.push(b.toString('utf8')));
  const exited = ended(child);
  const removeFolders = (): void => rmSync(base, { recursive: true, force: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the case-folding file system did not answer within ${MOUNT_TIMEOUT_MS} ms`)), MOUNT_TIMEOUT_MS);
      let out = '';
      child.stdout?.on('data', (b: Buffer) => {
        out += b.toString('utf8');
        if (out.includes('mounted')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the case-folding file system ended (${child.exitCode ?? child.signalCode}): ${said.join('').trim()}`));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } catch (err) {
    child.kill('SIGTERM');
    await exited;
    removeFolders();
    throw err;
  }
  return {
    root,
    async unmount() {
      // (libfuse unmounts on SIGTERM before the process ends.)
      child.kill('SIGTERM');
      await exited;
      removeFolders();
    },
  };
}

/**
 * Mounts a case-folding disk before the tests of the suite it is called in and unmounts it after them. Where the
 * machine cannot mount it the suite is skipped — or fails under CI, where nothing is skipped. Returns the mount point's
 * getter (valid in the tests).
 */
export function useCaseFoldingDisk(): () => string {
  let disk: CaseFoldingMount | undefined;
  before(async function () {
    const missing = caseFoldingMountMissing();
    if (missing !== undefined) {
      if (process.env.CI === 'true') throw new Error(`a case-folding disk needs ${missing} (scripts/setup.sh installs it)`);
      console.log(`      (skipped: a case-folding disk needs ${missing}; scripts/setup.sh installs it)`);
      this.skip();
    }
    disk = await mountCaseFolding();
  });
  after(async () => {
    await disk?.unmount();
  });
  return () => {
    if (!disk) throw new Error('the case-folding disk is not mounted');
    return disk.root;
  };
}
